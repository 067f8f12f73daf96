"""Text that crosses a trust boundary: what a spreadsheet would run, what a database or a letter
cannot hold, and what would reverse a card's text. Kept verbatim otherwise."""

from __future__ import annotations

import re
from typing import Any

# A spreadsheet reads a cell starting with one of these as a formula (OWASP's list: tab and
# carriage return too, as some readers strip them and then see the `=`).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
# The full-width forms of the same signs: some spreadsheets (Excel in East Asian locales among
# them) fold them to the ASCII sign, and so read `＝1+1` as a formula.
WIDE_LEADS = ("\uff1d", "\uff0b", "\uff0d", "\uff20")

# A plain number ("-12", "+3.5") is only ever read as that number: left as it is, so a real
# negative figure stays a figure. Anything more ("-2+3", "-1e3") is treated as a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)")

# C0 controls except tab, line feed and carriage return (kept: they are layout), DEL, and the
# C1 block. NUL loops PostgreSQL's text type; vertical tab and escape break Word documents.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Unicode bidirectional embeddings, overrides and isolates: a right-to-left override in a
# report would show a reversed name or date on a card. Marks (LRM/RLM) are harmless, kept.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def is_formula_like(value: str) -> bool:
    """Would a spreadsheet treat this text as something to evaluate? Leading spaces and line
    breaks are looked past (readers trim them), and full-width signs count as their ASCII ones."""
    if value.startswith(FORMULA_LEADS) and not _PLAIN_NUMBER.fullmatch(value):
        return True
    rest = value.lstrip()  # any Unicode white space: spaces, line feed, NBSP, ideographic space
    if not rest or _PLAIN_NUMBER.fullmatch(rest):
        return False
    return rest.startswith(FORMULA_LEADS + WIDE_LEADS)


def neutralise_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet evaluates: formula-leading text gets a leading `'`."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def clean_text(value: str) -> str:
    """Text as received from Slack, minus NUL and other control characters (tab and line
    breaks kept): stored verbatim otherwise."""
    return _CONTROLS.sub("", value) if _CONTROLS.search(value) else value


def clean_deep(value: Any) -> Any:
    """clean_text applied to every string in a parsed payload (dicts and lists walked)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_deep(k): clean_deep(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_deep(v) for v in value]
    return value


def without_bidi_controls(value: str) -> str:
    """Display text with bidirectional overrides and isolates removed (shown as written)."""
    return _BIDI.sub("", value) if _BIDI.search(value) else value
