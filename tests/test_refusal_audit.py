"""Every refused request is audited (who, what was asked, which subject if named, channel) in
the audit hash chain, as a transaction of its own that writes nothing else; supervisors see
refusals in `/lom audit refusals` and `lom-bot audit export --user`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from slack_sdk.models.blocks import Block
from sqlalchemy import func, select

from lom_bot.blocks.common import LOG_CONTACT
from lom_bot.cli import cli
from lom_bot.domain.enums import ContactKind, ContactOutcome
from lom_bot.domain.errors import NotAuthorised
from lom_bot.runtime import Runtime
from lom_bot.services.audit import verify_chain
from lom_bot.services.permissions import Actor
from lom_bot.services.readmodels.card import load_card
from lom_bot.services.records import LogContact, log_contact
from lom_bot.store.tables import AuditEntry, Contact, Intelligence, Subject
from tests.conftest import TODAY
from tests.e2e.harness import SlackHarness, harness


@pytest.fixture
def slack(demo: Runtime) -> Iterator[SlackHarness]:
    yield from harness(demo)


def _bradford(rt: Runtime) -> Subject:
    with rt.uow() as uow:
        subject = uow.session.scalars(
            select(Subject).where(Subject.district == "Bradford").order_by(Subject.ref)
        ).first()
    assert subject is not None
    return subject


def _counts(rt: Runtime) -> dict[str, int]:
    """Rows in the tables a refused request might have touched."""
    with rt.uow() as uow:
        s = uow.session
        return {
            table.__name__: int(s.scalar(select(func.count()).select_from(table)) or 0)
            for table in (AuditEntry, Contact, Intelligence, Subject)
        }


def _refusals(rt: Runtime) -> list[AuditEntry]:
    with rt.uow() as uow:
        return list(
            uow.session.scalars(
                select(AuditEntry).where(AuditEntry.action == "refusal").order_by(AuditEntry.seq)
            )
        )


def _only_a_refusal_was_written(rt: Runtime, before: dict[str, int]) -> AuditEntry:
    after = _counts(rt)
    assert after == {**before, "AuditEntry": before["AuditEntry"] + 1}
    return _refusals(rt)[-1]


def test_a_card_outside_the_district_is_refused_and_audited_with_the_subject(
    demo: Runtime, leeds_officer: Actor
) -> None:
    other = _bradford(demo)
    before = _counts(demo)
    with pytest.raises(NotAuthorised), demo.uow() as uow:
        load_card(uow, leeds_officer, other.ref, with_intel=False)
    entry = _only_a_refusal_was_written(demo, before)
    assert entry.actor == "U0LEEDS" and entry.subject_ref == other.ref
    assert entry.what == "request.refused"
    assert entry.detail["needed"] == "subject outside own district"
    assert verify_chain(demo.uow()).intact


def test_a_service_refusal_rolls_back_and_is_audited_once(
    demo: Runtime, leeds_officer: Actor
) -> None:
    before = _counts(demo)
    cmd = LogContact("LOM-0001", ContactKind.CALL, ContactOutcome.COMPLIED, TODAY)
    with pytest.raises(NotAuthorised) as raised:
        log_contact(demo.uow(), leeds_officer, cmd)
    assert raised.value.audited
    entry = _only_a_refusal_was_written(demo, before)
    assert entry.detail["needed"] == "log_contact"


def test_a_refused_slash_command_is_audited_with_what_was_asked_and_where(
    slack: SlackHarness,
) -> None:
    rt = slack.rt
    ref = _bradford(rt).ref
    before = _counts(rt)
    result = slack.command("U0LEEDS", f"intel {ref} seen in a bookmakers 2BP", channel="C0LEEDS")
    assert "may not use `/lom intel`" in result.text
    entry = _only_a_refusal_was_written(rt, before)
    assert entry.actor == "U0LEEDS"
    assert entry.detail["asked"] == "/lom intel" and entry.detail["needed"] == "log_intel"
    assert entry.subject_ref == ref and entry.recipient == "C0LEEDS"


@pytest.mark.parametrize(
    "text",
    ["audit LOM-0001", "order LOM-0001 history", "subject {bradford}"],
)
def test_each_refused_route_leaves_one_trace(slack: SlackHarness, text: str) -> None:
    rt = slack.rt
    before = _counts(rt)
    result = slack.command("U0LEEDS", text.format(bradford=_bradford(rt).ref), channel="C0LEEDS")
    assert "may not" in result.text or "No subject matches" in result.text
    entry = _only_a_refusal_was_written(rt, before)
    assert entry.actor == "U0LEEDS" and entry.subject_ref is not None


def test_an_unknown_user_is_refused_and_audited(slack: SlackHarness) -> None:
    before = _counts(slack.rt)
    result = slack.command("U0STRANGER", "subject LOM-0001")
    assert "not authorised" in result.text
    entry = _only_a_refusal_was_written(slack.rt, before)
    assert entry.actor == "U0STRANGER" and entry.detail["asked"] == "/lom subject"


def test_a_card_button_the_role_may_not_press_is_audited(slack: SlackHarness) -> None:
    before = _counts(slack.rt)
    result = slack.click("U0LEEDS", LOG_CONTACT, "LOM-0001", channel="C0LEEDS", message_ts="1.1")
    assert "may not do that" in result.text or any(
        "may not do that" in str(r) for r in result.replies
    )
    entry = _only_a_refusal_was_written(slack.rt, before)
    assert entry.detail["asked"] == f"action:{LOG_CONTACT}" and entry.subject_ref == "LOM-0001"


def test_supervisors_see_refusals_in_slack_and_in_the_export(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = slack.rt
    slack.command("U0LEEDS", "intel LOM-0001 seen 2BP", channel="C0LEEDS")
    shown = slack.command("U0SUPER", "audit refusals", channel="C0SUPERV")
    blocks: list[dict[str, Any]] = shown.blocks
    Block.parse_all(blocks)
    text = str(blocks)
    assert "refusal" in text and "/lom intel" in text and "U0LEEDS" in text
    monkeypatch.setenv("DATABASE_URL", rt.settings.database_url)
    monkeypatch.setenv("LOM_CONFIG", str(rt.settings.lom_config))
    exported = CliRunner().invoke(cli, ["audit", "export", "--user", "U0LEEDS"])
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(exported.output[exported.output.index("seq,") :])))
    refused = [r for r in rows if r["action"] == "refusal"]
    assert refused and "/lom intel" in refused[0]["detail"]
    assert refused[0]["recipient"] == "C0LEEDS"


def test_a_refusal_to_view_refusals_is_itself_audited(slack: SlackHarness) -> None:
    before = _counts(slack.rt)
    result = slack.command("U0OFF1", "audit refusals", channel="C0SUPERV")
    assert "may not use `/lom audit`" in result.text
    entry = _only_a_refusal_was_written(slack.rt, before)
    assert entry.actor == "U0OFF1"
