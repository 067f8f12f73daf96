"""Court outcomes carry structured fields (offence, section, plea, disposal, term or penalty,
new order) on every route: the service and the `/lom breach court` command."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from lom_bot.bootstrap import Runtime
from lom_bot.domain.enums import AssessmentOutcome
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.commands_listener import dispatch
from lom_bot.services.breach_court import RecordCourtOutcome, record_court_outcome
from lom_bot.services.court_fields import parse_sentence, section_of
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import BreachReport, CourtOutcome
from tests.test_breach_assessment import decide, reported
from tests.test_breach_support import db_url, seeded_template  # noqa: F401  (fixtures)
from tests.test_breach_support import demo as demo
from tests.test_handlers_dispatch import context

TODAY = date(2026, 11, 25)


def rows(rt: Runtime, refs: tuple[str, ...] = ()) -> list[CourtOutcome]:
    """The court outcomes of the given breach reports (the demo data holds others)."""
    with rt.uow() as uow:
        query = select(CourtOutcome).join(BreachReport, BreachReport.id == CourtOutcome.breach_id)
        return list(
            uow.session.scalars(query.where(BreachReport.ref.in_(refs)).order_by(CourtOutcome.id))
        )


def count(rt: Runtime) -> int:
    with rt.uow() as uow:
        return uow.session.scalar(select(func.count(CourtOutcome.id))) or 0


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("custody 18 months new order", {"type": "custody", "months": 18, "new_order": True}),
        ("prison 9", {"type": "custody", "months": 9}),
        ("fine £500 no new order", {"type": "fine", "amount": 500, "new_order": False}),
        (
            "community order 200 hours unpaid work",
            {"type": "community_order", "penalty": "200 hours unpaid work"},
        ),
        (
            "community order 12 months 150 hours unpaid work",
            {"type": "community_order", "months": 12, "penalty": "150 hours unpaid work"},
        ),
        ("custody 2 years new order", {"type": "custody", "months": 24, "new_order": True}),
        ("custody 4 months (18 weeks)", {"type": "custody", "months": 4, "penalty": "(18 weeks)"}),
        (
            "community order with 12 months supervision",
            {"type": "community_order", "penalty": "with 12 months supervision"},
        ),
        ("suspended 12 months", {"type": "suspended", "months": 12}),
    ],
)
def test_a_sentence_is_read_into_type_term_penalty_and_new_order(
    words: str, expected: dict[str, object]
) -> None:
    assert parse_sentence(words.split()) == expected


def test_a_custodial_term_in_weeks_is_refused_not_recorded_as_months() -> None:
    with pytest.raises(InvalidInput, match="Terms are recorded in whole months") as refused:
        parse_sentence(["custody", "18", "weeks"])
    assert "sentence custody 4 months (18 weeks)" in str(refused.value.example)


def test_a_section_is_read_from_the_offence_words() -> None:
    assert section_of("Failing to comply with an SCPO, s.25 SCA 2007") == "s.25"
    assert section_of("section 22E extension") == "s.22E"
    assert section_of("possession with intent to supply") is None


def test_the_command_records_one_row_per_event_and_the_sentence_row_holds_the_whole_case(
    demo: Runtime,
    officer: Actor,
) -> None:
    ref = decide(demo, officer, reported(demo), AssessmentOutcome.CPS_FILE).ref
    ctx = context(demo, officer)
    for text in (
        f"breach court {ref} charge s.25 SCA 2007 failing to comply with an SCPO on 02/10/2026",
        f"breach court {ref} plea guilty on 20/10/2026 at Leeds Magistrates' Court",
        f"breach court {ref} sentence custody 18 months new order on 20/11/2026 "
        "at Leeds Crown Court",
    ):
        assert dispatch(ctx, text).text.startswith(":scales:"), text
    charge, plea, sentence = rows(demo, (ref,))
    assert (charge.offence, charge.section) == (
        "s.25 SCA 2007 failing to comply with an SCPO",
        "s.25",
    )
    assert (plea.plea, plea.charge_id) == ("guilty", charge.id)
    assert (
        sentence.charge_id,
        sentence.offence,
        sentence.section,
        sentence.plea,
        sentence.disposal,
        sentence.custody_months,
        sentence.new_order,
        sentence.court,
        sentence.on,
    ) == (
        charge.id,
        charge.offence,
        "s.25",
        "guilty",
        "custody",
        18,
        True,
        "Leeds Crown Court",
        date(2026, 11, 20),
    )


def test_a_fine_keeps_its_amount_and_a_community_order_its_terms_in_words(
    demo: Runtime,
    officer: Actor,
) -> None:
    first = decide(demo, officer, reported(demo), AssessmentOutcome.CPS_FILE).ref
    second = decide(
        demo, officer, reported(demo, ts="1764064800.000777"), AssessmentOutcome.ARREST
    ).ref

    def court(ref: str, kind: str, **detail: object) -> None:
        record_court_outcome(
            demo.uow(), officer, RecordCourtOutcome(ref, kind, TODAY, "Kirklees MC", dict(detail))
        )

    for ref in (first, second):
        court(ref, "charge")
        court(ref, "plea", plea="not_guilty")
        court(ref, "verdict", verdict="guilty")
    court(first, "sentence", **parse_sentence(["fine", "£750"]))
    community_order = "community order 150 hours unpaid work"
    court(second, "sentence", **parse_sentence(community_order.split()))
    fine, community = [r for r in rows(demo, (first, second)) if r.kind == "sentence"]
    assert (fine.disposal, fine.fine_pounds, fine.custody_months, fine.plea) == (
        "fine",
        750,
        None,
        "not_guilty",
    )
    assert fine.offence and "s.25" in fine.offence and fine.section == "s.25"
    assert (community.disposal, community.custody_months, community.penalty) == (
        "community_order",
        None,
        "150 hours unpaid work",
    )


def test_a_refused_court_outcome_writes_nothing(demo: Runtime, officer: Actor) -> None:
    ref = decide(demo, officer, reported(demo), AssessmentOutcome.CPS_FILE).ref
    before = count(demo)
    reply = dispatch(context(demo, officer), f"breach court {ref} sentence custody 18")
    assert reply.text.startswith(":warning:")
    assert count(demo) == before


def test_a_sentence_in_weeks_is_refused_in_chat_and_nothing_is_written(
    demo: Runtime, officer: Actor
) -> None:
    ref = decide(demo, officer, reported(demo), AssessmentOutcome.CPS_FILE).ref
    dispatch(
        context(demo, officer), f"breach court {ref} charge on 20/11/2026 at Leeds Crown Court"
    )
    before = count(demo)
    reply = dispatch(
        context(demo, officer),
        f"breach court {ref} sentence custody 18 weeks on 24/11/2026 at Leeds Crown Court",
    )
    assert reply.text.startswith(":warning: Terms are recorded in whole months"), reply.text
    assert count(demo) == before
