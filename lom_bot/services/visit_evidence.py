"""The education visit as evidence: where it took place, who was present, each condition
explained and acknowledged or disputed, and whether the acknowledgement was signed."""

from __future__ import annotations

from dataclasses import dataclass

from lom_bot.domain.errors import InvalidInput
from lom_bot.services.validation import text
from lom_bot.store.tables import EducationVisit, VisitEvidence
from lom_bot.store.uow import UnitOfWork


@dataclass(frozen=True)
class Evidence:
    place: str | None = None
    present: str | None = None
    disputed: tuple[int, ...] = ()  # explained, but the subject does not accept them
    signed: bool | None = None  # the acknowledgement signed (True) or not (False)


def explained(
    evidence: Evidence, numbers: list[int], acknowledged: list[int], refused: bool, served: bool
) -> list[int]:
    """The conditions acknowledged once the disputed ones are set aside; disputed conditions
    count as explained, but bind the subject only through the evidence of service."""
    unknown = [n for n in evidence.disputed if n not in numbers]
    if unknown:
        raise InvalidInput(
            f"The order has no condition {', '.join(map(str, unknown))}.", field="disputed"
        )
    if evidence.disputed and not served:
        raise InvalidInput(
            "Disputed conditions need the evidence of service (in person or recorded delivery).",
            field="service",
        )
    if refused and evidence.signed:
        raise InvalidInput("A refusal cannot have a signed acknowledgement.", field="signed")
    return [n for n in acknowledged if n not in evidence.disputed]


def keep(uow: UnitOfWork, visit: EducationVisit, evidence: Evidence) -> str:
    """Keep the evidence with the visit (flushed first); the words the visit's record adds."""
    uow.session.flush()
    row = VisitEvidence(
        visit_id=visit.id,
        place=text(evidence.place, "place"),
        present=text(evidence.present, "who was present"),
        disputed=sorted(set(evidence.disputed)) or None,
        signed=evidence.signed,
        recorded_at=uow.clock.now(),
    )
    uow.session.add(row)
    parts = []
    if row.place:
        parts.append(f"at {row.place}")
    if row.present:
        parts.append(f"present: {row.present}")
    if row.disputed:
        parts.append(f"disputed: {', '.join(map(str, row.disputed))}")
    if row.signed is not None:
        parts.append("acknowledgement signed" if row.signed else "not signed")
    return "; ".join(parts)
