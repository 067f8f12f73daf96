"""The digest, horizons and weekly summary cost a fixed number of SQL statements."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event

from lom_bot.bootstrap import Runtime
from lom_bot.services.digest import build_daily_digest, build_district_tasks, horizons
from lom_bot.services.summary import build_weekly_summary
from lom_bot.store.uow import UnitOfWork
from tests.test_digest_support import make_caseload

TODAY = date(2026, 11, 25)


@contextmanager
def counting(rt: Runtime) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(rt.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(rt.engine, "before_cursor_execute", record)


def statements_for(rt: Runtime, build: Callable[[UnitOfWork, date], object]) -> int:
    with rt.uow() as uow, counting(rt) as statements:
        build(uow, TODAY)
    return len(statements)


BUILDS: dict[str, Callable[[UnitOfWork, date], object]] = {
    "daily digest": build_daily_digest,
    "district tasks": build_district_tasks,
    "horizons": horizons,
    "weekly summary": build_weekly_summary,
}


@pytest.mark.parametrize("name", list(BUILDS))
def test_statements_do_not_grow_with_the_caseload(runtime: Runtime, name: str) -> None:
    build = BUILDS[name]
    with runtime.uow() as uow:
        make_caseload(uow, 40, TODAY)
        uow.commit()
    with runtime.uow() as uow:
        small_digest = len(build_daily_digest(uow, TODAY).lines)
    small = statements_for(runtime, build)
    # Ten times the caseload (subjects 41..400 join the first 40).
    with runtime.uow() as uow:
        make_caseload(uow, 360, TODAY, first=41)
        uow.commit()
    with runtime.uow() as uow:
        large_digest = len(build_daily_digest(uow, TODAY).lines)
    large = statements_for(runtime, build)
    assert large_digest > 5 * small_digest  # the work really grew ...
    assert large == small  # ... and the statements did not
    assert small <= 30
