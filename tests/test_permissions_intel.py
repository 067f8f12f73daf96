"""Intelligence graded with handling code C is shown with its conditions wherever it is shown."""

from __future__ import annotations

import json

from sqlalchemy import select

from lom_bot.domain.grading import parse_grading
from lom_bot.runtime import Runtime
from lom_bot.services.permissions import Actor
from lom_bot.services.records import LogIntel, log_intelligence
from lom_bot.store.tables import OutboxMessage

CONDITIONS = "not to be shared outside the LOM team without DI approval"


def test_the_card_shows_the_conditions(demo: Runtime, officer: Actor) -> None:
    from lom_bot.blocks.card import subject_card
    from lom_bot.services.readmodels.card import load_card

    cmd = LogIntel("LOM-0001", "meets a courier weekly", parse_grading("2BC"), CONDITIONS)
    log_intelligence(demo.uow(), officer, cmd)
    with demo.uow() as uow:
        card = load_card(uow, officer, "LOM-0001", with_intel=True)
    shown = json.dumps(subject_card(card, demo.clock.today(), intel_shown=True, buttons=False))
    assert "meets a courier weekly" in shown and CONDITIONS in shown


def test_the_triage_post_of_a_breach_opportunity_shows_the_conditions(
    demo: Runtime, officer: Actor
) -> None:
    cmd = LogIntel(
        "LOM-0001", "will collect cash on Friday", parse_grading("2BC"), CONDITIONS, True
    )
    log_intelligence(demo.uow(), officer, cmd)
    with demo.uow() as uow:
        posts = list(
            uow.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "C0TRIAGE"))
        )
    shown = json.dumps([p.payload for p in posts])
    assert "will collect cash on Friday" in shown
    assert CONDITIONS in shown
