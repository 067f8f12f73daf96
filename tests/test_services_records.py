"""Service-level behaviour on a real SQLite database."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from lom_bot.domain.enums import (
    CheckKind,
    CheckResult,
    ContactKind,
    ContactOutcome,
    CustodyStatus,
    ReleaseDateKind,
    RiskLevel,
    TaskKind,
)
from lom_bot.domain.errors import (
    AlreadyDone,
    Ambiguous,
    InvalidGrading,
    InvalidInput,
    NotAuthorised,
    NotFound,
)
from lom_bot.domain.grading import parse_grading
from lom_bot.runtime import Runtime
from lom_bot.services.actors import load_actor, set_role
from lom_bot.services.permissions import Actor
from lom_bot.services.records import (
    LogCheck,
    LogContact,
    LogIntel,
    log_check,
    log_contact,
    log_intelligence,
)
from lom_bot.services.release_dates import record_release_date
from lom_bot.services.subjects import (
    NewSubject,
    access_subject,
    create_subject,
)
from lom_bot.services.tasks import CreateTask, complete_task, create_task
from lom_bot.store.tables import AuditEntry, Contact, OutboxMessage, Subject

TODAY = date(2026, 11, 25)


def contact(subject: str = "LOM-0001", **kw: object) -> LogContact:
    fields: dict[str, object] = dict(
        subject=subject,
        kind=ContactKind.HOME_VISIT,
        outcome=ContactOutcome.COMPLIED,
        occurred_on=TODAY,
    )
    fields.update(kw)
    return LogContact(**fields)  # type: ignore[arg-type]


def test_subjects_are_found_by_reference_pnc_name_alias_and_misspelling(
    demo: Runtime, officer: Actor
) -> None:
    with demo.uow() as uow:
        first = uow.session.scalars(select(Subject).where(Subject.ref == "LOM-0004")).one()
        assert access_subject(uow, officer, "lom-4", purpose="t").id == first.id
        assert access_subject(uow, officer, first.pnc_id or "", purpose="t").id == first.id
        assert access_subject(uow, officer, first.name, purpose="t").id == first.id
        misspelt = first.name[:-2] + first.name[-1] + first.name[-2]
        assert access_subject(uow, officer, misspelt, purpose="t").id == first.id


def test_an_ambiguous_name_offers_a_choice_rather_than_a_guess(
    demo: Runtime, officer: Actor
) -> None:
    with demo.uow() as uow, pytest.raises(Ambiguous) as err:
        access_subject(uow, officer, "Darren", purpose="t")
    assert len(err.value.candidates) >= 2


def test_an_unknown_subject_is_named_in_the_error(demo: Runtime, officer: Actor) -> None:
    with demo.uow() as uow, pytest.raises(NotFound) as err:
        access_subject(uow, officer, "LOM-9999", purpose="t")
    assert "LOM-9999" in str(err.value)


def test_a_district_officer_cannot_see_a_subject_outside_their_district(
    demo: Runtime, leeds_officer: Actor
) -> None:
    with demo.uow() as uow:
        outside = uow.session.scalars(select(Subject).where(Subject.district != "Leeds")).first()
        assert outside is not None
        with pytest.raises(NotAuthorised):
            access_subject(uow, leeds_officer, outside.ref, purpose="t")


def test_logging_a_contact_stores_it_and_audits_the_collection(
    demo: Runtime, officer: Actor
) -> None:
    logged = log_contact(demo.uow(), officer, contact(notes="white van on the drive"))
    assert logged.ref == "LOM-0001"
    with demo.uow() as uow:
        row = uow.session.get(Contact, logged.record_id)
        assert row is not None and row.notes == "white van on the drive"
        audit = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert audit is not None and audit.what == "contact.logged"
        assert audit.actor == "U0OFF1" and audit.subject_ref == "LOM-0001"


def test_awaiting_evidence_holds_for_five_working_days(demo: Runtime, officer: Actor) -> None:
    logged = log_contact(demo.uow(), officer, contact(outcome=ContactOutcome.AWAITING_EVIDENCE))
    assert "02/12/2026" in logged.summary


@pytest.mark.parametrize(
    ("cmd", "error"),
    [
        (contact(occurred_on=date(2026, 11, 26)), InvalidInput),
        (contact(outcome=ContactOutcome.ACCEPTABLE_ABSENCE), InvalidInput),
        (contact(notes="x" * 3001), InvalidInput),
        (contact(subject="LOM-9999"), NotFound),
    ],
)
def test_bad_contacts_are_refused_and_nothing_is_written(
    demo: Runtime, officer: Actor, cmd: LogContact, error: type[Exception]
) -> None:
    with demo.uow() as uow:
        before = uow.session.scalar(select(func.count(Contact.id)))
        audits = uow.session.scalar(select(func.count(AuditEntry.id)))
    with pytest.raises(error):
        log_contact(demo.uow(), officer, cmd)
    with demo.uow() as uow:
        assert uow.session.scalar(select(func.count(Contact.id))) == before
        assert uow.session.scalar(select(func.count(AuditEntry.id))) == audits


def test_a_double_click_records_one_contact(demo: Runtime, officer: Actor) -> None:
    log_contact(demo.uow(), officer, contact(request_key="click-1"))
    with pytest.raises(AlreadyDone):
        log_contact(demo.uow(), officer, contact(request_key="click-1"))


def test_a_district_officer_may_not_log_contacts_or_intelligence(
    demo: Runtime, leeds_officer: Actor
) -> None:
    with pytest.raises(NotAuthorised):
        log_contact(demo.uow(), leeds_officer, contact())
    with pytest.raises(NotAuthorised):
        log_intelligence(demo.uow(), leeds_officer, LogIntel("LOM-0001", "x", parse_grading("1AP")))


def test_a_concern_needs_a_note(demo: Runtime, officer: Actor) -> None:
    with pytest.raises(InvalidInput):
        log_check(
            demo.uow(), officer, LogCheck("LOM-0001", CheckKind.ANPR, CheckResult.CONCERN, TODAY)
        )
    ok = log_check(
        demo.uow(), officer, LogCheck("LOM-0001", CheckKind.ANPR, CheckResult.NO_CONCERNS, TODAY)
    )
    assert "anpr" in ok.summary


def test_intelligence_with_handling_code_c_needs_its_conditions(
    demo: Runtime, officer: Actor
) -> None:
    with pytest.raises(InvalidGrading):
        log_intelligence(demo.uow(), officer, LogIntel("LOM-0001", "text", parse_grading("2BC")))
    logged = log_intelligence(
        demo.uow(),
        officer,
        LogIntel("LOM-0001", "text", parse_grading("2BC"), handling_conditions="LOM team only"),
    )
    assert "2BC" in logged.summary and "LOM team only" in logged.summary


def test_creating_a_subject_gives_a_reference_and_refuses_duplicates(
    runtime: Runtime, officer: Actor
) -> None:
    new = NewSubject(
        "Testy",
        "Fictional",
        "leeds",
        RiskLevel.HIGH,
        CustodyStatus.IN_CUSTODY,
        pnc_id="19/12345X",
        aliases=("Tess",),
        release_dates={ReleaseDateKind.CRD: date(2027, 1, 5)},
    )
    with runtime.uow() as uow:
        subject = create_subject(uow, officer, new)
    assert subject.ref == "LOM-0001" and subject.district == "Leeds"
    assert subject.pnc_id == "19/0012345X"
    with runtime.uow() as uow, pytest.raises(InvalidInput):
        create_subject(uow, officer, new)
    with runtime.uow() as uow, pytest.raises(InvalidInput):
        create_subject(
            uow, officer, NewSubject("A", "B", "Narnia", RiskLevel.LOW, CustodyStatus.IN_COMMUNITY)
        )


def test_a_release_date_change_keeps_the_history(demo: Runtime, officer: Actor) -> None:
    change = record_release_date(
        demo.uow(), officer, "LOM-0002", ReleaseDateKind.CRD, date(2027, 3, 1)
    )
    again = record_release_date(
        demo.uow(), officer, "LOM-0002", ReleaseDateKind.CRD, date(2027, 2, 1)
    )
    assert again.before == change.after


def test_a_task_is_posted_to_its_district_by_reference_only(demo: Runtime, officer: Actor) -> None:
    with demo.uow() as uow:
        subject = uow.session.scalars(select(Subject).where(Subject.district == "Leeds")).first()
        assert subject is not None
        created = create_task(
            uow,
            officer,
            CreateTask(subject.ref, TaskKind.CURFEW_CHECK, date(2026, 11, 27), "after 23:00"),
        )
    with demo.uow() as uow:
        message = uow.session.scalars(select(OutboxMessage)).one()
    assert message.channel == "C0LEEDS"
    assert created.ref in message.payload["text"] and "after 23:00" not in message.payload["text"]
    leeds = load_actor(demo.uow(), "U0LEEDS")
    assert (
        complete_task(demo.uow(), leeds, created.ref, "at home 23:10")
        == f"{created.ref} marked done."
    )
    with pytest.raises(AlreadyDone):
        complete_task(demo.uow(), leeds, created.ref, "again")


def test_unknown_users_are_not_authorised(runtime: Runtime) -> None:
    with pytest.raises(NotAuthorised):
        load_actor(runtime.uow(), "U0STRANGER")


def test_admins_grant_roles_and_each_change_is_audited(
    runtime: Runtime, admin: Actor, officer: Actor
) -> None:
    from lom_bot.domain.enums import Role

    set_role(runtime.uow(), admin, "U0NEW", "PC New", Role.DISTRICT_OFFICER, "Wakefield")
    assert load_actor(runtime.uow(), "U0NEW").district == "Wakefield"
    with pytest.raises(NotAuthorised):
        set_role(runtime.uow(), officer, "U0NEW", None, Role.ADMIN)
    with pytest.raises(InvalidInput):
        set_role(runtime.uow(), admin, "U0NEW2", None, Role.DISTRICT_OFFICER, "Narnia")
    with runtime.uow() as uow:
        assert (
            uow.session.scalars(select(AuditEntry).where(AuditEntry.what == "user.role_changed"))
            .one()
            .entity_id
            == "U0NEW"
        )
