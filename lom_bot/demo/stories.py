"""Each demo order's life, told through the same services an officer's commands call, each
step on the day it happened: the demo's histories, snapshots and "as of" views are real."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import partial
from typing import Any

from sqlalchemy import event

from lom_bot.domain.clock import FixedClock
from lom_bot.domain.enums import ChecklistKind, Commencement, OrderRoute, OrderStatus
from lom_bot.domain.order_dates import expiry_for
from lom_bot.services import orders as o
from lom_bot.services.actors import load_actor
from lom_bot.services.orders.closure import CLOSURE
from lom_bot.services.orders.decision import SYSTEMS
from lom_bot.services.orders.transfers import PACK
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import OutboxMessage
from lom_bot.store.uow import UnitOfWork

COURTS = ["Leeds Crown Court", "Bradford Crown Court", "High Court (KBD)"]
GROUNDS = "Involvement in serious crime: supply of controlled drugs (fictional demo)."


@dataclass(frozen=True)
class Plan:
    """One subject's order: what state it is to reach and the dates that get it there."""

    ref: str  # the subject's reference
    status: OrderStatus
    conditions: tuple[o.ConditionDraft, ...]
    court: str
    officer: str  # the Slack id of the officer who proposes and drafts
    made_on: date | None = None  # the court's decision (grant or refusal)
    activated_on: date | None = None
    term_months: int = 60
    route: OrderRoute = OrderRoute.CROWN_COURT_S19
    ended_on: date | None = None  # discharge, transfer accepted or closure
    release_on: date | None = None  # expected release, for an order not yet active


class Teller:
    """Runs services as on past days: the unit of work's clock is set before each step."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.today = uow.clock.today()
        self.tz = str(uow.config.timezone)
        self.real = uow.clock
        self.supervisor = load_actor(uow, "U0SUPER")
        self._actors: dict[str, Actor] = {}

    def actor(self, slack_id: str) -> Actor:
        if slack_id not in self._actors:
            self._actors[slack_id] = load_actor(self.uow, slack_id)
        return self._actors[slack_id]

    @contextmanager
    def on(self, day: date, hour: int = 10) -> Iterator[UnitOfWork]:
        self.uow.clock = FixedClock.on(min(day, self.today), hour=hour, tz=self.tz)
        setattr(self.uow, "send", _not_sent)  # noqa: B010 (this instance only, for the step)
        try:
            yield self.uow
        finally:
            self.uow.clock = self.real
            delattr(self.uow, "send")

    def step(self, day: date, service: Callable[[UnitOfWork], object], hour: int = 10) -> object:
        with self.on(day, hour) as uow:
            return service(uow)

    # -- the stages of a life -------------------------------------------------------------

    def apply(self, plan: Plan, proposed: date) -> None:
        """Propose, draft, approve (a supervisor: never the drafter) and submit to the CPS."""
        who, ref = self.actor(plan.officer), plan.ref
        self.step(proposed, lambda u: o.propose(u, who, o.ProposeOrder(ref, GROUNDS)))
        drafted = proposed + timedelta(days=12)
        application = o.DraftApplication(ref, GROUNDS, plan.conditions)
        self.step(drafted, lambda u: o.draft(u, who, application), 14)
        self.step(
            drafted + timedelta(days=9),
            lambda u: o.approve(u, self.supervisor, o.Review(ref, "Well evidenced.")),
        )
        self.step(
            drafted + timedelta(days=16), lambda u: o.submit(u, who, o.Submit(ref, "To CPS Leeds"))
        )

    def grant(self, plan: Plan, made: date, *, starts: date | None = None) -> None:
        who = self.actor(plan.officer)
        cmd = o.GrantOrder(
            plan.ref,
            plan.court,
            made,
            plan.term_months,
            route=plan.route,
            commencement=Commencement.FIXED_DATE if starts else Commencement.ON_RELEASE,
            starts_on=starts,
        )
        self.step(made, lambda u: o.grant(u, who, cmd), 16)

    def systems(self, plan: Plan, first: date, how_many: int = len(SYSTEMS)) -> None:
        who = self.actor(plan.officer)
        for i, name in enumerate(SYSTEMS[:how_many]):
            day = first + timedelta(days=i)
            number = zlib.crc32(f"{plan.ref}{name}".encode()) % 90000 + 10000
            reference = f"{name.upper()}/{day:%y}/{number}"
            cmd = o.CompleteStep(plan.ref, ChecklistKind.SYSTEMS, name, reference, day)
            self.step(day, partial(_complete, who=who, cmd=cmd), 11)

    def visit(self, plan: Plan, day: date) -> None:
        who = self.actor(plan.officer)
        cmd = o.RecordVisit(plan.ref, day, notes="Each condition read over and explained.")
        self.step(day, lambda u: o.record_visit(u, who, cmd), 14)

    def activate(self, plan: Plan, day: date) -> None:
        who = self.actor(plan.officer)
        self.step(day, lambda u: o.activate(u, who, o.Activate(plan.ref, day)), 12)

    def release_date(self, plan: Plan, kind: o.ChangeReleaseDate) -> None:
        who = self.actor(plan.officer)
        self.step(self.today, lambda u: o.change_release_date(u, who, kind))


def tell(teller: Teller, plan: Plan) -> None:
    """Take `plan.ref`'s order from proposal to `plan.status` on the plan's dates."""
    s, t = plan.status, teller.today
    made = plan.made_on or t - timedelta(days=30)
    proposed = made - timedelta(days=75)
    if s in (OrderStatus.PROPOSED, OrderStatus.DRAFTED, OrderStatus.APPROVED):
        early(teller, plan, t - timedelta(days={"proposed": 9}.get(s.value, 40)))
        return
    if s is OrderStatus.SUBMITTED:
        early(teller, plan, t - timedelta(days=70))
        return
    teller.apply(plan, proposed)
    if s is OrderStatus.REFUSED:
        cmd = o.RefuseOrder(plan.ref, "Insufficient evidence of involvement (demo).", made)
        teller.step(made, lambda u: o.refuse(u, teller.actor(plan.officer), cmd), 16)
        return
    teller.grant(plan, made)
    if s is OrderStatus.GRANTED:
        teller.systems(plan, made + timedelta(days=2), how_many=3)
        return
    teller.systems(plan, made + timedelta(days=2))
    if plan.activated_on is None:  # awaiting release
        if s is OrderStatus.EDUCATED:
            teller.visit(plan, t - timedelta(days=6))
        return
    teller.visit(plan, max(plan.activated_on - timedelta(days=12), made + timedelta(days=8)))
    teller.activate(plan, plan.activated_on)
    ended = plan.ended_on or t
    if s is OrderStatus.DISCHARGED:
        order = o.Discharge(
            plan.ref, "High Court (KBD)", ended, "Application to discharge granted."
        )
        teller.step(ended, lambda u: o.discharge(u, teller.actor(plan.officer), order), 15)
    elif s is OrderStatus.TRANSFERRED_OUT:
        who = teller.actor(plan.officer)
        out = o.TransferOut(plan.ref, "merseyside")
        teller.step(ended - timedelta(days=21), lambda u: o.transfer_out(u, who, out))
        for i, name in enumerate(PACK):
            day = ended - timedelta(days=20 - i)
            sent = o.CompleteStep(plan.ref, ChecklistKind.TRANSFER_OUT, name, None, day)
            teller.step(day, partial(_complete, who=who, cmd=sent), 11)
        accepted = o.AcceptTransfer(plan.ref, ended)
        teller.step(ended, lambda u: o.accept_transfer(u, who, accepted), 15)
    elif s is OrderStatus.CLOSED:
        close(teller, plan)


def early(teller: Teller, plan: Plan, proposed: date) -> None:
    """An application still with the team, the supervisor or the CPS."""
    who, ref = teller.actor(plan.officer), plan.ref
    teller.step(proposed, lambda u: o.propose(u, who, o.ProposeOrder(ref, GROUNDS)))
    if plan.status is OrderStatus.PROPOSED:
        return
    drafted = proposed + timedelta(days=10)
    application = o.DraftApplication(ref, GROUNDS, plan.conditions)
    teller.step(drafted, lambda u: o.draft(u, who, application), 14)
    if plan.status is OrderStatus.DRAFTED:
        return
    review = o.Review(ref, "Well evidenced.")
    teller.step(drafted + timedelta(days=7), lambda u: o.approve(u, teller.supervisor, review))
    if plan.status is OrderStatus.APPROVED:
        return
    teller.step(drafted + timedelta(days=12), lambda u: o.submit(u, who, o.Submit(ref)))


def close(teller: Teller, plan: Plan) -> None:
    """Expired on its last day, the closure checklist worked through, closed by a supervisor."""
    assert plan.activated_on is not None
    expires = expiry_for(plan.activated_on, plan.term_months)
    assert expires is not None
    who = teller.actor(plan.officer)
    after = expires + timedelta(days=1)
    teller.step(after, lambda u: o.record_expiry(u, who, o.RecordExpiry(plan.ref)), 8)
    for i, name in enumerate(CLOSURE):
        cmd = o.CompleteStep(plan.ref, ChecklistKind.CLOSURE, name, "done", after + timedelta(i))
        teller.step(after + timedelta(days=i), partial(_complete, who=who, cmd=cmd), 11)
    closing = o.CloseOrder(plan.ref, "Closure checklist complete.")
    day = after + timedelta(days=len(CLOSURE) + 3)
    teller.step(day, lambda u: o.close_order(u, teller.supervisor, closing), 15)


def replace_order(teller: Teller, plan: Plan, granted: date) -> None:
    """A new order for a subject who has one: granted, it discharges the old (s.19(2A))."""
    who, ref = teller.actor(plan.officer), plan.ref
    proposed = granted - timedelta(days=80)
    propose = o.ProposeOrder(ref, GROUNDS, replacement=True)
    done = teller.step(proposed, lambda u: o.propose(u, who, propose))
    assert isinstance(done, o.StepDone)
    # Two live orders until the new one is in force: each later step names the new one.
    ref = done.order_ref
    plan = replace(plan, ref=ref)
    application = o.DraftApplication(ref, GROUNDS, plan.conditions)
    teller.step(proposed + timedelta(days=10), lambda u: o.draft(u, who, application), 14)
    review = o.Review(ref, "A wider order is needed.")
    teller.step(proposed + timedelta(days=20), lambda u: o.approve(u, teller.supervisor, review))
    teller.step(proposed + timedelta(days=25), lambda u: o.submit(u, who, o.Submit(ref)))
    teller.grant(plan, granted, starts=granted + timedelta(days=1))
    teller.systems(plan, granted + timedelta(days=1))
    teller.visit(plan, granted + timedelta(days=1))
    teller.activate(plan, granted + timedelta(days=1))


def _complete(uow: UnitOfWork, *, who: Actor, cmd: o.CompleteStep) -> object:
    return o.complete_step(uow, who, cmd)


def _not_sent(method: str, channel: str, payload: dict[str, Any], **_: Any) -> OutboxMessage:
    """The demo's past is not news: what its steps would have posted then (a DM that an
    application was approved...) is neither queued now nor audited as disclosed."""
    return OutboxMessage(method=method, channel=channel, payload=payload)


@contextmanager
def quick_commits(uow: UnitOfWork) -> Iterator[None]:
    """The story's few hundred small transactions without waiting for the disk at each commit
    (SQLite's WAL is still safe from corruption; PostgreSQL's commits stay atomic): a
    half-written demo is simply seeded again. Each connection is put back as it was."""
    with uow:
        engine = uow.session.get_bind()
    sqlite = engine.dialect.name == "sqlite"
    fast = "PRAGMA synchronous = NORMAL" if sqlite else "SET synchronous_commit = off"
    usual = "PRAGMA synchronous = FULL" if sqlite else "SET synchronous_commit = on"

    def run(dbapi: Any, statement: str) -> None:
        cursor = dbapi.cursor()
        cursor.execute(statement)
        cursor.close()
        dbapi.commit()  # psycopg opened a transaction for it; the pool wants none open

    def checkout(dbapi: Any, *_: Any) -> None:
        run(dbapi, fast)

    def checkin(dbapi: Any, *_: Any) -> None:
        if dbapi is not None:
            run(dbapi, usual)

    event.listen(engine, "checkout", checkout)
    event.listen(engine, "checkin", checkin)
    try:
        yield
    finally:
        event.remove(engine, "checkout", checkout)
        event.remove(engine, "checkin", checkin)
