"""Replay protection for requests from people: a command or form is run once per request key.

Slack signs a request with a timestamp and Bolt refuses one older than 5 minutes, so a replay
of a captured request (or a double submission) can only arrive within that window: the key
is kept for twice as long, in the same table as handled event ids."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from lom_bot.store.tables import SeenEvent
from lom_bot.store.uow import UnitOfWork

KEPT_FOR = timedelta(minutes=10)
PREFIX = "req:"


def stored_key(key: str) -> str:
    """The key as stored: hashed, so no typed text or id of unknown length is kept."""
    return PREFIX + hashlib.sha256(key.encode()).hexdigest()[:60]


def first_time(uow: UnitOfWork, key: str) -> bool:
    """Record a request key; False when the same request was already received."""
    stored = stored_key(key)
    with uow:
        if uow.session.get(SeenEvent, stored) is not None:
            return False
        now = uow.clock.now()
        if stored.endswith("0"):  # now and then (1 in 16): forget keys past the window
            uow.session.execute(
                delete(SeenEvent).where(
                    SeenEvent.event_id.startswith(PREFIX), SeenEvent.seen_at < now - KEPT_FOR
                )
            )
        uow.session.add(SeenEvent(event_id=stored, seen_at=now))
        try:
            uow.commit()
        except IntegrityError:  # the same request, at the same moment, in another process
            return False
    return True


def forget(uow: UnitOfWork, key: str) -> None:
    """A request that saved nothing (a form sent back with errors) may come again."""
    with uow:
        uow.session.execute(delete(SeenEvent).where(SeenEvent.event_id == stored_key(key)))
        uow.commit()
