"""/lom retention: a supervisor retains or erases a record from chat; always audited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from lom_bot.domain.enums import AuditAction
from lom_bot.runtime import Runtime
from lom_bot.services.retention import ERASED
from lom_bot.store.tables import AuditEntry, Intelligence, Subject
from tests.e2e.harness import SlackHarness, harness
from tests.test_retention import closed_subject, live_subject


@pytest.fixture
def slack(demo: Runtime) -> Iterator[SlackHarness]:
    yield from harness(demo)


def last_entry(rt: Runtime) -> AuditEntry:
    with rt.uow() as uow:
        entry = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert entry is not None
        return entry


def test_a_supervisor_retains_a_subject_until_a_date(slack: SlackHarness) -> None:
    ref = closed_subject(slack.rt)
    result = slack.command("U0SUPER", f"retention {ref} retain until 01/12/2030 PSD inquiry open")
    assert f"{ref} retained; next review 01/12/2030" in result.text
    entry = last_entry(slack.rt)
    assert (entry.what, entry.purpose, entry.actor) == (
        "retention.retained",
        "PSD inquiry open",
        "U0SUPER",
    )


def test_a_supervisor_erases_an_intelligence_item(slack: SlackHarness) -> None:
    with slack.rt.uow() as uow:
        ref = uow.session.scalar(select(Intelligence.ref).order_by(Intelligence.id))
    result = slack.command("U0SUPER", f"retention {ref} erase graded E and shown false")
    assert f"{ref} erased" in result.text
    with slack.rt.uow() as uow:
        text = uow.session.scalar(select(Intelligence.text).where(Intelligence.ref == ref))
    assert text == ERASED and last_entry(slack.rt).action == AuditAction.ERASURE


def test_an_order_in_force_is_not_erased_from_chat(slack: SlackHarness) -> None:
    ref, order = live_subject(slack.rt)
    result = slack.command("U0SUPER", f"retention {ref} erase tidy up")
    assert order in result.text
    with slack.rt.uow() as uow:
        subject = uow.session.scalars(select(Subject).where(Subject.ref == ref)).one()
    assert subject.family_name != ERASED


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("retention", "Say which record"),
        ("retention LOM-0001 keep", "Say which record"),
        ("retention BOB-1 retain x", "not a record reference"),
        ("retention LOM-0001 erase", "needs a reason"),
        ("retention LOM-0001 retain until 31/02/2030 x", "not a real date"),
        ("retention LOM-0001 retain until yesterday x", "in the future"),
        ("retention SCPO-9999 retain x", "There is no order"),
    ],
)
def test_bad_retention_commands_are_answered_and_change_nothing(
    slack: SlackHarness, text: str, says: str
) -> None:
    before = last_entry(slack.rt).seq
    assert says in slack.command("U0SUPER", text).text
    assert last_entry(slack.rt).seq == before


@pytest.mark.parametrize("who", ["U0OFF1", "U0LEEDS", "U0ADMIN"])
def test_only_supervisors_decide_retention_in_chat(slack: SlackHarness, who: str) -> None:
    before = last_entry(slack.rt).seq
    result = slack.command(who, "retention LOM-0001 erase no reason needed")
    assert "may not" in result.text
    refusal = last_entry(slack.rt)  # the refusal is audited, and nothing else is written
    assert (refusal.seq, refusal.what) == (before + 1, "request.refused")
