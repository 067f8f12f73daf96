"""Shared helpers for the breach tests (no tests here)."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from sqlalchemy import select

from lom_bot.bootstrap import Runtime
from lom_bot.services.breaches import ReportBreach, Reported, report_breach
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import BreachReport, OutboxMessage

LEEDS = "C0LEEDS"
TRIAGE = "C0TRIAGE"


def valid_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parse with slack_sdk (which raises on most limit violations) and check message limits."""
    assert 0 < len(blocks) <= 50
    for block in Block.parse_all(blocks):
        block.validate_json()
    return blocks


def valid_view(view: dict[str, Any]) -> dict[str, Any]:
    parsed = View(**view)
    parsed.validate_json()
    assert len(view["blocks"]) <= 100
    return view


def say(
    rt: Runtime,
    text: str,
    ts: str = "1764064800.000100",
    *,
    user: str = "U0LEEDS",
    channel: str = LEEDS,
    event_id: str | None = None,
    source: str = "message",
    actor: Actor | None = None,
    subject: str | None = None,
) -> Reported | None:
    """A district officer's message (or another source) through the capture service."""
    cmd = ReportBreach(
        source=source,  # type: ignore[arg-type]
        text=text,
        reporter=user,
        channel_id=channel,
        message_ts=ts if source in ("message", "shortcut") else None,
        event_id=event_id,
        subject=subject,
    )
    return report_breach(rt.uow(), actor, cmd)


def report_row(rt: Runtime, ref: str) -> BreachReport:
    with rt.uow() as uow:
        return uow.session.scalars(select(BreachReport).where(BreachReport.ref == ref)).one()


def outbox(rt: Runtime, channel: str | None = None) -> list[OutboxMessage]:
    with rt.uow() as uow:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if channel:
            query = query.where(OutboxMessage.channel == channel)
        return list(uow.session.scalars(query))
