"""The README's first session runs as written: parsed out of README.md and typed into the
console on the demo caseload, each line at the prompt the README shows, none refused, none
failing, and nothing refused in the audit log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lom_bot.domain.enums import AuditAction
from lom_bot.runtime import Runtime
from lom_bot.store.tables import AuditEntry
from tests.test_console import Terminal

README = Path(__file__).resolve().parents[1] / "README.md"
MARKER = "<!-- readme-session:"
PROMPT = re.compile(r"^(?P<prompt>[\w.]+@(?:#[\w-]+|dm)> )(?P<line>.*)$")
# What the console or the bot says when a line is refused or fails, whatever the wording
# of the rest of the reply.
REFUSED = (
    "may not",
    "not authorised",
    "is not a member",
    "I don't know `",
    "Only /lom is installed",
    "failed while answering",
    "has no listener",
    "refused the request",
    "Slack refused",
    "No subject matches",
    "Usage:",
    "Click which?",
    "nothing was submitted",
    "nothing was sent",
)


@dataclass
class Line:
    prompt: str
    text: str
    answers: list[str] = field(default_factory=list)


def readme_session() -> list[Line]:
    """The block after the README's marker: prompts and commands, with form answers."""
    text = README.read_text(encoding="utf-8")
    assert MARKER in text, "README.md has lost its first session"
    block = text.split(MARKER, 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    lines: list[Line] = []
    for raw in block.splitlines():
        if not raw.strip():
            continue
        typed = PROMPT.match(raw)
        if typed:
            lines.append(Line(typed["prompt"], typed["line"]))
            continue
        assert raw.startswith("    ") and ": " in raw and lines, f"unreadable line: {raw!r}"
        answer = raw.split(": ", 1)[1]
        lines[-1].answers.append("" if answer == "(Enter)" else answer)
    return lines


@pytest.fixture
def terminal(demo: Runtime, tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(demo, tmp_path / "console-files")
    yield term
    term.session.close()


def refusals(rt: Runtime) -> int:
    with rt.uow() as uow:
        query = select(func.count(AuditEntry.id)).where(AuditEntry.action == AuditAction.REFUSAL)
        return int(uow.session.scalar(query) or 0)


def test_the_readme_session_parses_into_commands_for_every_role() -> None:
    lines = readme_session()
    assert len(lines) >= 15
    who = {line.prompt.split("@")[0] for line in lines}
    assert who == {"dc.olu.officer", "pc.dee.leeds", "ds.sam.supervisor", "alex.admin"}
    assert any(line.answers for line in lines)


def test_the_readme_session_runs_with_no_line_refused_or_failing(terminal: Terminal) -> None:
    before = refusals(terminal.rt)
    for line in readme_session():
        assert terminal.console.prompt() == line.prompt, f"before {line.text!r}"
        out = terminal.run(line.text, *line.answers)
        said = " ".join(out.split())
        bad = [phrase for phrase in REFUSED if phrase in said]
        assert not bad, f"{line.prompt}{line.text}\n{out}"
        assert out.strip(), f"no answer to {line.text!r}"
    assert refusals(terminal.rt) == before
