"""Anchors for the audit chain: its tip (seq and hash) and when it was read, kept outside the
database (posted daily to the supervisors' channel, or appended to a file by `lom-bot audit
anchor`). Given back to `lom-bot audit verify`, an anchor catches a rewrite or truncation of
the chain before it, and an entry appended after it but dated before it (back-dated)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from lom_bot.domain.errors import InvalidInput
from lom_bot.store.tables import AuditHead
from lom_bot.store.uow import UnitOfWork

_ANCHOR = re.compile(r"^\s*(\d+):([0-9a-fA-F]{8,64})(?:@(\S+))?\s*$")
EXAMPLE = "1042:9b3a32d44fdedcbc@2026-12-04T07:05:00+00:00"


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: datetime | None = None

    def __str__(self) -> str:
        when = f"@{self.at.isoformat(timespec='seconds')}" if self.at else ""
        return f"{self.seq}:{self.hash}{when}"


def current_anchor(uow: UnitOfWork) -> Anchor:
    """The chain's tip now (from its head row), stamped with the time it was read."""
    with uow:
        return anchor_in(uow)


def anchor_in(uow: UnitOfWork) -> Anchor:
    """current_anchor, inside a unit of work already open (a scheduled job's)."""
    head = uow.session.get(AuditHead, 1)
    seq, digest = (head.seq, head.hash) if head is not None else (0, "0" * 64)
    return Anchor(seq, digest, uow.clock.now().astimezone(UTC).replace(microsecond=0))


def parse_anchor(text: str) -> Anchor:
    """`SEQ:HASH` or `SEQ:HASH@TIME` (as an anchor post or `lom-bot audit anchor` wrote it)."""
    found = _ANCHOR.match(text)
    if found is None:
        raise InvalidInput(f"'{text.strip()[:80]}' is not an anchor.", example=EXAMPLE)
    at = None
    if found[3]:
        try:
            at = datetime.fromisoformat(found[3])
        except ValueError:
            raise InvalidInput(f"'{found[3]}' is not a time.", example=EXAMPLE) from None
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
    return Anchor(int(found[1]), found[2].lower(), at)


def anchors_from(lines: list[str]) -> list[Anchor]:
    """Anchors from a file's lines (blank lines and # comments skipped)."""
    return [parse_anchor(line) for line in lines if line.strip() and not line.startswith("#")]
