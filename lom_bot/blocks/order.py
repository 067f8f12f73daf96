"""The order card: status and dates, conditions, history, checklists and next-step buttons."""

from __future__ import annotations

from datetime import date
from typing import Any

from lom_bot.blocks.common import (
    MESSAGE_BLOCKS_MAX,
    RERUN,
    SECTION_MAX,
    Block,
    actions,
    button,
    clip,
    context_note,
    divider,
    escape,
    header,
    section,
)
from lom_bot.domain.dates import format_date
from lom_bot.services.orders.history import AsOf
from lom_bot.services.orders.view import HistoryRow, OrderView

HISTORY_ON_CARD = 6


def _status(value: str | None) -> str:
    return (value or "—").replace("_", " ")


def _iso(value: str | None) -> str:
    return format_date(date.fromisoformat(value)) if value else "—"


def summary_line(order: dict[str, Any]) -> str:
    """`SCPO-0001 active (v2): made 02/11/2026 at Leeds Crown Court, 20/11/2026 to ...`."""
    text = f"*Order {order['ref']}:* {_status(order['status'])} (version {order['version']})"
    if order.get("made_on"):
        text += f", made {_iso(order['made_on'])} at {escape(order.get('court') or '—')}"
    start, end = order.get("activated_on") or order.get("starts_on"), order.get("expires_on")
    if start or end:
        text += f"; in force from {_iso(start)}"
        text += f" to the end of {_iso(end)}" if end else ", end date not yet known"
        if not order.get("activated_on"):
            text += " (expected)"
    if order.get("pending_court_event"):
        text += f"\n:hourglass: {order['pending_court_event']} pending before the court"
    return text


def _history_line(row: HistoryRow) -> str:
    note = f": {escape(row.note)}" if row.note else ""
    return f"• {format_date(row.on)} *{_status(row.kind)}*{note[:300]} _({escape(row.by or '—')})_"


# Steps a court or a review may later ask about, which no one can take back: Slack asks
# "Are you sure?" before the click is sent.
IRREVERSIBLE = frozenset(
    {
        "approve", "return", "submit", "grant", "refuse", "activate", "override", "vary",
        "extend", "discharge", "transfer_out", "accept", "closure", "expire", "close",
        "expiry_letter", "visit_record",
    }
)  # fmt: skip


def confirm_dialog(label: str, ref: str) -> Block:
    """Block Kit's confirmation dialog for an irreversible step."""
    return {
        "title": {"type": "plain_text", "text": "Are you sure?"},
        "text": {
            "type": "mrkdwn",
            "text": clip(
                f"*{escape(label)}* for {ref} goes into the order's history for good "
                "(a court may ask about it). Check before you confirm.",
                300,
            ),
        },
        "confirm": {"type": "plain_text", "text": "Yes, record it"},
        "deny": {"type": "plain_text", "text": "Cancel"},
    }


def step_buttons(view: OrderView) -> list[Block]:
    """One button per next step; each re-runs `/lom order <ref> <step>` (a button is a command).
    An irreversible step's button asks for confirmation first."""
    ref = view.subject_ref
    found = []
    for s in view.steps:
        element = button(s.label, RERUN, f"order {ref} {s.key}")
        if s.key in IRREVERSIBLE:
            element["confirm"] = confirm_dialog(s.label, ref)
        found.append(element)
    return actions(found[:25], block_id=f"order_steps_{ref}") if found else []


def order_section_blocks(
    view: OrderView, *, buttons: bool = True, history_rows: int = HISTORY_ON_CARD
) -> list[Block]:
    """The order part of a card (for the subject card too): summary, recent history, buttons."""
    blocks: list[Block] = [section(summary_line(view.order))]
    lines = [_history_line(r) for r in view.history[-history_rows:]]
    earlier = len(view.history) - history_rows
    if earlier > 0:
        lines.insert(0, f"_{earlier} earlier event(s): `/lom order {view.subject_ref} history`_")
    if lines:
        blocks.append(section("*History*\n" + "\n".join(lines)))
    extra = [f"*Link:* {escape(line)}" for line in view.links]
    extra += [f":hourglass: *Still owed:* {escape(line)}" for line in view.owed]
    extra += _open_checklists(view)
    if view.visit:
        extra.append(f"*Education visit:* {escape(view.visit)}")
    if view.transfer:
        extra.append(f"*Transfer:* {escape(view.transfer)}")
    if view.days_to_decision is not None:
        extra.append(f"*Proposal to decision:* {view.days_to_decision} days")
    if extra:
        blocks.append(section("\n".join(extra)))
    if view.read_only:
        blocks.append(context_note("Read-only: transferred out of this force."))
    if buttons:
        blocks += step_buttons(view)
    return blocks


def _open_checklists(view: OrderView) -> list[str]:
    lines = []
    for kind, steps in view.checklists:
        left = [name for name, done, _ in steps if done is None]
        if left:
            lines.append(f"*{_status(kind).capitalize()} checklist, to do:* " + ", ".join(left))
    return lines


def _conditions(order: dict[str, Any]) -> str:
    rows = [
        f"*{c['number']}.* {escape(c['wording'])}"
        + (f" _(duty: {escape(c['duty'])})_" if c.get("duty") else "")
        for c in order["conditions"]
    ]
    return "*Conditions (verbatim)*\n" + ("\n".join(rows) if rows else "none yet")


def order_blocks(view: OrderView, *, buttons: bool = True) -> list[Block]:
    """The full order card for `/lom order <subject>`."""
    blocks = [header(f"{view.subject_ref} {view.subject_name}: order {view.order['ref']}")]
    blocks += order_section_blocks(view, buttons=False)
    blocks.append(divider())
    blocks += [section(part) for part in _chunks(_conditions(view.order))]
    if view.grounds:
        blocks.append(section(f"*Grounds*\n{escape(view.grounds)}"))
    if view.decision_note:
        blocks.append(section(f"*Decision note*\n{escape(view.decision_note)}"))
    if buttons:
        blocks += step_buttons(view)
    return blocks[:MESSAGE_BLOCKS_MAX]


def history_blocks(view: OrderView) -> list[Block]:
    """Every event, oldest first, in as many sections as it takes (never cut silently)."""
    blocks = [header(f"{view.order['ref']} history ({len(view.history)} events)")]
    text = "\n".join(_history_line(r) for r in view.history) or "No events."
    parts = _chunks(text)
    room = MESSAGE_BLOCKS_MAX - 2
    blocks += [section(p) for p in parts[:room]]
    if len(parts) > room:
        blocks.append(context_note("The history continues; ask for it as of a date to see less."))
    return blocks


def as_of_blocks(as_of: AsOf) -> list[Block]:
    """What the order said on a date."""
    snap = as_of.snapshot
    blocks = [
        header(f"{as_of.order_ref} as it stood on {format_date(as_of.on)}"),
        section(summary_line(snap)),
        context_note(
            f"From the record of {_status(as_of.event_kind)} on {format_date(as_of.event_on)}."
        ),
    ]
    blocks += [section(p) for p in _chunks(_conditions(snap))]
    return blocks[:MESSAGE_BLOCKS_MAX]


def _chunks(text: str, limit: int = SECTION_MAX - 20) -> list[str]:
    """Split on line breaks into pieces that fit a section."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        line = line[:limit]
        if current and len(current) + len(line) + 1 > limit:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        parts.append(current)
    return parts
