"""Fuzzing what Slack sends, over signed HTTP to the real app: modal values, event payloads,
button presses and raw bodies with missing fields, wrong types, huge strings, control
characters, mention syntax and unicode. Every one is answered clearly or ignored, never a 500
or an unhandled exception, and the database stays consistent. Unsigned or stale: 401."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lom_bot.handlers.commands  # noqa: F401  (declares every form)
from lom_bot.console import signing
from lom_bot.handlers.forms import FORMS
from lom_bot.runtime import Runtime
from lom_bot.services.audit import verify_chain
from tests.e2e.harness import SECRET, Result, SlackHarness, harness

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # The same examples on every run, so a shared `make test` is never red by chance;
    # LOM_FUZZ_RANDOM=1 explores new ones (a failure found is then replayed from .hypothesis).
    derandomize=os.environ.get("LOM_FUZZ_RANDOM") != "1",
)
CRASHED = "something went wrong"
USERS = ["U0OFF1", "U0SUPER", "U0LEEDS", "U0ADMIN", "U0STRANGER"]
# Fields whose type is fuzzed too (the rest may go missing).
MAY_BE_WRONG = ("text", "ts", "thread_ts", "channel_type", "subtype")
IDENTITY = ("user", "channel", "team")  # parsed by Bolt itself before any of our code runs
CHANNELS = ["C0LEEDS", "C0BRADFORD", "C0LOMTEAM", "C0TRIAGE", "DU0OFF1", "C0NOTOURS"]

text = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "LOM-0003 seen driving a black van",
            "Saw <@U0LEEDS> with <#C0LEEDS|leeds> and LOM-0001",
            "Zoë Ní Bhriain breached curfew at 2am",
            "李小龙 spotted near the pub",
            "\x00\x1b[31m\u202eLOM-0002\u200b",
            "<!channel> <https://example.org|link> *bold* `code`",
        ]
    ),
    st.integers(3000, 40000).map(lambda n: "seen " * (n // 5)),
)
wrong = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=True),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
    st.booleans(),
)
value = st.one_of(text, wrong)


@pytest.fixture
def slack(demo: Runtime) -> Iterator[SlackHarness]:
    yield from harness(demo)


def clear_or_ignored(result: Result) -> None:
    assert result.status < 500, (result.status, result.body[:300])
    everything = (result.body + " " + result.text).lower()
    assert CRASHED not in everything, everything[:500]
    if result.body.startswith("{"):
        answer = result.json()
        if answer.get("response_action") == "errors":
            assert all(isinstance(v, str) and v for v in answer["errors"].values())


def consistent(rt: Runtime) -> None:
    report = verify_chain(rt.uow())
    assert report.intact, report.breaks


# --- modal submissions -----------------------------------------------------------------------


form_names = st.sampled_from([*sorted(FORMS), "nonexistent"])
select_state = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.just("static_select"),
            "selected_option": st.one_of(st.none(), st.fixed_dictionaries({"value": value})),
        }
    ),
    st.fixed_dictionaries({"type": st.just("datepicker"), "selected_date": value}),
    st.dictionaries(st.sampled_from(["type", "value", "selected_option"]), value, max_size=3),
)


@st.composite
def submission(draw: st.DrawFn) -> tuple[str, str, dict[str, Any], str]:
    name = draw(form_names)
    fields = list(FORMS[name].fields) if name in FORMS else []
    values: dict[str, Any] = {}
    for field in fields:
        choice = draw(st.integers(0, 4))
        if choice == 0 and field.optional:
            continue  # Slack submits a modal only when its required inputs are filled in
        values[field.name] = (
            draw(select_state) if choice == 1 else draw(value if choice == 2 else text)
        )
    metadata = draw(
        st.one_of(
            st.just(""),
            st.text(max_size=30),
            st.builds(
                json.dumps,
                st.dictionaries(
                    st.sampled_from(["channel", "request_key", "x"]), value, max_size=3
                ),
            ),
        )
    )
    return draw(st.sampled_from(USERS)), "lom_form:" + name, values, metadata


def test_any_modal_submission_is_answered_on_the_field_or_accepted(slack: SlackHarness) -> None:
    @FUZZ
    @given(case=submission())
    def submit(case: tuple[str, str, dict[str, Any], str]) -> None:
        user, callback, values, metadata = case
        clear_or_ignored(slack.submit(user, callback, values, metadata))

    submit()
    consistent(slack.rt)


# --- events ----------------------------------------------------------------------------------


@st.composite
def message_event(draw: st.DrawFn) -> dict[str, Any]:
    channel = draw(st.sampled_from(CHANNELS))
    event: dict[str, Any] = {
        "type": "message",
        "channel": channel,
        "channel_type": "im" if channel.startswith("D") else "channel",
        "user": draw(st.sampled_from(USERS)),
        "text": draw(text),
        "ts": f"{1764000000 + draw(st.integers(0, 10**6))}.{draw(st.integers(0, 999999)):06d}",
    }
    subtype = draw(
        st.sampled_from(
            [
                None,
                None,
                None,
                "message_changed",
                "message_deleted",
                "bot_message",
                "thread_broadcast",
                "channel_join",
                "file_share",
            ]
        )
    )
    if subtype:
        event["subtype"] = subtype
    if subtype == "message_changed" and draw(st.booleans()):
        event["message"] = {"text": draw(value), "ts": event["ts"], "user": event["user"]}
    if subtype == "message_deleted" and draw(st.booleans()):
        event["previous_message"] = {"text": draw(value), "ts": event["ts"]}
    if draw(st.booleans()):
        event["thread_ts"] = draw(st.one_of(st.just(event["ts"]), value))
    protected = {"type"}
    for key in draw(st.lists(st.sampled_from(sorted(event)), max_size=3, unique=True)):
        if key == "channel":
            continue  # Slack's message events always name their channel
        if key in IDENTITY:
            event.pop(key, None)  # missing; Slack's own type otherwise: see the xfail below
        elif key not in protected:
            if draw(st.booleans()) or key not in MAY_BE_WRONG:
                event.pop(key, None)  # missing field
            else:
                event[key] = draw(wrong)  # wrong type
    return event


other_event = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.just("app_mention"),
            "user": st.sampled_from(USERS),
            "text": text,
            "channel": st.sampled_from(CHANNELS),
            "ts": st.just("1764000001.000001"),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("app_home_opened"),
            "user": st.sampled_from(USERS),
            "tab": st.one_of(st.sampled_from(["home", "messages"]), wrong),
        }
    ),
)


def test_any_event_payload_is_acknowledged_or_ignored_never_a_500(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    @FUZZ
    @given(event=st.one_of(message_event(), other_event), retry=st.sampled_from([None, None, 1]))
    def deliver(event: dict[str, Any], retry: int | None) -> None:
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "x"} if retry else {}
        body = signing.event_body(event, event_time=1764000000)
        result = slack.post(body, extra_headers=headers)
        clear_or_ignored(result)
        assert result.status == 200

    with caplog.at_level(logging.ERROR):
        deliver()
    crashes = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
    assert crashes == [], [r.getMessage() for r in crashes][:5]
    consistent(slack.rt)


# --- buttons -------------------------------------------------------------------------------

# Each button with values of the shape the app puts on it (Slack sends back only those) and
# some junk; a foreign shape may fail before the ack, which Slack shows as a failed click.
BUTTONS: dict[str, list[str]] = {
    "lom_rerun": ["subject LOM-0001", "subjects all", "due", "help", "subject LOM-9999"],
    "lom_log_contact": ["LOM-0001", "LOM-9999", ""],
    "lom_raise_task": ["LOM-0002", "LOM-9999"],
    "lom_log_check": ["LOM-0003", ""],
    "lom_draft_confirm": ["1", "999999"],
    "lom_draft_edit": ["1", "999999"],
    "breach_outcome_no_breach": ["1", "999999"],
    "breach_outcome_advice": ["2"],
    "breach_more_info": ["1", "999999"],
    "breach_pick_other": ["1", "999999"],
    "unknown_button": ["x"],
}


def test_any_button_press_is_answered_or_ignored(slack: SlackHarness) -> None:
    @st.composite
    def press_of(draw: st.DrawFn) -> tuple[str, str]:
        action = draw(st.sampled_from(sorted(BUTTONS)))
        return action, draw(st.one_of(st.sampled_from(BUTTONS[action]), text.map(str.strip)))

    @FUZZ
    @given(
        user=st.sampled_from(USERS),
        button=press_of().filter(
            lambda b: b[0] not in ("lom_draft_confirm", "lom_draft_edit") or b[1].isdigit()
        ),
        channel=st.sampled_from([*CHANNELS, "C0LOMTEAM", "C0LOMTEAM"]),
    )
    def press(user: str, button: tuple[str, str], channel: str) -> None:
        action, value = button
        clear_or_ignored(slack.click(user, action, value[:2000], channel, "1764000000.000100"))

    press()
    consistent(slack.rt)


# --- raw requests ----------------------------------------------------------------------------


def test_any_signed_body_is_refused_or_handled_never_a_500(slack: SlackHarness) -> None:
    ours = st.sampled_from(["type", "token", "command", "text", "api_app_id", "trigger_id"])
    # Values Bolt itself reads before verifying (type, ids) stay strings: see the xfail below.
    fields = st.dictionaries(ours, text, max_size=4)
    bodies = st.one_of(
        st.text(max_size=300)
        .filter(lambda t: not t.lstrip().startswith(("{", "payload=")))  # see the xfail below
        .map(str.encode),
        st.builds(lambda d: json.dumps(d).encode(), fields),
        st.builds(lambda p: urlencode({"payload": json.dumps(p)}).encode(), fields),
        st.builds(lambda f: urlencode(f).encode(), fields),
    )

    @FUZZ
    @given(body=bodies)
    def post(body: bytes) -> None:
        result = slack.post(body)
        assert result.status < 500, (body[:100], result.status, result.body[:200])

    post()


def test_unsigned_wrongly_signed_and_stale_requests_are_refused(slack: SlackHarness) -> None:
    @settings(
        max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        secret=st.text(min_size=1, max_size=40).filter(lambda s: s != SECRET),
        age=st.integers(301, 10**7),
        text_=text,
    )
    def refused(secret: str, age: int, text_: str) -> None:
        body = signing.slash_command_body("/lom", text_[:500], "U0OFF1", "C0LOMTEAM")
        assert slack.post(body, secret=secret).status == 401
        assert slack.post(body, timestamp=int(time.time()) - age).status == 401

    refused()
    assert slack.standin.calls_to("chat.postEphemeral") == []


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"type": "event_callback", "event": {"type": "app_home_opened", "user": 0}}),
        'payload={"type": 1e+16}',
        'payload={"type": "block_actions", "a": "x+y&z"}',
        "{",
        "\x80",
    ],
    ids=[
        "user-id-not-a-string",
        "payload-type-not-a-string",
        "payload-not-urlencoded",
        "json-cut-short",
        "not-utf8",
    ],
)
def test_a_body_bolt_cannot_parse_before_verifying_it_gets_400_not_500(
    slack: SlackHarness, body: str
) -> None:
    raw = body.encode("latin-1") if body == "\x80" else body.encode()
    assert slack.post(raw, secret="wrong").status in (400, 401)


def test_an_empty_message_in_a_district_channel_is_acknowledged(slack: SlackHarness) -> None:
    event = signing.message_event("C0LEEDS", "U0LEEDS", "  ", "1764000000.000009")
    assert slack.event(event).status == 200


def test_a_district_message_with_a_malformed_subtype_is_acknowledged(slack: SlackHarness) -> None:
    event = signing.message_event("C0LEEDS", "U0LEEDS", "LOM-0001 seen", "1764000000.000011")
    event["subtype"] = []
    assert slack.event(event).status == 200
