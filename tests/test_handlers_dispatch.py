"""The /lom dispatcher answers everything: results, refusals, usage help, apologies."""

from __future__ import annotations

import pytest

from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.commands_listener import detail_allowed, dispatch, retry_text
from lom_bot.handlers.registry import REGISTRY, CommandContext, Reply, Subcommand
from lom_bot.runtime import Runtime
from lom_bot.services.permissions import Actor


def context(rt: Runtime, actor: Actor, channel: str = "C0LOMTEAM") -> CommandContext:
    return CommandContext(
        rt, actor, actor.slack_id, channel, None, None, detail_allowed(rt, channel)
    )  # type: ignore[arg-type]


def _fails(exc: Exception) -> Subcommand:
    def handler(ctx: CommandContext, text: str) -> Reply:
        raise exc

    return Subcommand("boom", "boom <x>", "fails", ("/lom boom 1",), None, handler)


def test_an_unexpected_error_becomes_an_apology_with_an_incident_id(
    runtime: Runtime,
    officer: Actor,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setitem(REGISTRY, "boom", _fails(KeyError("secret-internal-name")))
    reply = dispatch(context(runtime, officer), "boom now")
    assert "something went wrong" in reply.text and "incident" in reply.text
    assert "secret-internal-name" not in reply.text and "Traceback" not in reply.text
    assert "KeyError" in caplog.text  # the detail goes to the log, not to the officer


def test_a_domain_error_is_shown_with_usage_and_an_example(
    runtime: Runtime, officer: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(REGISTRY, "boom", _fails(InvalidInput("That is not right.")))
    reply = dispatch(context(runtime, officer), "boom")
    assert reply.text.splitlines() == [
        ":warning: That is not right.",
        "Usage: `/lom boom &lt;x&gt;`",
        "Example: `/lom boom 1`",
    ]


def test_a_role_without_the_permission_is_told_so(runtime: Runtime, admin: Actor) -> None:
    assert "may not use `/lom contact`" in dispatch(context(runtime, admin), "contact x").text


def test_empty_text_is_help(runtime: Runtime, officer: Actor) -> None:
    assert "lom-bot commands" in dispatch(context(runtime, officer), "   ").text


def test_only_dms_and_sensitive_channels_may_show_detail(runtime: Runtime) -> None:
    assert detail_allowed(runtime, "DU0OFF1") and detail_allowed(runtime, "C0TRIAGE")
    assert not detail_allowed(runtime, "C0LEEDS") and not detail_allowed(runtime, "C0RANDOM")


def test_a_choice_reruns_the_command_with_the_chosen_reference() -> None:
    message = "'smith' matches 2 subjects: which one?"
    assert retry_text("contact", "Smith call complied", message, "LOM-0003") == (
        "contact LOM-0003 call complied"
    )
    assert retry_text("contact", "x", "something else", "LOM-0003") == "subject LOM-0003"
