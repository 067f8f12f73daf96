"""The education visit as evidence: where, who was present, each condition acknowledged or
disputed (disputed ones only with the evidence of service), signed or not; refused input
writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lom_bot.domain.enums import OrderStatus as S
from lom_bot.domain.errors import InvalidInput
from lom_bot.runtime import Runtime
from lom_bot.services import orders as o
from lom_bot.services.permissions import Actor
from lom_bot.services.visit_evidence import Evidence
from lom_bot.store.tables import EducationVisit, VisitEvidence
from tests.conftest import TODAY
from tests.test_order_support import new_subject, walk_to


def _ready(rt: Runtime, officer: Actor, supervisor: Actor) -> str:
    ref = new_subject(rt, officer)
    walk_to(rt, officer, supervisor, ref, S.AWAITING_ACTIVATION)
    return ref


def _counts(rt: Runtime) -> tuple[int, int]:
    with rt.uow() as uow:
        return (
            int(uow.session.scalar(select(func.count(VisitEvidence.id))) or 0),
            int(
                uow.session.scalar(
                    select(func.count(EducationVisit.id)).where(EducationVisit.done_on.is_not(None))
                )
                or 0
            ),
        )


def test_a_visit_keeps_place_people_disputed_conditions_and_signature(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = _ready(runtime, officer, supervisor)
    evidence = Evidence(
        "HMP Leeds, legal visits room", "DC Officer; Ms Smith (solicitor)", (2,), True
    )
    done = o.record_visit(
        runtime.uow(),
        officer,
        o.RecordVisit(ref, TODAY, service="in_person", evidence=evidence),
    )
    assert "at HMP Leeds, legal visits room" in done.message
    assert "disputed: 2" in done.message and "acknowledgement signed" in done.message
    with runtime.uow() as uow:
        kept = uow.session.scalars(select(VisitEvidence)).one()
    assert kept.present == "DC Officer; Ms Smith (solicitor)" and kept.disputed == [2]
    assert kept.signed is True


@pytest.mark.parametrize(
    ("cmd", "field"),
    [
        (dict(evidence=Evidence("HMP Leeds", "DC Officer", (2,))), "service"),  # not served
        (
            dict(evidence=Evidence("HMP Leeds", "DC Officer", (99,)), service="in_person"),
            "disputed",
        ),
        (dict(refused=True, service="in_person", evidence=Evidence(signed=True)), "signed"),
    ],
)
def test_bad_visit_evidence_is_refused_on_its_field_and_nothing_is_written(
    runtime: Runtime, officer: Actor, supervisor: Actor, cmd: dict[str, object], field: str
) -> None:
    ref = _ready(runtime, officer, supervisor)
    before = _counts(runtime)
    with pytest.raises(InvalidInput) as raised:
        o.record_visit(runtime.uow(), officer, o.RecordVisit(ref, TODAY, **cmd))  # type: ignore[arg-type]
    assert raised.value.field == field
    assert _counts(runtime) == before


def test_the_visit_form_asks_for_the_evidence() -> None:
    from lom_bot.handlers.order_actions import STEP_FORMS

    names = [f.name for f in STEP_FORMS["visit_record"].fields]
    for wanted in ("date", "outcome", "acknowledged", "disputed", "place", "present", "signed"):
        assert wanted in names


def test_the_step_grammar_takes_the_evidence_and_a_bad_one_is_refused(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    from lom_bot.handlers.commands_listener import dispatch
    from lom_bot.handlers.registry import CommandContext

    ref = _ready(runtime, officer, supervisor)
    ctx = CommandContext(runtime, officer, officer.slack_id, "C0LOMTEAM", None, None)  # type: ignore[arg-type]
    bad = dispatch(
        ctx, f"order {ref} visit record date=today outcome=acknowledged acknowledged=all disputed=2"
    )
    assert "evidence of service" in bad.text
    ok = dispatch(
        ctx,
        f"order {ref} visit record date=today outcome=acknowledged acknowledged=all "
        'disputed=2 service=in_person place="HMP Leeds" present="DC Officer" signed=no',
    )
    assert "at HMP Leeds" in ok.text and "disputed: 2" in ok.text and "not signed" in ok.text
