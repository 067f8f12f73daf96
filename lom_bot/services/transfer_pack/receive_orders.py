"""Import, part 1: the sending force's people, the subject and the orders with their history."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select

from lom_bot.domain.enums import (
    CustodyStatus,
    OrderRoute,
    OrderStatus,
    RiskLevel,
)
from lom_bot.domain.lifecycle import APPLICATION, GRANTED_NOT_ENDED, IN_FORCE
from lom_bot.services.orders.common import next_order_ref
from lom_bot.services.permissions import Actor
from lom_bot.services.subjects import NewSubject, create_subject
from lom_bot.services.transfer_pack import fields
from lom_bot.services.transfer_pack import model as m
from lom_bot.services.transfer_pack.fields import shared
from lom_bot.services.transfer_pack.receive_checks import check_live_order, check_sending_force
from lom_bot.store.tables import Associate, Condition, Order, OrderEvent, ReleaseDate, Subject, User
from lom_bot.store.uow import UnitOfWork

SENDING_BOT = "lom-bot"  # an event the sending force's bot recorded, named with their force


def received_note(force: str, note: str | None) -> str:
    """How an event recorded by the sending force reads here: marked as received, verbatim."""
    return f"Received from {force}" + (f": {note}" if note else "")


class People:
    """The sending force's officers as users without a role here (they cannot use the bot), so
    records keep who did what, named with their force."""

    def __init__(self, uow: UnitOfWork, force: str) -> None:
        self._uow = uow
        self._force = force
        self._ids: dict[str, int] = {}

    def __call__(self, name: str | None) -> int | None:
        if not name:
            return None
        if name not in self._ids:
            key = hashlib.sha256(f"{self._force}|{name}".encode()).hexdigest()[:24]
            slack_id = f"ext-{key}"
            session = self._uow.session
            found = session.scalars(select(User.id).where(User.slack_id == slack_id)).first()
            if found is None:
                user = User(
                    slack_id=slack_id, name=f"{name} ({self._force})"[:120], role=None, active=False
                )
                session.add(user)
                session.flush()
                found = user.id
            self._ids[name] = found
        return self._ids[name]


def write_subject(
    uow: UnitOfWork, actor: Actor, s: m.SubjectFile, district: str, force: str, people: People
) -> Subject:
    """The subject, new here, with no officer yet (the receiving team assigns one)."""
    custody = CustodyStatus(s.custody_status)
    subject = create_subject(
        uow,
        actor,
        NewSubject(
            given_names=s.given_names,
            family_name=s.family_name,
            district=district,
            risk_level=RiskLevel(s.risk_level),
            custody_status=CustodyStatus.IN_COMMUNITY
            if custody is CustodyStatus.MOVED_OUT
            else custody,
            born_on=s.born_on,
            pnc_id=s.pnc_id,
            niche_id=s.niche_id,
            visor_ref=s.visor_ref,
            prison_number=s.prison_number,
            address=s.address,
            description=s.description,
            aliases=tuple(s.aliases),
        ),
        source=f"transfer pack from {force}"[:80],
        commit=False,
    )
    subject.officer_id = None
    subject.title = s.title
    for r in s.release_dates:
        uow.session.add(
            ReleaseDate(
                subject_id=subject.id,
                recorded_by=people(r.recorded_by),
                **shared(r, fields.RELEASE_DATE),
            )
        )
    for a in s.associates:
        uow.session.add(Associate(subject_id=subject.id, name=a.name, notes=a.notes))
    return subject


@dataclass
class OrdersWritten:
    refs: dict[str, str] = field(default_factory=dict)  # their order ref -> ours
    conditions: dict[tuple[str, int], int] = field(default_factory=dict)  # (their ref, n) -> id
    live: Order | None = None
    live_was: OrderStatus | None = None
    not_created: list[str] = field(default_factory=list)  # applications in progress there
    versions: int = 0


PRE_ACTIVE = GRANTED_NOT_ENDED - IN_FORCE  # granted, recorded, awaiting activation, educated


def status_here(o: m.OrderRecord) -> OrderStatus | None:
    """The status an order takes here; None for an application still in progress there.

    An order in force stays in force (its dates are the court's); a granted order not yet in
    force waits for activation here, after the receiving team's own education visit; an order
    accepted by us before the pack was made is read as it stood before it left."""
    status = OrderStatus(o.status)
    if status is OrderStatus.TRANSFERRED_OUT:
        before = [v.status_from for v in o.versions if v.kind == "transferred_out"]
        status = OrderStatus(before[-1]) if before and before[-1] else OrderStatus.ACTIVE
    if status in APPLICATION:
        return None
    if status in PRE_ACTIVE:
        return OrderStatus.AWAITING_ACTIVATION
    return status  # in force, expired or ended: as it is


def write_orders(
    uow: UnitOfWork, orders: m.OrdersFile, subject: Subject, people: People, force: str
) -> OrdersWritten:
    """Every order but an application in progress, its conditions verbatim and each version."""
    done = OrdersWritten()
    by_ref: dict[str, Order] = {}
    origin = check_sending_force(force)
    for o in orders.orders:
        status = status_here(o)
        if status is None:
            done.not_created.append(f"{o.ref} ({o.status.replace('_', ' ')})")
            continue
        live = status in GRANTED_NOT_ENDED  # expired and ended orders arrive as history
        if live:
            check_live_order(o, subject.born_on, uow.clock.today())
        order = Order(
            ref=next_order_ref(uow),
            subject_id=subject.id,
            status=status,
            route=OrderRoute(o.route) if o.route else None,
            issuing_force=o.issuing_force or origin.name,
            managing_force=uow.config.force if live else o.managing_force,
            supersedes_id=by_ref[o.supersedes_ref].id if o.supersedes_ref in by_ref else None,
            **shared(o, fields.ORDER),
        )
        uow.session.add(order)
        uow.session.flush()
        by_ref[o.ref] = order
        done.refs[o.ref] = order.ref
        for c in o.conditions:
            condition = Condition(order_id=order.id, **shared(c, fields.CONDITION))
            uow.session.add(condition)
            uow.session.flush()
            done.conditions[(o.ref, c.number)] = condition.id
        for v in o.versions:
            uow.session.add(
                OrderEvent(
                    order_id=order.id,
                    note=received_note(force, v.note),
                    recorded_by=people(v.recorded_by or SENDING_BOT),  # their lom-bot: none
                    **shared(v, fields.ORDER_EVENT),
                )
            )
            done.versions += 1
        if live:
            done.live, done.live_was = order, OrderStatus(o.status)
    return done
