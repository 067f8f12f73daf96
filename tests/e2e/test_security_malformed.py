"""Malformed requests from callers who are not Slack get 400/401, never a 500."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest

from lom_bot.console import signing
from tests import test_breach_support as support
from tests.e2e.harness import SECRET, SlackHarness

db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template

BODY = signing.slash_command_body("/lom", "subject LOM-0001", "U0OFF1", "C0LOMTEAM")


def send(slack: SlackHarness, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(slack.url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code


def signed_headers(body: bytes) -> dict[str, str]:
    return signing.sign(SECRET, body, int(time.time()))


@pytest.mark.parametrize(
    "change",
    [
        {"X-Slack-Request-Timestamp": None},
        {"X-Slack-Request-Timestamp": "yesterday"},
        {"X-Slack-Request-Timestamp": "1e9"},
        {"X-Slack-Request-Timestamp": ""},
        {"X-Slack-Signature": None},
        {"X-Slack-Signature": "garbled"},
    ],
    ids=["no timestamp", "words", "float", "empty", "no signature", "garbled signature"],
)
def test_a_missing_or_garbled_timestamp_or_signature_is_refused_401(
    slack: SlackHarness, change: dict[str, str | None]
) -> None:
    headers = signed_headers(BODY)
    for key, value in change.items():
        headers.pop(key, None)
        if value is not None:
            headers[key] = value
    assert send(slack, BODY, headers) == 401
    assert [c for c in slack.standin.calls if c.method != "auth.test"] == []


@pytest.mark.parametrize("body", [b"\xff\xfe payload=\x80", "text=é".encode("latin-1")])
def test_a_body_that_is_not_utf8_is_refused_400(slack: SlackHarness, body: bytes) -> None:
    assert send(slack, body, signed_headers(body)) == 400  # signed or not: never parsed
    assert send(slack, body, {**signed_headers(body), "X-Slack-Signature": "v0=00"}) == 400
