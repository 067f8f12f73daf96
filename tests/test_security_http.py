"""HTTP mode refuses an oversized body, or one that does not arrive, before reading it."""

from __future__ import annotations

import io
import socket
import threading
import time
from pathlib import Path

from lom_bot.console import signing
from lom_bot.http_limits import MAX_BODY_BYTES
from lom_bot.slack_standin.standin import SlackStandIn
from tests.test_serve import http_server, post  # noqa: F401  (the fixture)

# Signing headers of the right shape (they would not verify): the limits come first.
SIGNED = "X-Slack-Request-Timestamp: 1764000000\r\nX-Slack-Signature: v0=00\r\n"
HEAD = (
    "POST /slack/events HTTP/1.1\r\nHost: x\r\n" + SIGNED
    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {n}\r\n\r\n"
)  # fmt: skip


def raw(base: str, head: str, body: bytes = b"", *, wait: float = 10.0) -> bytes:
    """Send a request by hand; returns what came back before `wait` ran out."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as conn:
        conn.sendall(head.encode() + body)
        try:
            return conn.recv(4096)
        except TimeoutError:
            return b""


Server = tuple[str, SlackStandIn, int]


def test_an_oversized_body_is_refused_413_without_being_read(http_server: Server) -> None:  # noqa: F811
    base, _standin, _pid = http_server
    # Announces 200 MB and sends 1 kB: refused on its Content-Length, nothing waits for the rest
    answer = raw(base, HEAD.format(n=200 * 1024 * 1024), b"x" * 1024)
    assert answer.startswith(b"HTTP/1.1 413")
    just_over = raw(base, HEAD.format(n=MAX_BODY_BYTES + 1), b"x" * 10)
    assert just_over.startswith(b"HTTP/1.1 413")


def test_a_chunked_body_without_a_length_is_refused_411(http_server: Server) -> None:  # noqa: F811
    base, _standin, _pid = http_server
    head = (
        "POST /slack/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        + SIGNED
        + "Content-Type: application/json\r\n\r\n"
    )
    assert raw(base, head, b"5\r\nhello\r\n").startswith(b"HTTP/1.1 411")


def test_a_body_that_never_arrives_is_refused_408_and_real_requests_are_answered(
    http_server: Server,  # noqa: F811
) -> None:
    base, _standin, _pid = http_server
    # 20 senders announce a body and never send it (two workers have eight threads between them)
    answers: list[bytes] = []
    slow = [
        threading.Thread(target=lambda: answers.append(raw(base, HEAD.format(n=500), b"x")))
        for _ in range(20)
    ]
    for thread in slow:
        thread.start()
    time.sleep(0.2)
    body = signing.slash_command_body("/lom", "help", "U0OFF1", "C0LOMTEAM")
    status, _ = post(base + "/slack/events", body)
    assert status == 200  # a genuine request is still answered
    for thread in slow:
        thread.join(timeout=30)
    assert len(answers) == 20 and all(a.startswith(b"HTTP/1.1 408") for a in answers)


def test_limits_apply_to_the_body_only_of_posts(tmp_path: Path) -> None:
    from lom_bot.http_limits import take_body

    environ = {"REQUEST_METHOD": "GET", "CONTENT_LENGTH": str(10 * MAX_BODY_BYTES)}
    assert take_body(environ) is None  # type: ignore[arg-type]
    signed = {"HTTP_X_SLACK_REQUEST_TIMESTAMP": "1764000000", "HTTP_X_SLACK_SIGNATURE": "v0=1"}
    for length, body in (("10", b"abc"), ("-5", b""), ("3", b"\xff\xfe\x00")):
        environ = {
            "REQUEST_METHOD": "POST",
            "CONTENT_LENGTH": length,
            "wsgi.input": io.BytesIO(body),
            **signed,
        }
        assert take_body(environ) == "400 Bad Request"  # type: ignore[arg-type]
