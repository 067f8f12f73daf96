"""Evidential order buttons through signed Slack requests: each click opens a form, and a bad
answer comes back on its field (`response_action: errors`) with nothing written."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from lom_bot.domain.enums import OrderStatus
from lom_bot.store.tables import AuditEntry, Order, OrderEvent, Subject
from tests.e2e.harness import SlackHarness, check_view

OFFICER, SUPERVISOR = "U0OFF1", "U0SUPER"


def _subject_at(slack: SlackHarness, status: OrderStatus) -> str:
    with slack.rt.uow() as uow:
        ref = uow.session.scalars(
            select(Subject.ref)
            .join(Order, Order.subject_id == Subject.id)
            .where(Order.status == status, Subject.read_only.is_(False))
        ).first()
    assert ref, status
    return ref


def _written(slack: SlackHarness) -> tuple[int, int]:
    with slack.rt.uow() as uow:
        return (
            uow.session.scalar(select(func.count(OrderEvent.id))) or 0,
            uow.session.scalar(select(func.count(AuditEntry.id))) or 0,
        )


def _open(slack: SlackHarness, user: str, ref: str, step: str) -> dict[str, Any]:
    """Press the step's button on the order card: a form opens, nothing is recorded."""
    card = slack.command(user, f"order {ref}")
    (button,) = [
        e
        for b in card.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("value") == f"order {ref} {step}"
    ]
    assert "confirm" in button  # Slack still asks "Are you sure?" before the form
    before = _written(slack)
    (view,) = slack.click(user, button["action_id"], button["value"]).modals
    check_view(view)
    assert view["callback_id"] == f"lom_form:order_{step}"
    assert _written(slack) == before
    return view


def _errors(slack: SlackHarness, user: str, view: dict[str, Any], answers: dict[str, str]) -> Any:
    before = _written(slack)
    reply = slack.submit(user, view["callback_id"], answers, view["private_metadata"]).json()
    assert reply["response_action"] == "errors"
    assert _written(slack) == before
    return reply["errors"]


def test_approval_opens_a_form_and_a_blank_comment_is_a_field_error(slack: SlackHarness) -> None:
    ref = _subject_at(slack, OrderStatus.DRAFTED)
    view = _open(slack, SUPERVISOR, ref, "approve")
    assert "comments" in _errors(slack, SUPERVISOR, view, {"subject": ref, "comments": " "})
    done = slack.submit(
        SUPERVISOR,
        view["callback_id"],
        {"subject": ref, "comments": "Financial evidence is strong"},
        view["private_metadata"],
    )
    assert "approved" in done.text


def test_cps_submission_takes_its_reference_and_date_on_their_fields(slack: SlackHarness) -> None:
    ref = _subject_at(slack, OrderStatus.APPROVED)
    view = _open(slack, OFFICER, ref, "submit")
    assert "reference" in _errors(slack, OFFICER, view, {"subject": ref, "reference": ""})
    errors = _errors(
        slack, OFFICER, view, {"subject": ref, "reference": "CPS-7", "date": "01/01/2030"}
    )
    assert "future" in errors["date"]
    errors = _errors(slack, OFFICER, view, {"subject": ref, "reference": "CPS-7", "date": "31/02"})
    assert "date" in errors
    done = slack.submit(
        OFFICER,
        view["callback_id"],
        {"subject": ref, "reference": "CPS-7", "date": "yesterday"},
        view["private_metadata"],
    )
    assert "CPS reference CPS-7" in done.text


def test_the_grant_form_needs_the_courts_case_number(slack: SlackHarness) -> None:
    ref = _subject_at(slack, OrderStatus.SUBMITTED)
    view = _open(slack, OFFICER, ref, "grant")
    answers = {"subject": ref, "court": "Leeds Crown Court", "made": "yesterday", "term": "60"}
    assert "reference" in _errors(slack, OFFICER, view, answers)
