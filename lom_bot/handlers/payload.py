"""Small readers of Slack interactivity payloads shared by the listeners."""

from __future__ import annotations

from typing import Any


def channel_of(body: dict[str, Any]) -> str:
    """The channel a button was pressed in ('' for a modal or the Home tab)."""
    return str((body.get("channel") or {}).get("id") or "")
