"""A file shared into the LOM team channel: only a supervisor's zip is fetched from Slack; a
file Slack no longer serves, or cannot send, gets one line and nothing is written."""

from __future__ import annotations

import json
import urllib.error
from collections.abc import Iterator
from typing import Any

import pytest

from lom_bot.handlers import transfer_files
from lom_bot.runtime import Runtime
from lom_bot.slack_standin.records import UploadedFile
from tests.e2e.harness import Result, SlackHarness, harness
from tests.transfer_pack_support import receiving, table_counts

__all__ = ["receiving"]
OFFICER, SUPERVISOR, LOM_TEAM = "U0OFF1", "U0SUPER", "C0LOMTEAM"


@pytest.fixture
def other_force(receiving: Runtime) -> Iterator[SlackHarness]:
    yield from harness(receiving)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL the bot fetched a file from."""
    fetched: list[str] = []
    real = transfer_files.urlopen

    def counting(request: Any, *args: Any, **kwargs: Any) -> Any:
        fetched.append(getattr(request, "full_url", str(request)))
        return real(request, *args, **kwargs)

    monkeypatch.setattr(transfer_files, "urlopen", counting)
    return fetched


def _share(other: SlackHarness, name: str, content: bytes, user: str, n: int = 1) -> Result:
    file = UploadedFile(f"F0SHARE{n:03d}", name, name, content, [LOM_TEAM])
    return other.share_file(file, user, f"1764000200.{n:06d}")


def test_a_file_that_is_not_a_zip_is_not_fetched_and_gets_no_answer(
    other_force: SlackHarness, downloads: list[str]
) -> None:
    before = table_counts(other_force.rt)
    shared = _share(other_force, "minutes.pdf", b"%PDF-1.4 minutes of the meeting", SUPERVISOR)
    assert shared.replies == [] and downloads == []
    assert table_counts(other_force.rt) == before


def test_an_officers_zip_is_refused_before_anything_is_fetched(
    other_force: SlackHarness, downloads: list[str]
) -> None:
    before = table_counts(other_force.rt)
    shared = _share(other_force, "pack.zip", b"PK\x03\x04 not really", OFFICER)
    assert "Only a LOM supervisor may import a transfer pack" in shared.text
    assert downloads == [] and table_counts(other_force.rt) == before


def test_a_pack_slack_cannot_send_gets_one_line_and_nothing_is_written(
    other_force: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: Any, **kwargs: Any) -> Any:
        raise urllib.error.URLError("connection refused")

    monkeypatch.setattr(transfer_files, "urlopen", down)
    before = table_counts(other_force.rt)
    shared = _share(other_force, "pack.zip", b"PK\x03\x04", SUPERVISOR)
    assert "could not be fetched from Slack (connection refused)" in shared.text
    assert len(shared.text.splitlines()) == 1
    value = json.dumps({"file": "F0GONE", "district": "Bolton"})
    clicked = other_force.click(SUPERVISOR, "lom_transfer_import", value)
    assert "could not be read from Slack (file_not_found)" in clicked.text
    garbled = other_force.click(SUPERVISOR, "lom_transfer_import", "not json")
    assert "could not be read from Slack" in garbled.text
    assert table_counts(other_force.rt) == before
