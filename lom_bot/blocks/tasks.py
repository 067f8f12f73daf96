"""A district's tasks: one line each with Done / Not found / Needs LOM buttons."""

from __future__ import annotations

from datetime import date

from lom_bot.blocks.common import Block, section
from lom_bot.services.digest import DistrictTask
from lom_bot.services.task_post import result_buttons, task_text, when_due


def district_task_blocks(tasks: list[DistrictTask], today: date, *, detail: bool) -> list[Block]:
    """Overdue first, then by due date; each task a line and a row of result buttons."""
    blocks: list[Block] = []
    for task in sorted(tasks, key=lambda t: (not t.overdue, t.due_on, t.ref)):
        due = when_due(task.due_on, today)
        text = task_text(task.ref, task.kind, task.subject_ref, due, task.address, detail=detail)
        blocks += [section(text), result_buttons(task.ref)]
    return blocks
