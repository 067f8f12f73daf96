"""Forms submitted while the database is down stay open saying so: never closed over lost data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from lom_bot.blocks import breach as ui
from lom_bot.console import signing
from lom_bot.domain.enums import AssessmentOutcome
from lom_bot.handlers.guard import DB_DOWN
from lom_bot.store.tables import Assessment, AuditEntry, BreachReport, Contact
from tests import test_breach_support as support
from tests.e2e.harness import Result, SlackHarness

db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template

LEEDS, TRIAGE = "C0LEEDS", "C0TRIAGE"


def counts(slack: SlackHarness) -> dict[str, int]:
    with slack.rt.uow() as uow:
        return {
            m.__name__: int(uow.session.scalar(select(func.count(m.id))) or 0)
            for m in (Contact, BreachReport, Assessment, AuditEntry)
        }


@pytest.fixture
def down(slack: SlackHarness, tmp_path: Path) -> Iterator[Any]:
    """Call it to submit with the database unreachable (every query fails)."""
    working = slack.rt.sessions

    def submit(*args: Any, **kwargs: Any) -> Result:
        slack.rt.sessions = sessionmaker(sa.create_engine(f"sqlite:///{tmp_path}/gone/x.db"))
        try:
            return slack.submit(*args, **kwargs)
        finally:
            slack.rt.sessions = working

    yield submit


def stays_open(result: Result) -> None:
    answer = result.json()
    assert result.status == 200 and answer["response_action"] == "errors", result.body
    (message,) = answer["errors"].values()
    assert DB_DOWN in message and "not been saved" in message


def test_a_breach_report_form_stays_open_when_it_cannot_be_saved(
    slack: SlackHarness, down: Any
) -> None:
    [view] = slack.command("U0LEEDS", "breach LOM-0003", LEEDS).modals
    values = {ui.SUBJECT: "LOM-0003", ui.WHAT: "seen at the car wash"}
    before = counts(slack)
    stays_open(down("U0LEEDS", ui.REPORT_VIEW, values, view["private_metadata"]))
    assert counts(slack) == before
    saved = slack.submit("U0LEEDS", ui.REPORT_VIEW, values, view["private_metadata"])
    assert saved.status == 200 and saved.body == ""
    assert counts(slack)["BreachReport"] == before["BreachReport"] + 1


def test_an_assessment_form_stays_open_when_it_cannot_be_saved(
    slack: SlackHarness, down: Any
) -> None:
    message = slack.standin.post_user_message(LEEDS, "U0LEEDS", "Saw LOM-0003 at the car wash")
    slack.event(signing.message_event(LEEDS, "U0LEEDS", message.text, message.ts))
    slack.flush()
    with slack.rt.uow() as uow:
        report = uow.session.scalars(
            select(BreachReport).where(BreachReport.message_ts == message.ts)
        ).one()
    outcome = AssessmentOutcome.FIRST_WARNING
    click = slack.click("U0OFF1", ui.outcome_action(outcome), str(report.id), TRIAGE, "1.1")
    [view] = click.modals
    values = {
        ui.RATIONALE: "Seen by two officers.",
        ui.EXCUSE: {"type": "radio_buttons", "selected_option": {"value": "no"}},
    }
    before = counts(slack)
    stays_open(down("U0OFF1", view["callback_id"], values, view["private_metadata"]))
    assert counts(slack) == before
    saved = slack.submit("U0OFF1", view["callback_id"], values, view["private_metadata"])
    assert saved.status == 200 and saved.body == ""
    assert counts(slack)["Assessment"] == before["Assessment"] + 1


def test_a_contact_form_stays_open_when_it_cannot_be_saved(slack: SlackHarness, down: Any) -> None:
    (view,) = slack.click("U0OFF1", "lom_log_contact", "LOM-0001", "C0LOMTEAM", "2.0001").modals
    values = {
        "subject": "LOM-0001",
        "kind": {"type": "static_select", "selected_option": {"value": "call"}},
        "outcome": {"type": "static_select", "selected_option": {"value": "attended_complied"}},
        "date": "today",
        "notes": "kept open",
    }
    before = counts(slack)
    stays_open(down("U0OFF1", view["callback_id"], values, view["private_metadata"]))
    assert counts(slack) == before
    saved = slack.submit("U0OFF1", view["callback_id"], values, view["private_metadata"])
    assert saved.status == 200 and saved.body == ""
    assert counts(slack)["Contact"] == before["Contact"] + 1


def _registered_views() -> list[str]:
    """Every form callback id the app answers (forms declare themselves as their modules load)."""
    import importlib
    import pkgutil

    import lom_bot.handlers
    from lom_bot.handlers.forms import CALLBACK_PREFIX, FORMS

    for module in pkgutil.walk_packages(lom_bot.handlers.__path__, "lom_bot.handlers."):
        importlib.import_module(module.name)

    fixed = [ui.REPORT_VIEW, ui.ASSESS_VIEW, ui.MORE_INFO_VIEW, ui.PICK_VIEW]
    return fixed + [CALLBACK_PREFIX + name for name in sorted(FORMS)]


@pytest.mark.parametrize("callback_id", _registered_views())
def test_every_registered_form_stays_open_when_the_database_is_down(
    slack_inline: SlackHarness, tmp_path: Path, callback_id: str
) -> None:
    working = slack_inline.rt.sessions
    slack_inline.rt.sessions = sessionmaker(sa.create_engine(f"sqlite:///{tmp_path}/gone/x.db"))
    try:
        result = slack_inline.submit("U0OFF1", callback_id, {"subject": "LOM-0001"}, "{}")
    finally:
        slack_inline.rt.sessions = working
    stays_open(result)
