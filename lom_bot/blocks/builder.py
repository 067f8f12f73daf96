"""A link to Slack's Block Kit Builder showing a payload: anyone can see the real rendering of
a card, digest or Home tab without a workspace of their own."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

BUILDER = "https://app.slack.com/block-kit-builder"


def builder_payload(
    blocks: list[dict[str, Any]],
    *,
    surface: str = "message",
    attachments: list[dict[str, Any]] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """What the builder takes for each surface: a message's blocks (and attachments), or a
    view (`home`, `modal`) with its type."""
    if surface == "message":
        payload: dict[str, Any] = {"blocks": blocks}
        if attachments:
            payload["attachments"] = attachments
        return payload
    view: dict[str, Any] = {"type": surface, "blocks": blocks}
    if surface == "modal":
        view["title"] = {"type": "plain_text", "text": (title or "lom-bot")[:24]}
    return view


def builder_url(payload: dict[str, Any]) -> str:
    """The builder's address with the payload URL-encoded in the fragment, as the builder's own
    "copy link" makes it (the fragment is read by the page, not sent to a server)."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return f"{BUILDER}#{quote(text, safe='')}"
