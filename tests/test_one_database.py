"""One database unless told otherwise: the console, jobs, audit, export and import all use
DATABASE_URL's (default ./var/lom-bot.sqlite3), and each says which at start."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
LOM_BOT = str(Path(sys.executable).with_name("lom-bot"))
DEFAULT_LINE = (
    "Database: sqlite:///var/lom-bot.sqlite3 (the default; set DATABASE_URL to use another)"
)


def lom_bot(
    cwd: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    base["LOM_CONFIG"] = str(ROOT / "app.yaml")
    return subprocess.run(
        [LOM_BOT, *args],
        input=stdin,
        env={**base, **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def subjects_in(path: Path) -> int:
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM subjects")).scalar_one()
    engine.dispose()
    return int(count)


def test_the_console_jobs_audit_and_export_share_the_default_database_and_name_it(
    tmp_path: Path,
) -> None:
    console = lom_bot(tmp_path, "console", "--demo", stdin="/lom subject LOM-0001\n")
    assert console.returncode == 0, console.stderr
    assert console.stderr.splitlines()[0] == DEFAULT_LINE
    assert "Demo data added: " in console.stderr
    # Piped input is echoed after its prompt without asking (--echo is the default off a tty).
    assert "dc.olu.officer@#lom-team> /lom subject LOM-0001" in console.stdout
    assert subjects_in(tmp_path / "var/lom-bot.sqlite3") > 0

    jobs = lom_bot(tmp_path, "jobs", "list")
    audit = lom_bot(tmp_path, "audit", "export", "--subject", "LOM-0001")
    export = lom_bot(
        tmp_path,
        "export",
        "caseload",
        "--from",
        "-30d",
        "--to",
        "today",
        "--out",
        "caseload.csv",
        "--as",
        "U0SUPER",
    )
    for result in (jobs, audit, export):
        assert result.returncode == 0, result.stderr
        assert result.stderr.splitlines()[0] == DEFAULT_LINE
    # The console's look at LOM-0001 is in the same database's audit log ...
    rows = list(csv.DictReader(audit.stdout.splitlines()))
    assert any(r["action"] == "consultation" for r in rows), audit.stdout[:500]
    # ... and the caseload export reads the demo subjects the console seeded.
    with (tmp_path / "caseload.csv").open(encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == subjects_in(tmp_path / "var/lom-bot.sqlite3")
    assert not (tmp_path / "var/demo.sqlite3").exists()


def test_console_demo_fills_the_database_database_url_names(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.sqlite3"
    url = f"sqlite:///{elsewhere}"

    result = lom_bot(
        tmp_path,
        "console",
        "--demo",
        "--no-echo",
        stdin="/lom subjects all\n",
        env={"DATABASE_URL": url},
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"Database: {url} (from DATABASE_URL)"
    assert subjects_in(elsewhere) > 0
    assert not (tmp_path / "var/lom-bot.sqlite3").exists()
    assert "@#" not in result.stdout  # --no-echo: only the replies
    assert "All subjects" in result.stdout


def test_a_password_in_database_url_is_not_printed(tmp_path: Path) -> None:
    url = "postgresql+psycopg://lom:s3cret@127.0.0.1:1/nowhere"
    result = lom_bot(tmp_path, "jobs", "list", env={"DATABASE_URL": url})
    assert result.returncode != 0  # nothing listens on port 1
    assert result.stderr.splitlines()[0] == (
        "Database: postgresql+psycopg://lom:***@127.0.0.1:1/nowhere (from DATABASE_URL)"
    )
    assert "s3cret" not in result.stderr + result.stdout
