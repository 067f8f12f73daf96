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
    from lom_bot.runtime import Runtime

log = logging.getLogger(__name__)

Middleware = Callable[[BoltContext, Callable[[], BoltResponse]], BoltResponse | None]


def actor_middleware(rt: Runtime) -> Middleware:
    """Let listeners ask who is acting (actor_of): looked up in the database on first asking,
    so a request that never asks (a district channel's message, an edit) costs no lookup."""

    def middleware(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        user_id = context.user_id
        context[_LOOKUP] = lambda: lookup_actor(rt, user_id)
        return next()

    return middleware


_LOOKUP, _ACTOR = "lom_actor_lookup", "lom_actor"


def lookup_actor(rt: Runtime, slack_id: str | None) -> Actor | None:
    if not slack_id:
        return None
    try:
        return load_actor(rt.uow(reads=True), slack_id)
    except NotAuthorised:
        return None


def actor_of(context: BoltContext) -> Actor | None:
    """The acting user's Actor (None when unknown or without a role), looked up once."""
    if _ACTOR not in context:
        lookup = context.get(_LOOKUP)
        context[_ACTOR] = lookup() if callable(lookup) else None
    actor = context[_ACTOR]
    return actor if isinstance(actor, Actor) else None
