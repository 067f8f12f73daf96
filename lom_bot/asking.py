"""What the current request asked, where from and about whom: bound once at the edge (the
workspace guard), read when a refusal is audited, so the audit says what was attempted
wherever in the code the refusal happened."""

from __future__ import annotations

import contextvars
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Asking:
    user: str | None = None
    asked: str | None = None  # `/lom intel`, `action:lom_log_contact`, `view_submission:...`
    channel: str | None = None
    subject_ref: str | None = None  # a LOM reference named in the request, if any


_CURRENT: contextvars.ContextVar[Asking | None] = contextvars.ContextVar("lom_asking", default=None)
_REF = re.compile(r"\bLOM-\d{1,6}\b", re.IGNORECASE)


def bind_asking(asking: Asking) -> None:
    _CURRENT.set(asking)


def current() -> Asking:
    return _CURRENT.get() or Asking()


def named_ref(*texts: object) -> str | None:
    """The first LOM reference in what was typed or clicked (never names: they stay out)."""
    for text in texts:
        found = _REF.search(str(text or ""))
        if found:
            return found[0].upper()
    return None


def asking_of(body: dict[str, Any], user: str | None, asked: str) -> Asking:
    """The request's channel and any subject reference, from a Slack body of any kind."""
    if not isinstance(body, dict):
        return Asking(user, asked)
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    container = body.get("container") or {}
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    channel = channel or container.get("channel_id") or (event or {}).get("channel")
    actions = body.get("actions")
    values = [a.get("value") for a in actions or () if isinstance(a, dict)]
    view = body.get("view") if isinstance(body.get("view"), dict) else {}
    ref = named_ref(body.get("text"), *values, (view or {}).get("private_metadata"))
    return Asking(user, asked, str(channel) if channel else None, ref)
