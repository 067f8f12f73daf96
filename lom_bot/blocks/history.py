"""Corrections in chat: the Correct button on a confirmation or a card line, and a subject's
record history (every superseded value, who, when and why)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from lom_bot.blocks.common import (
    Block,
    actions,
    button,
    clip,
    context_note,
    escape,
    header,
    section,
)
from lom_bot.services.record_history import RecordHistory

CORRECT = "lom_correct"  # value: the record's reference (CON-00012, INT-00003, LOM-0042)
EDIT_SUBJECT = "lom_edit_subject"  # value: "<part>:<subject ref>", e.g. "status:LOM-0042"
EDIT_PARTS = (
    ("identity", "Identity"),
    ("status", "Custody & risk"),
    ("address", "Address"),
    ("description", "Description"),
    ("release", "Release date"),
)


def edit_buttons(ref: str) -> list[Block]:
    """The card's Edit row: one form per part of the record."""
    row = [
        button(f"Edit {label.lower()}", EDIT_SUBJECT, f"{part}:{ref}") for part, label in EDIT_PARTS
    ]
    return actions(row, block_id=f"edit_{ref}")


PER_SECTION = 8


def are_you_sure(what: str) -> Block:
    """Block Kit's confirmation dialog for a button that records something for good."""
    return {
        "title": {"type": "plain_text", "text": "Are you sure?"},
        "text": {"type": "mrkdwn", "text": clip(what, 300)},
        "confirm": {"type": "plain_text", "text": "Yes, record it"},
        "deny": {"type": "plain_text", "text": "Cancel"},
    }


def confirmation(text: str, record_ref: str) -> list[Block]:
    """A record just saved, with its reference and a Correct button."""
    return [
        section(text),
        context_note(
            f"Reference {record_ref}. Wrong? Correct it (the earlier value is kept): "
            f"`/lom correct {record_ref} FIELD NEW-VALUE because REASON`"
        ),
        *actions([button("Correct", CORRECT, record_ref)], block_id=f"correct_{record_ref}"),
    ]


def history_blocks(history: RecordHistory, tz: ZoneInfo) -> list[Block]:
    blocks: list[Block] = [header(f"History of {history.subject_ref} {history.name}")]
    lines = []
    for line in reversed(history.lines):  # newest first
        when = line.at.astimezone(tz).strftime("%d/%m/%Y %H:%M")
        verb = "*corrected*" if line.correction else "changed"
        what = f"{escape(line.record_ref)} {escape(line.field.replace('_', ' '))}"
        before = escape(clip(line.before or "blank", 200))
        after = escape(clip(line.after or "blank", 200))
        text = f"{when} {what} {verb}: ~{before}~ → {after} ({escape(line.who)})"
        if line.reason:
            text += f"\n      _why: {escape(clip(line.reason, 300))}_"
        lines.append(text)
    if not lines:
        blocks.append(section("Nothing has been corrected or changed."))
    for start in range(0, min(len(lines), 40), PER_SECTION):
        blocks.append(section("\n".join(lines[start : start + PER_SECTION])))
    if len(lines) > 40:
        blocks.append(
            context_note(
                f"Newest 40 of {len(lines)}. The full history: "
                f"`lom-bot audit export --subject {history.subject_ref}`."
            )
        )
    return blocks
