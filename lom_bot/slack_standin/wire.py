"""HTTP in and out: requests classified by path and parsed, replies and injected faults."""

from __future__ import annotations

import email
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from lom_bot.slack_standin.records import Params

# Fields the SDK sends as JSON strings inside form bodies; decoded so tests can inspect them.
JSON_FIELDS = frozenset(
    {"blocks", "attachments", "view", "files", "metadata", "unfurls", "user_auth_blocks"}
)


@dataclass(frozen=True)
class Fault:
    """How one upcoming call should fail."""

    status: int | None
    retry_after: int | None
    error: str | None
    drop_connection: bool
    lose_reply: bool = False  # do the call, then hang up: the client never hears it was done


@dataclass
class Request:
    """An incoming request, parsed: which kind of URL, the method it counts as, its inputs."""

    kind: str
    name: str
    method: str
    params: Params
    token: str | None = None
    content: bytes = b""


@dataclass
class Reply:
    """An HTTP answer, or an instruction to hang up without one."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


def parse_request(path: str, headers: Mapping[str, str], body: bytes) -> Request | None:
    """Classify a request by its path: /api/<method>, /upload/<id>, /response/<n>, /files/<id>."""
    parts = urlsplit(path)
    segments = parts.path.strip("/").split("/")
    if len(segments) != 2:
        return None
    kind, name = segments
    content_type = headers.get("Content-Type", "")
    if kind == "api":
        params = _parse_params(content_type, body, parts.query)
        token = _bearer(headers.get("Authorization")) or params.pop("token", None)
        return Request(kind, name, name, params, token)
    if kind == "upload":
        content = _upload_content(content_type, body)
        return Request(
            kind, name, "upload_url", {"file_id": name, "length": len(content)}, None, content
        )
    if kind == "response":
        return Request(kind, name, "response_url", _json_object(body))
    if kind == "files":
        return Request(kind, name, "file_download", {})
    return None


def _bearer(header: str | None) -> str | None:
    """The token from an `Authorization: Bearer` header."""
    if header and header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip() or None
    return None


def _parse_params(content_type: str, body: bytes, query: str) -> Params:
    """Parameters from the query string and a JSON or form body, JSON fields decoded."""
    params: Params = dict(parse_qsl(query, keep_blank_values=True))
    if content_type.startswith("application/json"):
        params.update(_json_object(body))
    elif body:
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for key in JSON_FIELDS & params.keys():
        if isinstance(params[key], str):
            params[key] = _maybe_json(params[key])
    return params


def _maybe_json(text: str) -> Any:
    """`text` decoded as JSON, or unchanged when it is not JSON."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _json_object(body: bytes) -> Params:
    """A JSON object body, or an empty dict when the body is not one."""
    decoded = _maybe_json(body.decode("utf-8")) if body else {}
    return decoded if isinstance(decoded, dict) else {}


def _upload_content(content_type: str, body: bytes) -> bytes:
    """The file bytes of an upload: the raw body, or the file part of a multipart form."""
    if not content_type.startswith("multipart/form-data"):
        return body
    envelope = f"Content-Type: {content_type}\r\n\r\n".encode() + body
    for part in email.message_from_bytes(envelope).walk():
        if (
            part.get_filename() is not None
            or part.get_param("name", header="content-disposition") == "file"
        ):
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    return b""


def json_reply(data: Params) -> Reply:
    """A 200 answer with `data` as its JSON body."""
    return Reply(200, json.dumps(data).encode())


def fault_reply(fault: Fault) -> Reply:
    """The answer an injected fault produces."""
    if fault.drop_connection:
        return Reply(drop=True)
    status = fault.status or (200 if fault.error else 500)
    default_error = {429: "ratelimited"}.get(status, "internal_error")
    reply = Reply(status, json.dumps({"ok": False, "error": fault.error or default_error}).encode())
    if status == 429:
        reply.headers["Retry-After"] = str(
            fault.retry_after if fault.retry_after is not None else 1
        )
    return reply


def is_failure(reply: Reply) -> bool:
    """Whether a reply tells the client the call did not succeed."""
    if reply.drop or reply.status != 200:
        return True
    return reply.content_type.startswith("application/json") and not _json_object(reply.body).get(
        "ok"
    )
