"""HTTP mode's limits, applied before a request's body is read or anything parses it: a size
limit (Slack's largest requests, a 100-block form's state or an event, are far smaller) and
a deadline for the body to arrive (Slack sends it at once; a sender who trickles it or never
sends it would otherwise hold one of the few request threads)."""

from __future__ import annotations

import contextlib
import io
import socket
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wsgiref.types import WSGIEnvironment

MAX_BODY_BYTES = 1024 * 1024
BODY_SECONDS = 1.0  # the whole body, not between packets; Slack's ack deadline is 3 s
_CHUNK = 64 * 1024


def take_body(environ: WSGIEnvironment) -> str | None:
    """Read a POST's body within the limits and put it back for the app to read; the HTTP
    status to refuse it with, or None. A request that cannot be Slack's (no signature, or a
    timestamp that is not a number) is refused 401 before its body is read; a body that is
    not UTF-8 (Slack's always is) 400, before anything tries to parse it."""
    if environ.get("REQUEST_METHOD") != "POST":
        return None
    if not _signed_shape(environ):
        return "401 Unauthorized"
    raw = str(environ.get("CONTENT_LENGTH") or "").strip()
    if not raw:
        if environ.get("HTTP_TRANSFER_ENCODING"):
            return "411 Length Required"  # a chunked body could be of any size
        environ["wsgi.input"] = io.BytesIO(b"")
        return None
    if not raw.isdigit():
        return "400 Bad Request"
    length = int(raw)
    if length > MAX_BODY_BYTES:
        return "413 Content Too Large"
    body = _read(environ, length)
    if body is None:
        return "408 Request Timeout"
    if len(body) < length:
        return "400 Bad Request"  # the sender closed before sending what it announced
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "400 Bad Request"
    environ["wsgi.input"] = io.BytesIO(body)
    return None


def _signed_shape(environ: WSGIEnvironment) -> bool:
    """Slack's signing headers are there and well formed (whether they verify is Bolt's)."""
    timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "").strip()
    signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "").strip()
    return timestamp.isdigit() and len(timestamp) <= 12 and signature.startswith("v0=")


def _read(environ: WSGIEnvironment, length: int) -> bytes | None:
    """The body, or None when it did not all arrive in time. Under gunicorn the deadline is
    kept by the connection's socket timeout; other servers keep their own."""
    sock = environ.get("gunicorn.socket")
    stream = environ["wsgi.input"]
    deadline = time.monotonic() + BODY_SECONDS
    before = sock.gettimeout() if isinstance(sock, socket.socket) else None
    parts: list[bytes] = []
    got = 0
    try:
        while got < length:
            if isinstance(sock, socket.socket):
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                sock.settimeout(left)
            part = stream.read(min(_CHUNK, length - got))
            if not part:
                break
            parts.append(part)
            got += len(part)
    except (TimeoutError, OSError):
        return None
    finally:
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):  # the sender may have gone
                sock.settimeout(before)
    return b"".join(parts)
