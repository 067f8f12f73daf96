"""Control characters: kept out at the edge, and never able to stop a letter being made."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from lom_bot.domain.enums import FollowUpKind
from lom_bot.domain.text import clean_deep, clean_text, without_bidi_controls
from lom_bot.runtime import Runtime
from lom_bot.services.letters import GenerateLetter, generate_letter
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import BreachReport, Condition, Subject
from tests.test_letters import active, follow_up, read  # noqa: F401  (active is a fixture)

CONTROLS = "\x00\x0b\x1b\x07\x7f\x85"


def test_clean_text_removes_controls_and_keeps_layout_and_everything_else() -> None:
    text = f"Seen\tat 14:20\r\non the A64 {CONTROLS}— Zoë, 🚐, ‏مرحبا"
    assert clean_text(text) == "Seen\tat 14:20\r\non the A64 — Zoë, 🚐, ‏مرحبا"
    assert clean_deep({"a": [f"x{CONTROLS}", 3, None], "k\x00": "y"}) == {
        "a": ["x", 3, None],
        "k": "y",
    }
    assert without_bidi_controls("LOM-0001 \u202eevil\u202c \u2067x\u2069") == "LOM-0001 evil x"


def test_a_letter_is_made_from_stored_text_holding_control_characters(
    runtime: Runtime,
    officer: Actor,
    active: str,  # noqa: F811
) -> None:
    item = follow_up(runtime, FollowUpKind.WARNING_LETTER)
    with runtime.uow() as uow:  # as an older import or path might have stored them
        uow.session.execute(
            update(BreachReport).values(text=f"Seen using a second{CONTROLS} phone.")
        )
        uow.session.execute(
            update(Condition).where(Condition.number == 1).values(wording=f"Not to{CONTROLS} use")
        )
        uow.session.execute(update(Subject).values(address="1 Imaginary\x0bRow\nLeeds\x1b"))
        uow.commit()
    letter = generate_letter(runtime.uow(), officer, GenerateLetter("", follow_up_id=item))
    body, _, _ = read(letter.content)
    # the condition is quoted cleaned; the reporter's words are never quoted in a letter
    assert "Not to use" in body and "Seen using a second" not in body
    assert "1 ImaginaryRow" in body
    with runtime.uow() as uow:  # the record itself is kept as it was
        stored = uow.session.scalars(select(BreachReport.text)).one()
    assert CONTROLS in stored


@pytest.mark.parametrize("char", list(CONTROLS))
def test_each_control_character_alone_is_removed(char: str) -> None:
    assert clean_text(f"a{char}b") == "ab"
