"""Evidential steps: an approval or a return tells the proposer by DM, with the comment; every
irreversible order button asks "Are you sure?" (Block Kit confirm) before it is sent."""

from __future__ import annotations

import pytest
from slack_sdk.models.blocks import Block
from sqlalchemy import select

from lom_bot.blocks.order import IRREVERSIBLE, order_blocks
from lom_bot.domain.enums import OrderStatus as S
from lom_bot.runtime import Runtime
from lom_bot.services import orders as o
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import OutboxMessage
from tests.test_order_support import new_subject, walk_to


def _dms_to(rt: Runtime, slack_id: str) -> list[str]:
    with rt.uow() as uow:
        return [
            str(m.payload.get("text"))
            for m in uow.session.scalars(
                select(OutboxMessage).where(OutboxMessage.channel == slack_id)
            )
        ]


@pytest.mark.parametrize(("step", "word"), [("approve", "approved"), ("return", "returned")])
def test_the_proposer_is_told_by_dm_with_the_comment(
    runtime: Runtime, officer: Actor, supervisor: Actor, step: str, word: str
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.DRAFTED)
    assert _dms_to(runtime, officer.slack_id) == []
    service = o.approve if step == "approve" else o.return_application
    service(runtime.uow(), supervisor, o.Review(ref, "tighten condition 3"))
    (dm,) = _dms_to(runtime, officer.slack_id)
    assert f"was {word} by {supervisor.name}" in dm and "tighten condition 3" in dm
    assert _dms_to(runtime, supervisor.slack_id) == []  # the reviewer is not told of themself


def test_a_refused_approval_tells_no_one(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    from lom_bot.domain.errors import NotAuthorised

    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.DRAFTED)
    with pytest.raises(NotAuthorised):
        o.approve(runtime.uow(), officer, o.Review(ref, "fine"))
    assert _dms_to(runtime, officer.slack_id) == []


def test_irreversible_order_buttons_ask_for_confirmation(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.DRAFTED)
    view = o.view_order(runtime.uow(), supervisor, ref)
    blocks = order_blocks(view)
    Block.parse_all(blocks)  # the confirm objects parse and pass their limits
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    steps = {e["value"].split()[-1]: e for e in buttons if e["value"].startswith("order ")}
    assert "approve" in steps and "return" in steps
    for key, element in steps.items():
        assert ("confirm" in element) is (key in IRREVERSIBLE), key
    dialog = steps["approve"]["confirm"]
    assert dialog["confirm"]["text"] == "Yes, record it" and ref in dialog["text"]["text"]


def test_the_cps_submission_takes_its_reference(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    from lom_bot.handlers.commands_listener import dispatch
    from lom_bot.handlers.registry import CommandContext
    from lom_bot.store.tables import OrderEvent

    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.APPROVED)
    ctx = CommandContext(runtime, officer, officer.slack_id, "C0LOMTEAM", None, None)  # type: ignore[arg-type]
    done = dispatch(ctx, f"order {ref} submit reference=CPS-2026-0042")
    assert "submitted to the CPS (CPS reference CPS-2026-0042)" in done.text
    with runtime.uow() as uow:
        note = uow.session.scalars(
            select(OrderEvent.note).where(OrderEvent.kind == "submitted_to_cps")
        ).one()
    assert note == "CPS reference CPS-2026-0042"


def test_follow_up_done_and_transfer_import_buttons_ask_for_confirmation() -> None:
    from lom_bot.blocks.transfer import pack_offer_blocks

    blocks = pack_offer_blocks("Dry run: 1 subject", "F123", None, ["Leeds", "Bradford"])
    Block.parse_all(blocks)
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons and all("confirm" in e for e in buttons)
    assert "Leeds" in buttons[0]["confirm"]["text"]["text"]


def test_a_follow_up_done_button_asks_for_confirmation(demo: Runtime, officer: Actor) -> None:
    from lom_bot.blocks.breach import FOLLOW_UP_DONE, triage_messages
    from lom_bot.domain.enums import AssessmentOutcome
    from lom_bot.services.breach_assess import AssessBreach, assess_breach
    from lom_bot.services.breach_view import triage_view
    from lom_bot.services.breaches import ReportBreach, report_breach
    from lom_bot.store.tables import BreachReport

    reported = report_breach(
        demo.uow(), officer, ReportBreach("command", "LOM-0003 seen in a pub", "U0OFF1")
    )
    assert reported is not None
    assess_breach(
        demo.uow(),
        officer,
        AssessBreach(reported.breach_id, AssessmentOutcome.FIRST_WARNING, "seen by PC, no excuse"),
    )
    with demo.uow() as uow:
        report = uow.session.get(BreachReport, reported.breach_id)
        assert report is not None
        blocks = [b for page in triage_messages(triage_view(uow, report)) for b in page]
    Block.parse_all(blocks)
    done = [
        e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith(FOLLOW_UP_DONE)
    ]
    assert done and all(e["confirm"]["confirm"]["text"] == "Yes, record it" for e in done)
