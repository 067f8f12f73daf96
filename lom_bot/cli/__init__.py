"""The lom-bot command line: one group, a module per area of verbs."""

from __future__ import annotations

import sys

import click

from lom_bot.cli import (
    admin,
    answers,
    config_cmd,
    console,
    database,
    demo,
    export,
    importer,
    manifest_cmd,
    outbox,
    preview,
    run,
    serve,
    transfer,
)
from lom_bot.cli import audit as audit_cmd
from lom_bot.cli import jobs as jobs_cmd


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lom-bot")
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    envvar="LOG_FORMAT",
    default="text",
    show_default=True,
    help="Log lines as text or JSON (LOG_FORMAT).",
)
@click.pass_context
def cli(ctx: click.Context, log_format: str) -> None:
    """lom-bot: run the LOM team's SCPO work from Slack."""
    from lom_bot.logging_setup import configure_cli
    from lom_bot.operator import SERVING, login_name, set_os_user

    configure_cli(log_format, ctx.invoked_subcommand)
    if ctx.invoked_subcommand not in SERVING:
        set_os_user(login_name())  # recorded in each audit entry beside the --as user
        ctx.call_on_close(lambda: set_os_user(None))


for module in (
    config_cmd,
    database,
    demo,
    admin,
    audit_cmd,
    run,
    manifest_cmd,
    preview,
    serve,
    console,
    importer,
    export,
    transfer,
    jobs_cmd,
    answers,
    outbox,
):
    module.register(cli)


def main() -> None:
    """Entry point: errors become one clear line and a non-zero exit status."""
    from lom_bot.cli.common import run_cli

    sys.exit(run_cli(cli))
