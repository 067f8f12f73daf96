"""Slack's emoji codes, as the console prints them: every code the bot uses, in Unicode."""

from __future__ import annotations

import re

EMOJI = {
    "warning": "⚠️",
    "white_check_mark": "✅",
    "heavy_check_mark": "✔️",
    "x": "❌",
    "lock": "🔒",
    "scales": "⚖️",
    "rotating_light": "🚨",
    "information_source": "ℹ️",
    "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳",
    "calendar": "📅",
    "bell": "🔔",
    "mag": "🔍",
    "page_facing_up": "📄",
    "red_circle": "🔴",
    "large_orange_circle": "🟠",
    "large_yellow_circle": "🟡",
    "large_green_circle": "🟢",
    "eyes": "👀",
    "inbox_tray": "📥",
    "no_entry": "⛔",
    "handshake": "🤝",
}
_CODE = re.compile(r":([a-z0-9_+\-]+):")


def emojize(text: str) -> str:
    """`:scales:` as ⚖️; a code the table does not know stays as typed, as Slack shows it."""
    return _CODE.sub(lambda m: EMOJI.get(m[1], m[0]), text)
