"""lom-bot export transfer / import transfer: two forces' command lines, each on its database."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from lom_bot.cli import export as export_cli
from lom_bot.cli import importer as import_cli
from lom_bot.cli import transfer as transfer_cli
from lom_bot.cli.common import run_cli
from lom_bot.runtime import Runtime
from tests.conftest import ROOT
from tests.transfer_pack_support import enrich, receiving, table_counts

__all__ = ["receiving"]
GMP = "Greater Manchester Police"


def _cli() -> click.Group:
    group = click.Group()  # not lom-bot's own group: it binds a log context for the process
    for module in (import_cli, export_cli, transfer_cli):
        module.register(group)
    return group


def _run(rt: Runtime, config: str, args: list[str], monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.setenv("DATABASE_URL", str(rt.engine.url))
    monkeypatch.setenv("LOM_CONFIG", str(ROOT / config))
    group = _cli()
    runner = CliRunner()

    def main() -> None:  # errors as lom-bot shows them: one line and a non-zero status
        raise SystemExit(run_cli(group))

    return runner.invoke(click.Command("lom-bot", callback=main), args, standalone_mode=True)


def _as_lom_bot(rt: Runtime, config: str, args: list[str], mp: pytest.MonkeyPatch) -> Result:
    mp.setattr("sys.argv", ["lom-bot", *args])
    return _run(rt, config, [], mp)


@pytest.fixture
def pack_file(demo: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    ref = enrich(demo)
    out = tmp_path / "pack.zip"
    result = _as_lom_bot(
        demo, "app.yaml", ["export", "transfer", ref, "--to", GMP, "--out", str(out)], monkeypatch
    )
    assert result.exit_code == 0, result.output
    assert (
        f"Wrote {out}." in result.output
        and "Fingerprint (SHA-256 of manifest.json)" in result.output
    )
    assert "Withheld under their handling codes: INT-90002." in result.output
    assert "Audited as a disclosure to Greater Manchester Police." in result.output
    return out


def test_the_receiving_force_dry_runs_then_imports_the_pack_once(
    receiving: Runtime, pack_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = "examples/receiving-force.yaml"
    before = table_counts(receiving)
    dry = _as_lom_bot(receiving, config, ["import", "transfer", str(pack_file)], monkeypatch)
    assert dry.exit_code == 0, dry.output
    assert "Dry run, nothing written. --apply would create:" in dry.output
    assert "in a district to choose" in dry.output
    assert "is not one of ours: choose where the subject lives here" in dry.output
    assert table_counts(receiving) == before
    args = ["import", "transfer", str(pack_file), "--district", "Manchester", "--apply"]
    done = _as_lom_bot(receiving, config, args, monkeypatch)
    assert done.exit_code == 0, done.output
    assert (
        "Created:" in done.output
        and "in Manchester, transferring in from West Yorkshire Police" in done.output
    )
    after = table_counts(receiving)
    again = _as_lom_bot(receiving, config, args, monkeypatch)
    assert again.exit_code == 0 and "nothing new created" in again.output
    assert table_counts(receiving) == after


def test_a_tampered_file_is_refused_in_one_line_with_a_failing_status(
    receiving: Runtime, pack_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = bytearray(pack_file.read_bytes())
    data[len(data) // 3] ^= 0x20
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(data))
    before = table_counts(receiving)
    args = ["import", "transfer", str(bad), "--district", "Manchester", "--apply"]
    result = _as_lom_bot(receiving, "examples/receiving-force.yaml", args, monkeypatch)
    assert result.exit_code != 0
    said = [line for line in result.output.splitlines() if not line.startswith("Database:")]
    assert len(said) == 1 and said[0].startswith("Error: Refused:"), result.output
    assert table_counts(receiving) == before


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["export", "transfer", "LOM-9999", "--to", GMP], "No subject matches 'LOM-9999'"),
        (["export", "transfer", "LOM-0001"], "Missing option '--to'"),
        (
            ["export", "transfer", "LOM-0001", "--to", GMP, "--as", "U0OFF1"],
            "may not export sensitive",
        ),
        (["export", "transfer", "LOM-0001", "--to", "West Yorkshire Police"], "is this force"),
        (["export", "transfer", "LOM-0001", "--to", GMP], "no transfer out under way"),
    ],
)
def test_export_refusals_say_why_and_write_no_file(
    demo: Runtime,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    said: str,
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    before = table_counts(demo)
    result = _as_lom_bot(demo, "app.yaml", args, monkeypatch)
    assert result.exit_code != 0 and said in result.output, result.output
    assert "Traceback" not in result.output
    assert list(here.iterdir()) == []
    assert table_counts(demo) == before
