"""Nothing a court may later ask about is recorded by one click: each evidential order step
opens a form that takes its references, comment and date, and keeps them in the history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lom_bot.blocks.order import IRREVERSIBLE
from lom_bot.domain.enums import ChecklistKind, OrderStatus
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.order_actions import STEP_FORMS
from lom_bot.runtime import Runtime
from lom_bot.services import orders as o
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import AuditEntry, Order, OrderEvent
from tests.test_order_support import TODAY, grant_cmd, new_subject, walk_to

S = OrderStatus
# Steps with nothing for a person to add: the nightly job records expiry the same way, and the
# expiry letter is a document, not a record. Slack still asks "Are you sure?" before either.
NOTHING_TO_ADD = {"expire", "expiry_letter"}


@pytest.mark.parametrize("step", sorted(IRREVERSIBLE - NOTHING_TO_ADD))
def test_an_irreversible_steps_button_opens_a_form_instead_of_recording(step: str) -> None:
    # A button sends `/lom order <ref> <step>` with nothing else: the form must still need
    # something from the officer, so the modal opens and nothing is recorded by the click.
    assert STEP_FORMS[step].missing({"subject": "LOM-0042"}), step


@pytest.mark.parametrize(
    ("step", "needs"),
    [
        ("approve", {"comments"}),
        ("submit", {"reference"}),
        ("grant", {"court", "reference", "made", "term"}),
        ("accept", {"reference", "date"}),
        ("close", {"note"}),
    ],
)
def test_each_evidential_form_asks_for_what_the_record_needs(step: str, needs: set[str]) -> None:
    assert needs <= set(STEP_FORMS[step].missing({"subject": "LOM-0042"}))


def _events(rt: Runtime, kind: str) -> list[str]:
    with rt.uow() as uow:
        return [
            e.note or ""
            for e in uow.session.scalars(select(OrderEvent).where(OrderEvent.kind == kind))
        ]


def test_the_grant_keeps_the_courts_reference(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.SUBMITTED)
    done = o.grant(runtime.uow(), officer, grant_cmd(ref, court_reference="T20267001"))
    assert "court reference T20267001" in done.message
    assert any("court reference T20267001" in n for n in _events(runtime, "granted"))


def test_submission_keeps_its_date_and_a_future_date_is_refused_with_nothing_written(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.APPROVED)
    with runtime.uow() as uow:
        audits = uow.session.scalar(select(func.count(AuditEntry.id)))
    with pytest.raises(InvalidInput, match="in the future") as refused:
        o.submit(runtime.uow(), officer, o.Submit(ref, None, "CPS-1", TODAY + timedelta(days=1)))
    assert refused.value.field == "date submitted"
    with runtime.uow() as uow:
        assert uow.session.scalar(select(func.count(AuditEntry.id))) == audits
        assert uow.session.scalars(select(Order.status)).one() is S.APPROVED
    o.submit(runtime.uow(), officer, o.Submit(ref, None, "CPS-1", TODAY - timedelta(days=1)))
    with runtime.uow() as uow:
        event = uow.session.scalars(
            select(OrderEvent).where(OrderEvent.kind == "submitted_to_cps")
        ).one()
    assert event.effective_on == TODAY - timedelta(days=1) and "CPS-1" in (event.note or "")


def test_transfer_acceptance_keeps_the_receiving_forces_reference(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.ACTIVE)
    o.transfer_out(runtime.uow(), officer, o.TransferOut(ref, "Merseyside Police"))
    for n in range(1, 9):
        o.complete_step(
            runtime.uow(), officer, o.CompleteStep(ref, ChecklistKind.TRANSFER_OUT, str(n))
        )
    o.accept_transfer(runtime.uow(), officer, o.AcceptTransfer(ref, TODAY, "MP/SCPO/77"))
    (note,) = _events(runtime, "transferred_out")
    assert "their reference MP/SCPO/77" in note
