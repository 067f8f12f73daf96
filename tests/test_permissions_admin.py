"""Roles: bootstrapped from app.yaml, changed by admins with /lom admin, every change audited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from lom_bot.domain.enums import AuditAction, Role
from lom_bot.runtime import Runtime
from lom_bot.store.tables import AuditEntry, User
from tests.e2e.harness import SlackHarness, harness


@pytest.fixture
def slack(runtime: Runtime) -> Iterator[SlackHarness]:
    yield from harness(runtime)


def user(rt: Runtime, slack_id: str) -> User | None:
    with rt.uow() as uow:
        return uow.session.scalars(select(User).where(User.slack_id == slack_id)).one_or_none()


def role_changes(rt: Runtime) -> list[AuditEntry]:
    with rt.uow() as uow:
        return list(
            uow.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.what == "user.role_changed")
                .order_by(AuditEntry.seq)
            )
        )


def test_roles_are_bootstrapped_from_app_yaml(runtime: Runtime) -> None:
    for entry in runtime.config.users:
        found = user(runtime, entry.slack_id)
        assert found is not None and found.role is entry.role and found.district == entry.district
    with runtime.uow() as uow:
        boots = uow.session.scalars(
            select(AuditEntry.entity_id).where(AuditEntry.what == "user.bootstrapped")
        )
        assert set(boots) == {u.slack_id for u in runtime.config.users}


def test_an_admin_grants_a_role_by_mention_and_it_is_audited(slack: SlackHarness) -> None:
    result = slack.command("U0ADMIN", "admin grant <@U0NEWBIE|pc.new> district leeds")
    assert "<@U0NEWBIE> now has district officer (Leeds)" in result.text
    found = user(slack.rt, "U0NEWBIE")
    assert found is not None and found.role is Role.DISTRICT_OFFICER and found.district == "Leeds"
    assert found.name == "pc.new"
    (change,) = role_changes(slack.rt)
    assert (change.actor, change.action, change.entity_id) == (
        "U0ADMIN",
        AuditAction.ALTERATION,
        "U0NEWBIE",
    )
    assert change.detail == {"from": None, "to": "district_officer", "district": "Leeds"}


def test_a_promotion_and_a_revocation_take_effect_at_once(slack: SlackHarness) -> None:
    assert "lom supervisor" in slack.command("U0ADMIN", "admin grant <@U0OFF2> supervisor").text
    assert "no role" in slack.command("U0ADMIN", "admin revoke <@U0OFF2>").text
    assert "not authorised" in slack.command("U0OFF2", "subject LOM-0001").text
    assert [c.detail["to"] for c in role_changes(slack.rt) if c.detail] == ["lom_supervisor", None]


def test_admin_list_shows_everyone_and_their_role(slack: SlackHarness) -> None:
    text = slack.command("U0ADMIN", "admin list").text
    assert "PC Dee Leeds: district officer (Leeds)" in text
    assert "<@U0SUPER> DS Sam Supervisor: lom supervisor" in text


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("admin grant", "Say what to do"),
        ("admin grant bob officer", "is not a Slack user"),
        ("admin grant <@U0OFF2> wizard", "is not a role"),
        ("admin grant <@U0OFF2> district", "needs a district"),
        ("admin grant <@U0OFF2> district Atlantis", "needs a district"),
        ("admin revoke <@U0ADMIN>", "cannot remove your own admin role"),
        ("admin dance", "Say what to do"),
    ],
)
def test_bad_admin_commands_get_a_clear_answer_and_change_nothing(
    slack: SlackHarness, text: str, says: str
) -> None:
    result = slack.command("U0ADMIN", text)
    assert result.status == 200 and says in result.text
    assert role_changes(slack.rt) == []


@pytest.mark.parametrize("who", ["U0SUPER", "U0OFF1", "U0LEEDS", "U0NOBODY"])
def test_only_admins_manage_roles(slack: SlackHarness, who: str) -> None:
    result = slack.command(who, "admin grant <@U0OFF2> admin")
    assert "may not" in result.text or "not authorised" in result.text
    assert role_changes(slack.rt) == []
    found = user(slack.rt, "U0OFF2")
    assert found is not None and found.role is Role.LOM_OFFICER
