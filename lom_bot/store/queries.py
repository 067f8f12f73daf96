"""Read queries the services share; each loads what a view needs in a fixed number of queries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from lom_bot.domain.enums import OrderStatus, ReleaseDateKind
from lom_bot.domain.lifecycle import ENDED
from lom_bot.domain.pnc import WHOLE, parse_pnc
from lom_bot.store.tables import Alias, Order, ReleaseDate, Subject

REF = re.compile(r"^\s*lom-?0*(\d{1,7})\s*$", re.IGNORECASE)
PNC = WHOLE  # a whole word that is a PNC ID, however written


def subject_ref(number: int) -> str:
    return f"LOM-{number:04d}"


def by_ref(session: Session, text: str) -> Subject | None:
    match = REF.match(text)
    if not match:
        return None
    return session.scalars(select(Subject).where(Subject.ref == subject_ref(int(match[1])))).first()


def normalise_pnc(text: str) -> str | None:
    """The PNC ID as stored (98/0100296H), however it was written; None if it is not one."""
    pnc = parse_pnc(text)
    return str(pnc) if pnc else None


def by_pnc(session: Session, text: str) -> Subject | None:
    pnc = normalise_pnc(text)
    if pnc is None:
        return None
    return session.scalars(select(Subject).where(Subject.pnc_id == pnc)).first()


def by_name(session: Session, text: str, district: str | None = None) -> list[Subject]:
    """Subjects whose full name, family name or an alias contains the text."""
    # % and _ typed by a person are text, not wildcards: "%" must not list everyone
    typed = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    needle = f"%{typed}%"
    full = func.lower(Subject.given_names + " " + Subject.family_name)
    alias_ids = select(Alias.subject_id).where(func.lower(Alias.name).like(needle, escape="\\"))
    query = select(Subject).where(
        or_(
            full.like(needle, escape="\\"),
            func.lower(Subject.family_name).like(needle, escape="\\"),
            Subject.id.in_(alias_ids),
        )
    )
    if district:
        query = query.where(Subject.district == district)
    return list(session.scalars(query.order_by(Subject.ref).limit(26)))


def all_names(session: Session) -> list[tuple[int, str, str]]:
    """(subject id, ref, name) for every subject and alias, for fuzzy matching."""
    names = [
        (s_id, ref, f"{g} {f}")
        for s_id, ref, g, f in session.execute(
            select(Subject.id, Subject.ref, Subject.given_names, Subject.family_name)
        )
    ]
    names += [
        (s_id, ref, alias)
        for s_id, ref, alias in session.execute(
            select(Alias.subject_id, Subject.ref, Alias.name).join(Subject)
        )
    ]
    return names


def current_order(session: Session, subject_id: int) -> Order | None:
    """The subject's live order (or the latest one when none is live)."""
    orders = list(
        session.scalars(
            select(Order).where(Order.subject_id == subject_id).order_by(Order.id.desc())
        )
    )
    live = [o for o in orders if o.status not in ENDED]
    candidates = live or orders
    return candidates[0] if candidates else None


def current_orders(session: Session, subject_ids: Sequence[int]) -> dict[int, Order]:
    """current_order for many subjects in one query."""
    result: dict[int, Order] = {}
    if not subject_ids:
        return result
    rows = session.scalars(
        select(Order).where(Order.subject_id.in_(subject_ids)).order_by(Order.id.desc())
    )
    for order in rows:
        held = result.get(order.subject_id)
        if held is None or (held.status in ENDED and order.status not in ENDED):
            result[order.subject_id] = order
    return result


def with_conditions(session: Session, order_id: int) -> Order:
    return session.scalars(
        select(Order).where(Order.id == order_id).options(selectinload(Order.conditions))
    ).one()


def release_dates(
    session: Session, subject_ids: Sequence[int]
) -> dict[int, dict[ReleaseDateKind, date]]:
    """The newest recorded date of each kind, per subject, in one query."""
    out: dict[int, dict[ReleaseDateKind, date]] = {}
    if not subject_ids:
        return out
    rows = session.execute(
        select(ReleaseDate.subject_id, ReleaseDate.kind, ReleaseDate.on)
        .where(ReleaseDate.subject_id.in_(subject_ids))
        .order_by(ReleaseDate.recorded_at, ReleaseDate.id)
    )
    for subject_id, kind, on in rows:
        out.setdefault(subject_id, {})[kind] = on
    return out


RELEASE_PRIORITY = [
    ReleaseDateKind.CONFIRMED,
    ReleaseDateKind.HDCED,
    ReleaseDateKind.PRRD,
    ReleaseDateKind.CRD,
    ReleaseDateKind.ARD,
    ReleaseDateKind.PED,
]


def expected_release(dates: dict[ReleaseDateKind, date]) -> date | None:
    """The release date to plan on: confirmed first, then the likeliest early release."""
    for kind in RELEASE_PRIORITY:
        if kind in dates:
            return dates[kind]
    return None


IN_FORCE_STATES = (OrderStatus.ACTIVE, OrderStatus.EXPIRING)
