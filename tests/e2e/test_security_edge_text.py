"""Text from Slack loses NUL and control characters at the edge (PostgreSQL refuses a NUL)."""

from __future__ import annotations

from sqlalchemy import select

from lom_bot.console import signing
from lom_bot.store.tables import BreachReport, Contact
from tests import test_breach_support as support
from tests.conftest import both_databases
from tests.e2e.harness import SlackHarness

db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template

LEEDS = "C0LEEDS"


@both_databases
def test_a_district_report_with_a_nul_is_stored_once_without_it(slack: SlackHarness) -> None:
    text = "Saw LOM-0003\x00 at the car wash\x1b on\tKirkstall Road\n2am"
    message = slack.standin.post_user_message(LEEDS, "U0LEEDS", text)
    event = signing.message_event(LEEDS, "U0LEEDS", text, message.ts)
    first = slack.event(event, event_id="EvNUL1")
    assert first.status == 200
    assert slack.event(event, event_id="EvNUL1", retry_num=1).status == 200
    with slack.rt.uow() as uow:
        stored = uow.session.scalars(
            select(BreachReport.text).where(BreachReport.message_ts == message.ts)
        ).all()
    assert stored and set(stored) == {"Saw LOM-0003 at the car wash on\tKirkstall Road\n2am"}


@both_databases
def test_a_command_with_control_characters_stores_the_rest_verbatim(slack: SlackHarness) -> None:
    typed = "contact LOM-0001 call complied today notes: Zoë\x00 ok\x0b 🚐"
    result = slack.command("U0OFF1", typed)
    assert result.status == 200 and "LOM-0001" in result.text
    with slack.rt.uow() as uow:
        notes = uow.session.scalars(select(Contact.notes).order_by(Contact.id.desc())).first()
    assert notes is not None and "\x00" not in notes and "\x0b" not in notes
    assert "Zoë ok 🚐" in notes


def test_right_to_left_overrides_do_not_reach_a_card(slack: SlackHarness) -> None:
    from sqlalchemy import update

    from lom_bot.store.tables import Subject
    from tests.e2e.harness import check_blocks

    with slack.rt.uow() as uow:  # stored before text was cleaned, or typed in a form
        uow.session.execute(
            update(Subject)
            .where(Subject.ref == "LOM-0001")
            .values(family_name="Madeup\u202e3002 ,sgniliW", address="1 \u2067Imaginary\u2069 Row")
        )
        uow.commit()
    result = slack.command("U0OFF1", "subject LOM-0001")
    check_blocks(result.blocks)
    shown = str(result.blocks) + result.text
    assert "Madeup3002 ,sgniliW" in shown
    for char in ("\u202e", "\u2067", "\u2069"):
        assert char not in shown


def test_an_event_claiming_to_be_a_dm_in_a_public_channel_gets_no_reply_there(
    slack: SlackHarness,
) -> None:
    from lom_bot.store.tables import Draft

    def drafts() -> int:
        with slack.rt.uow() as uow:
            return len(uow.session.scalars(select(Draft.id)).all())

    before = drafts()
    for channel in ("C0PUBLIC", "C0LOMTEAM", "G0PRIVATE"):
        event = {
            **signing.message_event(channel, "U0OFF1", "LOM-0001 call complied today", "1.0001"),
            "channel_type": "im",  # the claim
        }
        result = slack.event(event, event_id=f"EvCLAIM{channel}")
        assert result.status == 200
        assert [c for c in result.calls if c.method.startswith("chat.")] == []
    assert drafts() == before
    dm = signing.message_event("DU0OFF1", "U0OFF1", "LOM-0001 call complied today", "1.0002")
    answered = slack.event(dm, event_id="EvREALDM")
    assert [c.params["channel"] for c in answered.calls if c.method == "chat.postMessage"] == [
        "DU0OFF1"
    ]
