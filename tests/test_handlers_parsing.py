"""Reading command text and plain messages into fields: what is understood, what is asked."""

from __future__ import annotations

from datetime import date

import pytest

from lom_bot.domain import vocab
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.args import ContactArgs, TaskArgs, parse_args
from lom_bot.handlers.drafts import understand
from lom_bot.handlers.parsing import parse_intel, parse_line

TODAY = date(2026, 11, 25)
CONTACT_STEPS = [("kind", vocab.CONTACT_KINDS), ("outcome", vocab.CONTACT_OUTCOMES)]


def contact(text: str) -> dict[str, str]:
    return parse_line(text, TODAY, CONTACT_STEPS, date_name="date", rest_name="notes")


def test_a_full_contact_line_is_split_into_its_fields() -> None:
    assert contact("LOM-0042 home visit complied 24/11/2026 seen at home") == {
        "subject": "LOM-0042",
        "kind": "home visit",
        "outcome": "complied",
        "date": "24/11/2026",
        "notes": "seen at home",
    }


def test_a_name_runs_up_to_the_first_kind_of_contact() -> None:
    assert contact("Darren Fictional call no answer")["subject"] == "Darren Fictional"


def test_missing_fields_stay_absent_so_the_modal_can_ask_for_them() -> None:
    assert contact("LOM-0042 call") == {"subject": "LOM-0042", "kind": "call"}


def test_an_impossible_date_is_reported_not_taken_as_notes() -> None:
    values = contact("LOM-0042 call complied 31/02/2026 rang twice")
    assert values["date"] == "31/02/2026"
    with pytest.raises(InvalidInput) as err:
        parse_args(ContactArgs, values, TODAY)
    assert err.value.field == "date" and "not a real date" in err.value.message


def test_an_unknown_kind_is_named_in_the_error_with_the_choices() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_args(ContactArgs, contact("LOM-0042 skype complied"), TODAY)
    assert err.value.field == "kind"
    assert "'skype'" in err.value.message and "home visit" in err.value.message


def test_the_contact_date_defaults_to_today() -> None:
    args = parse_args(ContactArgs, contact("LOM-0042 call complied"), TODAY)
    assert args.date == TODAY


def test_a_task_needs_a_due_date_and_relative_dates_work() -> None:
    steps = [("kind", vocab.TASK_KINDS)]
    values = parse_line(
        "LOM-0004 curfew +7d after 9pm", TODAY, steps, date_name="due", rest_name="instructions"
    )
    args = parse_args(TaskArgs, values, TODAY)
    assert args.due == date(2026, 12, 2) and args.instructions == "after 9pm"
    with pytest.raises(InvalidInput) as err:
        parse_args(TaskArgs, {"subject": "LOM-0004", "kind": "curfew"}, TODAY)
    assert err.value.field == "due"


def test_intel_text_splits_subject_grading_text_and_conditions() -> None:
    assert parse_intel("John Smith 1 B C met Jones at the pub conditions: DS only") == {
        "subject": "John Smith",
        "grading": "1 B C",
        "text": "met Jones at the pub",
        "conditions": "DS only",
    }


def test_a_plain_message_is_understood_with_its_notes() -> None:
    found = understand("LOM-0042 home visit, seen at home, new white van on the drive", TODAY)
    assert found.form == "contact" and found.questions == []
    assert found.values == {
        "subject": "LOM-0042",
        "kind": "home_visit",
        "outcome": "attended_complied",
        "date": "25/11/2026",
        "notes": "new white van on the drive",
    }
    assert found.date_assumed


def test_a_plain_message_without_subject_or_outcome_gets_questions() -> None:
    found = understand("phoned him about the van", TODAY)
    assert [q.split("?")[0] for q in found.questions] == ["Which subject", "What was the outcome"]


def test_a_graded_message_is_read_as_intelligence() -> None:
    found = understand("LOM-0007 2/C/P seen with Jones in Harehills", TODAY)
    assert found.form == "intel"
    assert (
        found.values["grading"] == "2/C/P"
        and found.values["text"] == "seen with Jones in Harehills"
    )


def test_a_check_message_needs_the_word_check() -> None:
    found = understand("LOM-0007 anpr check no concerns yesterday", TODAY)
    assert (found.form, found.values["kind"], found.values["result"]) == (
        "check",
        "anpr",
        "no_concerns",
    )
    assert found.values["date"] == "24/11/2026"


@pytest.mark.parametrize(
    ("said", "day"),
    [
        ("monday", "23/11/2026"),  # TODAY is Wednesday 25/11/2026
        ("wednesday", "25/11/2026"),
        ("last wednesday", "18/11/2026"),
        ("thursday", "19/11/2026"),
        ("last night", "24/11/2026"),
        ("this morning", "25/11/2026"),
    ],
)
def test_spoken_days_are_read_and_shown_as_guesses(said: str, day: str) -> None:
    found = understand(f"LOM-0007 home visit no answer {said} lights off", TODAY)
    assert found.values["date"] == day and found.values["notes"] == "lights off"
    assert found.guesses == [f"date: '{said}' read as {day}"] and not found.date_assumed


@pytest.mark.parametrize("text", ["hello", "what is due for me this week?", "LOM-0007 thanks"])
def test_a_message_that_describes_no_contact_or_check_is_not_a_record(text: str) -> None:
    assert not understand(text, TODAY).describes


@pytest.mark.parametrize(
    ("words", "outcome"),
    [
        ("failed to attend", "unacceptable_absence"),
        ("FTA", "unacceptable_absence"),
        ("DNA", "unacceptable_absence"),
        ("no show", "unacceptable_absence"),
        ("not at home", "no_contact_made"),
        ("refused entry", "attended_failed_to_comply"),
    ],
)
def test_the_outcome_words_officers_use(words: str, outcome: str) -> None:
    found = understand(f"LOM-0007 home visit {words} yesterday", TODAY)
    assert found.values["outcome"] == outcome and found.describes
