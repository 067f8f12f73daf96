"""What the bot understood from a plain message, with Confirm and Edit buttons."""

from __future__ import annotations

from lom_bot.blocks.common import (
    DRAFT_CONFIRM,
    DRAFT_EDIT,
    Block,
    actions,
    button,
    context_note,
    escape,
    fields,
    section,
)

FIELD_LABELS = {
    "kind": "Kind",
    "outcome": "Outcome",
    "result": "Result",
    "grading": "Grading",
    "date": "Date",
    "notes": "Notes",
    "text": "Intelligence",
}


def draft_blocks(
    form: str,
    values: dict[str, str],
    subject_label: str | None,
    questions: list[str],
    draft_id: int,
    *,
    date_assumed: bool,
    guesses: list[str] | None = None,
) -> list[Block]:
    pairs = [("Subject", escape(subject_label or values.get("subject") or "?"))]
    pairs.append(("Record", form))
    for name, label in FIELD_LABELS.items():
        if values.get(name):
            shown = escape(values[name].replace("_", " "))
            if name == "date" and date_assumed:
                shown += " (today: put a date in the message, or Edit, to change it)"
            pairs.append((label, shown))
    blocks: list[Block] = [section("*This is what I understood:*"), fields(pairs)]
    if guesses:
        listed = "\n".join(f"• {escape(g)}" for g in guesses)
        blocks.append(section(f"*Guessed, check before you confirm:*\n{listed}"))
    if questions:
        blocks.append(section("*Before I can save it:*\n" + "\n".join(f"• {q}" for q in questions)))
    buttons = [button("Edit", DRAFT_EDIT, str(draft_id))]
    if not questions:
        buttons.insert(0, button("Confirm", DRAFT_CONFIRM, str(draft_id), style="primary"))
    blocks += actions(buttons, block_id=f"draft_{draft_id}")
    blocks.append(context_note("Nothing is saved until you confirm."))
    return blocks
