"""Structured logging: who asked for what under which request id, never a secret, and no
subject detail above DEBUG."""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TextIO

REDACTED = "[REDACTED]"
# Slack tokens by their published prefixes: bot, user, app-level, refresh, config tokens.
TOKEN_PATTERN = re.compile(r"\b(?:xox[abposre]|xapp|xoxe\.xox[bp])-[A-Za-z0-9\-._]+")
PNC_PATTERN = re.compile(r"\b\d{2,4}/\d{5,7}[A-Za-z]\b")
# `extra=` keys that may carry subject detail: logged at DEBUG only.
SUBJECT_KEYS = frozenset(
    {"subject", "subject_name", "name", "text", "notes", "address", "detail", "query"}
)
CONTEXT_KEYS = ("request_id", "user", "action")

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_user: contextvars.ContextVar[str | None] = contextvars.ContextVar("log_user", default=None)
_action: contextvars.ContextVar[str | None] = contextvars.ContextVar("log_action", default=None)
_VARS = {"request_id": _request_id, "user": _user, "action": _action}


def new_request_id() -> str:
    return uuid.uuid4().hex[:12]


def bind(**values: str | None) -> None:
    """Set the request id, user or action for log records made from here on."""
    for key, value in values.items():
        _VARS[key].set(value)


@contextmanager
def log_context(**values: str | None) -> Iterator[None]:
    """Bind request id, user and action for the duration of a block."""
    tokens = [(_VARS[k], _VARS[k].set(v)) for k, v in values.items()]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


class SecretRedactor(logging.Filter):
    """Replace Slack tokens, and every secret value it was told about, wherever they appear."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = {s for s in secrets if s and len(s) >= 8}

    def add(self, *secrets: str | None) -> None:
        self.secrets.update(s for s in secrets if s and len(s) >= 8)

    def redact(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return TOKEN_PATTERN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(_message(record))
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for key in list(record.__dict__):
            value = record.__dict__[key]
            if key not in _STANDARD and isinstance(value, str):
                record.__dict__[key] = self.redact(value)
        return True


class ContextAndMinimisation(logging.Filter):
    """Stamp request id, user and action; drop subject fields and PNC IDs above DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, var in _VARS.items():
            if getattr(record, key, None) is None:
                setattr(record, key, var.get())
        if record.levelno > logging.DEBUG:
            for key in SUBJECT_KEYS & record.__dict__.keys():
                if key not in _STANDARD:
                    record.__dict__[key] = "[DEBUG ONLY]"
            message = _message(record)
            masked = PNC_PATTERN.sub("[PNC]", without_payloads(record.name, message))
            if masked != message:
                record.msg, record.args = masked, None
        return True


# Slack's libraries put whole requests in some messages (Bolt logs a request whose signature
# failed at INFO, body and all): above DEBUG, from their loggers, no payload is kept.
SLACK_LOGGERS = ("slack_bolt", "slack_sdk")
_PAYLOAD = re.compile(r"(?:\bbody\b\s*[:=]?\s*.*)|(?:\{.*\})", re.DOTALL | re.IGNORECASE)


def without_payloads(logger: str | None, message: str) -> str:
    """A Slack library's message with any request body or payload cut out."""
    if not str(logger or "").startswith(SLACK_LOGGERS):
        return message
    return _PAYLOAD.sub("[payload withheld]", message)


def _message(record: logging.LogRecord) -> str:
    """The formatted message; a malformed log call still logs rather than raising."""
    try:
        return record.getMessage()
    except (TypeError, ValueError):
        return f"{record.msg!s} {record.args!r}"


_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, context and extras."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in CONTEXT_KEYS:
            out[key] = getattr(record, key, None)
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in out:
                out[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            out["exc"] = record.exc_text
        return json.dumps(out, default=str, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(user)s %(action)s] %(message)s"
_HANDLER_NAME = "lom-bot"


def setup_logging(
    fmt: str | None = None,
    level: str | None = None,
    *,
    stream: TextIO | None = None,
    secrets: Iterable[str | None] = (),
) -> logging.Handler:
    """Install the one root handler (replacing an earlier one); safe to call again."""
    fmt = (fmt or os.environ.get("LOG_FORMAT") or "text").lower()
    if fmt not in ("text", "json"):
        raise ValueError(f"log format must be text or json, not {fmt!r}")
    level_name = (level or os.environ.get("LOG_LEVEL") or "INFO").upper()
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    handler: logging.Handler = (
        logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    )
    handler.set_name(_HANDLER_NAME)
    redactor = SecretRedactor()
    redactor.add(*secrets, *_environment_secrets())
    handler.addFilter(ContextAndMinimisation())
    handler.addFilter(redactor)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(getattr(logging, level_name, logging.INFO))
    # Migrations report every start at INFO; that is noise in every command's output.
    logging.getLogger("alembic").setLevel(max(root.level, logging.WARNING))
    return handler


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever sys.stderr is now, so swapped or captured streams keep working."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def _environment_secrets() -> list[str | None]:
    names = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "DATABASE_URL")
    values: list[str | None] = [os.environ.get(n) for n in names[:3]]
    url = os.environ.get(names[3]) or ""
    password = re.search(r"://[^:/@]+:([^@]+)@", url)
    values.append(password.group(1) if password else None)
    return values


def configure_cli(fmt: str | None, command: str | None) -> None:
    """Logging for one command-line run: its own request id, the OS user and the verb."""
    import getpass

    setup_logging(fmt)
    try:
        user = getpass.getuser()
    except Exception:  # no login name in some containers
        user = "unknown"
    bind(request_id=new_request_id(), user=f"cli:{user}", action=command)


def redactor_of(handler: logging.Handler) -> SecretRedactor:
    return next(f for f in handler.filters if isinstance(f, SecretRedactor))
