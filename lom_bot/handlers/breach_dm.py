"""A district officer's DM to the bot is a breach report: their role may report breaches, not
log contacts, so what they send the bot is matched as a district message is and stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lom_bot.blocks import breach as ui
from lom_bot.services.breaches import ReportBreach, report_breach
from lom_bot.services.permissions import Action, Actor, can

if TYPE_CHECKING:
    from lom_bot.runtime import Runtime

NOTHING_NAMED = (
    "I keep breach reports from district officers here. Say who and what was seen, e.g. "
    "`Seen LOM-0042 driving a hire van on the ring road at 14:20`, or use `/lom breach` for a "
    "form. Nothing was recorded."
)


def as_breach_report(
    rt: Runtime, actor: Actor, event: dict[str, Any], event_id: str | None
) -> str | None:
    """The reply to a DM taken as a breach report; None when the actor's role may not report
    one; "" for Slack's redelivery of a DM already recorded (answered the first time)."""
    if not can(actor, Action.REPORT_BREACH):
        return None
    cmd = ReportBreach(
        source="dm",
        text=str(event.get("text") or ""),
        reporter=actor.slack_id,
        channel_id=str(event.get("channel") or "") or None,
        message_ts=str(event.get("ts") or "") or None,
        event_id=event_id,
    )
    result = report_breach(rt.uow(), actor, cmd)
    if result is None:
        return NOTHING_NAMED  # nothing is written, so a redelivery may say it again
    if not result.created:
        return ""
    return ui.reported_text(*result.refs, to_confirm=result.subject_ref is None)
