"""PNC IDs however officers write them, and their check letter."""

from __future__ import annotations

import pytest

from lom_bot.domain.pnc import check_letter, parse_pnc, pncs_in
from lom_bot.store.queries import normalise_pnc


@pytest.mark.parametrize(
    "written",
    [
        "98/0100296H",
        "1998/0100296H",
        "98/0100296 H",
        "98/0100296-H",
        "98-0100296H",
        "98/100296h",
        " 98 / 0100296H ",
    ],
)
def test_every_way_of_writing_a_pnc_id_is_the_same_id(written: str) -> None:
    pnc = parse_pnc(written)
    assert pnc is not None and str(pnc) == "98/0100296H" and pnc.valid
    assert normalise_pnc(written) == "98/0100296H"


def test_the_check_letter_is_the_year_and_serial_modulo_23() -> None:
    assert check_letter("98", "0100296") == "H"
    assert check_letter("04", "0123456") == "B"
    assert check_letter("2004", "123456") == "B"  # a 4-digit year and no leading zero
    pnc = parse_pnc("98/0100296J")
    assert pnc is not None and not pnc.valid and pnc.number == "98/0100296"


@pytest.mark.parametrize("text", ["", "LOM-0042", "98/0100296", "98/01002967H", "on 14/11", "H"])
def test_what_is_not_a_pnc_id_is_none(text: str) -> None:
    assert parse_pnc(text) is None


def test_pnc_ids_are_found_in_running_text_but_dates_are_not() -> None:
    found = pncs_in("PNC 1998/0100296J stopped; on 14/11 a male gave 04/123456 b, ref 2/3")
    assert [str(p) for p, _ in found] == ["98/0100296J", "04/0123456B"]
