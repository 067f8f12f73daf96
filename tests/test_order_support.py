"""Shared steps for the order tests: a subject, and walking an order to any state (no tests)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from lom_bot.domain.enums import (
    ChecklistKind,
    CustodyStatus,
    OrderStatus,
    ReleaseDateKind,
    RiskLevel,
)
from lom_bot.runtime import Runtime
from lom_bot.services import orders as o
from lom_bot.services.permissions import Actor
from lom_bot.services.subjects import NewSubject, create_subject

TODAY = date(2026, 11, 25)
RELEASE = date(2026, 11, 20)
SYSTEMS = ("PNC", "Niche", "ViSOR", "Corvus", "HMPPS")
CONDITIONS = (
    o.ConditionDraft("phone"),
    o.ConditionDraft("bank"),
    o.ConditionDraft("travel", "Not to leave the United Kingdom without 14 days' notice."),
)


def new_subject(
    rt: Runtime, officer: Actor, *, born: date = date(1985, 3, 1), family: str = "Fictional"
) -> str:
    new = NewSubject(
        "Darren",
        family,
        "Leeds",
        RiskLevel.HIGH,
        CustodyStatus.IN_CUSTODY,
        born_on=born,
        address="1 Imaginary Row\nLeeds LS1 1AA",
        release_dates={ReleaseDateKind.CRD: RELEASE},
    )
    with rt.uow() as uow:
        return create_subject(uow, officer, new).ref


def grant_cmd(ref: str, **kw: object) -> o.GrantOrder:
    fields: dict[str, object] = dict(
        subject=ref, court="Leeds Crown Court", made_on=date(2026, 11, 2), term_months=60
    )
    fields.update(kw)
    return o.GrantOrder(**fields)  # type: ignore[arg-type]


Walk = Callable[[Runtime, Actor, Actor, str], object]

# The canonical path, one step per state reached; a step is (officer, supervisor, ref) -> result.
PATH: list[tuple[OrderStatus, Walk]] = [
    (
        OrderStatus.PROPOSED,
        lambda rt, off, sup, ref: o.propose(
            rt.uow(), off, o.ProposeOrder(ref, "Supply of controlled drugs (fictional).")
        ),
    ),
    (
        OrderStatus.DRAFTED,
        lambda rt, off, sup, ref: o.draft(
            rt.uow(),
            off,
            o.DraftApplication(ref, "Role in an organised supply network.", CONDITIONS),
        ),
    ),
    (OrderStatus.APPROVED, lambda rt, off, sup, ref: o.approve(rt.uow(), sup, o.Review(ref))),
    (OrderStatus.SUBMITTED, lambda rt, off, sup, ref: o.submit(rt.uow(), off, o.Submit(ref))),
    (OrderStatus.GRANTED, lambda rt, off, sup, ref: o.grant(rt.uow(), off, grant_cmd(ref))),
    (
        OrderStatus.AWAITING_ACTIVATION,
        lambda rt, off, sup, ref: [
            o.complete_step(
                rt.uow(), off, o.CompleteStep(ref, ChecklistKind.SYSTEMS, name, f"REF-{name}")
            )
            for name in SYSTEMS
        ],
    ),
    (
        OrderStatus.EDUCATED,
        lambda rt, off, sup, ref: o.record_visit(
            rt.uow(), off, o.RecordVisit(ref, TODAY - timedelta(days=6))
        ),
    ),
    (
        OrderStatus.ACTIVE,
        lambda rt, off, sup, ref: o.activate(rt.uow(), off, o.Activate(ref, RELEASE)),
    ),
    (
        OrderStatus.EXPIRING,
        lambda rt, off, sup, ref: o.expire_due_orders(rt.uow(), date(2031, 6, 1)),
    ),
    (
        OrderStatus.EXPIRED,
        lambda rt, off, sup, ref: o.expire_due_orders(rt.uow(), date(2031, 11, 20)),
    ),
]


def walk_to(rt: Runtime, officer: Actor, supervisor: Actor, ref: str, target: OrderStatus) -> None:
    """Take the subject's order along the canonical path until it reaches `target`."""
    side = {
        OrderStatus.REFUSED: OrderStatus.SUBMITTED,
        OrderStatus.DISCHARGED: OrderStatus.ACTIVE,
        OrderStatus.CLOSED: OrderStatus.EXPIRED,
    }
    stop = side.get(target, target)
    for status, step in PATH:
        step(rt, officer, supervisor, ref)
        if status is stop:
            break
    else:
        raise AssertionError(f"no path to {target}")
    if target is OrderStatus.REFUSED:
        o.refuse(rt.uow(), officer, o.RefuseOrder(ref, "Insufficient evidence"))
    if target is OrderStatus.DISCHARGED:
        o.discharge(rt.uow(), officer, o.Discharge(ref, "High Court (KBD)", TODAY))
    if target is OrderStatus.CLOSED:
        for n in range(1, 6):
            o.complete_step(
                rt.uow(), officer, o.CompleteStep(ref, ChecklistKind.CLOSURE, str(n), "done")
            )
        o.close_order(rt.uow(), officer, o.CloseOrder(ref))
