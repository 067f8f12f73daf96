"""lom-bot db backup FILE and db restore FILE: a round trip that keeps every row and the audit
chain; refusals that write nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from lom_bot.cli import cli
from tests.test_breach_support import seeded_template

__all__ = ["seeded_template"]
ROOT = Path(__file__).resolve().parents[1]


def every_count(path: Path) -> dict[str, int]:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            tables = sa.inspect(conn).get_table_names()
            return {
                t: int(conn.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar_one())
                for t in tables
            }
    finally:
        engine.dispose()


def lom_bot(database: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("LOM_CONFIG", str(ROOT / "app.yaml"))
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture
def live(tmp_path: Path, seeded_template: Path) -> Path:
    path = tmp_path / "live.sqlite3"
    shutil.copy(seeded_template, path)
    return path


def test_backup_then_restore_into_an_empty_database_keeps_every_row_and_the_audit_chain(
    live: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = tmp_path / "backups" / "lom-2026-12-04.sqlite3"
    status, out = lom_bot(live, "db", "backup", str(backup), monkeypatch=monkeypatch)
    assert status == 0, out
    assert out.startswith(f"Backed up to {backup}: schema ") and " subjects" in out
    assert not backup.with_name(backup.name + ".partial").exists()

    restored = tmp_path / "restored" / "lom.sqlite3"
    status, out = lom_bot(restored, "db", "restore", str(backup), monkeypatch=monkeypatch)
    assert status == 0, out
    assert f"Restored {backup} into {restored}" in out
    assert every_count(restored) == every_count(live)
    assert every_count(restored)["audit_log"] > 0
    status, out = lom_bot(restored, "audit", "verify", monkeypatch=monkeypatch)
    assert status == 0, out


def test_restore_refuses_a_database_that_holds_tables_and_writes_nothing(
    live: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = tmp_path / "b.sqlite3"
    assert lom_bot(live, "db", "backup", str(backup), monkeypatch=monkeypatch)[0] == 0
    before = live.read_bytes()
    status, out = lom_bot(live, "db", "restore", str(backup), monkeypatch=monkeypatch)
    assert status == 1
    assert out.strip().splitlines()[-1].startswith("Error: the database at ")
    assert "is not empty" in out and "nothing written" in out
    assert live.read_bytes() == before


def test_backup_refuses_to_overwrite_a_file_and_restore_refuses_what_is_not_a_backup(
    live: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = tmp_path / "taken.sqlite3"
    taken.write_bytes(b"keep me")
    status, out = lom_bot(live, "db", "backup", str(taken), monkeypatch=monkeypatch)
    assert status == 1 and "exists already" in out
    assert taken.read_bytes() == b"keep me"

    empty = tmp_path / "empty.sqlite3"
    for bogus, says in [
        (taken, "not a SQLite database"),
        (tmp_path / "missing.sqlite3", "no backup file"),
    ]:
        status, out = lom_bot(empty, "db", "restore", str(bogus), monkeypatch=monkeypatch)
        assert status == 1 and says in out, out
        assert len(out.strip().splitlines()) == 1
    assert not empty.exists()


def test_on_postgresql_backup_and_restore_point_to_the_pg_dump_procedure(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://lom@db.internal/lom")
    monkeypatch.setenv("LOM_CONFIG", str(ROOT / "app.yaml"))
    for verb in ("backup", "restore"):
        result = CliRunner().invoke(cli, ["db", verb, str(tmp_path / "x.dump")])
        assert result.exit_code == 1
        assert "pg_dump and pg_restore" in result.output
        assert "docs/deployment.md" in result.output
    assert (ROOT / "docs" / "deployment.md").read_text().count("pg_dump") >= 1
