"""Routing a breach report to triage: the post, its updates, and telling the reporter."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from lom_bot.blocks import breach as ui
from lom_bot.domain.enums import AssessmentOutcome
from lom_bot.services.breach_model import TriageView
from lom_bot.services.breach_view import SubjectFacts, triage_view
from lom_bot.services.outbox_shared import COALESCE, COMPACT, SUMMARY
from lom_bot.store.classification import Classification, DisclosureRefused, check_destination
from lom_bot.store.tables import BreachReport, OutboxMessage
from lom_bot.store.uow import UnitOfWork

PURPOSE = "breach triage"


def _subject_refs(report: BreachReport, view: TriageView) -> list[str]:
    """The subjects the post names: the report's subject, or the candidates to choose from."""
    if report.subject_id is not None:
        return [view.subject.ref] if view.subject else []
    return list(report.candidates or [])


def classification_of(report: BreachReport) -> Classification:
    """A report made from graded intelligence carries it; any other carries subject detail."""
    if report.source == "intelligence":
        return Classification.INTELLIGENCE
    return Classification.DETAIL


def post_to_triage(
    uow: UnitOfWork,
    report: BreachReport,
    actor: str,
    *,
    new: bool = False,
    facts: SubjectFacts | None = None,
) -> OutboxMessage:
    """Queue the triage post (its ts is stored on the report once sent) and any continuation.

    `new` and `facts` as for triage_view: a report made in this transaction, its subject's facts
    when the caller already read them."""
    triage = uow.config.channels.triage.id
    view = triage_view(uow, report, new=new, facts=facts)
    messages = ui.triage_messages(view)
    first = uow.send(
        "post",
        triage,
        {
            "text": ui.triage_text(view),
            "blocks": messages[0],
            # In a burst the outbox lists several reports in one post (services/outbox_shared)
            COALESCE: "triage",
            COMPACT: ui.triage_compact(view),
            SUMMARY: report.ref,
        },
        actor=actor,
        classification=classification_of(report),
        subjects=_subject_refs(report, view),
        purpose=PURPOSE,
        link=("breach_reports", report.id),
        dedupe_key=f"breach:{report.id}:triage",
    )
    for n, blocks in enumerate(messages[1:], start=2):
        uow.send(
            "post",
            triage,
            {"text": f"{report.ref} (part {n})", "blocks": blocks},
            actor=actor,
            classification=classification_of(report),
            purpose=PURPOSE,
            after=first,
        )
    return first


def triage_post(uow: UnitOfWork, report: BreachReport) -> OutboxMessage | None:
    return uow.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.link_table == "breach_reports",
            OutboxMessage.link_id == report.id,
            OutboxMessage.method == "post",
        )
        .order_by(OutboxMessage.id)
        .limit(1)
    ).first()


def refresh_triage(uow: UnitOfWork, report: BreachReport, actor: str) -> None:
    """Queue a chat.update of the triage post so it shows the report as it now stands."""
    original = triage_post(uow, report)
    if original is None:  # e.g. a demo row never routed: post it now
        post_to_triage(uow, report, actor)
        return
    uow.session.flush()
    view = triage_view(uow, report)
    messages = ui.triage_messages(view)
    uow.send(
        "update",
        original.channel,
        {"text": ui.triage_text(view), "blocks": messages[0]},
        actor=actor,
        classification=classification_of(report),
        subjects=_subject_refs(report, view),
        purpose=PURPOSE,
        after=original,
    )
    for n, blocks in enumerate(messages[1:], start=2):
        uow.send(
            "post",
            original.channel,
            {"text": f"{report.ref} (part {n}, updated)", "blocks": blocks},
            actor=actor,
            classification=classification_of(report),
            purpose=PURPOSE,
            after=original,
        )


def tell_reporter(
    uow: UnitOfWork,
    report: BreachReport,
    text: str,
    *,
    actor: str,
    receipt: tuple[str, ...] = (),
) -> None:
    """A reply in the report's thread when it came from a channel the bot is in, else a DM.
    A `receipt` (the refs of the reports received) may share one channel post with other
    reporters' in a burst."""
    known = report.channel_id and uow.config.channel_by_id(report.channel_id)
    if known and report.message_ts:
        payload: dict[str, Any] = {"text": text, "thread_ts": report.message_ts}
        if receipt:
            line = ui.reporter_ack_line(report.reporter_slack_id, *receipt)
            payload.update({COALESCE: "receipt", COMPACT: line, SUMMARY: ", ".join(receipt)})
        uow.send(
            "post",
            report.channel_id or "",
            payload,
            actor=actor,
            classification=Classification.REFERENCE,
            purpose="breach report acknowledgement",
        )
        return
    uow.send(
        "dm",
        report.reporter_slack_id,
        {"text": text},
        actor=actor,
        classification=Classification.REFERENCE,
        purpose="breach report acknowledgement",
    )


def outcome_visible_to_reporter(uow: UnitOfWork, report: BreachReport) -> bool:
    """The outcome is subject detail: shown only where the report's channel may see detail."""
    if not report.channel_id or not report.message_ts:
        return False
    try:
        check_destination(uow.config, "post", report.channel_id, Classification.DETAIL)
    except DisclosureRefused:
        return False
    return True


def reporter_outcome(uow: UnitOfWork, report: BreachReport, outcome: AssessmentOutcome) -> str:
    shown = outcome if outcome_visible_to_reporter(uow, report) else None
    return ui.reporter_assessed(report.ref, shown)
