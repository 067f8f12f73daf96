"""Text that crosses a trust boundary: what a spreadsheet would run, what a database or a letter
cannot hold, and what would reverse a card's text. Kept verbatim otherwise."""

from __future__ import annotations

import re
from typing import Any

# A spreadsheet reads a cell starting with one of these as a formula (OWASP's list: tab and
# carriage return too, as some readers strip them and then see the `=`).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

# C0 controls except tab, line feed and carriage return (kept: they are layout), DEL, and the
# C1 block. NUL loops PostgreSQL's text type; vertical tab and escape break Word documents.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Unicode bidirectional embeddings, overrides and isolates: a right-to-left override in a
# report would show a reversed name or date on a card. Marks (LRM/RLM) are harmless, kept.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def is_formula_like(value: str) -> bool:
    """Would a spreadsheet treat this text as something to evaluate?"""
    return value.startswith(FORMULA_LEADS)


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
