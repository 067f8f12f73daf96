"""/lom subcommands end to end: signed slash commands, the answer, the database, the audit."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from lom_bot.domain.enums import ContactKind, ContactOutcome
from lom_bot.store.tables import AuditEntry, Contact, Intelligence, Subject, Task
from tests.e2e.harness import SlackHarness, check_blocks, check_view


def _count(slack: SlackHarness, model: type) -> int:
    with slack.rt.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def _audit(slack: SlackHarness, what: str, after: int = 0) -> list[AuditEntry]:
    """Entries of one kind, those after sequence number `after` (the demo's own come first)."""
    with slack.rt.uow() as uow:
        query = select(AuditEntry).where(AuditEntry.what == what, AuditEntry.seq > after)
        return list(uow.session.scalars(query))


def _last_seq(slack: SlackHarness) -> int:
    with slack.rt.uow() as uow:
        return int(uow.session.scalar(select(func.max(AuditEntry.seq))) or 0)


def test_the_subject_card_shows_identifiers_order_and_next_actions(slack: SlackHarness) -> None:
    before = _last_seq(slack)
    result = slack.command("U0OFF1", "subject LOM-0001")
    check_blocks(result.blocks)
    text = json.dumps(result.blocks)
    assert "LOM-0001" in text and "Order" in text and "Conditions" in text
    assert {"lom_log_contact", "lom_raise_task"} <= {
        e["action_id"] for b in result.blocks if b["type"] == "actions" for e in b["elements"]
    }
    assert result.replies[0]["response_type"] == "ephemeral"
    looked_up = _audit(slack, "subject.looked_up", after=before)
    assert [(a.actor, a.subject_ref) for a in looked_up] == [("U0OFF1", "LOM-0001")]


def test_a_card_in_a_non_sensitive_channel_is_private_and_says_why(slack: SlackHarness) -> None:
    result = slack.command("U0OFF1", "subject LOM-0001", channel="C0LEEDS")
    assert result.replies[0]["response_type"] == "ephemeral"
    assert "not marked sensitive" in json.dumps(result.blocks)


def test_a_district_officer_sees_a_limited_card_of_their_own_district(slack: SlackHarness) -> None:
    with slack.rt.uow() as uow:
        leeds = uow.session.scalars(select(Subject.ref).where(Subject.district == "Leeds")).first()
        other = uow.session.scalars(select(Subject.ref).where(Subject.district != "Leeds")).first()
    mine = slack.command("U0LEEDS", f"subject {leeds}", channel="C0LEEDS")
    check_blocks(mine.blocks)
    shown = json.dumps(mine.blocks)
    assert "Last contacts" not in shown and "lom_log_contact" not in shown and "PNC ID" not in shown
    refused = slack.command("U0LEEDS", f"subject {other}", channel="C0LEEDS")
    assert "No subject matches" in refused.text


def test_a_contact_is_logged_from_one_line_and_audited(slack: SlackHarness) -> None:
    before = _count(slack, Contact)
    result = slack.command(
        "U0OFF1", "contact LOM-0001 home visit seen at home yesterday van on drive"
    )
    assert "Contact logged for LOM-0001" in result.text
    assert _count(slack, Contact) == before + 1
    with slack.rt.uow() as uow:
        contact = uow.session.scalars(select(Contact).order_by(Contact.id.desc())).first()
        assert contact is not None
        assert (contact.kind, contact.outcome) == (ContactKind.HOME_VISIT, ContactOutcome.COMPLIED)
        assert contact.notes == "van on drive"
    assert _audit(slack, "contact.logged")[-1].subject_ref == "LOM-0001"


def test_an_incomplete_contact_opens_a_prefilled_modal(slack: SlackHarness) -> None:
    result = slack.command("U0OFF1", "contact LOM-0001 call")
    (view,) = result.modals
    check_view(view)
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["subject"]["initial_value"] == "LOM-0001"
    assert inputs["kind"]["initial_option"]["value"] == "call"
    assert "initial_option" not in inputs["outcome"]


def test_a_modal_submission_is_validated_on_the_field_and_then_saved(slack: SlackHarness) -> None:
    before = _count(slack, Contact)
    meta = json.dumps({"channel": "C0LOMTEAM"})
    values = {
        "subject": "LOM-0001",
        "kind": {"type": "static_select", "selected_option": {"value": "call"}},
        "outcome": {"type": "static_select", "selected_option": {"value": "attended_complied"}},
        "date": "31/02/2026",
        "notes": "",
    }
    refused = slack.submit("U0OFF1", "lom_form:contact", values, meta)
    answer = refused.json()
    assert answer["response_action"] == "errors"
    assert "not a real date" in answer["errors"]["date"]
    assert _count(slack, Contact) == before
    accepted = slack.submit("U0OFF1", "lom_form:contact", {**values, "date": "today"}, meta)
    assert accepted.status == 200 and not accepted.body
    assert _count(slack, Contact) == before + 1
    assert "Contact logged" in accepted.to("chat.postEphemeral")[0]["text"]


def test_an_ambiguous_name_offers_a_choice_not_a_guess(slack: SlackHarness) -> None:
    with slack.rt.uow() as uow:
        uow.session.add_all(
            Subject(
                ref=f"LOM-090{n}",
                given_names=g,
                family_name="Twinning",
                district="Leeds",
                risk_level="high",
                custody_status="in_community",
            )
            for n, g in ((1, "Aaron"), (2, "Bella"))
        )
        uow.session.commit()
    before = _count(slack, Contact)
    result = slack.command("U0OFF1", "contact Twinning call complied today")
    check_blocks(result.blocks)
    buttons = [e for b in result.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [b["value"] for b in buttons] == [
        "contact LOM-0901 call complied today",
        "contact LOM-0902 call complied today",
    ]
    assert _count(slack, Contact) == before
    chosen = slack.click("U0OFF1", buttons[1]["action_id"], buttons[1]["value"])
    assert "Contact logged for LOM-0902" in chosen.text


def test_intelligence_needs_a_grading_and_conditions_for_handling_code_c(
    slack: SlackHarness,
) -> None:
    before = _count(slack, Intelligence)
    bad = slack.command("U0OFF1", "intel LOM-0003 9/Z/Q seen in a van")
    assert bad.modals or "grading" in bad.text.lower()
    needs_conditions = slack.command("U0OFF1", "intel LOM-0003 1/B/C seen in a van")
    (view,) = needs_conditions.modals
    assert "conditions" in view["blocks"][0]["elements"][0]["text"]
    ok = slack.command(
        "U0OFF1", "intel LOM-0003 1/B/C seen in a van conditions: DS approval to share"
    )
    assert "graded 1BC" in ok.text
    assert _count(slack, Intelligence) == before + 1


def test_a_task_goes_to_the_district_by_reference_only(slack: SlackHarness) -> None:
    result = slack.command("U0OFF1", "task LOM-0004 curfew check +7d after 21:00")
    assert "Task T-" in result.text
    posts = [c.params for c in slack.flush() if c.method == "chat.postMessage"]
    assert len(posts) == 1
    assert "LOM-0004" in posts[0]["text"] and "21:00" not in posts[0]["text"]
    with slack.rt.uow() as uow:
        task = uow.session.scalars(select(Task).order_by(Task.id.desc())).first()
        assert task is not None and task.instructions == "after 21:00"


def test_a_district_officer_may_not_log_contacts(slack: SlackHarness) -> None:
    result = slack.command("U0LEEDS", "contact LOM-0001 call complied", channel="C0LEEDS")
    assert "may not use `/lom contact`" in result.text


def test_the_caseload_lists_my_subjects_within_block_limits(slack: SlackHarness) -> None:
    result = slack.command("U0OFF1", "subjects")
    check_blocks(result.blocks)
    assert "Your caseload" in result.text
    wrong = slack.command("U0OFF1", "subjects Narnia")
    assert "not a district" in wrong.text and "/lom subjects Leeds" in wrong.text
