"""lom-bot console: the Slack app in a terminal, against a local stand-in for Slack."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lom_bot.config import Settings, UserEntry, load_settings

VAR = Path("var")
LOG_FILE = VAR / "console.log"


def register(cli: click.Group) -> None:
    @cli.command("console")
    @click.option(
        "--demo",
        is_flag=True,
        help="Fill the database with the fictional demo caseload first, if it has no "
        "subjects yet (the database is DATABASE_URL's, as for every command).",
    )
    @click.option(
        "--as",
        "user",
        metavar="SLACK_ID",
        help="Start as this user [default: the first LOM officer in app.yaml].",
    )
    @click.option(
        "--echo/--no-echo",
        default=None,
        help="Print each command (with its prompt) before its output, so the output reads "
        "as a transcript [default: on when input is not a terminal].",
    )
    def console(demo: bool, user: str | None, echo: bool | None) -> None:
        """Work with lom-bot in a terminal: /lom, say, click, as, in ... (type help)."""
        open_console(load_settings(), demo=demo, user=user, echo=echo)


def open_console(
    settings: Settings, *, demo: bool, user: str | None = None, echo: bool | None = None
) -> None:
    """Build the app against a stand-in for Slack and run the console until quit or EOF."""
    from lom_bot.cli.common import runtime
    from lom_bot.console.lines import TerminalLines
    from lom_bot.console.repl import Console
    from lom_bot.console.session import ConsoleSession
    from lom_bot.demo.seed import seed_demo
    from lom_bot.logging_setup import setup_logging

    VAR.mkdir(exist_ok=True)
    # The terminal is the officer's screen: logs (and any listener's stack trace) go to a file.
    setup_logging(stream=LOG_FILE.open("a", encoding="utf-8"))
    rt = runtime(settings=settings)
    lines = TerminalLines()
    if demo:
        report = seed_demo(rt.uow())
        if report:
            click.echo(f"Demo data added: {report}.", err=True)
    session = ConsoleSession(rt, user=user or _first_officer(rt.config.users))
    if echo is None:  # piped commands read as a transcript; a terminal shows them already
        echo = not lines.interactive
    try:
        Console(session, lines, sys.stdout, echo=echo).loop()
    finally:
        session.close()
        rt.close()


def _first_officer(users: list[UserEntry]) -> str:
    from lom_bot.domain.enums import Role

    officers = [u for u in users if u.role is Role.LOM_OFFICER] or users
    return officers[0].slack_id if officers else "U0OFF1"
