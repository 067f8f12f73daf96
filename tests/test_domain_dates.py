from datetime import date

import pytest

from lom_bot.domain.dates import add_months, add_years, parse_date
from lom_bot.domain.errors import InvalidDate
from lom_bot.domain.workdays import add_working_days, is_working_day, working_days_between

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25/11/2026", date(2026, 11, 25)),
        ("2026-11-25", date(2026, 11, 25)),
        ("1/2/26", date(2026, 2, 1)),
        ("today", TODAY),
        ("Yesterday", date(2026, 11, 24)),
        ("tomorrow", date(2026, 11, 26)),
        ("+7d", date(2026, 12, 2)),
        ("-3d", date(2026, 11, 22)),
        ("+2w", date(2026, 12, 9)),
        ("+3m", date(2027, 2, 25)),
    ],
)
def test_dates_are_read_as_officers_type_them(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["31/02/2026", "2026-13-01", "29/02/2027", "soon", "", "25-11"])
def test_impossible_or_unreadable_dates_are_refused_with_an_example(text: str) -> None:
    with pytest.raises(InvalidDate) as err:
        parse_date(text, TODAY)
    assert "For example" in str(err.value)


def test_month_arithmetic_clamps_to_the_last_day() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 3, 15), -3) == date(2025, 12, 15)


def test_a_29_february_anniversary_falls_on_1_march_in_a_common_year() -> None:
    assert add_years(date(2024, 2, 29), 5) == date(2029, 3, 1)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_bank_holidays_and_weekends_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 12, 25))  # Christmas
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day substitute (26th is Saturday)
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert is_working_day(date(2026, 11, 25))


def test_working_days_skip_christmas() -> None:
    # Thu 24 Dec 2026 + 2 working days: 25 (Fri, holiday), 28 (Mon, substitute) -> 29, 30
    assert add_working_days(date(2026, 12, 24), 2) == date(2026, 12, 30)
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 30)) == 2
    assert add_working_days(date(2026, 11, 25), -3) == date(2026, 11, 20)
