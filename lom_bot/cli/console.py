"""lom-bot console: the Slack app in a terminal, against a local stand-in for Slack."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lom_bot.config import Settings, UserEntry, load_settings

VAR = Path("var")
DEMO_DATABASE = f"sqlite:///{VAR / 'demo.sqlite3'}"
LOG_FILE = VAR / "console.log"


def register(cli: click.Group) -> None:
    @cli.command("console")
    @click.option(
        "--demo",
        is_flag=True,
        help="Use the demo database ./var/demo.sqlite3 "
        "(filled with fictional subjects on first use).",
    )
    @click.option(
        "--as",
        "user",
        metavar="SLACK_ID",
        help="Start as this user [default: the first LOM officer in app.yaml].",
    )
    @click.option(
        "--echo",
        is_flag=True,
        help="With piped input, print each command before "
        "its output, so the output reads as a transcript.",
    )
    def console(demo: bool, user: str | None, echo: bool) -> None:
        """Work with lom-bot in a terminal: /lom, say, click, as, in ... (type help)."""
        open_console(load_settings(), demo=demo, user=user, echo=echo)


def open_console(
    settings: Settings, *, demo: bool, user: str | None = None, echo: bool = False
) -> None:
    """Build the app against a stand-in for Slack and run the console until quit or EOF."""
    from lom_bot.bootstrap import build_runtime
    from lom_bot.console.repl import Console, TerminalLines
    from lom_bot.console.session import ConsoleSession
    from lom_bot.demo.seed import seed_demo
    from lom_bot.logging_setup import setup_logging

    VAR.mkdir(exist_ok=True)
    # The terminal is the officer's screen: logs (and any listener's stack trace) go to a file.
    setup_logging(stream=LOG_FILE.open("a", encoding="utf-8"))
    if demo:
        settings = settings.model_copy(update={"database_url": DEMO_DATABASE})
    rt = build_runtime(settings)
    lines = TerminalLines()
    if demo:
        report = seed_demo(rt.uow())
        if report and lines.interactive:
            click.echo(f"Demo data added: {report}.")
    session = ConsoleSession(rt, user=user or _first_officer(rt.config.users))
    try:
        Console(session, lines, sys.stdout, echo=echo).loop()
    finally:
        session.close()
        rt.close()


def _first_officer(users: list[UserEntry]) -> str:
    from lom_bot.domain.enums import Role

    officers = [u for u in users if u.role is Role.LOM_OFFICER] or users
    return officers[0].slack_id if officers else "U0OFF1"
