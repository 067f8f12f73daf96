"""What a district sees of a task: its line and the Done / Not found / Needs LOM buttons.

Kept in services (plain dicts) because a new task's post is queued in the same unit of work
that raises it; blocks/tasks.py lays out lists of them from these same pieces.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import TaskKind, TaskResult
from lom_bot.domain.text import without_bidi_controls
from lom_bot.domain.vocab import label

RERUN = "lom_rerun"  # the same action id as blocks.common.RERUN: the button runs a /lom text
RESULT_BUTTONS = (
    ("Done", TaskResult.DONE, "primary"),
    ("Not found", TaskResult.NOT_FOUND, None),
    ("Needs LOM", TaskResult.NEEDS_LOM, "danger"),
)
ADDRESS_KINDS = frozenset({TaskKind.CURFEW_CHECK, TaskKind.HOME_VISIT})
ADDRESS_ELSEWHERE = "address on your lom-bot App Home"


def _escape(text: str) -> str:
    text = without_bidi_controls(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def result_buttons(task_ref: str) -> dict[str, Any]:
    """One actions block; each button runs `/lom task result <ref> <result>` (the form)."""
    elements = []
    for n, (text, result, style) in enumerate(RESULT_BUTTONS, start=1):
        element: dict[str, Any] = {
            "type": "button",
            "text": {"type": "plain_text", "text": text},
            "action_id": RERUN if n == 1 else f"{RERUN}:{n}",  # unique in the block
            "value": f"task result {task_ref} {result.value}",
        }
        if style:
            element["style"] = style
        elements.append(element)
    return {"type": "actions", "block_id": f"task_{task_ref}"[:255], "elements": elements}


def when_due(due_on: date, today: date) -> str:
    if due_on < today:
        return f"*overdue* (due {format_date(due_on)})"
    if due_on == today:
        return "due today"
    return f"due {due_on:%a} {format_date(due_on)}"


def task_text(
    ref: str, kind: TaskKind, subject_ref: str, due: str, address: str | None, *, detail: bool
) -> str:
    """A task's line; a curfew check's address only where detail may go, else where to see it."""
    line = f"`{ref}` {label(kind)} · subject `{subject_ref}` · {due}"
    if address and detail:
        line += f"\n:house: {_escape(address)[:500]}"
    elif address:
        line += f" · {ADDRESS_ELSEWHERE}"
    return line


def new_task_blocks(
    ref: str,
    kind: TaskKind,
    subject_ref: str,
    due_on: date,
    today: date,
    address: str | None,
    *,
    detail: bool,
) -> list[dict[str, Any]]:
    """The post a district gets when a task is raised."""
    line = task_text(ref, kind, subject_ref, when_due(due_on, today), address, detail=detail)
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*New task* {line}"}},
        result_buttons(ref),
    ]
