"""Every command refuses a DATABASE_URL it cannot read with one clear line, never a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.test_serve import LOM_BOT, clean_env


@pytest.mark.parametrize(
    "command", [["db", "upgrade"], ["outbox", "list", "--failed"], ["jobs", "list"]]
)
@pytest.mark.parametrize("url", ["nosuch://x", "not a url"])
def test_a_bad_database_url_is_one_clear_line_and_no_traceback(
    command: list[str], url: str, tmp_path: Path
) -> None:
    env = clean_env(DATABASE_URL=url)
    done = subprocess.run([LOM_BOT, *command], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "Database error: DATABASE_URL is not a database URL" in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written
