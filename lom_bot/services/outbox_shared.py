"""Sharing one Slack post between several outbox messages during a burst.

Slack takes about one message a second per channel, so a burst of 480 district reports would
keep #triage (and each district channel's receipts) behind for minutes. A message queued with a
`COALESCE` group and its `COMPACT` blocks may go out in a post shared with the others of its
channel and group that are due at the same time: each report with its own buttons, within
Slack's 50 blocks. Singly, it goes out as queued."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

COALESCE, COMPACT, SUMMARY = "_coalesce", "_compact", "_summary"
PRIVATE = frozenset({COALESCE, COMPACT, SUMMARY})
SHARE_FROM = 3  # due together in one channel and group: from this many they share posts
BLOCKS_MAX = 50
HEADINGS = {
    "triage": ":rotating_light: *{n} breach reports arrived together.* Each has its buttons "
    "below; what happens to them later is posted in this thread.",
    "receipt": ":white_check_mark: Thank you. Recorded and sent to the LOM team:",
}


class Queued(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def method(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def payload(self) -> dict[str, Any]: ...
    @property
    def after_id(self) -> int | None: ...


Q = TypeVar("Q", bound=Queued)


def public(payload: dict[str, Any]) -> dict[str, Any]:
    """What Slack is sent: the payload without the outbox's own keys."""
    return {key: value for key, value in payload.items() if key not in PRIVATE}


def plan(messages: Sequence[Q]) -> list[list[Q]]:
    """The sends for a claimed batch, oldest first: each one message, or several of a channel's
    group sharing a post (never more blocks than a message takes)."""
    groups: dict[tuple[str, str], list[Q]] = {}
    for message in messages:
        group = _group(message)
        if group is not None:
            groups.setdefault((message.channel, group), []).append(message)
    sends: list[list[Q]] = []
    shared: set[int] = set()
    for members in groups.values():
        if len(members) >= SHARE_FROM:
            sends += _chunks(members)
            shared.update(m.id for m in members)
    sends += [[m] for m in messages if m.id not in shared]
    return sorted(sends, key=lambda send: send[0].id)


def _group(message: Queued) -> str | None:
    """Its group, if it may share a post; one that may have reached Slack already goes alone
    (it is looked up first, by its own id)."""
    group = message.payload.get(COALESCE)
    ok = message.method == "post" and message.after_id is None and group in HEADINGS
    ok = ok and not getattr(message, "maybe_sent", False)
    return str(group) if ok and message.payload.get(COMPACT) else None


def _chunks(members: list[Q]) -> list[list[Q]]:
    chunks: list[list[Q]] = [[]]
    used = 1  # the heading
    for member in members:
        size = len(member.payload[COMPACT])
        if chunks[-1] and used + size > BLOCKS_MAX:
            chunks.append([])
            used = 1
        chunks[-1].append(member)
        used += size
    return chunks


def shared_payload(members: Sequence[Queued]) -> dict[str, Any]:
    """One post for several messages: a heading, then each one's compact blocks."""
    group = str(members[0].payload[COALESCE])
    heading = HEADINGS[group].format(n=len(members))
    refs = ", ".join(str(m.payload.get(SUMMARY, "")) for m in members)
    heading_block = {"type": "section", "text": {"type": "mrkdwn", "text": heading}}
    blocks = [heading_block] + [b for m in members for b in m.payload[COMPACT]]
    return {"text": f"{heading} {refs}"[:3000], "blocks": blocks, "unfurl_links": False}
