"""lom-bot preview and the console's screens as Block Kit Builder links: each payload is what
the app really sent, valid Block Kit, and URL-encoded in the link's fragment."""

from __future__ import annotations

import contextvars
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from slack_sdk.models.views import View

from lom_bot.blocks.builder import builder_payload, builder_url
from lom_bot.cli import cli
from lom_bot.console.preview import WHAT, NothingToShow, preview
from lom_bot.console.session import ConsoleSession
from lom_bot.runtime import Runtime
from tests.test_digest_support import parse_blocks

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def session(demo: Runtime) -> Iterator[ConsoleSession]:
    s = ConsoleSession(demo)
    yield s
    s.close()


def decoded(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    assert (
        f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://app.slack.com/block-kit-builder"
    )
    assert " " not in url and "{" not in url  # all of it URL-encoded
    payload: dict[str, Any] = json.loads(unquote(parts.fragment))
    return payload


@pytest.mark.parametrize("what", WHAT)
def test_each_screen_is_the_apps_own_valid_block_kit(session: ConsoleSession, what: str) -> None:
    payload = preview(session, what, "LOM-0001")
    if what == "home":
        assert payload["type"] == "home"
        View(**payload).validate_json()
    else:
        assert set(payload) <= {"blocks", "attachments"}
        parse_blocks(payload["blocks"])
    assert decoded(builder_url(payload)) == payload
    text = json.dumps(payload)
    expected = {
        "card": "LOM-0001",
        "order": "SCPO-",
        "digest": "Due",
        "triage": "Breach report",
        "letter-list": "Draft the letter",
        "home": "caseload",
    }[what]
    assert expected.lower() in text.lower()


def test_an_unknown_subject_shows_nothing_and_says_why(session: ConsoleSession) -> None:
    with pytest.raises(NothingToShow, match="No subject matches 'LOM-0999'"):
        preview(session, "card", "LOM-0999")


def test_a_modal_payload_carries_its_type_and_a_title_within_slacks_limit() -> None:
    modal = builder_payload([], surface="modal", title="A title far longer than Slack allows")
    assert modal["type"] == "modal" and len(modal["title"]["text"]) == 24


def test_the_command_prints_one_link_and_leaves_the_configured_database_alone(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOM_CONFIG", str(ROOT / "app.yaml"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = contextvars.copy_context().run(CliRunner().invoke, cli, ["preview", "card"])
    assert result.exit_code == 0, result.output
    [url] = result.stdout.splitlines()
    assert "LOM-0001" in json.dumps(decoded(url))
    assert "(a temporary demo database; yours is not used)" in result.stderr
    assert not (tmp_path / "var" / "lom-bot.sqlite3").exists()

    bad = contextvars.copy_context().run(
        CliRunner().invoke, cli, ["preview", "order", "--subject", "LOM-0999"]
    )
    assert bad.exit_code != 0 and "No order to show for LOM-0999" in bad.output
    assert "https://" not in bad.stdout
