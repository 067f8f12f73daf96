"""Issue 15's "done when", in the console: an officer creates a subject, records a release date,
corrects it, logs a contact, corrects its outcome with a reason, and the card and the history
show both versions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from lom_bot.bootstrap import Runtime
from lom_bot.store.tables import Correction
from tests.test_console import Terminal


@pytest.fixture
def terminal(demo: Runtime, tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(demo, tmp_path / "console-files")
    yield term
    term.session.close()


NEW_SUBJECT = [
    "/lom subject new",
    "Darren",  # given names
    "Fictionalson",  # family name
    "01/02/1985",  # born
    "19/0012345G",  # PNC ID (check letter G)
    "",  # Niche
    "",  # ViSOR
    "",  # prison number
    "12 Any Street, Leeds",
    "Leeds",
    "2",  # risk: high
    "1",  # custody: in custody
    "",  # conditional release date
    "Tall, tattoo of a swallow on the left hand",
    "",  # aliases
    "YX19 ABC white Transit",  # vehicles
    "",  # not to associate with
    "",  # a different person?
]


def test_create_release_correct_contact_correct_and_see_both_versions(
    terminal: Terminal,
) -> None:
    def run(*lines: str) -> str:  # the console wraps long lines: read them as one
        return " ".join(terminal.run(*lines).replace("│", " ").split())

    out = run(*NEW_SUBJECT)
    created = re.search(r"(LOM-\d{4}) Darren Fictionalson added", out)
    assert created, out
    ref = created[1]
    out = run(f"/lom subject {ref} release crd 03/03/2027")
    assert "CRD recorded as 03/03/2027" in out
    out = run(
        f"/lom correct {ref} release crd 17/02/2027 because the prison sent a recalculated date"
    )
    assert "CRD corrected from 03/03/2027 to 17/02/2027" in out
    out = run(f"/lom contact {ref} probation appointment failed to attend yesterday")
    logged = re.search(r"unacceptable absence \((CON-\d{5})\)", out)
    assert logged, out
    con = logged[1]
    out = run(f"/lom correct {con} outcome acceptable absence because hospital letter")
    assert "absence reason first" in out  # the rule holds for a correction too
    run(f"/lom correct {con} absence reason in hospital, letter seen because not recorded")
    out = run(f"/lom correct {con} outcome acceptable absence because hospital letter")
    assert "corrected from unacceptable absence to acceptable absence" in out

    card = run(f"/lom subject {ref}")
    assert "CRD 17/02/2027 (corrected)" in card
    assert "Vehicles: YX19ABC (white Transit)" in card
    assert re.search(rf"acceptable absence \({con}\) \(corrected", card)
    history = run(f"/lom subject {ref} history")
    for both in ("03/03/2027 → 17/02/2027", "unacceptable absence →", "acceptable absence"):
        assert both in history
    assert "the prison sent a recalculated date" in history and "hospital letter" in history
    with terminal.rt.uow() as uow:
        kept = uow.session.scalars(select(Correction).where(Correction.record_ref == con)).all()
    assert [k.field for k in kept] == ["absence_reason", "outcome"]
