"""Block Kit for the weekly supervisor summary."""

from __future__ import annotations

from lom_bot.blocks.common import Block, context_note, escape, header, section
from lom_bot.blocks.digest import Message, pack_lines, paginate
from lom_bot.domain.dates import format_date
from lom_bot.services.due_horizons import RELEASE
from lom_bot.services.summary import Rate, WeeklySummary

SOON_DAYS = 30


def _rate(rate: Rate) -> str:
    pct = rate.percent
    return f"{rate.done} of {rate.due}" + (f" ({pct}%)" if pct is not None else "")


def _label(value: str) -> str:
    return value.replace("_", " ")


def caseload_table(caseload: dict[str, dict[str, int]], districts: list[str]) -> str:
    """Orders by state (rows) and district (columns), as a fixed-width table."""
    col = max([len(d) for d in districts] + [5]) + 2
    width = max([len(_label(s)) for s in caseload] + [5])
    lines = [" " * width + "".join(f"{d:>{col}}" for d in districts) + f"{'Total':>8}"]
    totals = [0] * len(districts)
    for state in sorted(caseload, key=lambda s: -sum(caseload[s].values())):
        row = [caseload[state].get(d, 0) for d in districts]
        totals = [t + n for t, n in zip(totals, row, strict=True)]
        cells = "".join(f"{n or '·':>{col}}" for n in row)
        lines.append(f"{_label(state):<{width}}{cells}{sum(row):>8}")
    cells = "".join(f"{t:>{col}}" for t in totals)
    lines.append(f"{'Total':<{width}}{cells}{sum(totals):>8}")
    return "```" + "\n".join(lines) + "```"


def summary_messages(ws: WeeklySummary, districts: list[str]) -> list[Message]:
    period = f"{format_date(ws.week_start)} to {format_date(ws.week_end)}"
    title = f"Weekly summary: {period}"
    blocks: list[Block] = [header(title)]
    blocks.append(
        section(
            "*Caseload: orders by state and district*\n" + caseload_table(ws.caseload, districts)
        )
    )
    officer_lines = [f"• {escape(name)}: {_rate(rate)}" for name, rate in ws.by_officer.items()]
    risk_lines = [f"• {_label(risk)}: {_rate(rate)}" for risk, rate in ws.by_risk.items()]
    blocks.append(
        section(
            f"*Contacts and home visits done against due last week*: {_rate(ws.overall)}; "
            f"{ws.contacts_logged} contacts logged"
        )
    )
    blocks += pack_lines(["*By risk level*", *(risk_lines or ["• none due"])])
    blocks += pack_lines(["*By officer*", *(officer_lines or ["• none due"])])
    outcomes = ", ".join(f"{_label(k)} {n}" for k, n in ws.breaches_assessed.items())
    assessed = sum(ws.breaches_assessed.values())
    blocks.append(
        section(
            f"*Breach reports*: {ws.breaches_received} received, {assessed} assessed"
            + (f" ({outcomes})" if outcomes else "")
            + f"; {ws.breaches_overdue} waiting past the assessment target now"
        )
    )
    overdue = [f"• {escape(name)}: {n}" for name, n in ws.overdue_by_officer.items()]
    blocks += pack_lines(["*Overdue items by officer (today)*", *(overdue or ["• none"])])
    owed = [f"• {escape(line)}" for line in ws.owed]
    blocks += pack_lines(["*Still owed on orders*", *(owed or ["• none"])])
    soon = [x for x in ws.upcoming if x.days <= SOON_DAYS]
    releases = sum(1 for x in ws.upcoming if x.kind == RELEASE)
    expiries = len(ws.upcoming) - releases
    soon_lines = [
        f"• `{x.subject_ref}` {escape(x.subject_name)}: "
        f"{'release' if x.kind == RELEASE else 'order expiry'} {format_date(x.on)}"
        for x in soon
    ]
    heading = (
        f"*Ahead*: {releases} releases and {expiries} order expiries within the horizons; "
        f"in the next {SOON_DAYS} days:"
    )
    blocks += pack_lines([heading, *(soon_lines or ["• none"])])
    blocks.append(
        context_note(
            "The 12-week chart follows in the thread. `/lom upcoming` lists everything ahead."
        )
    )
    return paginate(title, blocks)
