"""The lom-bot command line: one group, a module per area of verbs."""

from __future__ import annotations

import sys

import click

from lom_bot.cli import admin, config_cmd, database, demo, manifest_cmd, run, serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lom-bot")
def cli() -> None:
    """lom-bot: run the LOM team's SCPO work from Slack."""


for module in (config_cmd, database, demo, admin, run, manifest_cmd, serve):
    module.register(cli)


def main() -> None:
    """Entry point: errors become one clear line and a non-zero exit status."""
    from lom_bot.cli.common import run_cli

    sys.exit(run_cli(cli))
