"""Police National Computer ID numbers: how districts write them, and the check letter.

A PNC ID is a year, a serial number and a check letter: 98/0100296H. Officers write the year with
2 or 4 digits, drop the serial's leading zeros, put a space or hyphen before the check letter or
a hyphen for the slash, and use any case; all of these are one ID. The check letter is the
9-digit number of the 2-digit year and the 7-digit serial, modulo 23, as a letter of
CHECK_LETTERS (I, O and S are never used).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"
# A year, a slash or hyphen, the serial, optionally a space or hyphen, the letter. In running
# text the serial has at least 5 digits, so that a date ("on 14/11 a male") is not read as one.
_ID = r"((?:19|20)?\d{2})\s?[/-]\s?(\d{%s,7})[ \-]?([A-Za-z])"
IN_TEXT = re.compile(r"(?<![\w/])" + _ID % 5 + r"(?![\w/])")
WHOLE = re.compile(r"^\s*" + _ID % 1 + r"\s*$")


@dataclass(frozen=True)
class Pnc:
    year: str  # two digits
    serial: str  # seven digits
    letter: str  # upper case, as written

    def __str__(self) -> str:
        return f"{self.year}/{self.serial}{self.letter}"

    @property
    def number(self) -> str:
        """Year and serial without the letter: what two spellings of one ID share."""
        return f"{self.year}/{self.serial}"

    @property
    def valid(self) -> bool:
        """Whether the check letter is the one the year and serial give."""
        return self.letter == check_letter(self.year, self.serial)


def check_letter(year: str, serial: str) -> str:
    return CHECK_LETTERS[int(f"{int(year) % 100:02d}{int(serial):07d}") % 23]


def _make(year: str, serial: str, letter: str) -> Pnc:
    return Pnc(f"{int(year) % 100:02d}", f"{int(serial):07d}", letter.upper())


def parse_pnc(text: str) -> Pnc | None:
    """The PNC ID that `text` is, in any of the ways officers write one; None if it is not one."""
    found = WHOLE.match(text or "")
    return _make(*found.groups()) if found else None


def pncs_in(text: str) -> list[tuple[Pnc, tuple[int, int]]]:
    """Every PNC ID written in the text, with where it is."""
    return [(_make(*m.groups()), m.span()) for m in IN_TEXT.finditer(text)]
