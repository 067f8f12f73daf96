"""Text from Slack is cleaned at the edge, before any listener (or the capture of a district
report) sees it: NUL and other control characters removed (tab and line breaks kept), all else
verbatim. PostgreSQL refuses a NUL in text, so a report carrying one was refused at every
redelivery; Word refuses control characters, so a letter quoting one could not be made."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_bolt import BoltRequest, BoltResponse

from lom_bot.domain.text import clean_deep

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.runtime import Runtime


def register(app: App, rt: Runtime) -> None:
    app.use(sanitise)


def sanitise(req: BoltRequest, next: Callable[[], BoltResponse]) -> BoltResponse | None:
    """Clean the parsed body in place (listeners and their payloads read from it)."""
    body = req.body
    if isinstance(body, dict):
        cleaned = clean_deep(body)
        if cleaned != body:
            body.clear()
            body.update(cleaned)
    return next()
