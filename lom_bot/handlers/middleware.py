"""Global Bolt middleware: who is acting (after guard.py has checked the workspace)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_bolt import BoltContext, BoltResponse

from lom_bot.domain.errors import NotAuthorised
from lom_bot.services.actors import load_actor
from lom_bot.services.permissions import Actor

if TYPE_CHECKING:
    from lom_bot.bootstrap import Runtime

log = logging.getLogger(__name__)

Middleware = Callable[[BoltContext, Callable[[], BoltResponse]], BoltResponse | None]


def actor_middleware(rt: Runtime) -> Middleware:
    """Put the acting user's Actor in context["actor"] (None when unknown or without a role)."""

    def middleware(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        context["actor"] = lookup_actor(rt, context.user_id)
        return next()

    return middleware


def lookup_actor(rt: Runtime, slack_id: str | None) -> Actor | None:
    if not slack_id:
        return None
    try:
        return load_actor(rt.uow(reads=True), slack_id)
    except NotAuthorised:
        return None


def actor_of(context: BoltContext) -> Actor | None:
    actor = context.get("actor")
    return actor if isinstance(actor, Actor) else None
