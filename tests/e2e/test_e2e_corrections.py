"""In Slack: correcting a record by command, by its form (invalid input as field errors) and by
the Correct button; adding a subject by its form (PNC check letter, duplicates offered); quick
edits of custody, risk and release dates; the words officers use for outcomes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from lom_bot.bootstrap import Runtime
from lom_bot.domain.enums import ContactOutcome, CustodyStatus
from lom_bot.store.tables import Contact, Correction, Subject
from tests.e2e.harness import SlackHarness, check_blocks, check_view, harness


@pytest.fixture
def slack(demo: Runtime) -> Iterator[SlackHarness]:
    yield from harness(demo)


def _count(slack: SlackHarness, table: type) -> int:
    with slack.rt.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(table)) or 0)


def _logged(slack: SlackHarness, text: str) -> tuple[str, Contact]:
    result = slack.command("U0OFF1", f"contact LOM-0003 {text}")
    check_blocks(result.blocks)
    ref = next(b["elements"][0]["value"] for b in result.blocks if b["type"] == "actions")
    with slack.rt.uow() as uow:
        contact = uow.session.get(Contact, int(ref.split("-")[1]))
    assert contact is not None
    return ref, contact


@pytest.mark.parametrize(
    ("words", "outcome"),
    [
        ("failed to attend", ContactOutcome.UNACCEPTABLE_ABSENCE),
        ("FTA", ContactOutcome.UNACCEPTABLE_ABSENCE),
        ("DNA", ContactOutcome.UNACCEPTABLE_ABSENCE),
        ("no show", ContactOutcome.UNACCEPTABLE_ABSENCE),
        ("not at home", ContactOutcome.NO_CONTACT),
        ("refused entry", ContactOutcome.FAILED_TO_COMPLY),
    ],
)
def test_the_outcome_words_officers_use_are_understood(
    slack: SlackHarness, words: str, outcome: ContactOutcome
) -> None:
    _, contact = _logged(slack, f"home visit {words} yesterday")
    assert contact.outcome is outcome


def test_a_correction_by_command_is_kept_and_confirmed(slack: SlackHarness) -> None:
    ref, _ = _logged(slack, "probation appointment failed to attend yesterday")
    result = slack.command(
        "U0OFF1", f"correct {ref} outcome acceptable absence because hospital letter seen"
    )
    assert "absence reason first" in result.text  # the rule holds after a correction too
    slack.command(
        "U0OFF1", f"correct {ref} absence reason hospital appointment because not recorded"
    )
    done = slack.command(
        "U0OFF1", f"contact correct {ref} outcome acceptable absence because hospital letter"
    )
    assert "corrected from unacceptable absence to acceptable absence" in done.text
    with slack.rt.uow() as uow:
        kept = uow.session.scalars(select(Correction).where(Correction.record_ref == ref)).all()
    assert [(k.field, k.before, k.after) for k in kept] == [
        ("absence_reason", None, "hospital appointment"),
        ("outcome", "unacceptable absence", "acceptable absence"),
    ]


def _submit(slack: SlackHarness, view: dict[str, Any], values: dict[str, Any]) -> Any:
    return slack.submit("U0OFF1", view["callback_id"], values, view["private_metadata"])


def test_the_correction_form_shows_each_bad_input_on_its_field(slack: SlackHarness) -> None:
    ref, _ = _logged(slack, "call complied today")
    opened = slack.command("U0OFF1", f"correct {ref} outcome no show")  # no reason: the form
    (view,) = opened.modals
    check_view(view)
    good = {"record": ref, "field": "outcome", "value": "no show", "reason": "misheard"}
    before = _count(slack, Correction)
    cases = [
        ({"reason": ""}, "reason", "cannot be empty"),
        ({"value": "purple"}, "value", "is not a contact outcome"),
        ({"field": "colour"}, "field", "no 'colour'"),
        ({"record": "CON-99999"}, "record", "There is no contact"),
        ({"record": "ABC"}, "record", "not a record reference"),
        ({"value": "complied"}, "value", "already"),
    ]
    for change, field, says in cases:
        answer = _submit(slack, view, {**good, **change}).json()
        assert answer["response_action"] == "errors" and says in answer["errors"][field], change
    assert _count(slack, Correction) == before  # nothing written by a refused form
    ok = _submit(slack, view, good)
    assert ok.body == "" and "corrected from attended complied" in ok.text
    assert _count(slack, Correction) == before + 1


def test_the_correct_button_opens_the_form_for_that_record(slack: SlackHarness) -> None:
    ref, _ = _logged(slack, "call complied today")
    click = slack.click("U0OFF1", "lom_correct", ref, "C0LOMTEAM", "1764000900.000001")
    (view,) = click.modals
    check_view(view)
    assert view["blocks"][0]["element"]["initial_value"] == ref
    ok = _submit(
        slack, view, {"record": ref, "field": "date", "value": "yesterday", "reason": "typo"}
    )
    assert "date corrected from" in ok.text


def _new_subject_view(slack: SlackHarness) -> dict[str, Any]:
    opened = slack.command("U0OFF1", "subject new")
    (view,) = opened.modals
    check_view(view)
    return view


def _select(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


NEW = {
    "given_names": "Darren",
    "family_name": "Fictionalson",
    "born": "01/02/1985",
    "pnc": "19/0012345G",
    "district": "Leeds",
    "risk": _select("high"),
    "custody": _select("in_custody"),
    "address": "12 Any Street, Leeds",
}


def test_the_new_subject_form_checks_each_field_and_offers_the_existing_record(
    slack: SlackHarness,
) -> None:
    view = _new_subject_view(slack)
    with slack.rt.uow() as uow:
        held = uow.session.scalars(select(Subject).where(Subject.ref == "LOM-0003")).one()
    before = _count(slack, Subject)
    cases = [
        ({"pnc": "19/0012345X"}, "pnc", "check letter"),
        ({"pnc": "nonsense"}, "pnc", "not a PNC ID"),
        ({"district": "Narnia"}, "district", "not a district"),
        ({"born": "31/02/1985"}, "born", "not a real date"),
        ({"born": "+3d"}, "born", "in the past"),
        ({"given_names": " "}, "family_name", "given name and a family name"),
        (
            {
                "given_names": held.given_names,
                "family_name": held.family_name,
                "born": held.born_on.isoformat() if held.born_on else "",
                "pnc": "",
            },
            "family_name",
            "LOM-0003",
        ),
    ]
    for change, field, says in cases:
        answer = _submit(slack, view, {**NEW, **change}).json()
        assert answer["response_action"] == "errors", change
        assert says in answer["errors"][field], (change, answer)
    assert _count(slack, Subject) == before
    ok = _submit(slack, view, NEW)
    assert "Darren Fictionalson added" in ok.text
    assert _count(slack, Subject) == before + 1
    again = _submit(slack, _new_subject_view(slack), NEW).json()
    assert "already held (same PNC ID)" in again["errors"]["pnc"]


def test_quick_edits_change_custody_risk_and_release_with_history(slack: SlackHarness) -> None:
    assert "changed from" in slack.command("U0OFF1", "subject LOM-0003 custody recalled").text
    assert "changed from" in slack.command("U0OFF1", "subject LOM-0003 risk very high").text
    assert "is not a risk" in slack.command("U0OFF1", "subject LOM-0003 risk enormous").text
    assert "CRD recorded" in slack.command("U0OFF1", "subject LOM-0003 release crd +90d").text
    with slack.rt.uow() as uow:
        subject = uow.session.scalars(select(Subject).where(Subject.ref == "LOM-0003")).one()
    assert subject.custody_status is CustodyStatus.RECALLED
    history = slack.command("U0OFF1", "subject LOM-0003 history")
    check_blocks(history.blocks)
    shown = str(history.blocks)
    assert "custody changed" in shown and "risk changed" in shown and "release CRD" in shown
    refused = slack.command("U0LEEDS", "subject LOM-0003 custody in community", "C0LEEDS")
    assert "may not edit subject" in refused.text


def _edit_view(slack: SlackHarness, part: str, user: str = "U0OFF1") -> Any:
    return slack.click(user, "lom_edit_subject", f"{part}:LOM-0003", "C0LOMTEAM", "1764001000.1")


def test_the_card_has_an_edit_button_for_each_part(slack: SlackHarness) -> None:
    card = slack.command("U0OFF1", "subject LOM-0003")
    check_blocks(card.blocks)
    values = [e["value"] for b in card.blocks if b["type"] == "actions" for e in b["elements"]]
    for part in ("identity", "status", "address", "description", "release"):
        assert f"{part}:LOM-0003" in values


def test_an_edit_form_is_prefilled_checked_on_its_fields_and_kept_in_history(
    slack: SlackHarness,
) -> None:
    (view,) = _edit_view(slack, "status").modals
    check_view(view)
    initial = {
        b["block_id"]: b["element"].get("initial_option", {}).get("value")
        for b in view["blocks"]
        if b["type"] == "input"
    }
    assert initial["custody"] and initial["risk"]
    state = {
        "subject": "LOM-0003",
        "custody": _select("recalled"),
        "risk": _select(initial["risk"]),
        "correction": _select("yes"),
        "reason": "",
    }
    before = _count(slack, Correction)
    refused = _submit(slack, view, state).json()
    assert "cannot be empty" in refused["errors"]["reason"]
    unchanged = _submit(
        slack, view, {**state, "custody": _select(initial["custody"]), "reason": "x"}
    )
    assert "nothing changed" in unchanged.json()["errors"]["custody"]
    assert _count(slack, Correction) == before
    ok = _submit(slack, view, {**state, "reason": "recall was recorded as a release"})
    assert "custody corrected from" in ok.text
    (identity,) = _edit_view(slack, "identity").modals
    names = {
        b["block_id"]: b["element"].get("initial_value", "")
        for b in identity["blocks"]
        if b["type"] == "input"
    }
    bad = _submit(slack, identity, {**names, "pnc": "19/0012345X", "correction": _select("no")})
    assert "check letter" in bad.json()["errors"]["pnc"]
    born = _submit(slack, identity, {**names, "born": "+1d", "correction": _select("no")})
    assert "in the past" in born.json()["errors"]["born"]
    assert _count(slack, Correction) == before + 1


def test_a_district_officers_edit_click_is_refused_and_audited(slack: SlackHarness) -> None:
    from lom_bot.store.tables import AuditEntry

    before = _count(slack, AuditEntry)
    click = slack.click("U0LEEDS", "lom_edit_subject", "status:LOM-0003", "C0LEEDS", "1.2")
    assert click.modals == [] and "may not" in click.text
    assert _count(slack, AuditEntry) == before + 1


def test_vehicles_and_non_associates_are_added_removed_and_kept_in_history(
    slack: SlackHarness,
) -> None:
    added = slack.command("U0OFF1", "subject LOM-0003 vehicle add YX19 ABC white Transit")
    assert "vehicle YX19ABC added" in added.text
    bad = slack.command("U0OFF1", "subject LOM-0003 vehicle add !!!")
    assert "not a registration mark" in bad.text
    slack.command("U0OFF1", "subject LOM-0003 associate add Kyle Pretend")
    card = str(slack.command("U0OFF1", "subject LOM-0003").blocks)
    assert "YX19ABC (white Transit)" in card and "Not to associate with:* Kyle Pretend" in card
    removed = slack.command("U0OFF1", "subject LOM-0003 vehicle remove YX19 ABC")
    assert "removed" in removed.text
    assert "YX19ABC" not in str(slack.command("U0OFF1", "subject LOM-0003").blocks)
    gone = slack.command("U0OFF1", "subject LOM-0003 vehicle remove YX19 ABC")
    assert "has no vehicle YX19ABC" in gone.text
    history = str(slack.command("U0OFF1", "subject LOM-0003 history").blocks)
    assert "vehicle changed" in history and "non-associate changed" in history


def test_the_new_subject_form_refuses_a_bad_vehicle_on_its_field(slack: SlackHarness) -> None:
    view = _new_subject_view(slack)
    before = _count(slack, Subject)
    answer = _submit(slack, view, {**NEW, "vehicles": "not a plate at all!"}).json()
    assert "not a registration mark" in answer["errors"]["vehicles"]
    assert _count(slack, Subject) == before


@pytest.mark.parametrize(
    ("part", "change", "field", "says"),
    [
        ("address", {"district": "Narnia"}, "district", "Use one of"),
        ("address", {}, "address", "nothing changed"),
        ("description", {"correction": _select("yes"), "reason": ""}, "reason", "cannot be empty"),
        ("release", {"date": "31/02/2027"}, "date", "not a real date"),
        ("release", {"kind": _select("crd"), "date": "03/03/2027"}, None, None),
    ],
)
def test_each_edit_form_refuses_bad_input_on_its_field(
    slack: SlackHarness, part: str, change: dict[str, Any], field: str | None, says: str | None
) -> None:
    (view,) = _edit_view(slack, part).modals
    check_view(view)
    prefilled = {
        b["block_id"]: b["element"].get("initial_value", "")
        for b in view["blocks"]
        if b["type"] == "input" and b["element"]["type"] == "plain_text_input"
    }
    base = {**prefilled, "kind": _select("crd"), "date": "03/03/2027", "description": "new"}
    before = _count(slack, Correction)
    answer = _submit(slack, view, {**base, **change})
    if field is None:
        assert answer.body == "" and "CRD recorded" in answer.text
        assert _count(slack, Correction) == before + 1
        return
    body = answer.json()
    assert body["response_action"] == "errors" and says in body["errors"][field], body
    assert _count(slack, Correction) == before
