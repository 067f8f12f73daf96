"""The order's life as a state machine, and the legal rules on its dates (SCA 2007)."""

from __future__ import annotations

from datetime import date

from lom_bot.domain.dates import age_on, format_date
from lom_bot.domain.enums import OrderStatus as S
from lom_bot.domain.errors import IllegalTransition, OrderTooLong, SubjectTooYoung
from lom_bot.domain.order_dates import MAX_YEARS as MAX_YEARS
from lom_bot.domain.order_dates import latest_expiry as latest_expiry

MIN_AGE = 18

TRANSITIONS: dict[S, frozenset[S]] = {
    S.PROPOSED: frozenset({S.DRAFTED}),
    S.DRAFTED: frozenset({S.APPROVED, S.PROPOSED}),  # returned with comments goes back
    S.APPROVED: frozenset({S.SUBMITTED, S.DRAFTED}),
    S.SUBMITTED: frozenset({S.GRANTED, S.REFUSED}),
    S.GRANTED: frozenset({S.RECORDED, S.DISCHARGED, S.SUPERSEDED, S.TRANSFERRED_OUT}),
    S.RECORDED: frozenset(
        {S.AWAITING_ACTIVATION, S.EDUCATED, S.ACTIVE, S.DISCHARGED, S.SUPERSEDED, S.TRANSFERRED_OUT}
    ),
    S.AWAITING_ACTIVATION: frozenset(
        {S.EDUCATED, S.ACTIVE, S.DISCHARGED, S.SUPERSEDED, S.TRANSFERRED_OUT}
    ),
    S.EDUCATED: frozenset({S.ACTIVE, S.DISCHARGED, S.SUPERSEDED, S.TRANSFERRED_OUT}),
    S.ACTIVE: frozenset({S.EXPIRING, S.EXPIRED, S.DISCHARGED, S.SUPERSEDED, S.TRANSFERRED_OUT}),
    S.EXPIRING: frozenset({S.ACTIVE, S.EXPIRED, S.DISCHARGED, S.SUPERSEDED, S.TRANSFERRED_OUT}),
    S.EXPIRED: frozenset({S.CLOSED}),
    S.REFUSED: frozenset(),
    S.CLOSED: frozenset(),
    S.DISCHARGED: frozenset(),
    S.SUPERSEDED: frozenset(),
    S.TRANSFERRED_OUT: frozenset(),
}

IN_FORCE = frozenset({S.ACTIVE, S.EXPIRING})
GRANTED_NOT_ENDED = frozenset({S.GRANTED, S.RECORDED, S.AWAITING_ACTIVATION, S.EDUCATED}) | IN_FORCE
APPLICATION = frozenset({S.PROPOSED, S.DRAFTED, S.APPROVED, S.SUBMITTED})
AFTER_GRANT = GRANTED_NOT_ENDED | {S.EXPIRED}  # what a post-grant step may act on
PRE_ACTIVE = GRANTED_NOT_ENDED - IN_FORCE  # granted, not yet in force
ENDED = frozenset({S.REFUSED, S.CLOSED, S.DISCHARGED, S.SUPERSEDED, S.TRANSFERRED_OUT})


def check_transition(current: S, target: S) -> None:
    if target not in TRANSITIONS[current]:
        allowed = (
            ", ".join(s.value.replace("_", " ") for s in sorted(TRANSITIONS[current])) or "none"
        )
        raise IllegalTransition(
            f"An order that is {current.value.replace('_', ' ')} cannot become "
            f"{target.value.replace('_', ' ')}. Next steps allowed: {allowed}."
        )


def check_duration(starts_on: date, expires_on: date) -> None:
    if expires_on < starts_on:
        raise OrderTooLong(
            f"The expiry {format_date(expires_on)} is before the start {format_date(starts_on)}.",
            field="expires_on",
        )
    limit = latest_expiry(starts_on)
    if expires_on > limit:
        raise OrderTooLong(
            f"An SCPO may last at most 5 years (s.16 SCA 2007): starting "
            f"{format_date(starts_on)} it is in force to the end of {format_date(limit)} at the "
            f"latest, not {format_date(expires_on)}. Only a s.22E extension may run longer.",
            field="expires_on",
            example=format_date(limit),
        )


def check_age(born: date | None, made_on: date) -> None:
    if born is None:
        return
    if age_on(born, made_on) < MIN_AGE:
        raise SubjectTooYoung(
            f"The subject was {age_on(born, made_on)} on {format_date(made_on)}: "
            "an SCPO can only be made against someone aged 18 or over (s.6 SCA 2007).",
            field="made_on",
        )
