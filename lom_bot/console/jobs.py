"""`job <name> [date]` in the console: run one scheduled job now, its posts shown as a step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from lom_bot.console.session import ConsoleSession, Step
from lom_bot.domain.errors import DomainError


def run_job(session: ConsoleSession, name: str, on: date, say: Callable[[str], None]) -> Step:
    """Run `name` for `on` as `lom-bot jobs run` does (once per period, through the ledger)."""
    from lom_bot.schedules.execute import job_named
    from lom_bot.schedules.execute import run_job as execute

    try:
        job = job_named(name)
    except DomainError as exc:
        say(f"{exc.message} Jobs: {exc.example}.")
        return Step()
    return session.run(lambda: say(str(execute(session.rt, job.name, on, trigger="console"))))
