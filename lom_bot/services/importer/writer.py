"""Writing validated rows: bulk inserts in batches, every record audited as collected."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update

from lom_bot.domain.dates import add_years
from lom_bot.domain.enums import AuditAction, Commencement, DutyKind, OrderStatus, Role
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
    """Insert subjects (and their orders) batch by batch inside the caller's transaction.

    Bulk INSERT ... RETURNING (one statement per table per batch) rather than one ORM object
    per row: a 5,000-row register is then a few seconds, not a minute.
    """
    session = uow.session
    officers = {slack_id: uid for slack_id, uid in session.execute(select(User.slack_id, User.id))}
    first = ORDER_REF.match(next_order_ref(uow))
    assert first is not None
    next_order = int(first[1])
    done: list[Imported] = []
    batches = [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]
    for batch in progress(batches, len(batches), "importing"):
        run = uuid.uuid4().hex[:8]  # placeholder refs unique even if two imports overlap
        params = [
            _subject(uow, actor, row, officers, f"i{run}{n:03d}") for n, row in enumerate(batch)
        ]
        ids = list(session.scalars(_returning(Subject), params))
        refs = [subject_ref(i) for i in ids]
        session.execute(
            update(Subject), [{"id": i, "ref": r} for i, r in zip(ids, refs, strict=True)]
        )
        _details(uow, actor, batch, ids)
        with_order = [
            (row, sid, ref)
            for row, sid, ref in zip(batch, ids, refs, strict=True)
            if row.order is not None
        ]
        order_refs = [order_ref(next_order + k) for k in range(len(with_order))]
        next_order += len(with_order)
        order_params = [
            _order(row.order, sid, oref, uow)
            for (row, sid, _), oref in zip(with_order, order_refs, strict=True)
            if row.order is not None
        ]
        order_ids = list(session.scalars(_returning(Order), order_params)) if order_params else []
        conditions: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for (row, _, ref), oid, params_ in zip(with_order, order_ids, order_params, strict=True):
            assert row.order is not None
            mine = _conditions(row.order, oid, params_["activated_on"])
            conditions += mine
            events.append(_event(uow, actor, oid, params_, mine, file_name, row))
            _audit(
                uow,
                actor,
                "order.imported",
                "order",
                oid,
                ref,
                file_name,
                row.row,
                order=params_["ref"],
                status=params_["status"].value,
            )
        if conditions:
            session.execute(insert(Condition), conditions)
        if events:
            session.execute(insert(OrderEvent), events)
        for row, sid, ref in zip(batch, ids, refs, strict=True):
            _audit(uow, actor, "subject.imported", "subject", sid, ref, file_name, row.row)
        by_row = {row.row: oref for (row, _, _), oref in zip(with_order, order_refs, strict=True)}
        done += [
            Imported(
                r.row, ref, f"{r.subject.given_names} {r.subject.family_name}", by_row.get(r.row)
            )
            for r, ref in zip(batch, refs, strict=True)
        ]
    return done


def _returning(table: type[Subject] | type[Order]) -> Any:
    # sort_by_parameter_order: the ids come back in the order the rows were given.
    return insert(table).returning(table.id, sort_by_parameter_order=True)


def _subject(
    uow: UnitOfWork, actor: Actor, row: ValidRow, officers: dict[str, int], placeholder: str
) -> dict[str, Any]:
    new = row.subject
    # An admin imports for the team but manages nobody: their subjects start unassigned.
    own = actor.user_id if actor.role in (Role.LOM_OFFICER, Role.LOM_SUPERVISOR) else None
    officer = officers.get(new.officer_slack_id or "") or own
    return dict(
        ref=placeholder,  # replaced by the LOM reference once the row has its id
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


def _details(uow: UnitOfWork, actor: Actor, batch: list[ValidRow], ids: list[int]) -> None:
    aliases, releases = [], []
    for row, sid in zip(batch, ids, strict=True):
        aliases += [{"subject_id": sid, "name": a} for a in dict.fromkeys(row.subject.aliases)]
        releases += [
            {
                "subject_id": sid,
                "kind": kind,
                "on": on,
                "recorded_at": uow.clock.now(),
                "recorded_by": actor.user_id,
            }
            for kind, on in row.subject.release_dates.items()
        ]
    if aliases:
        uow.session.execute(insert(Alias), aliases)
    if releases:
        uow.session.execute(insert(ReleaseDate), releases)


def _order(new: NewOrder | None, subject_id: int, ref: str, uow: UnitOfWork) -> dict[str, Any]:
    assert new is not None
    return dict(
        ref=ref,
        subject_id=subject_id,
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


def _conditions(new: NewOrder, order_id: int, starts_on: date | None) -> list[dict[str, Any]]:
    return [
        {
            "order_id": order_id,
            "number": n,
            "category": categorise(text),
            "wording": text,
            "duty": DutyKind.NONE,
            "starts_on": starts_on,
            "active": True,
        }
        for n, text in enumerate(new.conditions, start=1)
    ]


def _event(
    uow: UnitOfWork,
    actor: Actor,
    order_id: int,
    order: dict[str, Any],
    conditions: list[dict[str, Any]],
    file_name: str,
    row: ValidRow,
) -> dict[str, Any]:
    assert row.order is not None
    reference = f"; register reference {row.order.reference}" if row.order.reference else ""
    return {
        "order_id": order_id,
        "kind": "imported",
        "status_to": order["status"].value,
        "effective_on": order["activated_on"] or order["made_on"] or uow.clock.today(),
        "note": f"imported from {file_name}, row {row.row}{reference}",
        # The same shape as services/orders/common.snapshot, built from what is in hand
        # rather than re-read per order (thousands of rows).
        "snapshot": {
            "ref": order["ref"],
            "status": order["status"].value,
            "version": 1,
            "court": order["court"],
            "made_on": _iso(order["made_on"]),
            "starts_on": _iso(order["starts_on"]),
            "activated_on": _iso(order["activated_on"]),
            "expires_on": _iso(order["expires_on"]),
            "term_months": order["term_months"],
            "commencement": order["commencement"].value,
            "pending_court_event": None,
            "conditions": [
                {
                    "number": c["number"],
                    "category": c["category"].value,
                    "wording": c["wording"],
                    "starts_on": _iso(c["starts_on"]),
                    "ends_on": None,
                    "duty": None,
                }
                for c in conditions
            ],
        },
        "recorded_by": actor.user_id,
        "recorded_at": uow.clock.now(),
    }


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
