"""One message, several subjects: a report each (linked as one sighting, each with its own
conditions), the picker choosing several, an edit matched again, and the card's words."""

from __future__ import annotations

import pytest
from slack_sdk.models.views import View
from sqlalchemy import func, select

from lom_bot.blocks import breach as ui
from lom_bot.blocks import breach_modals as modals
from lom_bot.domain.enums import AssessmentOutcome, BreachStatus
from lom_bot.domain.errors import InvalidInput, NotAuthorised, NotFound
from lom_bot.runtime import Runtime
from lom_bot.services.breach_assess import AssessBreach, assess_breach, prepare_decision
from lom_bot.services.breach_pick import confirm_subjects
from lom_bot.services.breach_sighting import reports_of_message, split_subjects
from lom_bot.services.breach_thread import attach_reply, record_deletion, record_edit
from lom_bot.services.breach_view import triage_view
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import AuditEntry, BreachEdit, BreachReport, Subject
from tests import test_breach_support as support
from tests.conftest import both_databases
from tests.test_breach_support import LEEDS, TRIAGE, outbox, report_row, say, valid_blocks

db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template
TS = "1764064800.000100"
TWO = "Kelly Inventive seen with Ryan Dummy outside the Corn Exchange at 14:00 with cash"


def refs_of_message(rt: Runtime, ts: str = TS) -> list[tuple[str, str | None, str]]:
    """(report, subject, status) for every report made from the message, first first."""
    with rt.uow() as uow:
        refs = {i: r for i, r in uow.session.execute(select(Subject.id, Subject.ref))}
        return [
            (r.ref, refs.get(r.subject_id or 0), r.status.value)
            for r in reports_of_message(uow, LEEDS, ts)
        ]


def count(rt: Runtime, table: type) -> int:
    with rt.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(table)) or 0)


def audits(rt: Runtime, what: str) -> list[AuditEntry]:
    with rt.uow() as uow:
        return list(uow.session.scalars(select(AuditEntry).where(AuditEntry.what == what)))


@both_databases
def test_a_message_naming_two_subjects_makes_a_linked_report_for_each(demo: Runtime) -> None:
    result = say(demo, TWO)
    assert result is not None and result.subject_ref == "LOM-0008"
    made = refs_of_message(demo)
    assert [(s, st) for _, s, st in made] == [("LOM-0008", "new"), ("LOM-0013", "new")]
    assert result.refs == tuple(ref for ref, _, _ in made)
    first, second = (report_row(demo, ref) for ref, _, _ in made)
    assert (first.message_ts, second.message_ts, second.sighting_id) == (TS, None, first.id)
    # each with its own subject's conditions (the demo gives them different orders)
    assert first.condition_id != second.condition_id
    # one thread reply naming both references; one triage post each, linked to the other
    (ack,) = outbox(demo, LEEDS)
    assert first.ref in ack.payload["text"] and second.ref in ack.payload["text"]
    posts = outbox(demo, TRIAGE)
    assert len(posts) == 2
    for post, other in zip(posts, (second, first), strict=True):
        shown = str(valid_blocks(post.payload["blocks"]))
        assert f"Same message as {other.ref}" in shown
    assert len(audits(demo, "breach.reported")) == 2


def test_a_thread_reply_and_a_deletion_reach_every_report_of_the_message(demo: Runtime) -> None:
    say(demo, TWO)
    for _ in range(2):  # redelivered: attached once
        attach_reply(
            demo.uow(), LEEDS, TS, "1764065100.1", "U0LEEDS", "Both on foot, heading north"
        )
    record_deletion(demo.uow(), LEEDS, TS, delete_ts="1764065200.1")
    with demo.uow() as uow:
        reports = reports_of_message(uow, LEEDS, TS)
        assert len(reports) == 2 and all(r.deleted for r in reports)
        kinds = [
            (e.breach_id, e.kind)
            for e in uow.session.scalars(select(BreachEdit).order_by(BreachEdit.id))
            if e.breach_id in {r.id for r in reports}
        ]
    assert sorted(kinds) == sorted([(r.id, kind) for r in reports for kind in ("reply", "deleted")])
    updates = [m for m in outbox(demo, TRIAGE) if m.method == "update"]
    assert "Both on foot" in str(updates[1].payload["blocks"])


def test_the_same_message_delivered_again_makes_no_more_reports(demo: Runtime) -> None:
    say(demo, TWO)
    before = count(demo, BreachReport)
    again = say(demo, TWO)
    assert again is not None and not again.created and len(again.refs) == 2
    assert count(demo, BreachReport) == before


def test_a_possible_card_says_in_words_why_a_person_must_choose(demo: Runtime) -> None:
    result = say(demo, "Is Inventive back out? think I saw him in a van", ts="1.1")
    assert result is not None and result.status is BreachStatus.POSSIBLE
    (post,) = outbox(demo, TRIAGE)
    shown = str(valid_blocks(post.payload["blocks"]))
    assert "surname shared by 2 subjects" in shown and "score" not in shown
    assert "LOM-0008" in shown and "LOM-0025" in shown


def test_the_picker_offers_every_candidate_to_choose_several(demo: Runtime, officer: Actor) -> None:
    result = say(demo, "Is Inventive back out? think I saw him in a van", ts="1.1")
    assert result is not None
    state = prepare_decision(demo.uow(), officer, result.breach_id, None)
    assert [ref for ref, _ in state.candidates] == ["LOM-0008", "LOM-0025"]
    view = modals.pick_subject_modal(state.breach_id, state.ref, state.candidates)
    View(**view).validate_json()
    [select_] = [b for b in view["blocks"] if b.get("block_id") == ui.SUBJECTS]
    assert select_["element"]["type"] == "multi_static_select"


@both_databases
def test_picking_several_subjects_makes_a_linked_report_for_each_further_one(
    demo: Runtime, officer: Actor
) -> None:
    result = say(demo, "Is Inventive back out? think I saw him in a van", ts="1.1")
    assert result is not None
    text = confirm_subjects(demo.uow(), officer, result.breach_id, ["LOM-0008", "LOM-0025"])
    made = refs_of_message(demo, "1.1")
    assert [(s, st) for _, s, st in made] == [("LOM-0008", "new"), ("LOM-0025", "new")]
    assert made[1][0] in text and "LOM-0025" in text
    assert len(audits(demo, "breach.subject_confirmed")) == 2
    assert report_row(demo, made[1][0]).sighting_id == result.breach_id


def test_typed_subjects_are_split_on_commas_and_and() -> None:
    assert split_subjects("LOM-0008, LOM-0013 and Kelly Fable;LOM-0001") == [
        "LOM-0008",
        "LOM-0013",
        "Kelly Fable",
        "LOM-0001",
    ]


@pytest.mark.parametrize(
    ("queries", "error"),
    [([], InvalidInput), (["LOM-0008", "LOM-9999"], NotFound), (["  "], InvalidInput)],
)
def test_a_pick_that_cannot_be_made_changes_nothing(
    demo: Runtime, officer: Actor, queries: list[str], error: type[Exception]
) -> None:
    result = say(demo, "Is Inventive back out? think I saw him in a van", ts="1.1")
    assert result is not None
    before = (count(demo, BreachReport), len(outbox(demo)))
    with pytest.raises(error):
        confirm_subjects(demo.uow(), officer, result.breach_id, queries)
    assert (count(demo, BreachReport), len(outbox(demo))) == before
    assert report_row(demo, result.ref).status is BreachStatus.POSSIBLE


def test_a_district_officer_may_not_pick_several(demo: Runtime, leeds_officer: Actor) -> None:
    result = say(demo, "Is Inventive back out? think I saw him in a van", ts="1.1")
    assert result is not None
    before = count(demo, BreachReport)
    with pytest.raises(NotAuthorised):
        confirm_subjects(demo.uow(), leeds_officer, result.breach_id, ["LOM-0008", "LOM-0025"])
    assert count(demo, BreachReport) == before


def edit(rt: Runtime, text: str, at: str = "1764068400.000100") -> str | None:
    return record_edit(rt.uow(), LEEDS, TS, text, "U0LEEDS", edit_ts=at)


def test_an_edit_naming_another_subject_moves_the_report_audited_and_said(demo: Runtime) -> None:
    result = say(demo, "Seen Shaun Madeup at the car wash on Kirkstall Road")
    assert result is not None and result.subject_ref == "LOM-0003"
    edit(demo, "Sorry, meant Shaun Notreal, seen at the car wash on Kirkstall Road")
    assert refs_of_message(demo) == [(result.ref, "LOM-0023", "new")]
    (moved,) = audits(demo, "breach.rematched")
    assert (moved.detail or {})["from"] == "LOM-0003" and moved.subject_ref == "LOM-0023"
    update = [m for m in outbox(demo, TRIAGE) if m.method == "update"][-1]
    shown = str(valid_blocks(update.payload["blocks"]))
    assert "was LOM-0003, now LOM-0023" in shown and "Shaun Notreal" in shown


def test_an_edit_that_leaves_the_subject_unsure_asks_a_person(demo: Runtime) -> None:
    result = say(demo, "Ryan Dummy seen on Roundhay Road in a van")
    assert result is not None
    edit(demo, "Ryan seen on Roundhay Road in a van, not sure which one")
    [(_, subject, status)] = refs_of_message(demo)
    assert (subject, status) == (None, "possible")
    assert {"LOM-0013", "LOM-0033"} <= set(report_row(demo, result.ref).candidates or [])


@both_databases
def test_an_edit_adding_a_subject_gives_them_a_linked_report(demo: Runtime) -> None:
    say(demo, "Kelly Inventive seen on Roundhay Road in a van")
    edit(demo, "Kelly Inventive seen on Roundhay Road in a van with Ryan Dummy")
    made = refs_of_message(demo)
    assert [s for _, s, _ in made] == ["LOM-0008", "LOM-0013"]
    assert all(report_row(demo, ref).text.endswith("with Ryan Dummy") for ref, _, _ in made)
    edit(demo, "Kelly Inventive seen on Roundhay Road in a van with Ryan Dummy.", "1764068500.1")
    assert len(refs_of_message(demo)) == 2  # a second edit naming the same two adds nothing


def test_an_edit_naming_nobody_asks_a_person_and_keeps_the_subject_as_candidate(
    demo: Runtime,
) -> None:
    result = say(demo, "Seen Ryan Dummy at the car wash")
    assert result is not None
    edit(demo, "sorry, wrong channel")
    report = report_row(demo, result.ref)
    assert (report.status, report.candidates) == (BreachStatus.POSSIBLE, ["LOM-0013"])


def test_an_assessed_report_keeps_its_subject_after_an_edit(demo: Runtime, officer: Actor) -> None:
    result = say(demo, "Seen Shaun Madeup at the car wash on Kirkstall Road")
    assert result is not None
    assess_breach(
        demo.uow(),
        officer,
        AssessBreach(result.breach_id, AssessmentOutcome.ADVICE, "Spoken to."),
    )
    edit(demo, "Sorry, meant Shaun Notreal, seen at the car wash on Kirkstall Road")
    made = refs_of_message(demo)
    assert made[0] == (result.ref, "LOM-0003", "assessed")
    assert [s for _, s, _ in made[1:]] == ["LOM-0023"]  # the newly named one gets a report


def test_mentions_in_a_report_are_shown_as_names_in_triage(demo: Runtime) -> None:
    text = "<@U0BRAD> Ryan Dummy seen on your patch, <@U0NOBODY|dave> saw him too, see <#C0LEEDS>"
    result = say(demo, text)
    assert result is not None
    with demo.uow() as uow:
        report = uow.session.get(BreachReport, result.breach_id)
        assert report is not None
        view = triage_view(uow, report)
    assert (
        view.text == "@PC Bo Bradford Ryan Dummy seen on your patch, @dave saw him too, see #leeds"
    )
    assert report_row(demo, result.ref).text == text  # the record keeps what was written
    (post,) = outbox(demo, TRIAGE)
    assert "U0BRAD" not in str(post.payload["blocks"])


def vehicle_touched(rt: Runtime, text: str, ts: str) -> bool:
    result = say(rt, text, ts=ts)
    assert result is not None and result.subject_ref == "LOM-0008"  # has a vehicle condition
    with rt.uow() as uow:
        report = uow.session.get(BreachReport, result.breach_id)
        assert report is not None
        view = triage_view(uow, report)
    return any(c.touched and c.category == "items vehicles" for c in view.conditions)


def test_a_car_park_is_no_vehicle_but_a_car_is(demo: Runtime) -> None:
    assert not vehicle_touched(demo, "Kelly Inventive seen in the car park at Elland Road", "1.1")
    assert not vehicle_touched(demo, "Kelly Inventive seen at the car wash on York Road", "1.2")
    assert vehicle_touched(demo, "Kelly Inventive seen getting into a car on York Road", "1.3")


def test_warming_up_builds_the_directory_the_first_message_then_uses(demo: Runtime) -> None:
    from lom_bot.services.matching_directory import _CACHE, cached_directory, warm_up

    _CACHE.clear()
    with demo.uow() as uow:
        warm_up(uow.session)
        assert _CACHE and cached_directory(uow.session) is next(iter(_CACHE.values()))[1]


def test_the_report_form_takes_several_subjects_and_makes_a_report_each(
    demo: Runtime, leeds_officer: Actor
) -> None:
    result = say(
        demo,
        "seen together outside the Corn Exchange",
        source="modal",
        actor=leeds_officer,
        subject="LOM-0008, Ryan Dummy and lom 8",
    )
    assert result is not None and len(result.refs) == 2  # LOM-0008 named twice: one report
    with demo.uow() as uow:
        subjects = [
            r.subject_id
            for r in uow.session.scalars(
                select(BreachReport).where(BreachReport.ref.in_(result.refs))
            )
        ]
        refs = {i: r for i, r in uow.session.execute(select(Subject.id, Subject.ref))}
    assert sorted(refs[s] for s in subjects if s) == ["LOM-0008", "LOM-0013"]


def test_the_report_form_refuses_when_one_of_its_subjects_matches_no_one(
    demo: Runtime, leeds_officer: Actor
) -> None:
    before = count(demo, BreachReport)
    with pytest.raises(InvalidInput) as err:
        say(demo, "seen", source="modal", actor=leeds_officer, subject="LOM-0008, Zebedee")
    assert err.value.field == "subject" and "Zebedee" in err.value.message
    assert count(demo, BreachReport) == before
