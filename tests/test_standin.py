"""The Slack stand-in, exercised through the real slack_sdk WebClient."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from lom_bot.console.signing import (
    block_actions_payload,
    event_body,
    interactivity_body,
    message_event,
    sign,
    slash_command_body,
)
from lom_bot.slack_standin.standin import SlackStandIn

FAST = FixedValueRetryIntervalCalculator(0.01)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(users={"U1": "Dana Scully", "U2": "Fox Mulder"}) as running:
        yield running


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(base_url=standin.url, token="xoxb-test", retry_handlers=[])


def test_auth_test_and_token_recorded(standin: SlackStandIn, client: WebClient) -> None:
    response = client.auth_test()
    assert (response["user_id"], response["bot_id"]) == ("U0LOMBOT", "B0LOMBOT")
    assert response["team_id"] == "T0LOMDEMO"
    assert standin.calls[0].token == "xoxb-test"


def test_post_then_update(standin: SlackStandIn, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*v1*"}}]
    first = client.chat_postMessage(channel="C1", text="v1", blocks=blocks)
    second = client.chat_postMessage(channel="C1", text="reply", thread_ts=first["ts"])
    assert float(second["ts"]) > float(first["ts"])
    assert standin.calls_to("chat.postMessage")[0].params["blocks"] == blocks

    updated = client.chat_update(channel="C1", ts=first["ts"], text="v2", blocks=[])
    assert updated["message"]["text"] == "v2"
    stored = standin.messages_in("C1")
    assert [(m.text, m.blocks, m.thread_ts) for m in stored] == [
        ("v2", [], None),
        ("reply", [], first["ts"]),
    ]
    assert stored[0].user == "U0LOMBOT" and stored[0].bot_id == "B0LOMBOT"


def test_delete_and_permalink(standin: SlackStandIn, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="hello")["ts"]
    link = client.chat_getPermalink(channel="C1", message_ts=ts)["permalink"]
    assert link == f"https://lom-demo.slack.com/archives/C1/p{ts.replace('.', '')}"
    client.chat_delete(channel="C1", ts=ts)
    assert standin.messages_in("C1") == []
    assert standin.messages["C1"][0].deleted


def test_ephemeral_is_stored_for_its_user(standin: SlackStandIn, client: WebClient) -> None:
    response = client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    (message,) = standin.messages_in("C1")
    assert message.ephemeral_to == "U1"
    assert message.ts == response["message_ts"]
    assert client.conversations_history(channel="C1")["messages"] == []


def test_dm_and_users(standin: SlackStandIn, client: WebClient) -> None:
    channel = client.conversations_open(users="U1")["channel"]["id"]
    assert channel == "DU1"
    assert client.conversations_info(channel=channel)["channel"]["is_im"]
    assert client.users_info(user="U1")["user"]["profile"]["display_name"] == "Dana Scully"
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U404")
    assert raised.value.response["error"] == "user_not_found"
    assert standin.calls_to("users.info")[-1].failed


def test_upload_v2_end_to_end(standin: SlackStandIn, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="parent")["ts"]
    response = client.files_upload_v2(
        channel="C1",
        thread_ts=ts,
        content=b"col1,col2\n1,2\n",
        filename="report.csv",
        title="Monthly report",
        initial_comment="here it is",
    )
    assert response["file"]["title"] == "Monthly report"
    message = standin.messages_in("C1")[-1]
    assert (message.text, message.thread_ts) == ("here it is", ts)
    (file,) = message.files
    assert (file.name, file.title, file.content) == (
        "report.csv",
        "Monthly report",
        b"col1,col2\n1,2\n",
    )
    assert [c.method for c in standin.calls[1:]] == [
        "files.getUploadURLExternal",
        "upload_url",
        "files.completeUploadExternal",
    ]
    assert client.files_info(file=file.id)["file"]["size"] == len(file.content)
    with urllib.request.urlopen(client.files_info(file=file.id)["file"]["url_private"]) as got:
        assert got.read() == file.content


def test_views_open_push_update_publish(standin: SlackStandIn, client: WebClient) -> None:
    modal = {"type": "modal", "callback_id": "new_order", "title": _text("New"), "blocks": []}
    opened = client.views_open(trigger_id=standin.trigger_id("U1"), view=modal)["view"]
    assert opened["id"].startswith("V") and opened["callback_id"] == "new_order"
    assert standin.calls_to("views.open")[0].params["view"] == modal
    pushed = client.views_push(trigger_id=standin.trigger_id("U1"), view=modal)["view"]
    assert pushed["previous_view_id"] == opened["id"]
    assert pushed["root_view_id"] == opened["id"]

    changed = {**modal, "title": _text("Changed")}
    client.views_update(view_id=opened["id"], view=changed)
    assert [m["title"]["text"] for m in standin.modals] == ["Changed", "New"]
    assert standin.views["U1"]["id"] == opened["id"]

    client.views_publish(user_id="U2", view={"type": "home", "blocks": []})
    assert standin.views["U2"]["type"] == "home"


def test_server_error_then_success(standin: SlackStandIn) -> None:
    handler = ServerErrorRetryHandler(max_retry_count=1, interval_calculator=FAST)
    client = WebClient(base_url=standin.url, token="xoxb-test", retry_handlers=[handler])
    standin.fail_next("chat.postMessage", status=500)
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]
    assert [c.failed for c in standin.calls_to("chat.postMessage")] == [True, False]
    assert len(standin.messages_in("C1")) == 1


def test_rate_limited_then_success(standin: SlackStandIn) -> None:
    client = WebClient(
        base_url=standin.url, token="xoxb-test", retry_handlers=[RateLimitErrorRetryHandler()]
    )
    standin.fail_next("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]
    assert time.monotonic() - started >= 1.0  # Retry-After was honoured
    assert [c.failed for c in standin.calls_to("chat.postMessage")] == [True, False]


def test_rate_limit_surfaces_without_retry(standin: SlackStandIn, client: WebClient) -> None:
    standin.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="hi")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert standin.messages_in("C1") == []


def test_dropped_connection_then_success(standin: SlackStandIn) -> None:
    handler = ConnectionErrorRetryHandler(max_retry_count=1, interval_calculator=FAST)
    client = WebClient(base_url=standin.url, token="xoxb-test", retry_handlers=[handler])
    standin.fail_next("chat.postMessage", drop_connection=True)
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]
    assert [c.failed for c in standin.calls_to("chat.postMessage")] == [True, False]
    assert len(standin.messages_in("C1")) == 1


def test_injected_api_error_repeats(standin: SlackStandIn, client: WebClient) -> None:
    standin.fail_next("chat.update", error="message_not_found", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            client.chat_update(channel="C1", ts="1.0", text="x")
        assert raised.value.response.status_code == 200
        assert raised.value.response["error"] == "message_not_found"
    with pytest.raises(SlackApiError):
        client.chat_update(channel="C1", ts="1.0", text="x")  # the real lookup fails too
    assert len(standin.calls_to("chat.update")) == 3


def test_unknown_method_is_recorded(standin: SlackStandIn, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.api_call("reminders.add", params={"text": "x"})
    assert raised.value.response["error"] == "unknown_method"
    (call,) = standin.calls
    assert (call.method, call.params, call.failed) == ("reminders.add", {"text": "x"}, True)


def test_wait_for_sees_calls_from_other_threads(standin: SlackStandIn, client: WebClient) -> None:
    timer = threading.Timer(0.1, lambda: client.chat_postMessage(channel="C1", text="late"))
    timer.start()
    (call,) = standin.wait_for("chat.postMessage", timeout=5)
    timer.join()
    assert call.params["text"] == "late"


def test_wait_for_timeout_names_what_was_seen(standin: SlackStandIn, client: WebClient) -> None:
    client.auth_test()
    with pytest.raises(AssertionError, match=r"chat\.postMessage.*got 0.*auth\.test"):
        standin.wait_for("chat.postMessage", timeout=0.1)


def test_response_url_ephemeral_replace_and_in_channel(standin: SlackStandIn) -> None:
    url = standin.response_url("U1", "C1")
    webhook = WebhookClient(url)
    assert webhook.send(text="working on it").body == "ok"
    (message,) = standin.messages_in("C1")
    assert message.ephemeral_to == "U1"

    webhook.send(text="done", replace_original=True)
    assert [m.text for m in standin.messages_in("C1")] == ["done"]
    webhook.send(text="for everyone", response_type="in_channel")
    assert standin.messages_in("C1")[-1].ephemeral_to is None
    webhook.send(delete_original=True)
    assert [m.text for m in standin.messages_in("C1")] == ["done"]
    assert len(standin.calls_to("response_url")) == 4


def test_response_url_replaces_the_original_message(
    standin: SlackStandIn, client: WebClient
) -> None:
    ts = client.chat_postMessage(channel="C1", text="approve?")["ts"]
    WebhookClient(standin.response_url("U1", "C1", message_ts=ts)).send(
        text="approved", replace_original=True
    )
    assert [(m.ts, m.text) for m in standin.messages_in("C1")] == [(ts, "approved")]


def test_sign_is_accepted_by_slack_sdk() -> None:
    verifier = SignatureVerifier("s3cret")
    now = int(time.time())
    for body in (
        slash_command_body("/lom", "help", "U1", "C1", response_url="http://127.0.0.1/r/1"),
        interactivity_body(block_actions_payload("U1", "T0LOMDEMO", "C1", "approve", "42")),
        event_body(message_event("C1", "U1", "hello", "1764000000.000100")),
    ):
        headers = sign("s3cret", body, now)
        assert verifier.is_valid_request(body, headers)
        assert not SignatureVerifier("other").is_valid_request(body, headers)
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["event"]["channel_type"] == "channel"


def _text(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}
