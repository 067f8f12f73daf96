"""/lom stats [from] [to]: the weekly summary's figures on demand, for supervisors."""

from __future__ import annotations

from lom_bot.blocks.common import MESSAGE_BLOCKS_MAX, Block, context_note, section
from lom_bot.blocks.digest_summary import summary_messages
from lom_bot.domain.dates import format_date, parse_date
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.commands.sentencing import capacity_reply, sentencing_reply
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.permissions import Action
from lom_bot.services.stats import EXAMPLE, Stats, choose_period, stats_for

CHART_IN_THREAD = "chart follows in the thread"


@subcommand(
    "stats",
    usage="stats [from] [to] | stats sentencing [from] [to] | stats capacity",
    summary="The weekly summary's figures for a period (default: last week), with the chart; "
    "sentencing outcomes for SCPO breaches; this week's workload against capacity",
    examples=(
        "/lom stats",
        "/lom stats 01/10/2026 31/10/2026",
        "/lom stats -4w",
        "/lom stats sentencing",
        "/lom stats sentencing 01/01/2025 30/11/2026",
        "/lom stats capacity",
    ),
    permission=Action.VIEW_STATS,
)
def stats_command(ctx: CommandContext, text: str) -> Reply:
    words = text.split()
    if words and words[0].lower() == "sentencing":
        return sentencing_reply(ctx, words[1:])
    if words and words[0].lower() == "capacity":
        return capacity_reply(ctx, words[1:])
    if len(words) > 2:
        raise InvalidInput("Give at most two dates: from and to.", example=EXAMPLE)
    today = ctx.rt.clock.today()
    start = parse_date(words[0], today, field="from") if words else None
    end = parse_date(words[1], today, field="to") if len(words) > 1 else None
    stats = stats_for(ctx.rt.uow(), ctx.actor, choose_period(start, end, today))
    districts = [d.name for d in ctx.rt.config.districts]
    pages = summary_messages(stats.summary, districts)
    pages[-1] = (pages[-1][0], [_chart_note(b) for b in pages[-1][1]])
    title, blocks = pages[0]
    if len(blocks) < MESSAGE_BLOCKS_MAX:  # the period's totals go under the heading
        pages[0] = (title, [blocks[0], _period_section(stats), *blocks[1:]])
    else:
        pages.insert(0, (title, [_period_section(stats)]))
    (first, blocks), *rest = pages
    return Reply(first, blocks=blocks, more=[Reply(t, blocks=b) for t, b in rest])


def _period_section(stats: Stats) -> Block:
    """The asked-for period's totals, from the same weekly series as the chart."""
    p = stats.period
    rounded = (
        ""
        if p.week_start == p.start
        else (f" (whole weeks: {format_date(p.week_start)} to {format_date(p.end)})")
    )
    return section(
        f"*Period {format_date(p.start)} to {format_date(p.end)}*{rounded}: "
        f"{stats.contacts} contacts logged, {stats.checks} compliance checks, "
        f"{stats.breaches} breach reports received over {p.weeks} "
        f"week{'s' if p.weeks != 1 else ''}. The figures below are the weekly summary's for "
        f"the last week of the period."
    )


def _chart_note(block: Block) -> Block:
    elements = block.get("elements") or [{}]
    if block.get("type") == "context" and CHART_IN_THREAD in str(elements[0].get("text", "")):
        return context_note("The 12-week chart is sent to you as a direct message.")
    return block
