"""A PNC ID typed into a form: read however it is written (domain/pnc.py), refused when its
check letter is not the one its year and serial give."""

from __future__ import annotations

from lom_bot.domain.errors import InvalidInput
from lom_bot.domain.pnc import check_letter, parse_pnc

PNC_EXAMPLE = "19/0012345G"


def valid_pnc(text: str) -> str:
    """The PNC ID in its usual form (YY/NNNNNNNL); malformed or a wrong check letter refused."""
    pnc = parse_pnc(text or "")
    if pnc is None:
        raise InvalidInput(
            f"'{(text or '')[:30]}' is not a PNC ID.", field="pnc_id", example=PNC_EXAMPLE
        )
    if not pnc.valid:
        expected = check_letter(pnc.year, pnc.serial)
        raise InvalidInput(
            f"The check letter of PNC ID '{text.strip()[:30]}' is wrong: with those digits it "
            f"would be {expected}. Check the number against the PNC record.",
            field="pnc_id",
            example=PNC_EXAMPLE,
        )
    return str(pnc)
