"""Releases and expiries ahead: who crosses a horizon, which release dates moved, what is next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from lom_bot.domain.enums import ReleaseDateKind
from lom_bot.domain.workdays import add_working_days
from lom_bot.services import due_load as load
from lom_bot.services.due_lines import IN_FORCE, planned_release
from lom_bot.store.uow import UnitOfWork

RELEASE = "release"
EXPIRY = "expiry"


@dataclass(frozen=True)
class HorizonLine:
    kind: str  # release | expiry
    on: date
    days: int  # from today
    subject_ref: str
    subject_name: str
    district: str
    officer_id: int | None
    order_ref: str | None
    horizon: int | None = None  # the horizon crossed, for a crossing


@dataclass(frozen=True)
class ReleaseChange:
    subject_ref: str
    subject_name: str
    district: str
    officer_id: int | None
    kind: ReleaseDateKind
    before: date
    after: date
    recorded_on: date


@dataclass
class Horizons:
    today: date
    since: date  # crossings are those in (since, today]; changes recorded in [since, today)
    crossings: list[HorizonLine]
    changes: list[ReleaseChange]
    upcoming: list[HorizonLine]  # everything within the widest horizons, soonest first

    @property
    def subject_refs(self) -> list[str]:
        refs = [x.subject_ref for x in self.crossings] + [x.subject_ref for x in self.changes]
        refs += [x.subject_ref for x in self.upcoming]
        return list(dict.fromkeys(refs))


def crossed(on: date, today: date, since: date, marks: list[int]) -> int | None:
    """The nearest horizon passed on some day in (since, today], if any."""
    ahead_now, ahead_before = (on - today).days, (on - since).days
    hits = [h for h in marks if ahead_now <= h < ahead_before]
    return min(hits) if hits and ahead_now >= 0 else None


def horizons(uow: UnitOfWork, today: date, *, since: date | None = None) -> Horizons:
    """Crossings since the last run (default: the previous working day) and the full list.

    Day-sized windows make consecutive runs partition time: each crossing and each change
    is reported once, however the runs are spaced (weekends, bank holidays, downtime).
    """
    since = since if since is not None else add_working_days(today, -1)
    s, config = uow.session, uow.config
    tz = ZoneInfo(config.timezone)
    people = load.subjects(s, day=today)
    orders = load.live_orders(s)
    history = load.release_history(s)
    marks = config.horizons
    upcoming: list[HorizonLine] = []
    crossings: list[HorizonLine] = []
    for subject_id, order in orders.items():
        subject = people[subject_id]
        dates: list[tuple[str, date | None, list[int]]] = [
            (RELEASE, planned_release(history.get(subject_id, [])), marks.release_days),
            (EXPIRY, order.expires_on if order.status in IN_FORCE else None, marks.expiry_days),
        ]
        for kind, on, days in dates:
            if on is None or on < today or (on - today).days > max(days):
                continue
            line = HorizonLine(
                kind,
                on,
                (on - today).days,
                subject.ref,
                subject.name,
                subject.district,
                subject.officer_id,
                order.ref,
            )
            upcoming.append(line)
            mark = crossed(on, today, since, days)
            if mark is not None:
                crossings.append(_with_horizon(line, mark))
    changes = _changes(history, people, orders, since, today, tz)
    upcoming.sort(key=lambda x: (x.on, x.subject_ref))
    crossings.sort(key=lambda x: (x.days, x.subject_ref))
    return Horizons(today, since, crossings, changes, upcoming)


def _with_horizon(line: HorizonLine, mark: int) -> HorizonLine:
    return HorizonLine(
        line.kind,
        line.on,
        line.days,
        line.subject_ref,
        line.subject_name,
        line.district,
        line.officer_id,
        line.order_ref,
        mark,
    )


def _changes(
    history: dict[int, list[tuple[ReleaseDateKind, date, datetime]]],
    people: dict[int, load.SubjectRow],
    orders: dict[int, load.OrderRow],
    since: date,
    today: date,
    tz: ZoneInfo,
) -> list[ReleaseChange]:
    """Release dates re-recorded with a different date on a day in [since, today)."""
    out = []
    for subject_id, rows in history.items():
        if subject_id not in orders:
            continue
        subject = people[subject_id]
        previous: dict[ReleaseDateKind, date] = {}
        for kind, on, at in rows:
            recorded = at.astimezone(tz).date()
            before = previous.get(kind)
            if before is not None and before != on and since <= recorded < today:
                out.append(
                    ReleaseChange(
                        subject.ref,
                        subject.name,
                        subject.district,
                        subject.officer_id,
                        kind,
                        before,
                        on,
                        recorded,
                    )
                )
            previous[kind] = on
    return sorted(out, key=lambda c: (c.recorded_on, c.subject_ref))
