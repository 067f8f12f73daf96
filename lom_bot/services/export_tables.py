"""The governance exports as tables: columns (sensitive ones marked) and rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from lom_bot.domain.lifecycle import ENDED
from lom_bot.domain.workdays import working_days_between
from lom_bot.store import queries
from lom_bot.store.tables import (
    Assessment,
    BreachReport,
    Condition,
    Contact,
    Order,
    OrderEvent,
    Subject,
    User,
)
from lom_bot.store.uow import UnitOfWork

LONDON_TIME = "(London time)"


class ExportKind(StrEnum):
    CASELOAD = "caseload"
    CONTACTS = "contacts"
    BREACHES = "breaches"
    ORDERS = "orders"
    SENTENCING = "sentencing"


@dataclass(frozen=True)
class Col:
    """A column heading; sensitive columns go only to those allowed EXPORT_SENSITIVE."""

    header: str
    sensitive: bool = False


class Ctx:
    """The period (as London days and as UTC instants) and the names of users, loaded once."""

    def __init__(self, uow: UnitOfWork, start: date, end: date) -> None:
        self.uow, self.s, self.start, self.end = uow, uow.session, start, end
        self.tz = ZoneInfo(uow.config.timezone)
        people = list(self.s.execute(select(User.id, User.slack_id, User.name)))
        self.users = {uid: name for uid, _, name in people}
        self.by_slack = {slack_id: name for _, slack_id, name in people}
        self.from_at = datetime.combine(start, time(), self.tz)
        self.to_at = datetime.combine(end + timedelta(days=1), time(), self.tz)

    def local(self, at: datetime | None) -> datetime | None:
        """A stored UTC time as the London wall-clock time spreadsheets show (no offset)."""
        return at.astimezone(self.tz).replace(tzinfo=None, microsecond=0) if at else None

    def user(self, uid: int | None) -> str | None:
        return self.users.get(uid) if uid is not None else None


def _v(value: object) -> Any:
    return value.value.replace("_", " ") if isinstance(value, StrEnum) else value


def _caseload(c: Ctx) -> tuple[list[Col], list[list[Any]], list[str]]:
    cols = [
        "LOM ref",
        "Given names",
        "Family name",
        "Date of birth",
        "PNC ID",
        "District",
        "Risk level",
        "Custody status",
        "LOM officer",
        "Order ref",
        "Order status",
        "Order made",
        "Order in force from",
        "Order expires",
        "Expected release",
        "Contacts in period",
        "Last contact",
        "Breach reports in period",
    ]
    subjects = list(c.s.scalars(select(Subject).order_by(Subject.ref)))
    ids = [x.id for x in subjects]
    orders = queries.current_orders(c.s, ids)
    releases = queries.release_dates(c.s, ids)
    in_period = dict(
        c.s.execute(
            select(Contact.subject_id, func.count(Contact.id))
            .where(Contact.occurred_on.between(c.start, c.end))
            .group_by(Contact.subject_id)
        ).all()
    )
    last = dict(
        c.s.execute(
            select(Contact.subject_id, func.max(Contact.occurred_on))
            .where(Contact.occurred_on <= c.end)
            .group_by(Contact.subject_id)
        ).all()
    )
    breaches = dict(
        c.s.execute(
            select(BreachReport.subject_id, func.count(BreachReport.id))
            .where(
                BreachReport.received_at >= c.from_at,
                BreachReport.received_at < c.to_at,
                BreachReport.deleted.is_(False),
            )
            .group_by(BreachReport.subject_id)
        ).all()
    )
    rows = []
    for x in subjects:
        o = orders.get(x.id)
        rows.append(
            [
                x.ref,
                x.given_names,
                x.family_name,
                x.born_on,
                x.pnc_id,
                x.district,
                _v(x.risk_level),
                _v(x.custody_status),
                c.user(x.officer_id),
                o and o.ref,
                o and _v(o.status),
                o and o.made_on,
                o and o.activated_on,
                o and o.expires_on,
                queries.expected_release(releases.get(x.id, {})),
                in_period.get(x.id, 0),
                last.get(x.id),
                breaches.get(x.id, 0),
                x.address,
            ]
        )
    return [Col(h) for h in cols] + [Col("Address", True)], rows, [x.ref for x in subjects]


def _contacts(c: Ctx) -> tuple[list[Col], list[list[Any]], list[str]]:
    cols = [
        Col("LOM ref"),
        Col("Subject"),
        Col("District"),
        Col("Date"),
        Col("Contact type"),
        Col("Outcome"),
        Col("Officer"),
        Col(f"Recorded {LONDON_TIME}"),
        Col(f"Corrected {LONDON_TIME}"),
        Col("Location", True),
        Col("Absence reason", True),
        Col("Notes", True),
    ]
    rows, refs = [], []
    for k, x in c.s.execute(
        select(Contact, Subject)
        .join(Subject, Subject.id == Contact.subject_id)
        .where(Contact.occurred_on.between(c.start, c.end))
        .order_by(Contact.occurred_on, Contact.id)
    ):
        refs.append(x.ref)
        rows.append(
            [
                x.ref,
                x.name,
                x.district,
                k.occurred_on,
                _v(k.kind),
                _v(k.outcome),
                c.user(k.officer_id),
                c.local(k.recorded_at),
                c.local(k.corrected_at),
                k.location,
                k.absence_reason,
                k.notes,
            ]
        )
    return cols, rows, refs


def _breaches(c: Ctx) -> tuple[list[Col], list[list[Any]], list[str]]:
    cols = [
        Col("Breach ref"),
        Col("LOM ref"),
        Col("Subject"),
        Col("District"),
        Col(f"Received {LONDON_TIME}"),
        Col("Source"),
        Col("Status"),
        Col("Reported by"),
        Col("Condition"),
        Col("Assessment outcome"),
        Col(f"Assessed {LONDON_TIME}"),
        Col("Assessed by"),
        Col("Reasonable excuse accepted"),
        Col("Working days to assessment"),
        Col("Report text", True),
        Col("Seen where", True),
        Col("Rationale", True),
    ]
    conditions = {cid: n for cid, n in c.s.execute(select(Condition.id, Condition.number))}
    rows, refs = [], []
    for b, x, a in c.s.execute(
        select(BreachReport, Subject, Assessment)
        .outerjoin(Subject, Subject.id == BreachReport.subject_id)
        .outerjoin(Assessment, Assessment.breach_id == BreachReport.id)
        .where(
            BreachReport.received_at >= c.from_at,
            BreachReport.received_at < c.to_at,
            BreachReport.deleted.is_(False),
        )
        .order_by(BreachReport.received_at, BreachReport.id)
    ):
        if x is not None:
            refs.append(x.ref)
        received = c.local(b.received_at)
        decided = c.local(a.decided_at) if a else None
        rows.append(
            [
                b.ref,
                x and x.ref,
                x.name if x else "(not matched)",
                (x and x.district) or b.district,
                received,
                b.source,
                _v(b.status),
                c.by_slack.get(b.reporter_slack_id, b.reporter_slack_id),
                conditions.get(b.condition_id) if b.condition_id else None,
                a and _v(a.outcome),
                decided,
                a and c.user(a.decided_by),
                None if a is None else ("yes" if a.excuse_accepted else "no"),
                working_days_between(received.date(), decided.date())
                if received and decided
                else None,
                b.text,
                b.seen_where,
                a and a.rationale,
            ]
        )
    return cols, rows, refs


def _orders(c: Ctx) -> tuple[list[Col], list[list[Any]], list[str]]:
    cols = [
        Col("Order ref"),
        Col("LOM ref"),
        Col("Subject"),
        Col("District"),
        Col("Status"),
        Col("Route"),
        Col("Court"),
        Col("Made"),
        Col("Commencement"),
        Col("Expected start"),
        Col("In force from"),
        Col("Expires"),
        Col("Length (months)"),
        Col("Bound how"),
        Col("Served on"),
        Col("Conditions"),
        Col("Issuing force"),
        Col("Managing force"),
        Col("Grounds", True),
        Col("Decision note", True),
    ]
    counts = dict(
        c.s.execute(
            select(Condition.order_id, func.count(Condition.id))
            .where(Condition.active.is_(True))
            .group_by(Condition.order_id)
        ).all()
    )
    last_event = dict(
        c.s.execute(
            select(OrderEvent.order_id, func.max(OrderEvent.effective_on)).group_by(
                OrderEvent.order_id
            )
        ).all()
    )
    rows, refs = [], []
    for o, x in c.s.execute(
        select(Order, Subject).join(Subject, Subject.id == Order.subject_id).order_by(Order.ref)
    ):
        proposed = c.local(o.proposed_at or o.created_at)
        began_on = o.made_on or (proposed.date() if proposed else c.start)
        finished = o.expires_on or (last_event.get(o.id) if o.status in ENDED else None)
        if began_on > c.end or (finished is not None and finished < c.start):
            continue  # not live at any time in the period
        refs.append(x.ref)
        rows.append(
            [
                o.ref,
                x.ref,
                x.name,
                x.district,
                _v(o.status),
                _v(o.route),
                o.court,
                o.made_on,
                _v(o.commencement),
                o.starts_on,
                o.activated_on,
                o.expires_on,
                o.term_months,
                o.bound_how,
                o.served_on,
                counts.get(o.id, 0),
                o.issuing_force,
                o.managing_force,
                o.grounds,
                o.decision_note,
            ]
        )
    return cols, rows, refs


def _sentencing(c: Ctx) -> tuple[list[Col], list[list[Any]], list[str]]:
    """One row per sentence passed in the period (services/sentencing.py)."""
    from lom_bot.services.sentencing import export_rows

    heads, rows, refs = export_rows(c.uow, c.start, c.end)
    return [Col(h) for h in heads], rows, refs


BUILDERS: dict[ExportKind, Callable[[Ctx], tuple[list[Col], list[list[Any]], list[str]]]] = {
    ExportKind.CASELOAD: _caseload,
    ExportKind.CONTACTS: _contacts,
    ExportKind.BREACHES: _breaches,
    ExportKind.ORDERS: _orders,
    ExportKind.SENTENCING: _sentencing,
}
