"""App Home views: an officer's working list, or a district officer's watch list."""

from __future__ import annotations

from datetime import date
from typing import Any

from lom_bot.blocks.common import (
    OPEN_FORM,
    RERUN,
    Block,
    actions,
    button,
    context_note,
    divider,
    escape,
    header,
    section,
)
from lom_bot.blocks.lists import chunks
from lom_bot.blocks.order import confirm_dialog
from lom_bot.blocks.tasks import district_task_blocks
from lom_bot.domain.dates import format_date
from lom_bot.domain.vocab import label
from lom_bot.services.due import KIND_LABEL
from lom_bot.services.home_data import DistrictHome, OfficerHome
from lom_bot.services.supervisor_queue import LABELS, Awaiting, SupervisorQueue

HOME_BLOCKS_MAX = 100


def _lines_section(title: str, lines: list[str], empty: str) -> list[Block]:
    if not lines:
        return [section(f"*{title}:* {empty}")]
    parts = chunks(lines)
    return [section(f"*{title}*\n{parts[0]}"), *(section(c) for c in parts[1:])]


def _view(blocks: list[Block]) -> dict[str, Any]:
    if len(blocks) > HOME_BLOCKS_MAX:
        blocks = blocks[: HOME_BLOCKS_MAX - 1]
        blocks.append(context_note("The list goes on: `/lom subjects` shows all of it."))
    return {"type": "home", "blocks": blocks}


QUEUE_SHOWN = 10  # items with buttons on the Home tab; the counts say how many in all
QUEUE_BUTTONS: dict[Awaiting, list[tuple[str, str, str]]] = {
    # (button, action: RERUN runs "/lom <value>", OPEN_FORM opens a form, value template)
    Awaiting.APPLICATION: [
        ("Approve", RERUN, "order {subject} approve"),
        ("Approve with comment", OPEN_FORM, "order_approve {subject}"),
        ("Return with comment", RERUN, "order {subject} return"),
    ],
    Awaiting.GATE: [("Override the gate", RERUN, "order {subject} override")],
    Awaiting.GOVERNS: [("Decide", RERUN, "order {subject} governs")],
    Awaiting.BREACH: [("Open subject", RERUN, "subject {subject}")],
}


def queue_blocks(queue: SupervisorQueue, shown: int = QUEUE_SHOWN) -> list[Block]:
    """Awaiting you: counts by kind, then the first items each with its buttons."""
    counts = queue.counts()
    total = sum(counts.values())
    said = ", ".join(f"{LABELS[k].lower()}: {n}" for k, n in counts.items() if n)
    blocks: list[Block] = [section(f"*Awaiting you ({total})*" + (f": {said}" if said else ""))]
    for item in queue.items[:shown]:
        text = (
            f"• {LABELS[item.kind]}: `{item.subject_ref}` {escape(item.subject_name)} "
            f"{item.ref}: {escape(item.what)}"
        )
        buttons = []
        for label_, action, value in QUEUE_BUTTONS[item.kind]:
            element = button(label_, action, value.format(subject=item.subject_ref))
            if action == RERUN and item.kind is not Awaiting.BREACH:
                element["confirm"] = confirm_dialog(label_, item.subject_ref)
            buttons.append(element)
        blocks += [section(text), *actions(buttons, block_id=f"queue_{item.ref}")]
    if total > shown:
        blocks.append(context_note(f"{total - shown} more: `/lom queue` lists up to 20."))
    return blocks


def officer_view(home: OfficerHome, today: date) -> dict[str, Any]:
    due = [
        f"• `{line.subject_ref or '—'}` {escape(line.subject_name or '')}: "
        f"{KIND_LABEL[line.kind].lower()}, {escape(line.what)}: *{line.state.value}* "
        f"(due {format_date(line.due_on)}"
        + (f", last {format_date(line.last_done)})" if line.last_done else ")")
        for line in home.due
    ]
    breaches = [
        f"• {b.ref} on {ref or 'an unconfirmed subject'}: {label(b.status)}, "
        f"received {format_date(b.received_at.date())}"
        for b, ref in home.breaches
    ]
    releases = [
        f"• `{s.ref}` {escape(s.name)}: expected {format_date(when)}" for s, when in home.releases
    ]
    caseload = [
        f"• `{s.ref}` {escape(s.name)}: {label(s.risk_level)} risk, {label(s.custody_status)}"
        for s in home.subjects
    ]
    blocks: list[Block] = [header(f"Your caseload ({len(home.subjects)}) on {format_date(today)}")]
    if home.queue is not None:
        blocks += [*queue_blocks(home.queue), divider()]
    blocks += _lines_section("Due or overdue", due, "nothing")
    blocks.append(divider())
    blocks += _lines_section("Open breach reports", breaches, "none")
    blocks.append(divider())
    blocks += _lines_section("Releases in the next 30 days", releases, "none")
    blocks.append(divider())
    blocks += _lines_section("Subjects", caseload, "none assigned to you")
    blocks.append(context_note("`/lom subject <ref>` opens a card; `/lom help` lists commands."))
    return _view(blocks)


def district_view(home: DistrictHome) -> dict[str, Any]:
    today = home.today or date.today()
    blocks: list[Block] = [header(f"{home.district}: open tasks ({len(home.tasks)})")]
    if home.tasks:  # the Home tab is the officer's own: a curfew check shows its address
        blocks += district_task_blocks(home.tasks, today, detail=True)
    else:
        blocks.append(section("No open tasks for your district."))
    blocks += [divider(), header(f"{home.district}: subjects on an order")]
    if not home.subjects:
        blocks.append(section("No subjects on an order in force in the community here."))
    for subject, conditions in home.subjects:
        watch = [f"• {escape(c.watch_for or c.wording)}" for c in conditions]
        text = f"*`{subject.ref}` {escape(subject.name)}*"
        text += "\n" + ("\n".join(watch) if watch else "_no conditions recorded_")
        blocks.append(section(text))
    blocks.append(
        context_note("Seen something? Post it in your district channel or in a message to lom-bot.")
    )
    return _view(blocks)


def not_authorised_view(message: str) -> dict[str, Any]:
    return {"type": "home", "blocks": [section(message)]}
