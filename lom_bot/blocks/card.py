"""The subject card: identifiers, order, conditions, last contacts, open items, next actions."""

from __future__ import annotations

from datetime import date

from lom_bot.blocks.common import (
    LOG_CHECK,
    LOG_CONTACT,
    RAISE_TASK,
    RERUN,
    Block,
    actions,
    button,
    clip,
    context_note,
    divider,
    escape,
    fields,
    header,
    section,
)
from lom_bot.blocks.history import CORRECT, edit_buttons
from lom_bot.blocks.order import order_section_blocks
from lom_bot.domain.dates import format_date
from lom_bot.domain.order_dates import runs_to
from lom_bot.domain.vocab import label
from lom_bot.services.corrections import record_ref
from lom_bot.services.readmodels.card import Card

MAX_CONDITIONS_SHOWN = 12


def _identifiers(card: Card) -> list[tuple[str, str]]:
    s = card.subject

    def mark(field: str, text: str) -> str:
        return f"{text} _(corrected)_" if (s.ref, field) in card.corrected else text

    pairs = [
        ("Reference", s.ref),
        ("District", mark("district", s.district)),
        ("Custody", mark("custody", label(s.custody_status))),
    ]
    if card.limited:
        return pairs
    pairs += [
        ("Risk", mark("risk", label(s.risk_level))),
        ("Born", mark("born", format_date(s.born_on))),
        ("PNC ID", mark("pnc", s.pnc_id or "—")),
        ("Niche / ViSOR", f"{s.niche_id or '—'} / {s.visor_ref or '—'}"),
        ("Prison number", s.prison_number or "—"),
        ("Officer", escape(_officer(card))),
    ]
    return pairs


def _officer(card: Card) -> str:
    if card.officer and card.cover:
        return f"{card.officer} ({card.cover})"
    return card.officer or "unassigned"


def _release(card: Card) -> str | None:
    """Every release date held (the newest of each kind), marked where one was corrected."""
    if not card.release or card.limited:
        return None
    parts = []
    for kind, on in card.release.items():
        text = f"{kind.value.upper()} {format_date(on)}"
        if (card.subject.ref, f"release {kind.value.upper()}") in card.corrected:
            text += " _(corrected)_"
        parts.append(text)
    return "*Release dates:* " + ", ".join(parts)


def _order(card: Card) -> str:
    order = card.order
    if order is None:
        return "*Order:* none recorded"
    parts = [f"*Order {order.ref}:* {label(order.status)}"]
    if order.made_on:
        parts.append(f"made {format_date(order.made_on)}")
    if order.activated_on:
        parts.append(f"active from {format_date(order.activated_on)}")
    elif order.starts_on:
        parts.append(f"starts {format_date(order.starts_on)}")
    if order.expires_on:
        parts.append(runs_to(order.expires_on))
    text = ", ".join(parts)
    if card.expected_release and not card.limited:
        text += f"\n*Expected release:* {format_date(card.expected_release)}"
    return text


def _conditions(card: Card) -> str:
    if not card.conditions:
        return "*Conditions:* none recorded"
    lines = ["*Conditions*"]
    for c in card.conditions[:MAX_CONDITIONS_SHOWN]:
        line = f"{c.number}. {escape(clip(c.wording, 200))}"
        if c.watch_for:
            line += f"\n      _watch for: {escape(c.watch_for)}_"
        if c.duty_description and not card.limited:
            line += f"\n      _duty: {escape(c.duty_description)}_"
        lines.append(line)
    hidden = len(card.conditions) - MAX_CONDITIONS_SHOWN
    if hidden > 0:
        lines.append(f"…and {hidden} more: `/lom order {card.subject.ref}` lists them all.")
    return "\n".join(lines)


def _contacts(card: Card, buttons: bool) -> list[Block]:
    """The last contacts, each with its reference and, on a live card, a Correct button."""
    if not card.contacts:
        return [section("*Last contacts:* none recorded")]
    blocks = [section("*Last contacts*")]
    for c in card.contacts:
        ref = record_ref("contact", c.id)
        line = f"• {format_date(c.occurred_on)} {label(c.kind)}: {label(c.outcome)} ({ref})"
        if c.corrected:
            line += " _(corrected: `/lom subject " + card.subject.ref + " history`)_"
        accessory = button("Correct", CORRECT, ref) if buttons and c.id else None
        blocks.append(section(line, accessory=accessory))
    return blocks


RESULT_WORDS = {"done": "done", "not_found": "not found", "needs_lom": "*needs LOM*"}


def _task_results(card: Card) -> list[Block]:
    """What districts found on the latest tasks (the subject's history of tasking)."""
    if not card.task_results:
        return []
    lines = ["*Task results*"]
    for t in card.task_results:
        when = format_date(t.done_on) + (f" {t.done_time}" if t.done_time else "")
        line = f"• {when} {t.ref} {label(t.kind)}: {RESULT_WORDS[t.result.value]}. "
        line += escape(clip(t.seen, 300))
        if t.for_lom:
            line += f" _For LOM: {escape(clip(t.for_lom, 300))}_"
        lines.append(line)
    return [section("\n".join(lines))]


def _open_items(card: Card, today: date) -> str:
    lines: list[str] = []
    if card.escalation:
        lines.append(f":warning: *Escalation:* {escape(card.escalation)}")
    for t in card.tasks:
        late = " *overdue*" if t.due_on < today else ""
        lines.append(
            f"• Task {t.ref} ({t.district}): {label(t.kind)} due {format_date(t.due_on)}{late}"
        )
    for b in card.breaches:
        lines.append(f"• Breach report {b.ref}: {label(b.status)}")
    for f in card.follow_ups:
        lines.append(f"• {label(f.kind).capitalize()} due {format_date(f.due_on)}")
    for c in card.evidence_awaited:
        lines.append(
            f"• Evidence awaited for the {label(c.kind)} of {format_date(c.occurred_on)}, "
            f"due {format_date(c.evidence_due_on)}"
        )
    return "*Open items*\n" + "\n".join(lines) if lines else "*Open items:* none"


def _intel(card: Card, shown: bool, buttons: bool) -> list[Block]:
    """The latest intelligence, each item marked where corrected and, on a live card, with a
    Correct button (its grading or text)."""
    if not card.intel_count:
        return []
    if not shown:
        return [
            section(
                f"*Intelligence:* {card.intel_count} record(s); open the card in a DM with the "
                "bot or a sensitive channel to see them."
            )
        ]
    blocks = [section(f"*Intelligence* ({card.intel_count}, latest first)")]
    if buttons:
        share = "`/lom intel share INT-REF RECIPIENT PURPOSE` records it (a disclosure)."
        blocks.append(context_note(f"Shared it? {share}"))
    corrected = {ref for ref, _ in card.corrected}
    for i in card.intel:
        grade = f"{i.source_grade.value}{i.intel_grade.value}{i.handling.value}"
        line = f"• {i.ref} [{grade}] {escape(clip(i.text, 300))}"
        if i.ref in corrected:
            line += " _(corrected)_"
        if i.handling_conditions:  # handling code C: shared only on these conditions
            line += f"\n      _handling conditions: {escape(clip(i.handling_conditions, 300))}_"
        for said in card.shared.get(i.ref, [])[-3:]:
            line += f"\n      :outbox_tray: shared with {escape(clip(said, 200))}"
        accessory = button("Correct", CORRECT, i.ref) if buttons else None
        blocks.append(section(line, accessory=accessory))
    return blocks


def subject_card(
    card: Card, today: date, *, intel_shown: bool, buttons: bool, order_button: bool = False
) -> list[Block]:
    s = card.subject
    blocks: list[Block] = [header(f"{s.ref} {s.name}")]
    if card.aliases:
        blocks.append(context_note("Also known as " + escape(", ".join(card.aliases))))
    blocks.append(fields(_identifiers(card)))
    if card.limited and s.description:
        blocks.append(section(f"*Description:* {escape(s.description)}"))
    if card.order_view is not None:
        blocks += order_section_blocks(card.order_view, buttons=False, history_rows=3)
        if card.expected_release:
            blocks.append(section(f"*Expected release:* {format_date(card.expected_release)}"))
    else:
        blocks.append(section(_order(card)))
    blocks.append(section(_conditions(card)))
    release = _release(card)
    if release:
        blocks.append(section(release))
    links = []
    if card.vehicles:
        links.append("*Vehicles:* " + escape(", ".join(card.vehicles)))
    if card.associates:
        links.append("*Not to associate with:* " + escape(", ".join(card.associates)))
    if links and not card.limited:
        blocks.append(section(clip("\n".join(links), 2900)))
    if not card.limited:
        blocks += _contacts(card, buttons)
        blocks += _task_results(card)
    blocks.append(section(_open_items(card, today)))
    if not card.limited:
        blocks += _intel(card, intel_shown, buttons)
    if buttons and not card.limited:
        blocks.append(divider())
        row = [
            button("Log contact", LOG_CONTACT, s.ref, style="primary"),
            button("Log check", LOG_CHECK, s.ref),
            button("Raise task", RAISE_TASK, s.ref),
        ]
        if order_button and card.order is not None:
            # the order card (handlers/commands/order.py) carries the next-step buttons
            row.append(button("Order: next step", RERUN, f"order {s.ref}"))
        row.append(button("History", RERUN, f"subject {s.ref} history"))
        row.append(button("Refresh", RERUN, f"subject {s.ref}"))
        blocks += actions(row, block_id=f"card_{s.ref}")
        blocks += edit_buttons(s.ref)
    return blocks
