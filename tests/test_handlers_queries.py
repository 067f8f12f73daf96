"""Cards, caseload lists and App Home load in a fixed number of queries (no N+1)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from lom_bot.domain.enums import (
    ContactKind,
    ContactOutcome,
    FollowUpKind,
    HandlingCode,
    IntelGrade,
    OrderStatus,
    ReleaseDateKind,
    SourceGrade,
    TaskKind,
    TaskStatus,
)
from lom_bot.runtime import Runtime
from lom_bot.services import orders as o
from lom_bot.services.home_data import district_home, officer_home
from lom_bot.services.orders.common import snapshot
from lom_bot.services.orders.history import build_view
from lom_bot.services.permissions import Actor
from lom_bot.services.readmodels.card import load_card
from lom_bot.services.readmodels.caseload import load_caseload
from lom_bot.store.tables import (
    Alias,
    Contact,
    FollowUp,
    Intelligence,
    ReleaseDate,
    Subject,
    Task,
)
from lom_bot.store.uow import UnitOfWork
from tests.conftest import actor_for, both_databases, counting
from tests.test_order_support import new_subject, walk_to


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


def add_history(rt: Runtime, ref: str, n: int) -> None:
    """A round of everything the card lists: contacts (one awaiting evidence), intelligence,
    a task, a follow-up, an alias and a release date."""
    with rt.uow() as uow:
        subject = uow.session.scalars(select(Subject).where(Subject.ref == ref)).one()
        uow.session.add_all(
            [
                Contact(
                    subject_id=subject.id,
                    kind=ContactKind.CALL,
                    occurred_on=date(2026, 11, 1 + day),
                    outcome=ContactOutcome.AWAITING_EVIDENCE
                    if day == 0
                    else ContactOutcome.COMPLIED,
                    evidence_due_on=date(2026, 12, 1) if day == 0 else None,
                    recorded_at=uow.clock.now(),
                    request_key=f"history-{ref}-{n}-{day}",
                )
                for day in range(3)
            ]
            + [
                Intelligence(
                    ref=f"INT-{ref}-{n}",
                    subject_id=subject.id,
                    text=f"Seen at a car wash ({n})",
                    source_grade=next(iter(SourceGrade)),
                    intel_grade=next(iter(IntelGrade)),
                    handling=next(iter(HandlingCode)),
                    recorded_at=uow.clock.now(),
                ),
                Task(
                    ref=f"TSK-{ref}-{n}",
                    subject_id=subject.id,
                    district="Leeds",
                    kind=next(iter(TaskKind)),
                    due_on=date(2026, 12, n + 1),
                    status=TaskStatus.OPEN,
                ),
                FollowUp(
                    subject_id=subject.id, kind=next(iter(FollowUpKind)), due_on=date(2026, 12, 9)
                ),
                Alias(subject_id=subject.id, name=f"Daz {n}"),
                ReleaseDate(
                    subject_id=subject.id,
                    kind=ReleaseDateKind.CRD,
                    on=date(2026, 11, 20 + n),
                    recorded_at=uow.clock.now(),
                ),
            ]
        )
        uow.session.commit()


def card_statements(rt: Runtime, actor: Actor, ref: str) -> tuple[int, int]:
    """(statements reading the card, statements for the whole command with its audit)."""
    with counting(rt) as seen:
        uow = rt.uow(reads=True)
        with uow:
            load_card(uow, actor, ref, with_intel=True)
            reads = len(seen)
            uow.commit()
    return reads, len(seen)


@both_databases
def test_the_subject_card_is_three_reads_and_the_audit_whatever_the_history(
    runtime: Runtime, officer: Actor, supervisor: Actor, leeds_officer: Actor
) -> None:
    ref = new_subject(runtime, officer)
    plain = {who.slack_id: card_statements(runtime, who, ref) for who in (officer, leeds_officer)}
    walk_to(runtime, officer, supervisor, ref, OrderStatus.ACTIVE)
    o.transfer_out(runtime.uow(), officer, o.TransferOut(ref, "Greater Manchester Police"))
    add_history(runtime, ref, 1)
    some = {who.slack_id: card_statements(runtime, who, ref) for who in (officer, leeds_officer)}
    for n in range(2, 6):
        add_history(runtime, ref, n)
    more = {who.slack_id: card_statements(runtime, who, ref) for who in (officer, leeds_officer)}
    # SQLite also counts the BEGIN of the reading transaction and of the audit's; an officer's
    # full card also reads the escalation rule's failures (contacts, checks, assessed reports)
    expected = (3, 6) if runtime.engine.dialect.name == "postgresql" else (4, 8)
    full = (expected[0] + 3, expected[1] + 3)
    assert plain == {"U0OFF1": full, "U0LEEDS": expected}
    assert some == more  # more history costs no more statements
    # with an order, the full card also reads its Link and Still owed lines (a fixed few)
    assert some["U0LEEDS"] == expected and some["U0OFF1"][0] <= full[0] + 4
    assert some["U0OFF1"][1] - some["U0OFF1"][0] == full[1] - full[0]
    with runtime.uow() as uow:
        card = load_card(uow, officer, ref, with_intel=True)
    assert card.order_view is not None and len(card.order_view.history) > 3
    assert len(card.contacts) == 3 and len(card.evidence_awaited) == 5 and len(card.intel) == 3
    assert card.intel_count == 5 and len(card.aliases) == 5 and len(card.tasks) == 5


@both_databases
@pytest.mark.parametrize(
    "status",
    [OrderStatus.SUBMITTED, OrderStatus.GRANTED, OrderStatus.AWAITING_ACTIVATION,
     OrderStatus.ACTIVE, OrderStatus.REFUSED],
)  # fmt: skip
def test_the_cards_order_part_is_the_order_cards_view(
    runtime: Runtime, officer: Actor, supervisor: Actor, status: OrderStatus
) -> None:
    """The card reads the order's parts in its own statement: the same view as /lom order."""
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, status)
    if status is OrderStatus.ACTIVE:
        o.transfer_out(runtime.uow(), officer, o.TransferOut(ref, "Police Scotland", "scotland"))
    if status is OrderStatus.GRANTED:
        o.book_visit(runtime.uow(), officer, o.BookVisit(ref, date(2026, 12, 1)))
    for who in (officer, supervisor):
        with runtime.uow() as uow:
            card = load_card(uow, who, ref, with_intel=False)
            assert card.order is not None
            assert card.order_view == build_view(
                uow, who, ref, card.subject.name, False, card.order
            )
            assert card.order_view.order == snapshot(uow, card.order)
