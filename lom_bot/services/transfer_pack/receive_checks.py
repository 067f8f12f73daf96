"""Import: an order arriving in a pack meets the same rules as one entered by hand (a force on
the UK list, dates that can be right, s.6 age, the s.16 term, the court's final wording)."""

from __future__ import annotations

from datetime import date

from lom_bot.domain import forces
from lom_bot.domain.date_sanity import check_made_on
from lom_bot.domain.errors import DomainError
from lom_bot.domain.lifecycle import check_age, check_duration
from lom_bot.domain.wording import check_final_wording
from lom_bot.services.transfer_pack import model as m
from lom_bot.services.transfer_pack.verify import PackRefused


def check_sending_force(force: str) -> forces.Force:
    """The sending force must be a UK force on the list (its jurisdiction is then known)."""
    try:
        return forces.force(force)
    except DomainError as exc:
        raise PackRefused(f"Refused: the pack's sending force: {exc.message}") from exc


def check_live_order(o: m.OrderRecord, born: date | None, today: date) -> None:
    """Refuse the pack, naming the order, if a live order in it could not be made as it says."""
    try:
        if o.made_on is not None:
            check_made_on(o.made_on, today=today, born=born)
            check_age(born, o.made_on)
        extended = any("extend" in v.kind for v in o.versions)  # s.22E may run past 5 years
        if o.starts_on is not None and o.expires_on is not None and not extended:
            check_duration(o.starts_on, o.expires_on)
        check_final_wording(
            ((c.number, c.wording) for c in o.conditions if c.active),
            step="A transfer in",
            remedy="Ask the sending force for the order's certified wording.",
        )
    except PackRefused:
        raise
    except DomainError as exc:
        raise PackRefused(f"Refused: order {o.ref} in the pack: {exc.message}") from exc
