"""Cards, caseload lists and App Home load in a fixed number of queries (no N+1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event, select

from lom_bot.bootstrap import Runtime
from lom_bot.domain.enums import ContactKind, ContactOutcome
from lom_bot.handlers.home_data import district_home, officer_home
from lom_bot.handlers.readmodels import load_card, load_caseload
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import Contact, Subject
from lom_bot.store.uow import UnitOfWork
from tests.conftest import actor_for


@contextmanager
def counting(rt: Runtime) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(rt.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(rt.engine, "before_cursor_execute", record)


def statements(rt: Runtime, actor: Actor, load: Callable[[UnitOfWork, Actor], object]) -> int:
    with counting(rt) as seen:
        uow = rt.uow()
        with uow:
            load(uow, actor)
    return len(seen)


def test_caseload_card_and_home_cost_the_same_with_twice_the_data(demo: Runtime) -> None:
    officer = actor_for(demo, "U0OFF1")
    leeds = actor_for(demo, "U0LEEDS")
    loads: dict[str, tuple[Actor, Callable[[UnitOfWork, Actor], object]]] = {
        "caseload": (officer, lambda u, a: load_caseload(u, a, "all")),
        "card": (officer, lambda u, a: load_card(u, a, "LOM-0001", with_intel=True)),
        "home": (officer, officer_home),
        "district home": (leeds, district_home),
    }
    before = {name: statements(demo, a, f) for name, (a, f) in loads.items()}
    grow(demo, officer)
    after = {name: statements(demo, a, f) for name, (a, f) in loads.items()}
    assert after == before


def grow(rt: Runtime, officer: Actor) -> None:
    """Give the officer and Leeds every subject, each with more contacts."""
    with rt.uow() as uow:
        subjects = list(uow.session.scalars(select(Subject)))
        for n, s in enumerate(subjects):
            s.officer_id, s.district = officer.user_id, "Leeds"
            for day in range(1, 4):
                uow.session.add(
                    Contact(
                        subject_id=s.id,
                        kind=ContactKind.CALL,
                        occurred_on=date(2026, 11, day),
                        outcome=ContactOutcome.COMPLIED,
                        recorded_at=uow.clock.now(),
                        request_key=f"grow-{n}-{day}",
                    )
                )
        uow.session.commit()
