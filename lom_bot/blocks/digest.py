"""Block Kit for the scheduled posts: the daily digest, district tasks, releases and expiries
ahead, and the weekly summary. Long posts are split into several messages, never truncated."""

from __future__ import annotations

from datetime import date

from lom_bot.blocks.common import (
    MESSAGE_BLOCKS_MAX,
    RERUN,
    SECTION_MAX,
    Block,
    button,
    context_note,
    escape,
    header,
    section,
)
from lom_bot.blocks.tasks import district_task_blocks
from lom_bot.domain.dates import format_date
from lom_bot.services.digest import DistrictTask
from lom_bot.services.due import KIND_LABEL, Digest, DueLine, LineKind, OfficerGroup, State
from lom_bot.services.due_horizons import RELEASE, HorizonLine, Horizons

Message = tuple[str, list[Block]]  # (notification text, blocks)

# Digest buttons that open the contact / check form for one line's subject (value: its ref);
# handled in handlers/digest_actions.py. Other lines use RERUN, which runs `/lom <value>`.
DIGEST_LOG_CONTACT = "digest_log_contact"
DIGEST_LOG_CHECK = "digest_log_check"
ORDER_KINDS = (LineKind.EDUCATION_VISIT, LineKind.ORDER_OWED, LineKind.CHECKLIST, LineKind.EXPIRY)


def line_button(line: DueLine) -> Block | None:
    """The one button that acts on a line: log the contact or check, or open the record."""
    ref = line.subject_ref
    if ref is None:
        return None
    if line.kind in (LineKind.CONTACT, LineKind.HOME_VISIT):
        label = "Log home visit" if line.kind is LineKind.HOME_VISIT else "Log contact"
        return button(label, DIGEST_LOG_CONTACT, ref)
    if line.kind in (LineKind.CHECKS, LineKind.DUTY):
        return button("Log check", DIGEST_LOG_CHECK, ref)
    if line.kind in ORDER_KINDS:
        return button("Open order", RERUN, f"order {ref}")
    return button("Open subject", RERUN, f"subject {ref}")


def _state_words(line: DueLine) -> str:
    if line.state is State.OVERDUE:
        return f":red_circle: *overdue* (due {format_date(line.due_on)})"
    return f":large_orange_circle: due {format_date(line.due_on)}"


def line_text(line: DueLine) -> str:
    who = ""
    if line.subject_ref:
        who = f"`{line.subject_ref}` {escape(line.subject_name or '')}"
        if line.risk is not None:
            who += f" ({line.risk.value.replace('_', ' ')} risk)"
        who += "\n"
    last = f" · last done {format_date(line.last_done)}" if line.last_done else ""
    if line.kind in (LineKind.CONTACT, LineKind.HOME_VISIT, LineKind.CHECKS) and not last:
        last = " · none since the order began"
    return f"{who}*{KIND_LABEL[line.kind]}*: {escape(line.what)}\n{_state_words(line)}{last}"


def _group_header(group: OfficerGroup, *, continued: bool = False) -> Block:
    """The officer's name, and a mention so that Slack tells them."""
    if continued:
        return section(f"*{escape(group.officer.name)}*, continued")
    mention = f" (<@{group.officer.slack_id}>)" if group.officer.slack_id else ""
    n = len(group.lines)
    return section(
        f"*{escape(group.officer.name)}*{mention}: {n} item{'s' if n != 1 else ''}, "
        f"{group.overdue} overdue"
    )


def digest_messages(digest: Digest, *, title: str | None = None) -> list[Message]:
    """The digest as messages of at most 50 blocks; each line a section with its button."""
    title = title or f"Due today: {digest.today:%A} {format_date(digest.today)}"
    total, overdue = digest.count(), digest.count(State.OVERDUE)
    summary = f"{total} items, {overdue} overdue."
    if not total:
        return [(f"{title}: nothing due.", [header(title), section("Nothing is due or overdue.")])]
    counts = ", ".join(f"{KIND_LABEL[k]} {n}" for k, n in digest.by_kind().items())
    pages: list[list[Block]] = [[header(title), context_note(f"{summary} {counts}")]]

    def room() -> int:  # later messages keep one block for their "part n of N" note
        return MESSAGE_BLOCKS_MAX - len(pages[-1]) - (1 if len(pages) > 1 else 0)

    for group in digest.groups:
        if room() < 2:  # a heading never ends a message without its first line
            pages.append([])
        pages[-1].append(_group_header(group))
        for line in group.lines:
            if room() < 1:
                pages.append([_group_header(group, continued=True)])
            pages[-1].append(section(line_text(line), accessory=line_button(line)))
    text = f"{title}: {summary}"
    out: list[Message] = [(text, pages[0])]
    for n, page in enumerate(pages[1:], start=2):
        note = context_note(f"Continued: part {n} of {len(pages)}")
        out.append((f"{text} (part {n} of {len(pages)})", [note, *page]))
    return out


def paginate(text: str, blocks: list[Block]) -> list[Message]:
    """Split blocks into messages of at most 50; an officer's heading stays with its first line.

    Later messages start with a note saying which part they are.
    """
    pages: list[list[Block]] = [[]]
    for n, block in enumerate(blocks):
        room = MESSAGE_BLOCKS_MAX - (0 if len(pages) == 1 else 1)
        following = blocks[n + 1] if n + 1 < len(blocks) else {}
        # a heading, or a line with its row of buttons, stays with what follows it
        heading = "accessory" not in block and (
            "accessory" in following or following.get("type") == "actions"
        )
        if len(pages[-1]) >= room or (heading and len(pages[-1]) >= room - 1):
            pages.append([])
        pages[-1].append(block)
    total = len(pages)
    if total == 1:
        return [(text, pages[0])]
    out: list[Message] = [(text, pages[0])]
    for n, page in enumerate(pages[1:], start=2):
        note = context_note(f"Continued: part {n} of {total}")
        out.append((f"{text} (part {n} of {total})", [note, *page]))
    return out


def pack_lines(lines: list[str]) -> list[Block]:
    """Lines packed into sections of at most SECTION_MAX characters."""
    out: list[Block] = []
    current = ""
    for line in lines:
        if current and len(current) + 1 + len(line) > SECTION_MAX:
            out.append(section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        out.append(section(current))
    return out


TASK_WORDS = {"passing_attention": "passing attention"}


def district_messages(
    district: str, tasks: list[DistrictTask], today: date, *, detail: bool = False
) -> list[Message]:
    """A district's open tasks with result buttons; by reference only unless `detail` (a
    sensitive channel, a DM or an ephemeral answer), when a curfew check shows its address."""
    title = f"{district} tasks: {today:%A} {format_date(today)}"
    if not tasks:
        return []
    blocks = [header(title), *district_task_blocks(tasks, today, detail=detail)]
    blocks.append(
        context_note(
            "Done / Not found / Needs LOM records what you found and tells the officer who "
            "raised it. `/lom subject <ref>` shows what you may see."
        )
    )
    return paginate(f"{title}: {len(tasks)} task{'s' if len(tasks) != 1 else ''}", blocks)


def _horizon_line(item: HorizonLine, *, crossing: bool = False) -> str:
    what = "Release" if item.kind == RELEASE else "Order expiry"
    when = f"{format_date(item.on)}, in {item.days} day{'s' if item.days != 1 else ''}"
    order = f" ({item.order_ref})" if item.order_ref else ""
    mark = f" :bell: {item.horizon}-day mark" if crossing and item.horizon else ""
    return (
        f"`{item.subject_ref}` {escape(item.subject_name)} · {item.district} · "
        f"{what} {when}{order}{mark}"
    )


def horizon_messages(h: Horizons) -> list[Message]:
    """Today's horizon crossings and release-date changes; nothing when there are none."""
    if not h.crossings and not h.changes:
        return []
    title = f"Releases and expiries ahead: {format_date(h.today)}"
    blocks: list[Block] = [header(title)]
    for item in h.crossings:
        blocks.append(
            section(
                _horizon_line(item, crossing=True),
                accessory=button("Open subject", RERUN, f"subject {item.subject_ref}"),
            )
        )
    for change in h.changes:
        moved = "earlier" if change.after < change.before else "later"
        blocks.append(
            section(
                f":calendar: `{change.subject_ref}` {escape(change.subject_name)} · "
                f"{change.kind.value.upper()} release date changed from "
                f"{format_date(change.before)} to *{format_date(change.after)}* ({moved}; "
                f"recorded {format_date(change.recorded_on)})",
                accessory=button("Open subject", RERUN, f"subject {change.subject_ref}"),
            )
        )
    text = f"{title}: {len(h.crossings)} crossing a horizon, {len(h.changes)} date changes"
    return paginate(text, blocks)


def upcoming_messages(h: Horizons, *, title: str | None = None) -> list[Message]:
    """The full list of releases and expiries within the horizons, soonest first."""
    title = title or f"Upcoming releases and expiries: week of {format_date(h.today)}"
    if not h.upcoming:
        return [(f"{title}: none.", [header(title), section("No releases or expiries ahead.")])]
    releases = [_horizon_line(x) for x in h.upcoming if x.kind == RELEASE]
    expiries = [_horizon_line(x) for x in h.upcoming if x.kind != RELEASE]
    blocks: list[Block] = [header(title)]
    if releases:
        blocks.append(section(f"*Releases ({len(releases)})*"))
        blocks += pack_lines(releases)
    if expiries:
        blocks.append(section(f"*Order expiries ({len(expiries)})*"))
        blocks += pack_lines(expiries)
    blocks.append(context_note("`/lom subject <ref>` opens a card; `/lom upcoming` shows this."))
    return paginate(f"{title}: {len(releases)} releases, {len(expiries)} expiries", blocks)
