"""Slack's emoji codes, as the console prints them: in Unicode, as Slack shows them."""

from __future__ import annotations

import re

import emoji

# Slack's own names where they differ from the emoji library's aliases.
SLACK_NAMES = {
    "calendar": "📅",
    "large_blue_circle": "🔵",
    "large_green_circle": "🟢",
    "large_orange_circle": "🟠",
    "large_yellow_circle": "🟡",
}
_CODE = re.compile(r":([a-z0-9_+\-]+):")


def _one(match: re.Match[str]) -> str:
    if match[1] in SLACK_NAMES:
        return SLACK_NAMES[match[1]]
    return str(emoji.emojize(match[0], language="alias"))


def emojize(text: str) -> str:
    """`:scales:` as ⚖️; a code nobody knows stays as typed, as Slack shows it."""
    return _CODE.sub(_one, text)
