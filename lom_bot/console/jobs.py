"""`job <name> [date]` in the console: run one scheduled job now, its posts shown as a step."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from typing import Any

from lom_bot.console.session import ConsoleSession, Step


def job_runner() -> Callable[..., Any] | None:
    """The scheduler's run-one-job entry point, when this version has one."""
    try:
        module = importlib.import_module("lom_bot.schedules.runner")
    except ImportError:
        return None
    runner = getattr(module, "run_job", None)
    return runner if callable(runner) else None


def run_job(session: ConsoleSession, name: str, on: date, say: Callable[[str], None]) -> Step:
    """Run `name` for `on` through the same code as `lom-bot jobs run`; say why when it cannot."""
    runner = job_runner()
    if runner is None:
        say("Scheduled jobs are not available in this version yet; nothing was run.")
        return Step()
    return session.run(lambda: say(str(runner(session.rt, name, on))))
