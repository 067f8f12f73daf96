"""Logs: structured with a request id, user and action; never a secret; no subject detail at
INFO."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from pydantic import SecretStr
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from lom_bot.config import Settings
from lom_bot.domain.enums import ContactKind, ContactOutcome
from lom_bot.logging_setup import (
    REDACTED,
    JsonFormatter,
    bind,
    log_context,
    new_request_id,
    setup_logging,
)
from lom_bot.runtime import Runtime
from lom_bot.services.outbox import deliver_pending
from lom_bot.services.permissions import Actor
from lom_bot.services.ports import FakeChat
from lom_bot.services.records import LogContact, log_contact
from lom_bot.services.subjects import access_subject
from lom_bot.slack_standin.standin import SlackStandIn
from tests.conftest import TODAY

BOT = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
APP = "xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef"
SIGNING = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """The root handler installed by setup_logging, writing JSON to a buffer."""
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING)
    bind(request_id=None, user=None, action=None)  # an earlier CLI run in this thread bound some
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = setup_logging("json", "DEBUG", stream=stream)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_json_lines_carry_request_id_user_and_action(captured: io.StringIO) -> None:
    rid = new_request_id()
    with log_context(request_id=rid, user="U0OFF1", action="contact"):
        logging.getLogger("lom_bot.test").info("contact logged")
    logging.getLogger("lom_bot.test").info("outside")
    inside, outside = lines(captured)
    assert inside["request_id"] == rid and inside["user"] == "U0OFF1"
    assert inside["action"] == "contact" and inside["msg"] == "contact logged"
    assert inside["level"] == "INFO" and inside["logger"] == "lom_bot.test"
    assert outside["request_id"] is None


def test_a_settings_object_logs_without_its_secrets(captured: io.StringIO) -> None:
    settings = Settings(
        slack_bot_token=SecretStr(BOT),
        slack_app_token=SecretStr(APP),
        slack_signing_secret=SecretStr(SIGNING),
    )
    log = logging.getLogger("lom_bot.test")
    log.info("settings: %r", settings)
    log.info("settings dump: %s", settings.model_dump())
    log.info(
        "raw values %s %s %s",
        *(
            s.get_secret_value()
            for s in (
                settings.slack_bot_token,
                settings.slack_app_token,
                settings.slack_signing_secret,
            )
            if s
        ),
    )
    text = captured.getvalue()
    assert BOT not in text and APP not in text and SIGNING not in text
    assert text.count(REDACTED) >= 3


def test_a_slack_error_with_the_token_in_it_is_redacted_with_its_traceback(
    captured: io.StringIO,
) -> None:
    log = logging.getLogger("lom_bot.test")
    try:
        raise SlackApiError(f"invalid_auth for token {BOT}", {"ok": False, "token": BOT})
    except SlackApiError:
        log.exception("slack call failed")
    log.warning("error", extra={"response": f"Bearer {BOT}"})
    text = captured.getvalue()
    assert BOT not in text
    assert "SlackApiError" in text and REDACTED in text


def test_slack_sdk_debug_logging_of_a_real_request_never_shows_the_token(
    captured: io.StringIO,
) -> None:
    with SlackStandIn() as slack:
        client = WebClient(token=BOT, base_url=slack.url)
        client.chat_postMessage(channel="C0LOMTEAM", text="hello")
    text = captured.getvalue()
    assert "Sending a request" in text or "chat.postMessage" in text  # it did log the call
    assert BOT not in text


def test_subject_fields_are_dropped_above_debug(captured: io.StringIO) -> None:
    log = logging.getLogger("lom_bot.test")
    log.info("looked up %s", "PNC 19/0012345X", extra={"subject": "Darren Fictional"})
    log.debug("looked up %s", "PNC 19/0012345X", extra={"subject": "Darren Fictional"})
    info, debug = lines(captured)
    assert info["subject"] == "[DEBUG ONLY]" and "19/0012345X" not in str(info["msg"])
    assert debug["subject"] == "Darren Fictional" and "19/0012345X" in str(debug["msg"])


def test_a_malformed_log_call_still_logs(captured: io.StringIO) -> None:
    logging.getLogger("lom_bot.test").info("two %s %s", "one")
    assert "two %s %s" in captured.getvalue()


def test_services_log_no_subject_names_at_info(
    demo: Runtime, officer: Actor, captured: io.StringIO
) -> None:
    logging.getLogger().setLevel(logging.INFO)
    with demo.uow() as uow:
        subject = access_subject(uow, officer, "LOM-0003", purpose="test")
        uow.commit()
        name, pnc = subject.name, subject.pnc_id
    log_contact(
        demo.uow(),
        officer,
        LogContact("LOM-0003", ContactKind.CALL, ContactOutcome.COMPLIED, TODAY, notes=name),
    )
    with demo.uow() as uow:
        uow.send("post", "C0LOMTEAM", {"text": f"{name} seen"}, subjects=["LOM-0003"])
        uow.commit()
    deliver_pending(demo.uow(), FakeChat(fail_with=RuntimeError(f"failed posting {name}")))
    text = captured.getvalue()
    assert "outbox message" in text  # the failure was logged
    assert name not in text and (pnc is None or pnc not in text)


def test_the_cli_takes_log_format_json(monkeypatch: pytest.MonkeyPatch, runtime: Runtime) -> None:
    monkeypatch.setenv("DATABASE_URL", runtime.settings.database_url)
    monkeypatch.setenv("LOM_CONFIG", str(runtime.settings.lom_config))
    from lom_bot.cli import cli

    root = logging.getLogger()
    before = list(root.handlers)
    try:
        result = CliRunner().invoke(cli, ["--log-format", "json", "audit", "verify"])
        assert result.exit_code == 0, result.output
        ours = [h for h in root.handlers if h.get_name() == "lom-bot"]
        assert len(ours) == 1 and isinstance(ours[0].formatter, JsonFormatter)
        stream = io.StringIO()
        record = logging.makeLogRecord({"msg": "x", "levelno": logging.INFO})
        for f in ours[0].filters:
            f.filter(record)
        stream.write(ours[0].format(record))
        out = json.loads(stream.getvalue())
        assert out["action"] == "audit" and str(out["user"]).startswith("cli:")
        assert len(str(out["request_id"])) == 12
    finally:
        for h in [h for h in root.handlers if h not in before]:
            root.removeHandler(h)


def test_log_format_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_FORMAT", "json")
    root = logging.getLogger()
    handler = setup_logging(stream=io.StringIO())
    try:
        assert isinstance(handler.formatter, JsonFormatter)
        assert [h for h in root.handlers if h.get_name() == "lom-bot"] == [handler]
    finally:
        root.removeHandler(handler)
    with pytest.raises(ValueError, match="text or json"):
        setup_logging("xml")


def test_a_listeners_log_lines_carry_the_requests_id_user_and_action(
    demo: Runtime, captured: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    import lom_bot.handlers.commands  # noqa: F401  (registers every subcommand)
    from lom_bot.handlers.registry import REGISTRY, CommandContext, Reply
    from tests.e2e.harness import harness

    def boom(ctx: CommandContext, text: str) -> Reply:
        raise RuntimeError("a bug in a subcommand")

    monkeypatch.setitem(REGISTRY, "help", dataclasses.replace(REGISTRY["help"], handler=boom))
    for slack in harness(demo):
        first = slack.command("U0OFF1", "help")
        second = slack.command("U0SUPER", "help")
    assert "something went wrong" in first.text and "something went wrong" in second.text
    failures = [line for line in lines(captured) if "failed (incident" in str(line["msg"])]
    assert [(f["user"], f["action"]) for f in failures] == [
        ("U0OFF1", "/lom help"),
        ("U0SUPER", "/lom help"),
    ]
    ids = {f["request_id"] for f in failures}
    assert None not in ids and len(ids) == 2
