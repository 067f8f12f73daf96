"""`lom-bot run` without tokens: the console on demo data; piped input runs as a script."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from lom_bot.console.lines import TerminalLines
from lom_bot.runtime import Runtime

ROOT = Path(__file__).resolve().parents[1]
LOM_BOT = str(Path(sys.executable).with_name("lom-bot"))


def test_run_without_tokens_opens_the_console_on_demo_data_and_reads_a_piped_script(
    demo: Runtime, tmp_path: Path
) -> None:
    # The demo database the fixture seeded, where every command looks by default: no re-seeding.
    (tmp_path / "var").mkdir()
    shutil.copy(
        str(make_url(demo.settings.database_url).database), tmp_path / "var/lom-bot.sqlite3"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env["LOM_CONFIG"] = str(ROOT / "app.yaml")
    script = "in #leeds\nas U0LEEDS\nsay LOM-0003 seen with a wad of cash at the Red Lion\n"

    result = subprocess.run(
        [LOM_BOT, "run"],  # what `make run` starts: no Slack tokens, so the demo console
        input=script,
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    # Piped input is echoed after its prompt, so the output reads as a transcript.
    assert "dc.olu.officer@#lom-team> in #leeds\n" in result.stdout
    assert "pc.dee.leeds@#leeds> say LOM-0003 seen" in result.stdout
    assert "You are now PC Dee Leeds" in result.stdout
    assert "Recorded as BR-" in result.stdout
    assert "lom-bot posted in #triage" in result.stdout
    said = result.stderr.strip().splitlines()
    assert said[0].startswith("No SLACK_BOT_TOKEN set: opening the local console")
    assert said[1:] == [
        "Database: sqlite:///var/lom-bot.sqlite3 (the default; set DATABASE_URL to use another)"
    ]
    assert (tmp_path / "var/console.log").exists()  # logs go to a file, not the screen


def test_piped_lines_end_at_eof_and_keep_their_text() -> None:
    lines = TerminalLines(io.StringIO("say hello there\r\n\nquit"), interactive=False)
    assert [lines.read("> "), lines.read("> "), lines.read("> "), lines.read("> ")] == [
        "say hello there",
        "",
        "quit",
        None,
    ]


def test_a_second_console_on_the_same_database_answers_the_same_command_again(
    demo: Runtime, tmp_path: Path
) -> None:
    # Each console run makes trigger and view ids of its own, as Slack does: the same command
    # typed in a later session is a new request, not a replay of the first.
    (tmp_path / "var").mkdir()
    shutil.copy(
        str(make_url(demo.settings.database_url).database), tmp_path / "var/lom-bot.sqlite3"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env["LOM_CONFIG"] = str(ROOT / "app.yaml")
    runs = [
        subprocess.run(
            [LOM_BOT, "console"],
            input="/lom subject LOM-0004\n",
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        for _ in range(2)
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert "LOM-0004" in run.stdout.split("/lom subject LOM-0004", 1)[1]
        assert "already received" not in run.stdout
