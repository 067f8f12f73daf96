"""The inbox of acknowledged Slack requests (table inbound_requests): stored by a web process
before the ack, claimed by one answer worker, deleted once answered. Core statements only: the
web process runs store() on every request and must stay cheap.

On PostgreSQL the table is in the bot's database. On SQLite it is in a file of its own beside
it (lom-bot.sqlite3 -> lom-bot.inbox.sqlite3): SQLite has one write lock per file, and an ack
must not wait for the answer workers' writes to the main database."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Table, delete, insert, or_, select, update
from sqlalchemy.engine import Engine

from lom_bot.store.db import make_engine, reading
from lom_bot.store.tables import InboundRequest

QUEUED, WORKING, FAILED = "queued", "working", "failed"
T: Table = InboundRequest.__table__  # type: ignore[assignment]  # Core: no ORM objects


_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()


def engine_for(main: Engine) -> Engine:
    """The engine the inbox lives on, for the bot's database engine `main`."""
    path = main.url.database if main.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        return main
    inbox_path = str(Path(path).with_suffix(".inbox.sqlite3"))
    with _LOCK:
        engine = _ENGINES.get(inbox_path)
        if engine is None:
            engine = _ENGINES[inbox_path] = make_engine(f"sqlite:///{inbox_path}")
            T.create(engine, checkfirst=True)
            _add_new_columns(engine)
        return engine


def _add_new_columns(engine: Engine) -> None:
    """The inbox file is not migrated by Alembic: give a file made by an older version the
    columns added since (attempts and dead letters, 0011)."""
    from sqlalchemy import inspect, text

    have = {column["name"] for column in inspect(engine).get_columns(T.name)}
    added = {
        "attempts": "INTEGER NOT NULL DEFAULT 0",
        "failed_at": "DATETIME",
    }
    with engine.begin() as conn:
        for name, kind in added.items():
            if name not in have:
                conn.execute(text(f"ALTER TABLE {T.name} ADD COLUMN {name} {kind}"))


@dataclass(frozen=True)
class Inbound:
    id: int
    kind: str
    content_type: str
    body: str


@dataclass(frozen=True)
class Stalled:
    request: Inbound
    claimed_at: datetime


def store(
    engine: Engine, *, kind: str, content_type: str, body: str, event_id: str | None, now: datetime
) -> int:
    """Insert and commit; raises IntegrityError when this event id is already stored."""
    with engine.begin() as conn:
        row_id = conn.execute(
            insert(T)
            .values(
                received_at=now,
                kind=kind,
                event_id=event_id,
                content_type=content_type,
                body=body,
                state=QUEUED,
            )
            .returning(T.c.id)
        ).scalar_one()
    return int(row_id)


def claim(engine: Engine, row_id: int, *, by: str, now: datetime) -> Inbound | None:
    """Take a queued request for this worker; None if another worker has it or it is gone."""
    with engine.begin() as conn:
        row = conn.execute(
            update(T)
            .where(T.c.id == row_id, T.c.state == QUEUED)
            .values(state=WORKING, claimed_at=now, claimed_by=by)
            .returning(T.c.id, T.c.kind, T.c.content_type, T.c.body)
        ).one_or_none()
    if row is None:
        return None
    return Inbound(row.id, row.kind, row.content_type, row.body)


def done(engine: Engine, row_id: int, *, by: str) -> None:
    """Answered: the request is deleted (if this worker still holds it)."""
    with engine.begin() as conn:
        conn.execute(delete(T).where(T.c.id == row_id, T.c.claimed_by == by))


def discard(engine: Engine, row_id: int) -> bool:
    """Take back a request nobody has claimed (no answer worker is alive to answer it)."""
    with engine.begin() as conn:
        gone = conn.execute(
            delete(T).where(T.c.id == row_id, T.c.state == QUEUED).returning(T.c.id)
        ).one_or_none()
    return gone is not None


def requeue(
    engine: Engine,
    row_id: int,
    *,
    by: str,
    now: datetime,
    due_after: timedelta = timedelta(0),
    max_attempts: int | None = None,
) -> int | None:
    """Put a request back (its answer could not be made, e.g. the database failed), counting
    the attempt: tried again RETRY_AFTER + `due_after` after now. Past `max_attempts` it is set
    aside instead (state failed: a dead letter); returns its attempts then, else None."""
    with engine.begin() as conn:
        attempts = conn.execute(
            update(T)
            .where(T.c.id == row_id, T.c.claimed_by == by)
            .values(
                state=QUEUED,
                claimed_at=now + due_after,
                claimed_by=None,
                attempts=T.c.attempts + 1,
            )
            .returning(T.c.attempts)
        ).scalar_one_or_none()
        if attempts is not None and max_attempts is not None and attempts >= max_attempts:
            conn.execute(update(T).where(T.c.id == row_id).values(state=FAILED, failed_at=now))
            return int(attempts)
    return None


def attempts_of(engine: Engine, row_id: int) -> int:
    with reading(engine).connect() as conn:
        found = conn.execute(select(T.c.attempts).where(T.c.id == row_id)).scalar_one_or_none()
    return int(found or 0)


@dataclass(frozen=True)
class DeadRequest:
    id: int
    kind: str
    event_id: str | None
    attempts: int
    failed_at: datetime | None


def dead(engine: Engine) -> list[DeadRequest]:
    """Requests set aside after their attempts ran out, oldest first."""
    with reading(engine).connect() as conn:
        rows = conn.execute(
            select(T.c.id, T.c.kind, T.c.event_id, T.c.attempts, T.c.failed_at)
            .where(T.c.state == FAILED)
            .order_by(T.c.id)
        )
        return [DeadRequest(r.id, r.kind, r.event_id, int(r.attempts), r.failed_at) for r in rows]


def retry_dead(engine: Engine, row_id: int) -> bool:
    """A dead request queued again now, with a fresh set of attempts."""
    with engine.begin() as conn:
        done = conn.execute(
            update(T)
            .where(T.c.id == row_id, T.c.state == FAILED)
            .values(state=QUEUED, attempts=0, failed_at=None, claimed_at=None)
            .returning(T.c.id)
        ).one_or_none()
    return done is not None


def waiting(
    engine: Engine, *, older_than: datetime, retry_before: datetime, limit: int = 100
) -> list[tuple[int, str]]:
    """(id, kind) of queued requests nobody was told about (or whose worker missed the
    wake-up), oldest first; one whose last attempt failed only once that attempt is older than
    retry_before."""
    with reading(engine).connect() as conn:
        rows = conn.execute(
            select(T.c.id, T.c.kind)
            .where(T.c.state == QUEUED, T.c.received_at <= older_than)
            .where(or_(T.c.claimed_at.is_(None), T.c.claimed_at <= retry_before))
            .order_by(T.c.received_at, T.c.id)
            .limit(limit)
        )
        return [(int(row_id), str(kind)) for row_id, kind in rows]


def stalled(engine: Engine, *, claimed_before: datetime) -> list[Stalled]:
    """Requests a worker took and never finished: it stopped (crashed, killed) mid-answer."""
    with reading(engine).connect() as conn:
        rows = conn.execute(
            select(T.c.id, T.c.kind, T.c.content_type, T.c.body, T.c.claimed_at).where(
                T.c.state == WORKING, T.c.claimed_at <= claimed_before
            )
        )
        return [Stalled(Inbound(r.id, r.kind, r.content_type, r.body), r.claimed_at) for r in rows]


def take_stalled(engine: Engine, stalled: Stalled, *, by: str, now: datetime) -> bool:
    """Make a stalled request this worker's to recover; False when another worker was first."""
    with engine.begin() as conn:
        taken = conn.execute(
            update(T)
            .where(T.c.id == stalled.request.id, T.c.state == WORKING)
            .where(T.c.claimed_at == stalled.claimed_at)
            .values(claimed_at=now, claimed_by=by)
            .returning(T.c.id)
        ).one_or_none()
    return taken is not None
