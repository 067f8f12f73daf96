"""Workload against capacity as messages: each officer's week, then what will slip."""

from __future__ import annotations

from lom_bot.blocks.common import Block, context_note, escape, header, section
from lom_bot.blocks.digest import pack_lines, paginate
from lom_bot.domain.dates import format_date
from lom_bot.services.capacity import CapacityWeek, OfficerLoad
from lom_bot.services.due import KIND_LABEL, DueLine

SLIP_SHOWN = 40  # lines listed; the rest are counted
RISK_WORDS = {"very_high": "very high", "high": "high", "medium": "medium", "low": "low"}


def load_text(load: OfficerLoad) -> str:
    verdict = f"*{load.over} will slip*" if load.over else f"{load.capacity - load.items} spare"
    text = (
        f"*{escape(load.officer.name)}*: {load.items} items, capacity {load.capacity}: {verdict}."
    )
    if load.items:
        risks = ", ".join(f"{RISK_WORDS.get(r, r)} {n}" for r, n in load.by_risk().items())
        kinds = ", ".join(f"{KIND_LABEL[k].lower()} {n}" for k, n in load.by_kind().items())
        text += f"\nBy risk: {risks}.\nBy kind: {kinds}."
    return text


def slip_line(name: str, line: DueLine) -> str:
    risk = RISK_WORDS.get(line.risk.value, "") + " risk" if line.risk else "no subject"
    late = ", overdue" if line.state.value == "overdue" else ""
    what = KIND_LABEL[line.kind].lower()
    return escape(
        f"• {line.subject_ref or line.ref or '-'} ({risk}): {what}, due "
        f"{format_date(line.due_on)}{late} ({name})"
    )


def capacity_messages(week: CapacityWeek) -> list[tuple[str, list[Block]]]:
    """The officers' loads, then the slipping items ranked by risk: one message, paged into
    more when a large team or a long list would pass Slack's limits (nothing is cut)."""
    title = f"Workload against capacity, {format_date(week.start)} to {format_date(week.end)}"
    blocks: list[Block] = [header(title)]
    blocks += [section(load_text(load)) for load in week.loads]
    if week.unassigned:
        blocks.append(
            section(f"{len(week.unassigned)} items are for subjects with no officer assigned.")
        )
    slipping = week.slipping
    if slipping:
        lines = [slip_line(load.officer.name, line) for load, line in slipping[:SLIP_SHOWN]]
        if len(slipping) > SLIP_SHOWN:
            lines.append(f"…and {len(slipping) - SLIP_SHOWN} more, of lower risk.")
        title_line = "*Will slip this week if nothing changes* (highest risk first)"
        blocks += pack_lines([title_line, *lines])
    else:
        blocks.append(section("Nothing is expected to slip this week: every load is in capacity."))
    blocks.append(
        context_note(
            f"Load: what the daily due list would show on {format_date(week.end)} if nothing "
            "were done before then, for the subjects each officer holds today (cover counts). "
            "Capacity: app.yaml `capacity`. Working in the due list's order (highest risk "
            "first), an officer reaches the first items up to capacity; the rest slip."
        )
    )
    return paginate(title, blocks)
