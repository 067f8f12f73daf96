"""Small Block Kit pieces shared by every surface, each kept within Slack's limits."""

from __future__ import annotations

from typing import Any

from lom_bot.domain.text import without_bidi_controls

Block = dict[str, Any]

SECTION_MAX = 3000
HEADER_MAX = 150
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
CONTEXT_MAX = 2000
BUTTONS_PER_ROW = 5
MESSAGE_BLOCKS_MAX = 50

# action ids (the listeners in handlers/actions.py match on these)
RERUN = "lom_rerun"  # value: the /lom text to run, e.g. "subject LOM-0042"
OPEN_FORM = "lom_open_form"  # value: "<form name> <subject ref>", e.g. "order_approve LOM-0042"
LOG_CONTACT = "lom_log_contact"  # value: subject ref
RAISE_TASK = "lom_raise_task"  # value: subject ref
LOG_CHECK = "lom_log_check"  # value: subject ref
DRAFT_CONFIRM = "lom_draft_confirm"  # value: draft id
DRAFT_EDIT = "lom_draft_edit"  # value: draft id


def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters, saying so with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    """Text from people or the database, safe inside mrkdwn (and shown in the order written:
    a right-to-left override would otherwise reverse what follows it on the card)."""
    text = without_bidi_controls(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def header(text: str) -> Block:
    shown = clip(without_bidi_controls(text), HEADER_MAX)
    return {"type": "header", "text": {"type": "plain_text", "text": shown}}


def section(text: str, *, accessory: Block | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_MAX)}}
    if accessory is not None:
        block["accessory"] = accessory
    return block


def fields(pairs: list[tuple[str, str]]) -> Block:
    """A section of up to 10 label/value fields."""
    return {
        "type": "section",
        "fields": [
            {"type": "mrkdwn", "text": clip(f"*{label}*\n{value}", 2000)}
            for label, value in pairs[:10]
        ],
    }


def context_note(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, CONTEXT_MAX)}]}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(text, BUTTON_TEXT_MAX)},
        "action_id": action_id,
        "value": value[:BUTTON_VALUE_MAX],
    }
    if style is not None:
        element["style"] = style
    return element


def actions(buttons: list[Block], *, block_id: str | None = None) -> list[Block]:
    """Buttons in rows of five; action ids are made unique per row as Slack requires."""
    rows: list[Block] = []
    for start in range(0, len(buttons), BUTTONS_PER_ROW):
        row = [dict(b) for b in buttons[start : start + BUTTONS_PER_ROW]]
        seen: dict[str, int] = {}
        for element in row:
            n = seen[element["action_id"]] = seen.get(element["action_id"], 0) + 1
            if n > 1:
                element["action_id"] = f"{element['action_id']}:{n}"
        block: Block = {"type": "actions", "elements": row}
        if block_id is not None:
            block["block_id"] = f"{block_id}:{start // BUTTONS_PER_ROW}"
        rows.append(block)
    return rows


def ambiguous_blocks(
    message: str, candidates: list[tuple[str, str]], command: str, retry_texts: list[str]
) -> list[Block]:
    """A choice of subjects, one button each; a click re-runs the command with that one."""
    buttons = [
        button(label, RERUN, text) for (_, label), text in zip(candidates, retry_texts, strict=True)
    ]
    blocks = [section(f":mag: {escape(message)}")]
    blocks += actions(buttons[:25], block_id=f"choose_{command}")
    if len(candidates) > 25:
        blocks.append(context_note("More match: add a date of birth or use the LOM reference."))
    return blocks
