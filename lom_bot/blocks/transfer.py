"""A transfer pack shared into the LOM team channel: the dry run and the buttons to import it."""

from __future__ import annotations

import json

from lom_bot.blocks.common import Block, actions, button, context_note, escape, section
from lom_bot.blocks.history import are_you_sure

IMPORT_PACK = "lom_transfer_import"  # value: {"file": Slack file id, "district": name}
MAX_DISTRICT_BUTTONS = 24


def pack_offer_blocks(
    dry_run: str, file_id: str, district: str | None, districts: list[str]
) -> list[Block]:
    """The dry run's lines, then one Import button (the pack's district is ours) or one per
    district here (it is not)."""
    blocks = text_blocks(dry_run)
    choices = [district] if district is not None else districts[:MAX_DISTRICT_BUTTONS]
    row = [
        button(
            f"Import into {name}",
            IMPORT_PACK,
            json.dumps({"file": file_id, "district": name}),
            style="primary" if len(choices) == 1 else None,
        )
        for name in choices
    ]
    for element, name in zip(row, choices, strict=True):  # a subject is created: ask first
        element["confirm"] = are_you_sure(
            f"The pack's subject and record are created in *{escape(name)}*."
        )
    blocks += actions(row, block_id=f"transfer_import_{file_id}"[:255])
    blocks.append(context_note("Nothing is created until a supervisor presses Import."))
    return blocks


def text_blocks(text: str) -> list[Block]:
    """Plain text as sections, split on lines so none is cut."""
    return [section(escape(part)) for part in _parts(text)]


MAX_PARTS = 40  # sections, leaving room for the buttons under Slack's 50 blocks


def _parts(text: str, limit: int = 2900) -> list[str]:
    parts, current = [], ""
    for line in (piece for whole in text.split("\n") for piece in _wrapped(whole, limit)):
        if current and len(current) + len(line) + 1 > limit:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    parts.append(current)
    if len(parts) > MAX_PARTS:  # said, never cut silently
        more = len(parts) - MAX_PARTS + 1
        parts = [*parts[: MAX_PARTS - 1], f"…and {more} more parts: `lom-bot import transfer` "
                 "with the file shows the whole result."]  # fmt: skip
    return parts


def _wrapped(line: str, limit: int) -> list[str]:
    """A line longer than a section, broken at spaces (or hard, with no space to break at)."""
    out = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit)
        cut = cut if cut > 0 else limit
        out.append(line[:cut])
        line = line[cut:].lstrip(" ")
    return [*out, line]
