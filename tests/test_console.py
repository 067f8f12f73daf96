"""The local console: the real app, driven by typed lines, shown as text an officer can read."""

from __future__ import annotations

import io
import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from lom_bot.console.repl import Console
from lom_bot.console.session import ConsoleSession
from lom_bot.domain.enums import ContactKind, ContactOutcome
from lom_bot.runtime import Runtime
from lom_bot.store.tables import BreachReport, Contact, Subject


class Script:
    """Lines an officer types, handed out as the console asks for them."""

    interactive = False

    def __init__(self) -> None:
        self.lines: deque[str] = deque()

    def read(self, prompt: str) -> str | None:
        return self.lines.popleft() if self.lines else None


class Terminal:
    """A console on the demo data, and what it printed."""

    def __init__(self, rt: Runtime, files: Path) -> None:
        self.rt = rt
        self.session = ConsoleSession(rt)
        self.script = Script()
        self.out = io.StringIO()
        # echo: the transcript shows each command and form answer, as `--echo` prints them
        self.console = Console(self.session, self.script, self.out, files_dir=files, echo=True)

    def run(self, *lines: str) -> str:
        """Type `lines` (a form's answers follow the command that opens it); the output."""
        start = len(self.out.getvalue())
        self.script.lines.extend(lines)
        while self.script.lines:
            assert self.console.handle(self.script.lines.popleft())
        return self.out.getvalue()[start:]

    def button(self, label: str) -> int:
        """The number `click` takes for the button labelled `label` on the last card."""
        labels = [c.label for c in self.console.screen.clickables]
        assert label in labels, labels
        return labels.index(label) + 1


@pytest.fixture
def terminal(demo: Runtime, tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(demo, tmp_path / "console-files")
    yield term
    term.session.close()


def contacts_of(rt: Runtime, ref: str) -> list[Contact]:
    with rt.uow() as uow:
        subject = uow.session.scalars(select(Subject).where(Subject.ref == ref)).one()
        query = select(Contact).where(Contact.subject_id == subject.id).order_by(Contact.id)
        return list(uow.session.scalars(query))


def test_an_officer_opens_a_card_and_logs_a_contact_through_its_form(terminal: Terminal) -> None:
    card = terminal.run("/lom subject LOM-0001")
    assert "Order SCPO-0001" in card
    assert re.search(r"\[\d+ Log contact\]", card)
    before = len(contacts_of(terminal.rt, "LOM-0001"))

    n = terminal.button("Log contact")
    # Subject kept from the card, kind by name, outcome by number, date, notes.
    out = terminal.run(f"click {n}", "", "Home visit", "1", "today", "Seen at home, new van")

    assert "┌─ Log a contact" in out
    assert "Contact logged for LOM-0001" in out
    contacts = contacts_of(terminal.rt, "LOM-0001")
    assert len(contacts) == before + 1
    assert contacts[-1].kind is ContactKind.HOME_VISIT
    assert contacts[-1].outcome is ContactOutcome.COMPLIED
    assert contacts[-1].notes == "Seen at home, new van"


def test_a_form_rejected_by_the_app_shows_the_error_and_asks_that_field_again(
    terminal: Terminal,
) -> None:
    before = len(contacts_of(terminal.rt, "LOM-0001"))
    out = terminal.run("/lom contact LOM-0001", "", "5", "1", "31/02/2026", "", "yesterday")
    assert "✗ Date" in out and "not a real date" in out
    assert out.count("Date (optional)") == 2  # asked again, and only the date
    assert out.count("Outcome") == 1
    assert "Contact logged for LOM-0001" in out
    assert len(contacts_of(terminal.rt, "LOM-0001")) == before + 1


def test_an_answer_the_field_cannot_take_is_asked_again_and_cancel_submits_nothing(
    terminal: Terminal,
) -> None:
    before = len(contacts_of(terminal.rt, "LOM-0001"))
    out = terminal.run("/lom contact LOM-0001", "", "teleport", "cancel")
    assert "Choose one of 1-7" in out
    assert "nothing was submitted" in out
    assert len(contacts_of(terminal.rt, "LOM-0001")) == before


def test_a_sighting_in_a_district_channel_is_assessed_from_triage_and_the_thread_told(
    terminal: Terminal,
) -> None:
    terminal.run("in #leeds", "as U0LEEDS")
    said = terminal.run("say Saw LOM-0003 driving a white van outside the Red Lion")
    assert re.search(r"Recorded as BR-\d+", said)
    assert "lom-bot posted in #triage" in said

    triage = terminal.run("as U0OFF1", "in #triage")
    assert "Saw LOM-0003 driving a white van" in triage
    n = terminal.button("First warning letter")
    assessed = terminal.run(f"click {n}", "Owner's van; he was driving it, so a warning", "")
    assert "┌─ Assess" in assessed
    assert "first warning letter" in assessed.lower()
    assert "lom-bot posted in #leeds" in assessed

    thread = terminal.run("in #leeds")
    assert "The LOM team has assessed" in thread
    with terminal.rt.uow() as uow:
        report = uow.session.scalars(select(BreachReport).order_by(BreachReport.id.desc())).first()
        assert report is not None and "white van" in report.text
        assert report.status.value != "new"


def test_the_officers_home_and_a_scheduled_job_show_in_the_console(terminal: Terminal) -> None:
    home = terminal.run("home")
    assert "App Home · DC Olu Officer" in home
    assert "LOM-" in home

    digest = terminal.run("job daily-due")
    assert "daily-due 2026-11-25" in digest
    assert "posts queued" in digest
    assert "Due today" in digest  # posted in #lom-team, where the officer is

    again = terminal.run("job daily-due")
    assert "already run for this period" in again


def test_a_file_the_bot_uploads_is_saved_and_named(terminal: Terminal, tmp_path: Path) -> None:
    out = terminal.run("as U0SUPER", "in #supervisors", "job weekly-summary 2026-11-30")
    saved = re.search(r"File: (lom-weekly-[\d-]+\.png) \(([\d,]+) bytes\), saved to (\S+)", out)
    assert saved is not None, out
    path = Path(saved[3])
    assert path.parent == tmp_path / "console-files"
    assert path.read_bytes().startswith(b"\x89PNG")
    assert len(path.read_bytes()) == int(saved[2].replace(",", ""))


BAD_INPUT = [  # (what the officer typed, the start of the answer)
    ("dance", "I don't know `dance`"),
    ("click 99", "Click which?"),
    ("click", "Click which?"),
    ("as nobody-at-all", "No user matches"),
    ("as", "As whom?"),
    ("in #no way", "is not a channel name"),
    ("/remind me", "Only /lom is installed"),
    ("say", "Say what?"),
    ("reply", "Reply with what?"),
    ("job", "Which job?"),
    ("job daily-due 31/02/2026", "not a real date"),
    ("job teleport", "There is no job 'teleport'"),
    ("/lom teleport", "I don't know `/lom teleport`"),
]


def test_bad_console_input_gets_a_short_helpful_answer(terminal: Terminal) -> None:
    for line, answer in BAD_INPUT:  # one console for all: each line is independent
        out = terminal.run(line)
        assert answer in out, (line, out)
        assert "Traceback" not in out


def test_acting_as_a_user_without_a_role_is_refused_by_the_bot(terminal: Terminal) -> None:
    out = terminal.run("as U0STRANGER", "/lom subject LOM-0001")
    assert "not authorised" in out
    assert "SCPO-0001" not in out


def test_moving_to_an_ordinary_channel_keeps_subject_detail_private(terminal: Terminal) -> None:
    moved = terminal.run("in #random")
    assert "not sensitive" in moved
    out = terminal.run("/lom subject LOM-0001")
    assert "only visible to you" in out
    assert not terminal.session.standin.messages_in("C0RANDOM") or all(
        m.ephemeral_to for m in terminal.session.standin.messages_in("C0RANDOM")
    )


def test_quit_ends_the_loop_and_help_lists_the_verbs(terminal: Terminal) -> None:
    assert "click <N>" in terminal.run("help")
    terminal.script.lines.extend(["help", "quit", "help"])
    assert terminal.console.loop() == 0
    assert list(terminal.script.lines) == ["help"]


def test_a_second_console_session_on_the_same_database_records_its_own_reports(
    demo: Runtime, tmp_path: Path
) -> None:
    refs = []
    for _ in range(2):
        term = Terminal(demo, tmp_path / "console-files")
        try:
            term.run("in #leeds", "as U0LEEDS")
            said = term.run("say Saw LOM-0003 driving a white van outside the Red Lion")
            found = re.search(r"Recorded as (BR-\d+)", said)
            assert found, said
            refs.append(found[1])
        finally:
            term.session.close()
    assert refs[0] != refs[1]
