"""The console as a workspace: channel membership, several-line messages, editing and deleting
the last one (through Slack's own events), emoji, the roles in `help`, and `link`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from slack_sdk.models.blocks import Block
from sqlalchemy import func, select

from lom_bot.console.emoji import emojize
from lom_bot.runtime import Runtime
from lom_bot.store.tables import BreachEdit, BreachReport
from tests.test_console import Terminal

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def terminal(demo: Runtime, tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(demo, tmp_path / "console-files")
    yield term
    term.session.close()


def reports(rt: Runtime) -> list[BreachReport]:
    with rt.uow() as uow:
        return list(uow.session.scalars(select(BreachReport).order_by(BreachReport.id)))


def edits(rt: Runtime) -> int:
    with rt.uow() as uow:
        return int(uow.session.scalar(select(func.count(BreachEdit.id))) or 0)


def test_a_district_officer_cannot_read_triage_and_nothing_moves(terminal: Terminal) -> None:
    out = terminal.run("in #leeds", "as U0LEEDS", "in #triage", "show #triage")
    assert out.count("PC Dee Leeds is not a member of #triage") == 2
    assert "LOM officers, LOM supervisors" in out
    assert terminal.session.channel == "C0LEEDS"
    assert "in #wakefield" not in out
    refused = terminal.run("in #bradford")
    assert "is not a member of #bradford" in refused
    assert terminal.session.channel == "C0LEEDS"


def test_becoming_someone_who_is_not_in_this_channel_takes_them_to_theirs(
    terminal: Terminal,
) -> None:
    out = terminal.run("in #triage", "as U0LEEDS")
    assert "You are now PC Dee Leeds (district officer, Leeds), in #leeds." in out
    assert terminal.session.channel == "C0LEEDS"
    back = terminal.run("as U0OFF1", "in #triage")
    assert "You are in #triage" in back and terminal.session.channel == "C0TRIAGE"


def test_say_with_several_lines_sends_one_message_with_its_line_breaks(terminal: Terminal) -> None:
    before = len(reports(terminal.rt))
    out = terminal.run(
        "in #leeds", "as U0LEEDS", "say <<", "LOM-0004 seen this morning", "driving a hire van", "."
    )
    assert "... driving a hire van" in out  # the echo shows each line typed
    assert "Recorded as BR-" in out
    new = reports(terminal.rt)[before:]
    assert [r.text for r in new] == ["LOM-0004 seen this morning\ndriving a hire van"]


def test_say_without_its_closing_dot_sends_nothing(terminal: Terminal) -> None:
    before = len(reports(terminal.rt))
    out = terminal.run("in #leeds", "as U0LEEDS", "say <<", "LOM-0004 seen in a hire van")
    assert "No closing `.` line before the end: nothing was sent." in out
    assert len(reports(terminal.rt)) == before
    assert terminal.session.standin.messages_in("C0LEEDS") == []


def test_edit_and_delete_reach_the_app_as_slacks_events(terminal: Terminal) -> None:
    terminal.run("in #leeds", "as U0LEEDS", "say LOM-0004 seen driving a white hire van")
    report = reports(terminal.rt)[-1]
    history = edits(terminal.rt)

    edited = terminal.run("edit LOM-0004 seen driving a silver hire van")
    assert "Edited your message “LOM-0004 seen driving a white hire van”." in edited
    assert "lom-bot updated a message in #triage" in edited
    after = reports(terminal.rt)[-1]
    assert after.id == report.id and after.text == "LOM-0004 seen driving a silver hire van"
    assert edits(terminal.rt) == history + 1  # the earlier wording is kept

    terminal.run("delete")
    assert reports(terminal.rt)[-1].deleted  # flagged, never erased
    assert terminal.session.standin.messages_in("C0LEEDS", include_deleted=False)[-1:] != [
        m for m in terminal.session.standin.messages_in("C0LEEDS") if m.user == "U0LEEDS"
    ]


def test_edit_or_delete_with_nothing_of_yours_here_says_so_and_sends_nothing(
    terminal: Terminal,
) -> None:
    calls = len(terminal.session.standin.calls)
    out = terminal.run("edit new words", "delete")
    assert "You have posted nothing here to edit." in out
    assert "You have posted nothing here to delete." in out
    assert len(terminal.session.standin.calls) == calls


def test_help_lists_the_roles_and_what_each_may_do(terminal: Terminal) -> None:
    out = " ".join(terminal.run("help").split())  # as read, whatever the wrapping
    assert "District officer: PC Bo Bradford (U0BRAD), PC Dee Leeds (U0LEEDS)" in out
    district = out.split("District officer:")[1].split("Admin:")[0]
    assert "report breaches" in district and "assess" not in district
    supervisor = out.split("LOM supervisor:")[1].split("District officer:")[0]
    assert "approve applications" in supervisor and "#supervisors" in supervisor
    assert "give and take roles" in out.split("Admin:")[1]


def test_every_emoji_code_the_bot_uses_prints_as_unicode(terminal: Terminal) -> None:
    used = {
        code
        for path in (ROOT / "lom_bot").rglob("*.py")
        if "console" not in path.parts
        for code in re.findall(r":([a-z][a-z_]+):", path.read_text(encoding="utf-8"))
    } - {"memory"}  # sqlite:///:memory:
    assert "scales" in used
    assert {code for code in used if emojize(f":{code}:") == f":{code}:"} == set()
    assert emojize(":scales: ruling :unknown_code:") == "⚖️ ruling :unknown_code:"
    out = terminal.run("in #leeds", "as U0LEEDS", "say LOM-0004 seen in a hire van", "as U0OFF1")
    triage = terminal.run("in #triage")
    assert "🚨 Breach report" in triage and ":rotating_light:" not in triage + out


def test_link_gives_the_last_cards_blocks_in_a_block_kit_builder_url(terminal: Terminal) -> None:
    assert "No card shown yet" in terminal.run("link")
    terminal.run("/lom subject LOM-0001")
    shown = terminal.console.screen.last_payload
    assert shown is not None

    out = terminal.run("link")

    [url] = [line for line in out.splitlines() if line.startswith("https://")]
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "app.slack.com",
        "/block-kit-builder",
    )
    payload = json.loads(unquote(parts.fragment))
    assert payload == shown and "LOM-0001" in json.dumps(payload)
    for block in payload["blocks"]:
        Block.parse(block).validate_json()
