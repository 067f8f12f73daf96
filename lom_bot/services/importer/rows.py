"""Validating one register row into a NewSubject and an optional order, by the domain rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from lom_bot.config import AppConfig
from lom_bot.domain.dates import age_on, format_date
from lom_bot.domain.enums import CustodyStatus, OrderRoute, OrderStatus, ReleaseDateKind
from lom_bot.domain.errors import DomainError, InvalidInput
from lom_bot.domain.lifecycle import (
    APPLICATION,
    IN_FORCE,
    MAX_YEARS,
    MIN_AGE,
    check_age,
    check_duration,
)
from lom_bot.domain.order_dates import expiry_for
from lom_bot.services.importer import values as v
from lom_bot.services.importer.columns import BY_KEY, ORDER_KEYS, Mapping
from lom_bot.services.subjects import NewSubject

SCA_PART1_IN_FORCE = date(2008, 4, 6)  # SCPOs exist from the day Part 1 SCA 2007 commenced
T = TypeVar("T")


@dataclass(frozen=True)
class NewOrder:
    """An order as the register describes it, checked against the legal rules."""

    status: OrderStatus
    route: OrderRoute | None
    court: str | None
    made_on: date | None
    starts_on: date | None
    activated_on: date | None
    expires_on: date | None
    term_months: int | None
    reference: str | None
    conditions: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """Why a row cannot be imported: its row number, the column as headed, and the reason."""

    row: int
    column: str
    value: str
    reason: str


@dataclass
class ValidRow:
    row: int
    subject: NewSubject
    order: NewOrder | None
    warnings: list[str] = field(default_factory=list)


@dataclass
class RowContext:
    """What validation needs from outside the row: the date, the config and known users."""

    config: AppConfig
    today: date
    officers: dict[str, str]  # lower-cased Slack id or name -> Slack id


class _Row:
    def __init__(self, number: int, cells: list[Any], mapping: Mapping) -> None:
        self.number = number
        self.cells = cells
        self.mapping = mapping
        self.problems: list[Problem] = []

    def raw(self, key: str) -> Any:
        index = self.mapping.columns.get(key)
        return None if index is None else self.cells[index]

    def text(self, key: str) -> str:
        return v.cell_text(self.raw(key))

    def has(self, key: str) -> bool:
        return bool(self.text(key))

    def fail(self, key: str, reason: str) -> None:
        column = self.mapping.headers.get(key) or (BY_KEY[key].header if key in BY_KEY else key)
        self.problems.append(Problem(self.number, column, self.text(key)[:60], reason))

    def get(self, key: str, parse: Callable[[Any], T], *, required: bool = False) -> T | None:
        if not self.has(key):
            if required:
                self.fail(key, "is empty; it is required")
            return None
        try:
            return parse(self.raw(key))
        except DomainError as exc:
            self.fail(key, exc.message)
            return None


def validate_row(
    number: int, cells: list[Any], mapping: Mapping, ctx: RowContext
) -> ValidRow | list[Problem]:
    """A valid row, or every problem found in it (not just the first)."""
    row = _Row(number, cells, mapping)
    today = ctx.today
    given, family = _names(row)
    born = row.get("born_on", lambda x: v.parse_cell_date(x, today, born=True), required=True)
    if born is not None:
        if born >= today:
            row.fail("born_on", "is not in the past")
        elif born.year < 1900:
            row.fail("born_on", "is not a plausible date of birth")
    district = row.get("district", lambda x: _district(ctx.config, x), required=True)
    risk = row.get("risk_level", v.parse_risk, required=True)
    custody = row.get("custody_status", v.parse_custody, required=True)
    pnc = row.get("pnc_id", v.parse_pnc)
    release = row.get("release_on", lambda x: v.parse_cell_date(x, today))
    officer = _officer(row, ctx)
    order = _order(row, ctx, born, custody)
    no_made_on = order is None or order.made_on is None
    if born is not None and born < today and no_made_on and age_on(born, today) < MIN_AGE:
        row.fail(
            "born_on",
            f"the subject is {age_on(born, today)}: an SCPO can only be made against "
            f"someone aged {MIN_AGE} or over (s.6 SCA 2007)",
        )
    if row.problems:
        return row.problems
    assert given and family and district and risk and custody  # every failure recorded above
    subject = NewSubject(
        given_names=given,
        family_name=family,
        district=district,
        risk_level=risk,
        custody_status=custody,
        born_on=born,
        pnc_id=pnc,
        niche_id=row.text("niche_id")[:30] or None,
        visor_ref=row.text("visor_ref")[:30] or None,
        prison_number=row.text("prison_number")[:20] or None,
        address=row.text("address") or None,
        description=row.text("description") or None,
        aliases=tuple(a[:120] for a in v.split_list(row.raw("aliases"), commas=True)),
        officer_slack_id=officer,
        release_dates={ReleaseDateKind.CRD: release} if release else {},
    )
    warnings = []
    if row.has("officer") and officer is None:
        warnings.append(
            f"row {number}: LOM officer '{row.text('officer')[:40]}' is not a lom-bot user; "
            "the subject goes to the importing officer (unassigned if an admin imports)"
        )
    return ValidRow(number, subject, order, warnings)


def _names(row: _Row) -> tuple[str | None, str | None]:
    given, family = v.title_name(row.text("given_names")), v.title_name(row.text("family_name"))
    if (not given or not family) and row.has("full_name"):
        full = row.text("full_name")
        if "," in full:  # police style: SURNAME, Forenames
            family, _, given = (p.strip() for p in full.partition(","))
        else:
            given, _, family = full.rpartition(" ")
        given, family = v.title_name(given), v.title_name(family)
        if not given or not family:
            row.fail("full_name", "needs a given name and a family name")
            return None, None
    if not given:
        row.fail("given_names", "is empty; it is required")
    if not family:
        row.fail("family_name", "is empty; it is required")
    if len(given) > 120 or len(family) > 120:
        row.fail("family_name", "is longer than 120 characters")
    return given or None, family or None


def _district(config: AppConfig, value: object) -> str:
    name = v.cell_text(value)
    district = config.district(name)
    if district is None:
        names = ", ".join(d.name for d in config.districts)
        raise InvalidInput(f"'{name[:40]}' is not a district here; use one of {names}")
    return district.name


def _officer(row: _Row, ctx: RowContext) -> str | None:
    text = row.text("officer").lower()
    return ctx.officers.get(text) if text else None


def _order(
    row: _Row, ctx: RowContext, born: date | None, custody: CustodyStatus | None
) -> NewOrder | None:
    if not any(row.has(k) for k in ORDER_KEYS):
        return None
    today = ctx.today
    before = len(row.problems)
    made = row.get("order_made_on", lambda x: v.parse_cell_date(x, today))
    starts = row.get("order_starts_on", lambda x: v.parse_cell_date(x, today))
    expires = row.get("order_expires_on", lambda x: v.parse_cell_date(x, today))
    term = row.get("order_term", v.parse_term)
    route = row.get("order_route", v.parse_route)
    status = row.get("order_status", v.parse_order_status)
    if len(row.problems) > before:
        return None
    if term is not None and term > MAX_YEARS * 12:
        row.fail("order_term", f"is {term} months: an SCPO may last at most 5 years (s.16)")
        return None
    if status is None:
        status = _derive_status(made, starts, expires, custody, today)
    if made is not None:
        if made > today:
            return _fail(row, "order_made_on", "is in the future")
        if made < SCA_PART1_IN_FORCE:
            return _fail(row, "order_made_on", "is before SCPOs existed (6 April 2008)")
        try:
            check_age(born, made)
        except DomainError as exc:
            return _fail(row, "born_on", exc.message)
    elif status not in APPLICATION:
        return _fail(
            row,
            "order_made_on",
            f"is empty: an order that is {status.value.replace('_', ' ')} was made on a date",
        )
    if starts is not None and made is not None and starts < made:
        return _fail(row, "order_starts_on", f"is before the order was made ({format_date(made)})")
    if expires is None and starts is not None and term is not None:
        expires = expiry_for(starts, term)
    if starts is not None and expires is not None:
        try:
            check_duration(starts, expires)
        except DomainError as exc:
            return _fail(row, "order_expires_on", exc.message)
    in_force = status in IN_FORCE or status in (OrderStatus.EXPIRED, OrderStatus.CLOSED)
    if in_force and starts is None:
        return _fail(
            row,
            "order_starts_on",
            f"is empty: an order that is {status.value} came into force on a date",
        )
    if in_force and expires is None:
        return _fail(row, "order_expires_on", "is empty: give the expiry date or the length")
    if status in IN_FORCE and expires is not None and expires < today:
        return _fail(
            row,
            "order_expires_on",
            f"{format_date(expires)} has passed, yet the status is {status.value}",
        )
    if starts is not None and starts > today and in_force:
        return _fail(row, "order_starts_on", "is in the future for an order already in force")
    return NewOrder(
        status=status,
        route=route,
        court=row.text("order_court")[:120] or None,
        made_on=made,
        starts_on=starts,
        activated_on=starts if in_force else None,
        expires_on=expires,
        term_months=term,
        reference=row.text("order_reference")[:120] or None,
        conditions=tuple(v.split_list(row.raw("conditions"))),
    )


def _fail(row: _Row, key: str, reason: str) -> NewOrder | None:
    """Record the problem; the order is then not built (returns None, for `return _fail()`)."""
    row.fail(key, reason)
    return None


def _derive_status(
    made: date | None,
    starts: date | None,
    expires: date | None,
    custody: CustodyStatus | None,
    today: date,
) -> OrderStatus:
    """No status column: read it from the dates, as an officer would."""
    if expires is not None and expires < today:
        return OrderStatus.EXPIRED
    if starts is not None and starts <= today:
        return OrderStatus.ACTIVE
    if made is not None:
        held = custody in (CustodyStatus.IN_CUSTODY, CustodyStatus.RECALLED)
        return OrderStatus.AWAITING_ACTIVATION if held else OrderStatus.GRANTED
    return OrderStatus.PROPOSED
