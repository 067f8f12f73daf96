"""Reading register cells and headers: the shapes spreadsheets actually produce."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from lom_bot.domain.enums import CustodyStatus, OrderStatus, RiskLevel
from lom_bot.domain.errors import InvalidDate, InvalidInput
from lom_bot.services.importer import values as v
from lom_bot.services.importer.columns import map_headers, match_header

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    "cell",
    [
        "25/11/2026",
        "25-11-26",
        "25.11.2026",
        "2026-11-25",
        "2026-11-25 00:00:00",
        "25 Nov 2026",
        "25th November 2026",
        "25-Nov-26",
        datetime(2026, 11, 25, 0, 0),
        date(2026, 11, 25),
        46351,  # the Excel serial number of 25/11/2026
        46351.0,
        "46351",
    ],
)
def test_a_date_is_read_from_every_shape_a_register_holds(cell: object) -> None:
    assert v.parse_cell_date(cell, TODAY) == date(2026, 11, 25)


@pytest.mark.parametrize("cell", ["31/02/1985", "2026-13-01", "32 Nov 2026", "soon", "25 Nox 2026"])
def test_an_impossible_or_unreadable_date_is_refused(cell: str) -> None:
    with pytest.raises(InvalidDate):
        v.parse_cell_date(cell, TODAY)


def test_a_two_digit_birth_year_in_the_future_means_the_last_century() -> None:
    assert v.parse_cell_date("29-03-84", TODAY, born=True) == date(1984, 3, 29)
    assert v.parse_cell_date("29-03-04", TODAY, born=True) == date(2004, 3, 29)
    assert v.parse_cell_date("29-03-84", TODAY) == date(2084, 3, 29)


@pytest.mark.parametrize(
    ("text", "risk"),
    [("Very High", RiskLevel.VERY_HIGH), ("VH", RiskLevel.VERY_HIGH), ("med", RiskLevel.MEDIUM)],
)
def test_risk_levels_are_read_as_teams_write_them(text: str, risk: RiskLevel) -> None:
    assert v.parse_risk(text) is risk


def test_an_unknown_risk_level_lists_the_choices() -> None:
    with pytest.raises(InvalidInput, match="very high, high, medium or low"):
        v.parse_risk("red")


def test_custody_and_order_status_words_are_understood() -> None:
    assert v.parse_custody("Released") is CustodyStatus.IN_COMMUNITY
    with pytest.raises(InvalidInput, match="custody status"):
        v.parse_custody("HMP Leeds")
    assert v.parse_order_status("Awaiting release") is OrderStatus.AWAITING_ACTIVATION
    assert v.parse_order_status("live") is OrderStatus.ACTIVE


def test_a_pnc_id_is_normalised_and_a_bad_one_refused() -> None:
    assert v.parse_pnc("04/123456k") == "04/0123456K"
    with pytest.raises(InvalidInput, match="not a PNC ID"):
        v.parse_pnc("12/34567")


@pytest.mark.parametrize(("text", "months"), [("5 years", 60), ("36 months", 36), ("18", 18)])
def test_an_order_length_is_read_in_months(text: str, months: int) -> None:
    assert v.parse_term(text) == months


def test_conditions_split_on_lines_and_semicolons_without_their_numbering() -> None:
    text = "1. Not to possess more than one phone\n2) Not to travel abroad; (a) No cash"
    assert v.split_list(text) == [
        "Not to possess more than one phone",
        "Not to travel abroad",
        "No cash",
    ]


def test_headers_teams_use_map_to_the_template_columns() -> None:
    assert match_header("D.O.B.") == "born_on"
    assert match_header("Forename(s)") == "given_names"
    assert match_header("PNC No.") == "pnc_id"
    assert match_header("Surname ") == "family_name"
    assert match_header("Favourite colour") is None


def test_a_two_row_header_reads_the_group_title_with_each_column() -> None:
    cells = [
        ("Subject", "Surname"),
        ("Subject", "Forenames"),
        ("Subject", "DOB"),
        ("Subject", "Area"),
        ("Subject", "Risk"),
        ("Subject", "Custody"),
        ("Order", "Made"),
        ("Order", "Expiry"),
        ("Notes", "Notes"),
    ]
    mapping = map_headers(cells)
    assert mapping.columns["order_made_on"] == 6
    assert mapping.columns["order_expires_on"] == 7
    assert mapping.headers["order_made_on"] == "Order Made"
    assert mapping.ignored == ("Notes",)


def test_a_file_without_a_required_column_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput, match="no column for: District"):
        map_headers([("", "Name"), ("", "DOB"), ("", "Risk"), ("", "Custody")])


def test_two_columns_meaning_the_same_thing_are_refused() -> None:
    with pytest.raises(InvalidInput, match="Two columns both look like 'Date of birth'"):
        map_headers([("", "Name"), ("", "DOB"), ("", "Date of birth"), ("", "District")])
