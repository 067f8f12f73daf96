"""The order's date model: expiry is the last day in force; 29 February and month ends right."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lom_bot.domain.enums import Commencement
from lom_bot.domain.errors import OrderTooLong
from lom_bot.domain.lifecycle import check_duration
from lom_bot.domain.order_dates import (
    ceases_on,
    expired_at,
    expiry_for,
    last_day_in_force,
    latest_expiry,
    runs_to,
)
from lom_bot.runtime import Runtime
from lom_bot.services import orders as o
from lom_bot.services.permissions import Actor
from tests.test_order_support import grant_cmd, new_subject, walk_to

# One whole leap cycle: 2028 is a leap year, 2029-2031 are not.
CYCLE_START = date(2028, 1, 1)
CYCLE = [CYCLE_START + timedelta(days=n) for n in range((date(2032, 1, 1) - CYCLE_START).days)]


def _fifth_anniversary_or_1_march(start: date) -> date:
    """The day the order ceases, said another way: the 5th anniversary (1 March for 29 Feb)."""
    try:
        return start.replace(year=start.year + 5)
    except ValueError:
        return date(start.year + 5, 3, 1)


@pytest.mark.parametrize(
    ("start", "months", "last"),
    [
        (date(2026, 3, 1), 60, date(2031, 2, 28)),
        (date(2028, 2, 29), 60, date(2033, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 28)),  # 2032 has a 29th: the day before it
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # no 31 February: February's last day
        (date(2028, 1, 30), 1, date(2028, 2, 29)),
        (date(2026, 1, 28), 1, date(2026, 2, 27)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
        (date(2026, 12, 4), 36, date(2029, 12, 3)),
    ],
)
def test_the_expiry_is_the_last_day_of_the_term(start: date, months: int, last: date) -> None:
    assert last_day_in_force(start, months) == last
    assert expiry_for(start, months) == last


def test_every_start_in_a_leap_cycle_runs_exactly_to_the_s16_limit_and_not_a_day_over() -> None:
    assert len(CYCLE) == 1461
    for start in CYCLE:
        limit = latest_expiry(start)
        assert last_day_in_force(start, 60) == limit, start
        assert ceases_on(limit) == _fifth_anniversary_or_1_march(start), start
        check_duration(start, limit)
        with pytest.raises(OrderTooLong):
            check_duration(start, limit + timedelta(days=1))


@given(
    start=st.dates(min_value=CYCLE[0], max_value=CYCLE[-1]),
    months=st.integers(min_value=1, max_value=60),
)
def test_any_term_up_to_60_months_is_within_the_limit_and_longer_terms_end_later(
    start: date, months: int
) -> None:
    last = last_day_in_force(start, months)
    assert start <= last <= latest_expiry(start)
    check_duration(start, last)
    if months < 60:
        assert last_day_in_force(start, months + 1) > last
    # the term is "months beginning with" the start: never shorter than the whole months
    assert (last.year - start.year) * 12 + last.month - start.month in (months - 1, months)


def test_the_wording_says_last_day_in_force_and_the_end_of_that_day() -> None:
    assert runs_to(date(2033, 2, 28)) == "in force to the end of 28/02/2033"
    assert expired_at(date(2027, 2, 27)) == "expired at the end of 27/02/2027"
    assert runs_to(None) == "end date not yet known"


def test_a_grant_starting_29_february_2028_for_60_months_ends_28_february_2033(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    from lom_bot.domain.enums import OrderStatus

    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, OrderStatus.SUBMITTED)
    done = o.grant(
        runtime.uow(),
        officer,
        grant_cmd(ref, commencement=Commencement.FIXED_DATE, starts_on=date(2028, 2, 29)),
    )
    assert "from 29/02/2028 to the end of 28/02/2033" in done.message
    view = o.view_order(runtime.uow(), officer, ref)
    assert view.order["expires_on"] == "2033-02-28"


def test_help_order_says_what_expiry_means() -> None:
    from lom_bot.handlers.commands.order import HELP_DETAILS

    assert "expiry date is the last day it is in force" in "\n".join(HELP_DETAILS)


def test_the_readme_says_what_expiry_means() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert "last day the order is in force" in readme


def test_the_expiry_letter_says_the_last_day_and_the_first_day_it_no_longer_applies(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    from lom_bot.domain.enums import OrderStatus
    from lom_bot.services.letters import GenerateLetter, generate_letter
    from tests.test_letters import read

    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, OrderStatus.EXPIRED)  # ran to 19/11/2031
    letter = generate_letter(runtime.uow(), officer, GenerateLetter("expiry_confirmation", ref))
    body = read(letter.content)[0]
    assert "expired at the end of 19/11/2031" in body
    assert "no longer apply to you from 20/11/2031" in body
