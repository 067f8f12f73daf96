"""The 3x5x2 intelligence grading (College of Policing)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lom_bot.domain.enums import HandlingCode, IntelGrade, SourceGrade
from lom_bot.domain.errors import InvalidGrading

GRADING_EXAMPLE = "1/B/P (source 1-3, intelligence A-E, handling P or C)"
_PATTERN = re.compile(r"^\s*([1-3])\s*[/\-\s]?\s*([A-Ea-e])\s*[/\-\s]?\s*([PCpc])\s*$")


@dataclass(frozen=True)
class Grading:
    source: SourceGrade
    intelligence: IntelGrade
    handling: HandlingCode

    def __str__(self) -> str:
        return f"{self.source.value}{self.intelligence.value}{self.handling.value}"


def parse_grading(text: str) -> Grading:
    match = _PATTERN.match(text or "")
    if not match:
        raise InvalidGrading(
            f"'{text}' is not a 3x5x2 grading.", field="grading", example=GRADING_EXAMPLE
        )
    source, intel, handling = match.groups()
    return Grading(SourceGrade(source), IntelGrade(intel.upper()), HandlingCode(handling.upper()))


def require_handling_conditions(grading: Grading, conditions: str | None) -> str | None:
    """Handling code C may be shared only with conditions, which must be recorded."""
    text = (conditions or "").strip()
    if grading.handling is HandlingCode.CONDITIONS and not text:
        raise InvalidGrading(
            "Handling code C needs the handling conditions recorded.",
            field="handling_conditions",
            example="'Not to be shared outside the LOM team without DS approval'",
        )
    return text or None
