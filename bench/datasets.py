"""The benchmark's databases: force scale seeded fresh each run; national scale seeded once
into a cached SQLite file and a kept PostgreSQL template, and copied for each run."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

VAR = Path("var/bench")
PG_ADMIN = os.environ.get(
    "LOM_BENCH_PG",
    os.environ.get("LOM_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
)
PG_TEMPLATE = "lom_bench_national"
SOURCES = [
    "lom_bot/store/migrations/versions",
    "lom_bot/store/tables",
    "lom_bot/demo/bulk.py",
    "lom_bot/demo/synthetic.py",
    "lom_bot/demo/synthetic_rows.py",
    "lom_bot/demo/synthetic_history.py",
]


@dataclass
class Dataset:
    """A database ready for one run, how it was made, and how to get rid of the run's copy."""

    backend: str  # sqlite | postgresql
    scale: str
    url: str
    seed_seconds: float
    cached: bool
    seeded_at: str
    counts: dict[str, int] = field(default_factory=dict)
    cleanup: Callable[[], None] = lambda: None


def fingerprint(scale: str) -> str:
    """Changes whenever the schema or the generator changes, so a stale cache is reseeded."""
    digest = hashlib.sha256(scale.encode())
    for source in SOURCES:
        path = Path(source)
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def seed(url: str, scale: str) -> tuple[float, dict[str, int]]:
    """Migrate and fill an empty database; returns the seconds the bulk seed took."""
    from lom_bot.bootstrap import build_runtime
    from lom_bot.config import Settings, load_app_config
    from lom_bot.demo.synthetic import SCALES, seed_synthetic
    from lom_bot.store import db

    db.upgrade(url)
    settings = Settings(database_url=url, lom_config=Path("app.yaml"))
    rt = build_runtime(settings, config=load_app_config(Path("app.yaml")), migrate=False)
    try:
        report = seed_synthetic(rt.engine, rt.config, SCALES[scale], today=rt.clock.today())
    finally:
        rt.close()
    if report is None:
        raise RuntimeError(f"{url}: already has subjects")
    return report.seconds, report.counts


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


# -- SQLite ----------------------------------------------------------------------------------


def _remove_sqlite(path: Path) -> None:
    """The database file, its journals, and the inbox file beside it (lom_bot/store/inbox.py)."""
    for base in (path, path.with_suffix(".inbox.sqlite3")):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{base}{suffix}").unlink(missing_ok=True)


def _checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def sqlite_force() -> Dataset:
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / "force.sqlite3"
    _remove_sqlite(path)
    seconds, counts = seed(f"sqlite:///{path}", "force")
    return Dataset("sqlite", "force", f"sqlite:///{path}", seconds, False, _now(), counts,
                   lambda: _remove_sqlite(path))  # fmt: skip


@contextmanager
def _seeding(name: str) -> Iterator[None]:
    """One process at a time checks and (re)seeds a cached national database."""
    VAR.mkdir(parents=True, exist_ok=True)
    with (VAR / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def sqlite_national(fresh: bool) -> Dataset:
    """The cached national file (seeded when missing or stale), copied for this run."""
    with _seeding("national-sqlite"):
        return _sqlite_national(fresh)


def _sqlite_national(fresh: bool) -> Dataset:
    cache, meta_file = VAR / "national.sqlite3", VAR / "national.json"
    key = fingerprint("national")
    meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    cached = not fresh and cache.exists() and meta.get("fingerprint") == key
    if not cached:
        _remove_sqlite(cache)
        meta_file.unlink(missing_ok=True)
        seconds, counts = seed(f"sqlite:///{cache}", "national")
        _checkpoint(cache)
        meta = {"fingerprint": key, "seconds": seconds, "counts": counts, "seeded_at": _now()}
        meta_file.write_text(json.dumps(meta))
    run = VAR / f"run-national-{os.getpid()}.sqlite3"
    _remove_sqlite(run)
    shutil.copyfile(cache, run)
    return Dataset("sqlite", "national", f"sqlite:///{run}", meta["seconds"], cached,
                   meta["seeded_at"], meta["counts"], lambda: _remove_sqlite(run))  # fmt: skip


# -- PostgreSQL ------------------------------------------------------------------------------


def pg_available() -> bool:
    try:
        engine = sa.create_engine(PG_ADMIN, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def _admin(sql: str, *params: object) -> list[tuple[object, ...]]:
    engine = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            result = (
                conn.exec_driver_sql(sql, tuple(params)) if params else conn.exec_driver_sql(sql)
            )
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def _pg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def _drop(name: str) -> None:
    _admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", name)
    _admin(f'DROP DATABASE IF EXISTS "{name}"')


def pg_force() -> Dataset:
    name = f"lom_bench_force_{os.getpid()}"
    _drop(name)
    _admin(f'CREATE DATABASE "{name}"')
    try:
        seconds, counts = seed(_pg_url(name), "force")
    except Exception:
        _drop(name)
        raise
    return Dataset("postgresql", "force", _pg_url(name), seconds, False, _now(), counts,
                   lambda: _drop(name))  # fmt: skip


def pg_national(fresh: bool) -> Dataset:
    """The kept national template (seeded when missing or stale), copied for this run."""
    with _seeding("national-postgresql"):
        return _pg_national(fresh)


def _pg_national(fresh: bool) -> Dataset:
    key = fingerprint("national")
    rows = _admin(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        PG_TEMPLATE,
    )
    meta = json.loads(str(rows[0][0])) if rows and rows[0][0] else {}
    cached = not fresh and bool(rows) and meta.get("fingerprint") == key
    if not cached:
        _drop(PG_TEMPLATE)
        _admin(f'CREATE DATABASE "{PG_TEMPLATE}"')
        seconds, counts = seed(_pg_url(PG_TEMPLATE), "national")
        meta = {"fingerprint": key, "seconds": seconds, "counts": counts, "seeded_at": _now()}
        comment = json.dumps(meta).replace("'", "''")
        _admin(f"COMMENT ON DATABASE \"{PG_TEMPLATE}\" IS '{comment}'")
    run = f"lom_bench_run_{os.getpid()}"
    _drop(run)
    _admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", PG_TEMPLATE)
    started = time.perf_counter()
    _admin(f'CREATE DATABASE "{run}" TEMPLATE "{PG_TEMPLATE}" STRATEGY FILE_COPY')
    meta["copy_seconds"] = time.perf_counter() - started
    return Dataset("postgresql", "national", _pg_url(run), meta["seconds"], cached,
                   meta["seeded_at"], meta["counts"], lambda: _drop(run))  # fmt: skip
