"""What a handling code allows to be passed on to another force with a transfer pack."""

from __future__ import annotations

from dataclasses import dataclass

from lom_bot.domain.enums import HandlingCode


@dataclass(frozen=True)
class PassOn:
    """Whether one intelligence item may go in a pack, and if not, why (for the withheld list)."""

    allowed: bool
    reason: str | None = None


def pass_on_to_force(handling: HandlingCode, conditions: str | None) -> PassOn:
    """P (may be shared) goes with the pack; C goes only once its recorded conditions are met.

    The conditions of a C item are free text written by the originator (e.g. "not outside
    West Yorkshire without reference to the DI"), so no program can decide that they are met:
    the item is listed as withheld, with its conditions, for a person to ask about."""
    if handling is HandlingCode.MAY_SHARE:
        return PassOn(True)
    said = (conditions or "").strip() or "none recorded"
    return PassOn(
        False,
        "Handling code C: may be shared only on its recorded conditions "
        f"({said}); ask the sending force for it once they are met.",
    )
