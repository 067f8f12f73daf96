"""/lom audit <subject>: supervisors, in a sensitive channel, see who did what; the look-up is
itself audited; everyone and everywhere else is refused with nothing looked up."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from slack_sdk.models.blocks import Block
from sqlalchemy import func, select

from lom_bot.domain.enums import ContactKind, ContactOutcome
from lom_bot.runtime import Runtime
from lom_bot.services.audit import verify_chain
from lom_bot.services.permissions import Actor
from lom_bot.services.records import LogContact, log_contact
from lom_bot.store.tables import AuditEntry
from tests.conftest import TODAY
from tests.e2e.harness import SlackHarness, harness


@pytest.fixture
def slack(demo: Runtime) -> Iterator[SlackHarness]:
    yield from harness(demo)


def entries(rt: Runtime) -> int:
    with rt.uow() as uow:
        return int(uow.session.scalar(select(func.count(AuditEntry.id))) or 0)


def contacts(rt: Runtime, officer: Actor, n: int) -> None:
    cmd = LogContact("LOM-0002", ContactKind.CALL, ContactOutcome.COMPLIED, TODAY)
    for _ in range(n):
        log_contact(rt.uow(), officer, cmd)


def test_a_supervisor_sees_the_trail_and_the_query_is_audited(
    slack: SlackHarness, officer: Actor
) -> None:
    contacts(slack.rt, officer, 2)
    result = slack.command("U0SUPER", "audit LOM-0002", channel="C0SUPERV")
    assert result.status == 200 and "Audit trail of LOM-0002" in result.text
    assert result.to("chat.postMessage") == []  # shown to the asker only
    Block.parse_all(result.blocks)
    shown = json.dumps(result.blocks)
    assert "contact.logged" in shown and "<@U0OFF1>" in shown and "collection" in shown
    with slack.rt.uow() as uow:
        last_two = list(
            uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(2))
        )
    assert {(e.actor, e.action, e.subject_ref) for e in last_two} == {
        ("U0SUPER", "disclosure", "LOM-0002"),
        ("U0SUPER", "consultation", "LOM-0002"),
    }
    assert any(e.recipient == "ephemeral:U0SUPER" for e in last_two)
    assert verify_chain(slack.rt.uow()).intact


def test_a_long_trail_is_cut_to_the_newest_within_slack_limits(
    slack: SlackHarness, officer: Actor
) -> None:
    contacts(slack.rt, officer, 45)
    with slack.rt.uow() as uow:
        about = uow.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.subject_ref == "LOM-0002")
        )
    assert about is not None and about >= 45
    result = slack.command("U0SUPER", "audit LOM-0002", channel="C0SUPERV")
    blocks = result.blocks
    Block.parse_all(blocks)
    assert len(blocks) <= 50
    assert f"Newest 40 of {about}" in json.dumps(blocks)


@pytest.mark.parametrize("channel", ["C0LEEDS", "D0SUPERDM", "C0UNKNOWN"])
def test_outside_a_sensitive_channel_nothing_is_looked_up(
    slack: SlackHarness, channel: str
) -> None:
    before = entries(slack.rt)
    result = slack.command("U0SUPER", "audit LOM-0002", channel=channel)
    assert "only in a channel marked sensitive" in result.text
    assert entries(slack.rt) == before


@pytest.mark.parametrize(
    ("who", "says"),
    [("U0OFF1", "may not use `/lom audit`"), ("U0LEEDS", "may not"), ("U0ADMIN", "may not")],
)
def test_only_supervisors_may_ask(slack: SlackHarness, who: str, says: str) -> None:
    before = entries(slack.rt)
    result = slack.command(who, "audit LOM-0002", channel="C0SUPERV")
    assert says in result.text and "Audit trail" not in result.text
    assert entries(slack.rt) == before + 1  # the refusal's own entry, and nothing else
    with slack.rt.uow() as uow:
        last = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert last is not None and last.action == "refusal" and last.actor == who


def test_an_unknown_subject_or_no_subject_gets_a_clear_answer(slack: SlackHarness) -> None:
    assert "No subject matches" in slack.command("U0SUPER", "audit LOM-9999", "C0SUPERV").text
    assert "Which subject?" in slack.command("U0SUPER", "audit", "C0SUPERV").text
