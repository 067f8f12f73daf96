from datetime import date

import pytest

from lom_bot.domain.due import DEFAULT_CADENCES, DueKind, Interval, next_due
from lom_bot.domain.enums import OrderStatus, RiskLevel
from lom_bot.domain.errors import IllegalTransition, InvalidGrading, OrderTooLong, SubjectTooYoung
from lom_bot.domain.grading import parse_grading, require_handling_conditions
from lom_bot.domain.lifecycle import (
    TRANSITIONS,
    check_age,
    check_duration,
    check_transition,
    latest_expiry,
)


def test_an_order_may_run_to_the_last_day_of_its_fifth_year() -> None:
    start = date(2026, 11, 25)
    assert latest_expiry(start) == date(2031, 11, 24)
    check_duration(start, date(2031, 11, 24))


def test_an_order_one_day_past_five_years_is_refused_with_the_limit() -> None:
    with pytest.raises(OrderTooLong) as err:
        check_duration(date(2026, 11, 25), date(2031, 11, 25))
    assert "24/11/2031" in str(err.value)


def test_an_order_starting_on_29_february_may_run_to_28_february_five_years_on() -> None:
    assert latest_expiry(date(2024, 2, 29)) == date(2029, 2, 28)
    check_duration(date(2024, 2, 29), date(2029, 2, 28))
    with pytest.raises(OrderTooLong):
        check_duration(date(2024, 2, 29), date(2029, 3, 1))


def test_an_expiry_before_the_start_is_refused() -> None:
    with pytest.raises(OrderTooLong):
        check_duration(date(2026, 11, 25), date(2026, 11, 24))


def test_the_subject_must_be_18_when_the_order_is_made() -> None:
    check_age(date(2008, 11, 25), date(2026, 11, 25))  # 18th birthday: allowed
    with pytest.raises(SubjectTooYoung):
        check_age(date(2008, 11, 26), date(2026, 11, 25))
    check_age(date(2008, 2, 29), date(2026, 3, 1))  # leapling is 18 on 1 March


@pytest.mark.parametrize("current", list(OrderStatus))
def test_every_state_allows_only_its_listed_transitions(current: OrderStatus) -> None:
    for target in OrderStatus:
        if target in TRANSITIONS[current]:
            check_transition(current, target)
        else:
            with pytest.raises(IllegalTransition):
                check_transition(current, target)


def test_closure_is_only_possible_after_expiry() -> None:
    with pytest.raises(IllegalTransition) as err:
        check_transition(OrderStatus.ACTIVE, OrderStatus.CLOSED)
    assert "cannot become closed" in str(err.value)
    check_transition(OrderStatus.EXPIRED, OrderStatus.CLOSED)


@pytest.mark.parametrize("text", ["1AP", "1/A/P", "2 b c", "3-E-P", " 1B/P "])
def test_3x5x2_grading_is_parsed_in_common_notations(text: str) -> None:
    grading = parse_grading(text)
    assert str(grading)[0] in "123"


@pytest.mark.parametrize("text", ["4AP", "1FP", "1AX", "", "AP1", "1A"])
def test_bad_gradings_are_refused(text: str) -> None:
    with pytest.raises(InvalidGrading):
        parse_grading(text)


def test_handling_code_c_needs_conditions() -> None:
    with pytest.raises(InvalidGrading):
        require_handling_conditions(parse_grading("1AC"), "  ")
    assert require_handling_conditions(parse_grading("1AC"), "LOM only") == "LOM only"
    assert require_handling_conditions(parse_grading("1AP"), None) is None


def test_very_high_risk_home_visits_are_fortnightly_for_twelve_weeks_then_monthly() -> None:
    cadence = DEFAULT_CADENCES[RiskLevel.VERY_HIGH]
    activated = date(2026, 9, 1)
    early = next_due(
        cadence,
        DueKind.HOME_VISIT,
        last_done=date(2026, 9, 10),
        activated_on=activated,
        overdue_after_working_days=5,
    )
    assert early.due_on == date(2026, 9, 24)
    late = next_due(
        cadence,
        DueKind.HOME_VISIT,
        last_done=date(2026, 11, 30),
        activated_on=activated,
        overdue_after_working_days=5,
    )
    assert late.due_on == date(2026, 12, 30)


def test_an_item_is_due_on_its_date_and_overdue_after_five_working_days() -> None:
    item = next_due(
        DEFAULT_CADENCES[RiskLevel.HIGH],
        DueKind.CONTACT,
        last_done=date(2026, 11, 11),
        activated_on=date(2026, 1, 1),
        overdue_after_working_days=5,
    )
    assert item.due_on == date(2026, 11, 25)
    assert item.state(date(2026, 11, 24)) is None
    assert item.state(date(2026, 11, 25)) == "due"
    assert item.overdue_from == date(2026, 12, 2)
    assert item.state(date(2026, 12, 2)) == "overdue"


@pytest.mark.parametrize("text", ["0d", "x", "14", "3y", "-1m"])
def test_bad_intervals_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Interval.parse(text)
