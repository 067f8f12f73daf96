"""/lom breach <subject> <what was seen>: report a possible breach; `/lom breach court ...`
records a court outcome against an assessed breach."""

from __future__ import annotations

import re
from typing import Any

from lom_bot.blocks import breach as ui
from lom_bot.blocks import breach_modals as modals
from lom_bot.domain.dates import parse_date
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.breach_court import RecordCourtOutcome, record_court_outcome
from lom_bot.services.breach_followup import KIND_WORDS, complete_follow_up
from lom_bot.services.breaches import ReportBreach, report_breach
from lom_bot.services.court_fields import parse_sentence
from lom_bot.services.permissions import Action

USAGE = "breach <subject> <what was seen>"
COURT_USAGE = "breach court <BR-ref> <charge|plea|verdict|sentence|variation|new_order> ..."
COURT_EXAMPLE = (
    "/lom breach court BR-00012 sentence custody 18 months new order on 20/11/2026 "
    "at Leeds Crown Court"
)
DONE_EXAMPLE = "/lom breach done BR-00012 letter served by hand"
MIN_WORDS = 3  # fewer than a subject and a few words: open the form instead


@subcommand(
    "breach",
    usage=USAGE,
    summary="Report a possible SCPO breach to the LOM team (no text: a form)",
    examples=(
        "/lom breach LOM-0042 seen driving a hire van on the ring road at 14:20",
        "/lom breach",
        COURT_EXAMPLE,
        DONE_EXAMPLE,
    ),
    permission=Action.REPORT_BREACH,
)
def breach_command(ctx: CommandContext, text: str) -> Reply:
    words = text.split()
    if words and words[0].lower() == "court":
        return court(ctx, " ".join(words[1:]))
    if words and words[0].lower() == "done":
        return done(ctx, words[1:])
    if len(words) < MIN_WORDS:
        values = {ui.SUBJECT: text.strip()} if text.strip() else {}
        return Reply(
            "Say who and what was seen, e.g. `/lom breach LOM-0042 seen driving a hire van`.",
            modal=modals.report_modal(values, ctx.channel_id or None),
        )
    cmd = ReportBreach(
        source="command", text=text, reporter=ctx.user_id, channel_id=ctx.channel_id or None
    )
    result = report_breach(ctx.rt.uow(), ctx.actor, cmd)
    if result is None:  # cannot happen for an explicit report; said plainly if it ever does
        return Reply("Nothing was recorded. Try `/lom breach` to use the form.")
    return Reply(ui.reported_text(*result.refs, to_confirm=result.subject_ref is None))


_ON = re.compile(r"\s+on\s+(\S+)", re.IGNORECASE)
_AT = re.compile(r"\s+at\s+(.+)$", re.IGNORECASE)


def parse_court(text: str, today: Any) -> RecordCourtOutcome:
    """`BR-00012 sentence custody 18 on 20/11/2026 at Leeds Crown Court` as a command."""
    court = None
    if found := _AT.search(text):
        court, text = found[1].strip(), text[: found.start()]
    on = today
    if found := _ON.search(text):
        on, text = (
            parse_date(found[1], today, field="on"),
            text[: found.start()] + text[found.end() :],
        )
    words = text.split()
    if len(words) < 2:
        raise InvalidInput("Give the breach reference and what happened.", example=COURT_EXAMPLE)
    ref, kind, rest = words[0], words[1].lower().replace("-", "_"), words[2:]
    if kind == "new" and rest and rest[0].lower() == "order":
        kind, rest = "new_order", rest[1:]
    detail: dict[str, Any] = {}
    joined = "_".join(w.lower() for w in rest)
    if kind == "charge":
        detail["offence"] = " ".join(rest) or "s.25 Serious Crime Act 2007 (breach of SCPO)"
    elif kind in ("plea", "verdict"):
        detail[kind] = joined
    elif kind == "sentence":
        appeal = any(w.lower() in ("appeal", "on_appeal") for w in rest)
        detail = parse_sentence([w for w in rest if w.lower() not in ("appeal", "on_appeal")])
        if appeal:
            detail["appeal"] = True
    elif kind == "new_order":
        detail["note"] = " ".join(rest) or "new SCPO made on conviction"
    else:
        detail["note"] = " ".join(rest)
    return RecordCourtOutcome(ref, kind, on, court, detail)


def court(ctx: CommandContext, text: str) -> Reply:
    cmd = parse_court(text, ctx.rt.clock.today())
    return Reply(":scales: " + record_court_outcome(ctx.rt.uow(), ctx.actor, cmd))


def done(ctx: CommandContext, words: list[str]) -> Reply:
    """`/lom breach done BR-00012 [letter|final|interview|arrest|cps|recall] [note]`."""
    if not words:
        raise InvalidInput("Which breach report?", example=DONE_EXAMPLE)
    kind = words[1] if len(words) > 1 and words[1].lower() in KIND_WORDS else ""
    note = " ".join(words[2:] if kind else words[1:])
    target = f"{words[0]} {kind}".strip()
    return Reply(":white_check_mark: " + complete_follow_up(ctx.rt.uow(), ctx.actor, target, note))
