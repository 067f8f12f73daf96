"""Lists of subjects, paged so that no message passes Slack's limits."""

from __future__ import annotations

from lom_bot.blocks.common import SECTION_MAX, Block, context_note, escape, header, section
from lom_bot.domain.dates import format_date
from lom_bot.domain.order_dates import runs_to
from lom_bot.domain.vocab import label
from lom_bot.services.readmodels.caseload import Caseload, CaseloadRow

SECTIONS_PER_MESSAGE = 10  # about 30,000 characters: well under what Slack accepts per message


def caseload_line(row: CaseloadRow, limited: bool) -> str:
    s = row.subject
    parts = [f"`{s.ref}` {escape(s.name)}", label(s.custody_status)]
    if limited:
        parts.insert(1, s.district)
        return " · ".join(parts)
    parts.insert(1, label(s.risk_level) + " risk")
    if row.order is not None:
        order = f"{row.order.ref} {label(row.order.status)}"
        if row.order.expires_on:
            order += f" {runs_to(row.order.expires_on)}"
        parts.append(order)
    else:
        parts.append("no order")
    if row.release:
        parts.append(f"release {format_date(row.release)}")
    return " · ".join(parts)


def chunks(lines: list[str]) -> list[str]:
    """Lines joined into section texts of at most SECTION_MAX characters."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        if current and len(current) + 1 + len(line) > SECTION_MAX:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line[:SECTION_MAX]
    if current:
        chunks.append(current)
    return chunks


def caseload_messages(caseload: Caseload) -> list[tuple[str, list[Block]]]:
    """One or more (text, blocks) messages; later ones say they continue the list."""
    title = f"{caseload.title} ({len(caseload.rows)})"
    if not caseload.rows:
        return [(f"{title}: no subjects.", [header(title), section("No subjects.")])]
    lines = [caseload_line(r, caseload.limited) for r in caseload.rows]
    sections = [section(chunk) for chunk in chunks(lines)]
    pages = [
        sections[i : i + SECTIONS_PER_MESSAGE]
        for i in range(0, len(sections), SECTIONS_PER_MESSAGE)
    ]
    messages: list[tuple[str, list[Block]]] = []
    for n, page in enumerate(pages, start=1):
        heading = title if n == 1 else f"{title}, continued ({n}/{len(pages)})"
        blocks = [header(heading), *page]
        blocks.append(context_note("`/lom subject <ref>` opens a card."))
        messages.append((heading, blocks))
    return messages
