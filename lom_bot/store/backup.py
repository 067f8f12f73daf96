"""Backing up and restoring the embedded SQLite database with SQLite's online backup API (a
consistent copy while the bot runs). PostgreSQL is backed up with pg_dump (docs/deployment.md)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

PG_PROCEDURE = "docs/deployment.md, section Backups"
COUNTED = ("subjects", "orders", "contacts", "breach_reports", "audit_log")


class BackupError(Exception):
    """A backup or restore that was refused; nothing was written."""


@dataclass(frozen=True)
class Copied:
    path: Path
    revision: str | None
    counts: dict[str, int]

    def summary(self) -> str:
        rows = ", ".join(f"{n} {table}" for table, n in self.counts.items())
        return f"schema {self.revision or 'unknown'}; {rows}"


def sqlite_path(url: str) -> Path:
    """The file of a SQLite DATABASE_URL; BackupError naming the procedure for any other."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise BackupError(
            f"DATABASE_URL is {parsed.get_backend_name()}: back it up and restore it with "
            f"pg_dump and pg_restore as described in {PG_PROCEDURE}"
        )
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("DATABASE_URL is an in-memory SQLite database: nothing to back up")
    return Path(parsed.database)


def backup(url: str, target: Path) -> Copied:
    """Copy the live database to `target` (which must not exist), then check the copy."""
    source = sqlite_path(url)
    if not source.exists():
        raise BackupError(f"no database at {source}")
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new file name (nothing written)")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with _open(source) as src, _open(partial) as dst:
        src.backup(dst)
    try:
        copied = inspect_copy(partial)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    partial.rename(target)
    return Copied(target, copied.revision, copied.counts)


def restore(backup_file: Path, url: str) -> Copied:
    """Copy a backup into the database of `url`, which must be empty (or not exist yet)."""
    target = sqlite_path(url)
    if not backup_file.is_file():
        raise BackupError(f"no backup file at {backup_file}")
    copied = inspect_copy(backup_file)
    tables = _tables(target) if target.exists() else []
    if tables:
        raise BackupError(
            f"the database at {target} is not empty ({len(tables)} tables): restore only into "
            "an empty database; move the old file aside first (nothing written)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with _open(backup_file) as src, _open(target) as dst:
        src.backup(dst)
    return Copied(target, copied.revision, copied.counts)


def inspect_copy(path: Path) -> Copied:
    """Is this a sound lom-bot database? Its schema revision and a few row counts."""
    try:
        with _open(path) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise BackupError(f"{path} fails SQLite's integrity check")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                raise BackupError(f"{path} is not a lom-bot database (no schema version)")
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            counts = {
                table: int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
                for table in COUNTED
                if table in tables
            }
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database ({exc})") from None
    return Copied(path, revision[0] if revision else None, counts)


def _tables(path: Path) -> list[str]:
    try:
        with _open(path) as conn:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            return [row[0] for row in rows]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database ({exc}); nothing written") from None


class _open:
    """A sqlite3 connection closed on leaving (sqlite3's own context manager only commits)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(str(path), timeout=30)

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *_exc: object) -> None:
        self.conn.close()
