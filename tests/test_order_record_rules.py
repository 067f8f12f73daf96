"""What a court can rely on: verbatim wording with no placeholders in a made order, dates that
can be right on every route, and forces chosen from the UK list with their jurisdictions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from lom_bot.bootstrap import Runtime
from lom_bot.domain.enums import CheckKind, CheckResult, ContactKind, ContactOutcome, OrderStatus
from lom_bot.domain.errors import InvalidDate, InvalidInput, SubjectTooYoung
from lom_bot.domain.wording import placeholder_in
from lom_bot.services import orders as o
from lom_bot.services.permissions import Actor
from lom_bot.services.records import LogCheck, LogContact, log_check, log_contact
from lom_bot.store.tables import (
    Check,
    Condition,
    Contact,
    EducationVisit,
    Order,
    OrderEvent,
    ReleaseDate,
)
from tests.test_order_support import TODAY, grant_cmd, new_subject, walk_to

S = OrderStatus
OTHER = o.ConditionDraft("other")  # the template's "[wording to be agreed]"


def written(rt: Runtime) -> tuple[int, ...]:
    with rt.uow() as uow:
        return tuple(
            int(uow.session.scalar(select(func.count()).select_from(t)) or 0)
            for t in (Order, OrderEvent, Condition, EducationVisit, Contact, Check, ReleaseDate)
        )


def submitted_with_placeholder(rt: Runtime, officer: Actor, supervisor: Actor) -> str:
    ref = new_subject(rt, officer)
    o.propose(rt.uow(), officer, o.ProposeOrder(ref, "grounds"))
    o.draft(
        rt.uow(), officer, o.DraftApplication(ref, "grounds", (o.ConditionDraft("cash"), OTHER))
    )
    o.approve(rt.uow(), supervisor, o.Review(ref))
    o.submit(rt.uow(), officer, o.Submit(ref))
    return ref


# Verbatim wording


@pytest.mark.parametrize(
    ("wording", "hole"),
    [
        (
            "To comply with the following requirement: [wording to be agreed].",
            "[wording to be agreed]",
        ),
        ("Not to live at ______ without notice.", "______"),
        ("Curfew hours TBC by the court.", "TBC"),
        ("Not to hold more than £xxx in cash.", "xxx"),
        ("Not to enter the area bounded by \u2026", "\u2026"),
        ("Not to enter the area bounded by ...", "..."),
        ("Curfew hours TBD.", "TBD"),
        ("Not to contact {name of associate}.", "{name of associate}"),
        ("Residence to be decided by the court.", "to be decided"),
        ("", "(no words)"),
        ("   ", "(no words)"),
        ("Not to possess more than one SIM card (excluding XX-rated content).", None),
        ("Not to possess more than one mobile telephone.", None),
    ],
)
def test_placeholders_are_recognised(wording: str, hole: str | None) -> None:
    assert placeholder_in(wording) == hole


def test_a_draft_may_hold_a_placeholder_but_the_grant_refuses_it_until_the_court_words_are_given(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = submitted_with_placeholder(runtime, officer, supervisor)
    before = written(runtime)
    with pytest.raises(InvalidInput, match=r"Condition 2 still reads '\[wording to be agreed\]'"):
        o.grant(runtime.uow(), officer, grant_cmd(ref))
    assert written(runtime) == before
    done = o.grant(
        runtime.uow(), officer, grant_cmd(ref, wording={2: "To live where the police are told."})
    )
    assert done.status is S.GRANTED


def test_a_variation_cannot_bring_in_a_placeholder(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.ACTIVE)
    before = written(runtime)
    with pytest.raises(InvalidInput, match="Condition 4 still reads"):
        o.vary(runtime.uow(), officer, o.Vary(ref, "s17", "Leeds CC", TODAY, add=(OTHER,)))
    with pytest.raises(InvalidInput, match="Condition 1 still reads"):
        o.vary(
            runtime.uow(), officer, o.Vary(ref, "s17", "Leeds CC", TODAY, wording={1: "Not [x]."})
        )
    assert written(runtime) == before


def arriving(ref: str, **kw: object) -> o.TransferIn:
    fields: dict[str, object] = dict(
        subject=ref,
        from_force="merseyside",
        requested_on=TODAY,
        court="Liverpool Crown Court",
        made_on=date(2025, 3, 1),
        activated_on=date(2025, 6, 1),
        expires_on=date(2028, 5, 31),
        conditions=(o.ConditionDraft("cash", "Not to hold more than £500 in cash."),),
    )
    fields.update(kw)
    return o.TransferIn(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"conditions": (OTHER,)}, InvalidInput, "Condition 1 has no wording"),
        (
            {"conditions": (o.ConditionDraft("other", "Comply with [wording to be agreed]."),)},
            InvalidInput,
            "still reads",
        ),
        (
            {"activated_on": date(2028, 12, 4)},
            InvalidDate,
            "came into force 04/12/2028 is in the future",
        ),
        ({"activated_on": date(2025, 1, 1)}, InvalidDate, "before the order was made"),
        ({"made_on": date(2007, 1, 1)}, InvalidDate, "before SCPOs existed"),
        ({"expires_on": None}, InvalidInput, "give it as expires="),
        ({"expires_on": date(2030, 6, 1)}, Exception, "at most 5 years"),
        ({"from_force": "Atlantis Police"}, InvalidInput, "not a UK police force"),
        (
            {
                "made_on": date(2020, 6, 1),
                "activated_on": date(2020, 6, 1),
                "expires_on": date(2025, 5, 31),
            },
            InvalidDate,
            "expired at the end of 31/05/2025: it is no longer in force",
        ),
    ],
)
def test_a_transfer_in_takes_the_other_forces_order_verbatim_with_dates_that_can_be_right(
    runtime: Runtime, officer: Actor, change: dict[str, object], error: type, message: str
) -> None:
    ref = new_subject(runtime, officer)
    before = written(runtime)
    with pytest.raises(error, match=message):
        o.transfer_in(runtime.uow(), officer, arriving(ref, **change))
    assert written(runtime) == before


def test_an_order_made_when_the_subject_was_17_is_refused_on_transfer_in(
    runtime: Runtime, officer: Actor
) -> None:
    ref = new_subject(runtime, officer, born=date(2008, 1, 10))
    before = written(runtime)
    with pytest.raises(SubjectTooYoung, match="aged 18 or over"):
        o.transfer_in(runtime.uow(), officer, arriving(ref, made_on=date(2025, 12, 1)))
    assert written(runtime) == before


def test_the_arriving_wording_is_stored_exactly(runtime: Runtime, officer: Actor) -> None:
    ref = new_subject(runtime, officer)
    o.transfer_in(runtime.uow(), officer, arriving(ref))
    with runtime.uow() as uow:
        (condition,) = uow.session.scalars(select(Condition)).all()
    assert condition.wording == "Not to hold more than £500 in cash."


# Date sanity on every route


def test_a_contact_or_check_before_the_subjects_10th_birthday_is_refused(
    runtime: Runtime, officer: Actor
) -> None:
    ref = new_subject(runtime, officer)  # born 01/03/1985
    before = written(runtime)
    with pytest.raises(InvalidDate, match=r"contact date 01/01/1960 is before the subject's 10th"):
        log_contact(
            runtime.uow(),
            officer,
            LogContact(ref, ContactKind.CALL, ContactOutcome.COMPLIED, date(1960, 1, 1)),
        )
    with pytest.raises(InvalidDate, match="check date 01/01/1990"):
        log_check(
            runtime.uow(),
            officer,
            LogCheck(ref, CheckKind.PNC, CheckResult.NO_CONCERNS, date(1990, 1, 1)),
        )
    assert written(runtime) == before


def test_activation_and_visit_dates_before_the_order_was_made_are_refused(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.AWAITING_ACTIVATION)  # made 02/11/2026
    before = written(runtime)
    with pytest.raises(InvalidDate, match="visit date 01/01/2020 is before the order was made"):
        o.record_visit(runtime.uow(), officer, o.RecordVisit(ref, date(2020, 1, 1)))
    with pytest.raises(InvalidDate, match=r"activation\) date 01/11/2026 is before the order"):
        o.activate(runtime.uow(), supervisor, o.Activate(ref, date(2026, 11, 1), "urgent"))
    with pytest.raises(InvalidDate, match="in the future"):
        o.activate(runtime.uow(), supervisor, o.Activate(ref, date(2026, 12, 1), "urgent"))
    assert written(runtime) == before


def test_a_grant_dated_before_scpos_existed_or_a_fixed_start_before_it_was_made_is_refused(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    from lom_bot.domain.enums import Commencement

    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.SUBMITTED)
    before = written(runtime)
    with pytest.raises(InvalidDate, match="before SCPOs existed"):
        o.grant(runtime.uow(), officer, grant_cmd(ref, made_on=date(2008, 1, 1)))
    with pytest.raises(InvalidDate, match="fixed start date 01/10/2026 is before the order"):
        o.grant(
            runtime.uow(),
            officer,
            grant_cmd(ref, commencement=Commencement.FIXED_DATE, starts_on=date(2026, 10, 1)),
        )
    assert written(runtime) == before


def test_a_warning_letter_never_quotes_a_placeholder_as_the_courts_words(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    from lom_bot.services.letters import GenerateLetter, generate_letter
    from lom_bot.store.tables import Document

    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.ACTIVE)
    with runtime.uow() as uow:  # a record from before the grant refused placeholders
        condition = uow.session.scalars(select(Condition).where(Condition.number == 1)).one()
        condition.wording = "To comply with the following requirement: [wording to be agreed]."
        uow.commit()
    with pytest.raises(InvalidInput, match="Record the court's wording first"):
        generate_letter(
            runtime.uow(),
            officer,
            GenerateLetter("warning_letter", ref, conditions=(1,), failure="no phone notified"),
        )
    with runtime.uow() as uow:
        assert uow.session.scalars(select(Document)).all() == []


def test_a_release_date_before_the_10th_birthday_or_a_discharge_before_the_order_is_refused(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    from lom_bot.domain.enums import ReleaseDateKind

    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.GRANTED)  # made 02/11/2026, born 01/03/1985
    before = written(runtime)
    with pytest.raises(InvalidDate, match="CRD release date 01/01/1990 is before the subject's"):
        o.change_release_date(
            runtime.uow(), officer, o.ChangeReleaseDate(ref, ReleaseDateKind.CRD, date(1990, 1, 1))
        )
    with pytest.raises(InvalidDate, match="date of discharge 01/10/2026 is before the order"):
        o.discharge(runtime.uow(), officer, o.Discharge(ref, "High Court (KBD)", date(2026, 10, 1)))
    assert written(runtime) == before
