"""The sentencing report as messages: figures by condition, court and quarter, then each case."""

from __future__ import annotations

from lom_bot.blocks.common import (
    SECTION_MAX,
    Block,
    context_note,
    escape,
    header,
    section,
)
from lom_bot.domain.dates import format_date
from lom_bot.services.court_fields import DISPOSAL_LABELS
from lom_bot.services.sentencing import SMALL_GROUP, Group, SentencedCase, SentencingReport, Terms

Message = tuple[str, list[Block]]
# Slack keeps a message to about 40,000 characters: ten full sections stay well inside it.
SECTIONS_PER_MESSAGE = 10


def terms_text(terms: Terms, what: str) -> str:
    """`Custody median 16 months, range 4-30 (9 terms)`; a single term is said as itself."""
    if terms.count == 0 or terms.median is None:
        return ""
    if terms.count == 1:
        return f"{what} {terms.low} months (1 term)"
    return (
        f"{what} median {terms.median:g} months, range {terms.low}–{terms.high} "
        f"({terms.count} terms)"
    )


def group_text(group: Group) -> str:
    """One group's counts by disposal, its terms and new orders, in words."""
    n = group.n
    parts = [
        f"{DISPOSAL_LABELS.get(d, d).lower()} {group.share(count)}"
        for d, count in group.disposals.items()
    ]
    terms = [
        terms_text(group.custody, "Custody"),
        terms_text(group.suspended, "Suspended" if group.custody.count == 0 else "suspended"),
    ]
    text = f"*{escape(group.name)}* ({n} case{'s' if n != 1 else ''}): " + "; ".join(parts)
    if any(terms):
        text += ". " + "; ".join(t for t in terms if t)
    if group.new_orders:
        text += f". New order made in {group.share(group.new_orders)}"
    return text + "."


def case_line(c: SentencedCase) -> str:
    """`BR-H0001 · LOM-0007 · association · Leeds Crown Court · 12/06/2025 · guilty plea ·
    immediate custody 18 months · new order`."""
    disposal = DISPOSAL_LABELS.get(c.disposal, c.disposal).lower()
    if c.custody_months:
        disposal += f" {c.custody_months} months"
    if c.fine_pounds:
        disposal += f" £{c.fine_pounds:,}"
    if c.penalty:
        disposal += f", {c.penalty}"
    plea = {"guilty": "guilty plea", "not_guilty": "convicted after trial"}.get(c.plea or "", "")
    bits = [
        c.breach_ref,
        c.subject_ref or "no subject",
        c.condition,
        c.court,
        format_date(c.sentenced_on),
        plea or "plea not recorded",
        disposal,
    ]
    if c.new_order:
        bits.append("new order made")
    return "• " + escape(" · ".join(bits))


def _sections(title: str, lines: list[str]) -> list[Block]:
    """Lines packed into sections under the 3000-character limit, never cut."""
    blocks: list[Block] = []
    text = f"*{title}*"
    for line in lines:
        if len(text) + len(line) + 1 > SECTION_MAX - 50:
            blocks.append(section(text))
            text = f"*{title} (continued)*"
        text += "\n" + line
    blocks.append(section(text))
    return blocks


def sentencing_messages(report: SentencingReport) -> list[Message]:
    """The figures first; each case listed after, paged to stay within Slack's limits."""
    period = f"{format_date(report.start)} to {format_date(report.end)}"
    title = f"Sentencing for SCPO breaches, {period}"
    blocks: list[Block] = [header(title)]
    waiting = ", ".join(f"{n} {what}" for what, n in report.not_sentenced.items())
    if not report.cases:
        between = f"{format_date(report.start)} and {format_date(report.end)}"
        text = f"No sentence for an SCPO breach was recorded between {between}."
        if waiting:
            text += f" Charged in the period and not sentenced: {waiting}."
        return [(title, [*blocks, section(text)])]
    blocks.append(section(group_text(report.overall)))
    if waiting:
        blocks.append(section(f"Charged in the period and not sentenced: {waiting}."))
    for key, label in (
        ("condition", "By kind of condition breached"),
        ("court", "By court"),
        ("quarter", "By quarter sentenced"),
    ):
        blocks += _sections(label, [group_text(g) for g in report.by(key)])
    blocks.append(
        context_note(
            f"Groups of fewer than {SMALL_GROUP} cases are shown as counts, never as "
            "percentages. Terms are months (custody, and the custodial term of a suspended "
            "sentence). The chart is sent to you as a direct message; `lom-bot export "
            "sentencing` gives the cases as CSV or XLSX."
        )
    )
    messages: list[Message] = [(title, blocks)]
    case_blocks = _sections("Each case", [case_line(c) for c in report.cases])
    for start in range(0, len(case_blocks), SECTIONS_PER_MESSAGE):
        messages.append((f"{title}: each case", case_blocks[start : start + SECTIONS_PER_MESSAGE]))
    return messages
