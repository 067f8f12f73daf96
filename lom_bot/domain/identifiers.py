"""The PNC ID's check letter: YY/NNNNNNNL, where L is (YY followed by the 7-digit serial)
modulo 23, read from the PNC's letter table (I, O and S are never used)."""

from __future__ import annotations

import re

from lom_bot.domain.errors import InvalidInput

LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"
_PNC = re.compile(r"^\s*(\d{2}|\d{4})/0*(\d{1,7})([A-Za-z])\s*$")
PNC_EXAMPLE = "19/0012345G"


def check_letter(year: str, serial: int) -> str:
    return LETTERS[int(f"{year[-2:]}{serial:07d}") % 23]


def valid_pnc(text: str) -> str:
    """The PNC ID in its usual form (YY/NNNNNNNL), refused when malformed or its letter is wrong."""
    match = _PNC.match(text or "")
    if not match:
        raise InvalidInput(
            f"'{(text or '')[:30]}' is not a PNC ID.", field="pnc_id", example=PNC_EXAMPLE
        )
    year, serial, letter = match[1], int(match[2]), match[3].upper()
    expected = check_letter(year, serial)
    if letter != expected:
        raise InvalidInput(
            f"The check letter of PNC ID '{text.strip()[:30]}' is wrong: with those digits it "
            f"would be {expected}. Check the number against the PNC record.",
            field="pnc_id",
            example=PNC_EXAMPLE,
        )
    return f"{year[-2:]}/{serial:07d}{letter}"
