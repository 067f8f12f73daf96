"""District officers see only subjects resident in their district, and of them only identity, a
photo-free description, the conditions to watch and open tasks: never intelligence, contact
notes or assessments."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from slack_sdk.models.blocks import Block
from sqlalchemy import func, select

from lom_bot.domain.errors import NotAuthorised, NotFound
from lom_bot.runtime import Runtime
from lom_bot.services.home_data import district_home
from lom_bot.services.permissions import Actor
from lom_bot.services.readmodels.card import load_card
from lom_bot.services.readmodels.caseload import load_caseload
from lom_bot.store.tables import Contact, Intelligence, Subject, Task
from tests.e2e.harness import SlackHarness, harness


@pytest.fixture
def slack(demo: Runtime) -> Iterator[SlackHarness]:
    yield from harness(demo)


def _leeds_subject_with_history(rt: Runtime) -> Subject:
    """A Leeds subject with contacts and intelligence in the demo data."""
    with rt.uow() as uow:
        s = uow.session
        with_intel = select(Intelligence.subject_id)
        with_notes = select(Contact.subject_id).where(Contact.notes.is_not(None))
        subject = s.scalars(
            select(Subject)
            .where(Subject.district == "Leeds")
            .where(Subject.id.in_(with_intel), Subject.id.in_(with_notes))
            .order_by(Subject.ref)
        ).first()
        assert subject is not None, "the demo has a Leeds subject with intel and contact notes"
        return subject


def _secrets_of(rt: Runtime, subject: Subject) -> list[str]:
    """What a district officer must never be shown about this subject."""
    with rt.uow() as uow:
        s = uow.session
        intel = list(
            s.scalars(select(Intelligence.text).where(Intelligence.subject_id == subject.id))
        )
        notes = list(
            s.scalars(
                select(Contact.notes).where(
                    Contact.subject_id == subject.id, Contact.notes.is_not(None)
                )
            )
        )
    return [t[:40] for t in intel + [n for n in notes if n]] + [subject.pnc_id or "no-pnc"]


def test_the_card_for_a_district_officer_is_limited(demo: Runtime, leeds_officer: Actor) -> None:
    from lom_bot.blocks.card import subject_card

    subject = _leeds_subject_with_history(demo)
    with demo.uow() as uow:
        card = load_card(uow, leeds_officer, subject.ref, with_intel=True)
        uow.commit()
    assert card.limited
    assert card.contacts == [] and card.intel == [] and card.intel_count == 0
    assert card.breaches == [] and card.follow_ups == [] and card.evidence_awaited == []
    assert all(t.district == "Leeds" for t in card.tasks)
    blocks = subject_card(card, demo.clock.today(), intel_shown=True, buttons=True)
    Block.parse_all(blocks)
    shown = json.dumps(blocks)
    for secret in _secrets_of(demo, subject):
        assert secret not in shown
    assert "Risk" not in shown and "PNC" not in shown and "actions" not in shown


def test_a_subject_in_another_district_is_refused(demo: Runtime, leeds_officer: Actor) -> None:
    with demo.uow() as uow:
        other = uow.session.scalars(
            select(Subject).where(Subject.district == "Bradford").order_by(Subject.ref)
        ).first()
        assert other is not None
    # refused (and audited) in the words of a miss: nothing says the reference exists
    with demo.uow() as uow, pytest.raises(NotAuthorised, match="No subject matches"):
        load_card(uow, leeds_officer, other.ref, with_intel=False)
    with demo.uow() as uow, pytest.raises(NotFound):  # a name search does not even find them
        load_card(uow, leeds_officer, other.name, with_intel=False)


def test_the_caseload_and_home_show_only_the_district(demo: Runtime, leeds_officer: Actor) -> None:
    with demo.uow() as uow:
        caseload = load_caseload(uow, leeds_officer, "all")
        home = district_home(uow, leeds_officer)
        leeds = uow.session.scalar(
            select(func.count(Subject.id)).where(Subject.district == "Leeds")
        )
    assert caseload.limited and len(caseload.rows) == leeds
    assert {row.subject.district for row in caseload.rows} == {"Leeds"}
    assert {subject.district for subject, _ in home.subjects} <= {"Leeds"}


def test_district_officers_complete_only_their_own_districts_tasks(
    demo: Runtime, leeds_officer: Actor
) -> None:
    from lom_bot.services.tasks import complete_task

    with demo.uow() as uow:
        elsewhere = uow.session.scalar(
            select(Task.ref).where(Task.district != "Leeds").order_by(Task.id)
        )
    assert elsewhere is not None
    with pytest.raises(NotAuthorised):
        complete_task(demo.uow(), leeds_officer, elsewhere, "done")


def test_in_slack_a_district_officer_never_sees_intelligence_or_notes(
    slack: SlackHarness,
) -> None:
    subject = _leeds_subject_with_history(slack.rt)
    result = slack.command("U0LEEDS", f"subject {subject.ref}", channel="C0LEEDS")
    assert result.status == 200 and subject.ref in result.text
    shown = json.dumps(result.replies)
    for secret in _secrets_of(slack.rt, subject):
        assert secret not in shown
    refused = slack.command("U0LEEDS", f"intel {subject.ref} 2BP seen", channel="C0LEEDS")
    assert "may not" in refused.text


def test_unknown_users_get_not_authorised_and_no_data(slack: SlackHarness) -> None:
    subject = _leeds_subject_with_history(slack.rt)
    result = slack.command("U0STRANGER", f"subject {subject.ref}")
    assert "not authorised" in result.text
    assert subject.name not in json.dumps(result.replies)
    assert result.to("chat.postMessage") == []


def test_intelligence_with_handling_code_c_is_shown_with_its_conditions(
    demo: Runtime, officer: Actor
) -> None:
    from lom_bot.blocks.card import subject_card
    from lom_bot.domain.grading import parse_grading
    from lom_bot.services.records import LogIntel, log_intelligence

    log_intelligence(
        demo.uow(),
        officer,
        LogIntel("LOM-0001", "meets a courier weekly", parse_grading("2BC"), "not to ROCU"),
    )
    with demo.uow() as uow:
        card = load_card(uow, officer, "LOM-0001", with_intel=True)
    shown = json.dumps(subject_card(card, demo.clock.today(), intel_shown=True, buttons=False))
    assert "meets a courier weekly" in shown
    assert "not to ROCU" in shown
