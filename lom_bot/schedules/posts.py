"""What a job wants to post, queued through the outbox or printed for a dry run."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, replace
from typing import Any

from lom_bot.blocks.common import Block
from lom_bot.config import AppConfig
from lom_bot.store.classification import Classification
from lom_bot.store.tables import OutboxMessage
from lom_bot.store.uow import UnitOfWork


@dataclass(frozen=True)
class Post:
    """One Slack call a job plans: a message, or a file upload (method "upload")."""

    channel: str
    text: str
    blocks: list[Block] | None = None
    classification: Classification = Classification.DETAIL
    subjects: tuple[str, ...] = ()  # audited as disclosed to the channel
    thread_under: int | None = None  # index of an earlier post of the same run
    method: str = "post"
    content: bytes | None = None  # the file, for an upload
    filename: str | None = None
    purpose: str = "scheduled post"

    def payload(self) -> dict[str, Any]:
        if self.method == "upload":
            return {
                "content": base64.b64encode(self.content or b"").decode("ascii"),
                "filename": self.filename or "file",
                "title": self.text,
            }
        payload: dict[str, Any] = {"text": self.text, "unfurl_links": False}
        if self.blocks:
            payload["blocks"] = self.blocks
        return payload


def thread(
    messages: list[tuple[str, list[Block]]],
    channel: str,
    *,
    classification: Classification = Classification.DETAIL,
    subjects: tuple[str, ...] = (),
    purpose: str = "scheduled post",
) -> list[Post]:
    """The first message posted, the rest as replies in its thread (subjects audited once)."""
    return [
        Post(
            channel,
            text,
            blocks,
            classification=classification,
            subjects=subjects if n == 0 else (),
            thread_under=None if n == 0 else 0,
            purpose=purpose,
        )
        for n, (text, blocks) in enumerate(messages)
    ]


def publish(uow: UnitOfWork, job: str, period: str, posts: list[Post], first: int = 0) -> int:
    """Queue the posts in the outbox within the caller's transaction; returns how many.

    The dedupe key (job, period, index) makes a second queueing of the same run impossible
    even if the ledger were bypassed.
    """
    queued: list[OutboxMessage] = []
    for n, post in enumerate(posts):
        offset = first + n
        after = queued[post.thread_under] if post.thread_under is not None else None
        queued.append(
            uow.send(
                post.method,
                post.channel,
                post.payload(),
                classification=post.classification,
                subjects=post.subjects,
                purpose=post.purpose,
                dedupe_key=f"job:{job}:{period}:{offset}"[:120],
                after=after,
            )
        )
    return len(queued)


def as_text(posts: list[Post], config: AppConfig) -> str:
    """What the posts would say, readable in a terminal (for --dry-run)."""
    if not posts:
        return "(nothing to post)"
    out = []
    for n, post in enumerate(posts, start=1):
        channel = config.channel_by_id(post.channel)
        where = f"#{channel.name}" if channel else post.channel
        reply = (
            f", in the thread of post {post.thread_under + 1}"
            if post.thread_under is not None
            else ""
        )
        level = post.classification.name.lower()
        if post.method == "upload":
            size = len(post.content or b"")
            out.append(
                f"=== {n}. upload {post.filename} ({size:,} bytes) to {where}{reply} "
                f"[{level}] ===\n{post.text}"
            )
            continue
        out.append(f"=== {n}. post to {where}{reply} [{level}] ===")
        out.append(blocks_text(post.blocks) if post.blocks else post.text)
    return "\n".join(out)


def blocks_text(blocks: list[Block]) -> str:
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = block["text"]["text"]
            lines += [title, "-" * len(title)]
        elif kind == "section":
            text = block.get("text", {}).get("text", "")
            for field in block.get("fields", []):
                text += "\n" + field["text"]
            accessory = block.get("accessory")
            if accessory and accessory.get("type") == "button":
                # one line per item in a terminal, its button at the end
                text = "• " + text.replace("\n", " · ") + f"  [{accessory['text']['text']}]"
            lines.append(text.replace("```", ""))
        elif kind == "context":
            lines.append("  " + " ".join(e.get("text", "") for e in block["elements"]))
        elif kind == "actions":
            lines.append("    " + " ".join(f"[{e['text']['text']}]" for e in block["elements"]))
        elif kind == "divider":
            lines.append("")
    return _MENTION.sub(r"@\1", "\n".join(lines))


_MENTION = re.compile(r"<@([UW][A-Z0-9]+)>")


def combine(groups: list[list[Post]]) -> list[Post]:
    """Several threaded groups in one run: thread indexes shifted to the combined list."""
    out: list[Post] = []
    for group in groups:
        offset = len(out)
        out += [
            replace(p, thread_under=None if p.thread_under is None else p.thread_under + offset)
            for p in group
        ]
    return out
