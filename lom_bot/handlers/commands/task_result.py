"""/lom task result <task> <done|not found|needs lom> [HH:MM] [what was seen] [for LOM: ...]."""

from __future__ import annotations

import re

from lom_bot.blocks.history import confirmation
from lom_bot.domain import vocab
from lom_bot.domain.enums import TaskResult
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.forms import Form, FormField, Values, fill_or_run, form
from lom_bot.handlers.registry import CommandContext, Reply
from lom_bot.services.task_results import RESULT_WORDS, RecordTaskResult, record_task_result

USAGE = "task result <task> <result> [time] [what you saw] [for LOM: ...]"
_FOR_LOM = re.compile(r"\bfor (?:the )?lom(?: team)?\s*:", re.IGNORECASE)
RESULT_OPTIONS = tuple((r.value, words) for r, words in RESULT_WORDS.items())
_TIME = re.compile(r"^\d{1,2}[:.]?\d{2}$")


def run(ctx: CommandContext, values: Values) -> Reply:
    result = vocab.lookup(values.get("result", ""), vocab.TASK_RESULTS)
    if not isinstance(result, TaskResult):
        raise InvalidInput(
            f"'{values.get('result', '')[:30]}' is not a result.",
            field="result",
            example="done, not found or needs lom",
        )
    cmd = RecordTaskResult(
        task=values["task"],
        result=result,
        seen=values.get("seen", ""),
        at=values.get("at") or None,
        for_lom=values.get("for_lom") or None,
    )
    done = record_task_result(ctx.rt.uow(), ctx.actor, cmd)
    told = f" {done.told} (who raised it) is told by DM." if done.told else ""
    text = (
        f":white_check_mark: {done.ref} for {done.subject_ref}: "
        f"{RESULT_WORDS[done.result]} recorded.{told}"
    )
    return Reply(text, blocks=confirmation(text, done.ref))


FORM = form(
    Form(
        name="task_result",
        title="Task result",
        submit="Record result",
        fields=(
            FormField("task", "Task", placeholder="T-00012"),
            FormField("result", "Result", "select", RESULT_OPTIONS),
            FormField("at", "Time (24-hour)", optional=True, placeholder="23:10"),
            FormField("seen", "What was seen or done", "multiline"),
            FormField("for_lom", "Anything for the LOM team", "multiline", optional=True),
        ),
        run=run,
    )
)


def parse(text: str) -> Values:
    """`T-00012 not found 23:10 no answer at the door for LOM: car gone` into field values."""
    parts = _FOR_LOM.split(text, maxsplit=1)
    text, for_lom = parts[0], (parts[1] if len(parts) > 1 else "")
    words = text.split()
    values: Values = {}
    if not words:
        return values
    values["task"] = words[0]
    i = 1
    if i < len(words):
        hit = vocab.match_at(words, i, vocab.TASK_RESULTS)
        if hit is None:
            values["result"] = words[i]  # validation names it
            i += 1
        else:
            values["result"] = " ".join(words[hit.start : hit.end])
            i = hit.end
    if i < len(words) and _TIME.match(words[i]):
        values["at"] = words[i]
        i += 1
    if i < len(words):
        values["seen"] = " ".join(words[i:])
    if for_lom.strip():
        values["for_lom"] = for_lom.strip()
    return values


def task_result_command(ctx: CommandContext, text: str) -> Reply:
    return fill_or_run(ctx, FORM, parse(text), USAGE)
