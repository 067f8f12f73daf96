"""Engines for SQLite and PostgreSQL, and running the migrations."""

from __future__ import annotations

import os
import time
import weakref
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the per-dialect settings the bot relies on."""
    # A database error's text would otherwise carry the statement's values (a report's text, a
    # name, an address), and errors are logged with their tracebacks: keep them out.
    kwargs.setdefault("hide_parameters", True)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        private_sqlite_file(url)
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False},
            **kwargs,
        )
        _sqlite_serialised_writes(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("pool_pre_ping", True)
    # JIT compiling pays only for long analytical queries; for the digest's largest one it
    # added about 40 ms to a 110 ms query (EXPLAIN ANALYZE at national scale).
    kwargs.setdefault("connect_args", {"options": "-c jit=off"})
    return create_engine(url, **kwargs)


# SQLite's own wait for a lock sleeps in steps that grow to 100 ms, so a writer that finds the
# write lock taken often sleeps long after it was released. Writers wait here instead, checking
# every millisecond or so; SQLite's own short wait is left for the odd transient lock on a read.
SQLITE_BUSY_MS = 20
WRITE_LOCK_WAIT = 30.0  # seconds, then the "database is locked" error stands


def _sqlite_serialised_writes(engine: Engine) -> None:
    """BEGIN IMMEDIATE: one writer at a time, so concurrent writers wait instead of failing."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A unit of work that only reads (reading(engine)) takes no write lock: with WAL it
        # never waits for a writer, and writers never wait for it.
        if conn.get_execution_options().get(READS, False):
            conn.exec_driver_sql("BEGIN")
            return
        deadline = time.monotonic() + WRITE_LOCK_WAIT
        pause = 0.0002
        while True:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                # Given up: SQLAlchemy leaves this Connection mid-begin, so it must not be used
                # again; Session, engine.begin() and `with engine.connect()` all discard it.
                if "locked" not in str(exc.orig) or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.001)


READS = "lom_reads"
_READING: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()


def reading(engine: Engine) -> Engine:
    """The engine for units of work that only read (and audit what was read, after): on SQLite
    their transaction begins deferred; on PostgreSQL nothing differs."""
    found = _READING.get(engine)
    if found is None:
        found = _READING[engine] = engine.execution_options(**{READS: True})
    return found


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    private_sqlite_file(url)
    command.upgrade(alembic_config(url), revision)


def private_sqlite_file(url: str) -> None:
    """A SQLite database file readable by the bot's user alone (0600; SQLite gives its journal
    and WAL files the same mode): created so before SQLite creates it, tightened if not."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    path = Path(str(parsed.database))
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
