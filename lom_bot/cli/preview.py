"""lom-bot preview: a Slack Block Kit Builder link for one screen of the demo."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from lom_bot.cli.common import runtime
from lom_bot.config import load_settings

WHAT = ("card", "digest", "triage", "home", "order", "letter-list")


def register(cli: click.Group) -> None:
    @cli.command("preview")
    @click.argument("what", type=click.Choice(WHAT))
    @click.option(
        "--subject", default="LOM-0001", show_default=True, help="The demo subject to show."
    )
    @click.option("--json", "as_json", is_flag=True, help="Print the payload, not the link.")
    def preview_cmd(what: str, subject: str, as_json: bool) -> None:
        """Print a link that opens WHAT (a subject card, the daily digest, a triage post, an App
        Home, an order card, or the letters to draft after an assessment) in Slack's Block Kit
        Builder, as Slack renders it. Made from the demo caseload in a temporary database:
        yours is not read or changed."""
        from lom_bot.blocks.builder import builder_url
        from lom_bot.console.preview import NothingToShow, preview
        from lom_bot.console.session import ConsoleSession
        from lom_bot.demo.seed import seed_demo

        with tempfile.TemporaryDirectory(prefix="lom-preview-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'demo.sqlite3'}"
            settings = load_settings().model_copy(update={"database_url": url})
            rt = runtime(settings=settings, why="a temporary demo database; yours is not used")
            session = None
            try:
                seed_demo(rt.uow())
                session = ConsoleSession(rt)
                payload = preview(session, what, subject.upper())
            except NothingToShow as exc:
                raise click.ClickException(f"No {what} to show for {subject}: {exc}") from None
            finally:
                if session is not None:
                    session.close()
                rt.close()
        if as_json:
            click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
            return
        click.echo(builder_url(payload))
