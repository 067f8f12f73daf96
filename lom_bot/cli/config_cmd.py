"""lom-bot config check."""

from __future__ import annotations

import click

from lom_bot.config import load_app_config, load_settings


def register(cli: click.Group) -> None:
    @cli.group("config")
    def config() -> None:
        """Inspect the configuration."""

    @config.command("check")
    @click.option("--slack", is_flag=True, help="Also require the Slack secrets to be set.")
    @click.option("--http", is_flag=True, help="With --slack: check for HTTP mode, not Socket.")
    def check(slack: bool, http: bool) -> None:
        """Validate app.yaml and the environment without starting anything."""
        settings = load_settings()
        app = load_app_config(settings.lom_config)
        if slack:
            settings.require_slack(http)
        sensitive = [c.name for c in app.all_channels() if c.sensitive]
        click.echo(
            f"{settings.lom_config}: OK - {len(app.districts)} districts, "
            f"{len(app.users)} bootstrap users, sensitive channels: {', '.join(sensitive)}"
        )
        click.echo(f"Slack: {'configured' if settings.slack_configured else 'not configured'}")
