"""Scheduled-post builders measured in process: time and number of SQL statements."""

from __future__ import annotations

import importlib
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event

BUILDERS = {
    "daily digest": ("lom_bot.services.digest", "build_daily_digest"),
    "weekly summary": ("lom_bot.services.summary", "build_weekly_summary"),
}


@dataclass
class Timing:
    what: str
    seconds: list[float]  # each run; the first is cold
    statements: int | None
    error: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


def builder(what: str) -> Callable[..., Any] | None:
    module, name = BUILDERS[what]
    try:
        found = getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None
    return found if callable(found) else None


def measure(url: str, runs: int = 3) -> list[Timing]:
    """Build each scheduled post `runs` times on the database at `url`."""
    from lom_bot.bootstrap import build_runtime
    from lom_bot.config import Settings, load_app_config

    settings = Settings(database_url=url, lom_config=Path("app.yaml"))
    rt = build_runtime(settings, config=load_app_config(Path("app.yaml")), migrate=False)
    counted = [0]

    def count(*_: Any) -> None:
        counted[0] += 1

    event.listen(rt.engine, "before_cursor_execute", count)
    results = []
    try:
        for what in BUILDERS:
            build = builder(what)
            if build is None:
                results.append(Timing(what, [], None, "not built in this version"))
                continue
            seconds, statements = [], None
            try:
                spent = time.perf_counter()
                for _ in range(runs):
                    if time.perf_counter() - spent > 10:  # enough for a slow builder's median
                        break
                    counted[0] = 0
                    started = time.perf_counter()
                    with rt.uow() as uow:  # the builders run inside the caller's unit of work
                        build(uow, rt.clock.today())
                    seconds.append(time.perf_counter() - started)
                    statements = counted[0]
            except Exception as exc:  # a builder failing is a result to report, not a crash
                results.append(Timing(what, seconds, statements, f"{type(exc).__name__}: {exc}"))
                continue
            results.append(Timing(what, seconds, statements))
    finally:
        event.remove(rt.engine, "before_cursor_execute", count)
        rt.close()
    return results
