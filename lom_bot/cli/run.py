"""lom-bot run: what `make run` starts. Slack when tokens are set, else the demo console."""

from __future__ import annotations

import os

import click

from lom_bot.config import ConfigError, load_settings


def register(cli: click.Group) -> None:
    @cli.command("run")
    def run() -> None:
        """Connect to Slack if SLACK_BOT_TOKEN is set (Socket Mode; HTTP when LOM_HTTP_PORT is
        set); without tokens, open the console on the demo database."""
        from lom_bot.cli.console import open_console
        from lom_bot.cli.serve import DEFAULT_WORKERS, serve_http, serve_socket

        settings = load_settings()
        if not settings.slack_configured:
            click.echo(
                "No SLACK_BOT_TOKEN set: opening the local console on demo data "
                "(type help; quit to leave).",
                err=True,
            )
            open_console(settings, demo=True)
            return
        port = http_port()
        settings.require_slack(http=port is not None)
        if port is None:
            serve_socket(settings, scheduler=True)
        else:
            serve_http(settings, "0.0.0.0", port, DEFAULT_WORKERS, scheduler=True)


def http_port() -> int | None:
    """LOM_HTTP_PORT, when set: serve HTTP on it instead of Socket Mode."""
    raw = os.environ.get("LOM_HTTP_PORT", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"environment: LOM_HTTP_PORT: expected a port number, got {raw!r}")
    return int(raw)
