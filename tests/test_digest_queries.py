"""The digest, horizons and weekly summary cost a fixed number of SQL statements."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from lom_bot.runtime import Runtime
from lom_bot.services.capacity import build_capacity
from lom_bot.services.digest import build_daily_digest, build_district_tasks, horizons
from lom_bot.services.summary import build_weekly_summary
from lom_bot.store.uow import UnitOfWork
from tests.conftest import both_databases, counting
from tests.test_digest_support import make_caseload

TODAY = date(2026, 11, 25)


def statements_for(rt: Runtime, build: Callable[[UnitOfWork, date], object]) -> int:
    with rt.uow() as uow, counting(rt) as statements:
        build(uow, TODAY)
    return len(statements)


BUILDS: dict[str, Callable[[UnitOfWork, date], object]] = {
    "daily digest": build_daily_digest,
    "district tasks": build_district_tasks,
    "horizons": horizons,
    "weekly summary": build_weekly_summary,
    "capacity": build_capacity,
}


@both_databases
def test_statements_do_not_grow_with_the_caseload(runtime: Runtime) -> None:
    with runtime.uow() as uow:
        make_caseload(uow, 40, TODAY)
        uow.commit()
    small_lines = len(statements_and_lines(runtime)[1])
    small = {name: statements_for(runtime, build) for name, build in BUILDS.items()}
    with runtime.uow() as uow:
        make_caseload(uow, 360, TODAY, first=41)  # ten times the caseload
        uow.commit()
    large_lines = len(statements_and_lines(runtime)[1])
    large = {name: statements_for(runtime, build) for name, build in BUILDS.items()}
    assert large_lines > 5 * small_lines  # the work really grew ...
    assert large == small  # ... and the statements did not
    assert max(small.values()) <= 35  # the weekly summary, the largest, reads 31 today


def statements_and_lines(rt: Runtime) -> tuple[int, list[object]]:
    with rt.uow() as uow, counting(rt) as statements:
        lines: list[object] = list(build_daily_digest(uow, TODAY).lines)
    return len(statements), lines
