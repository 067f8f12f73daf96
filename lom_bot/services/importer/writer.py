"""Writing validated rows: bulk inserts in batches, every record audited as collected."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import select

from lom_bot.domain.dates import add_years
from lom_bot.domain.enums import AuditAction, Commencement, DutyKind, OrderStatus
from lom_bot.services.importer.report import Imported
from lom_bot.services.importer.rows import NewOrder, ValidRow
from lom_bot.services.importer.values import categorise
from lom_bot.services.orders.common import ORDER_REF, next_order_ref, order_ref
from lom_bot.services.permissions import Actor
from lom_bot.store.queries import subject_ref
from lom_bot.store.tables import Alias, Condition, Order, OrderEvent, ReleaseDate, Subject, User
from lom_bot.store.uow import UnitOfWork

BATCH = 500
Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]


def write_rows(
    uow: UnitOfWork,
    actor: Actor,
    rows: list[ValidRow],
    file_name: str,
    progress: Progress,
) -> list[Imported]:
    """Insert subjects (and their orders) batch by batch inside the caller's transaction."""
    session = uow.session
    officers = {slack_id: uid for slack_id, uid in session.execute(select(User.slack_id, User.id))}
    first = ORDER_REF.match(next_order_ref(uow))
    assert first is not None
    next_order = int(first[1])
    done: list[Imported] = []
    batches = [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]
    for batch in progress(batches, len(batches), "importing"):
        subjects = [_subject(uow, actor, row, officers, n) for n, row in enumerate(batch)]
        session.add_all(subjects)
        session.flush()  # one round of inserts for the batch gives every subject its id
        orders: list[tuple[ValidRow, Subject, Order]] = []
        for row, subject in zip(batch, subjects, strict=True):
            subject.ref = subject_ref(subject.id)
            _details(uow, actor, row, subject)
            if row.order is not None:
                order = _order(row.order, subject, order_ref(next_order), uow)
                next_order += 1
                session.add(order)
                orders.append((row, subject, order))
            _audit(
                uow,
                actor,
                "subject.imported",
                "subject",
                subject.id,
                subject.ref,
                file_name,
                row.row,
            )
        session.flush()
        for row, subject, order in orders:
            assert row.order is not None
            conditions = _conditions(row.order, order)
            session.add_all(conditions)
            session.add(_event(uow, actor, order, conditions, file_name, row))
            _audit(
                uow,
                actor,
                "order.imported",
                "order",
                order.id,
                subject.ref,
                file_name,
                row.row,
                order=order.ref,
                status=order.status.value,
            )
        session.flush()
        by_row = {row.row: order.ref for row, _, order in orders}
        done += [
            Imported(r.row, s.ref, s.name, by_row.get(r.row))
            for r, s in zip(batch, subjects, strict=True)
        ]
    return done


def _subject(
    uow: UnitOfWork, actor: Actor, row: ValidRow, officers: dict[str, int], n: int
) -> Subject:
    new = row.subject
    officer = officers.get(new.officer_slack_id or "") or actor.user_id
    return Subject(
        ref=f"import-{n}",  # replaced by the LOM reference once the row has its id
        given_names=new.given_names,
        family_name=new.family_name,
        born_on=new.born_on,
        pnc_id=new.pnc_id,
        niche_id=new.niche_id,
        visor_ref=new.visor_ref,
        prison_number=new.prison_number,
        address=new.address,
        district=new.district,
        description=new.description,
        risk_level=new.risk_level,
        custody_status=new.custody_status,
        officer_id=officer,
        review_on=_review(uow, "subject"),
    )


def _details(uow: UnitOfWork, actor: Actor, row: ValidRow, subject: Subject) -> None:
    for alias in dict.fromkeys(row.subject.aliases):
        uow.session.add(Alias(subject_id=subject.id, name=alias))
    for kind, on in row.subject.release_dates.items():
        uow.session.add(
            ReleaseDate(
                subject_id=subject.id,
                kind=kind,
                on=on,
                recorded_at=uow.clock.now(),
                recorded_by=actor.user_id,
            )
        )


def _order(new: NewOrder, subject: Subject, ref: str, uow: UnitOfWork) -> Order:
    return Order(
        ref=ref,
        subject_id=subject.id,
        status=new.status,
        route=new.route,
        court=new.court,
        made_on=new.made_on,
        issuing_force=uow.config.force,
        managing_force=uow.config.force,
        commencement=Commencement.ON_RELEASE,
        starts_on=new.starts_on,
        activated_on=new.activated_on,
        expires_on=new.expires_on,
        term_months=new.term_months,
        bound_how=None,  # not in a register: recorded at the education visit or service
        proposed_at=uow.clock.now() if new.status is OrderStatus.PROPOSED else None,
        review_on=_review(uow, "order"),
    )


def _conditions(new: NewOrder, order: Order) -> list[Condition]:
    return [
        Condition(
            order_id=order.id,
            number=n,
            category=categorise(text),
            wording=text,
            duty=DutyKind.NONE,
            starts_on=order.activated_on,
        )
        for n, text in enumerate(new.conditions, start=1)
    ]


def _event(
    uow: UnitOfWork,
    actor: Actor,
    order: Order,
    conditions: list[Condition],
    file_name: str,
    row: ValidRow,
) -> OrderEvent:
    assert row.order is not None
    reference = f"; register reference {row.order.reference}" if row.order.reference else ""
    return OrderEvent(
        order_id=order.id,
        kind="imported",
        status_to=order.status.value,
        effective_on=order.activated_on or order.made_on or uow.clock.today(),
        note=f"imported from {file_name}, row {row.row}{reference}",
        # The same shape as services/orders/common.snapshot, built from what is in hand
        # rather than re-read per order (thousands of rows).
        snapshot={
            "ref": order.ref,
            "status": order.status.value,
            "version": 1,
            "court": order.court,
            "made_on": _iso(order.made_on),
            "starts_on": _iso(order.starts_on),
            "activated_on": _iso(order.activated_on),
            "expires_on": _iso(order.expires_on),
            "term_months": order.term_months,
            "commencement": order.commencement.value,
            "pending_court_event": None,
            "conditions": [
                {
                    "number": c.number,
                    "category": c.category.value,
                    "wording": c.wording,
                    "starts_on": _iso(c.starts_on),
                    "ends_on": None,
                    "duty": None,
                }
                for c in conditions
            ],
        },
        recorded_by=actor.user_id,
        recorded_at=uow.clock.now(),
    )


def _audit(
    uow: UnitOfWork,
    actor: Actor,
    what: str,
    entity: str,
    entity_id: int,
    ref: str,
    file_name: str,
    row: int,
    **extra: str,
) -> None:
    uow.audit(
        actor.slack_id,
        AuditAction.COLLECTION,
        what,
        entity=entity,
        entity_id=entity_id,
        subject_ref=ref,
        purpose="import of the team's existing register",
        detail={"source": "import", "file": file_name, "row": row, **extra},
    )


def _review(uow: UnitOfWork, kind: str) -> date:
    years = uow.config.retention.review_after_years.get(kind, 6)
    return add_years(uow.clock.today(), years)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
