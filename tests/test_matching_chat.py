"""Ordinary chat in a district channel is not a breach report, even when a word of it is a name.

Found at national scale: "Anyone fancy a brew? Briefing moved to 10:00 in the parade room" was
stored as a possible report naming 56 subjects, because 56 subjects have the one-word alias
'Fancy': a one-word alias matched any lowercase word as a strong hit, and two or more such hits
skipped the breach-word check, so every such message landed in the LOM team's triage channel.
"""

from __future__ import annotations

import pytest

from lom_bot.config import Matching
from lom_bot.services.matching import Directory, Known, match_message

RULES = Matching()
# 'Fancy', 'Gareth' and 'Fabby' each name more than three subjects; 'Story' names two
MANY = Directory(
    [
        Known(1, "LOM-0001", None, "Gareth", "Madeup", "Leeds", ("'Fancy'",)),
        Known(2, "LOM-0002", None, "Gareth", "Inventive", "Leeds", ("'Fancy'", "'Story'")),
        Known(3, "LOM-0003", None, "Gareth", "Fable", "Bradford", ("'Fancy'",)),
        Known(4, "LOM-0004", None, "Gareth", "Nobody", "Kirklees", ("'Fancy'", "'Fabby'")),
        Known(5, "LOM-0005", None, "Kelly", "Unreal", "Wakefield", ("'Fancy'", "'Story'")),
        Known(6, "LOM-0006", None, "Dean", "Fabby", "Leeds"),
        Known(7, "LOM-0007", None, "Wayne", "Fabby", "Leeds"),
        Known(8, "LOM-0008", None, "Shaun", "Fabby", "Calderdale", ("'Dummy'",)),
    ]
)
# 'Fancy' names one subject only; LOM-0011's surname is another subject's alias
ONE = Directory(
    [
        Known(10, "LOM-0010", None, "Shaun", "Madeup", "Leeds", ("'Fancy'",)),
        Known(11, "LOM-0011", None, "Dean", "Dummy", "Leeds"),
        Known(12, "LOM-0012", None, "Wayne", "Pretend", "Bradford", ("'Dummy'", "'Legend'")),
        Known(13, "LOM-0013", None, "Kelly", "Fable", "Bradford", ("'Dean'",)),
    ]
)

CHAT = [
    "Anyone fancy a brew? Briefing moved to 10:00 in the parade room",
    "Morning all, briefing is at 07:00 sharp tomorrow in the parade room",
    "Who fancies a bacon butty from the canteen?",
    "Kettle's on if anyone fancy a cuppa",
    "Can someone swap my Saturday late shift for an early next week?",
    "Lates are short again tonight, fancy some overtime?",
    "Did anyone watch the match last night? Proper story of two halves",
    "Their defence were dummy runs all afternoon, shocking",
    "Five-a-side on Thursday at 6, we need a keeper, anyone fancy it?",
    "Looks like heavy rain all day, bring your waterproofs",
    "Snow forecast for the weekend so the gritters are out, what a story",
    "I'm on annual leave from Monday, back on the 14th",
    "Reminder: leave requests for Christmas need to be in by Friday",
    "Sarge says the training day is moved to the 3rd, it's a dummy run",
    "Happy birthday Gareth! Cake in the kitchen",
    "Gareth's car is blocking the yard again",  # a colleague: 'Gareth' names four subjects
    "Printer on the second floor is jammed again, fancy that",
    "Fancy dress for the charity do is on the 20th, any ideas?",
    "Dummy run of the new radio system at 2pm, be there",
    "Legend, thanks for covering my shift yesterday",
    "Story goes the canteen is shutting at Christmas",
]


@pytest.mark.parametrize("directory", [MANY, ONE], ids=["many", "one"])
@pytest.mark.parametrize("text", CHAT)
def test_ordinary_chat_is_no_report(text: str, directory: Directory) -> None:
    assert match_message(text, directory, RULES, district="Leeds") is None


def verdict(text: str, directory: Directory) -> tuple[str, int | None, tuple[str, ...]] | None:
    found = match_message(text, directory, RULES, district="Leeds")
    return None if found is None else (found.status, found.subject_id, found.candidates)


@pytest.mark.parametrize(
    "text",
    [
        "Seen Fancy at the services again with a second phone",
        "seen fancy at the services again with a second phone",  # lowercase, by a breach word
        "Fancy seen at the services again with a second phone",
        "Spoke to the manager, Fancy was at the services again on a second phone",
        "Fancy's van at the services again",  # possessive, by a breach word
    ],
)
def test_a_one_word_alias_of_one_subject_written_as_a_name_is_that_subject(text: str) -> None:
    assert verdict(text, ONE) == ("matched", 10, ())


def test_a_one_word_alias_of_a_few_subjects_is_possible_with_them_as_candidates() -> None:
    found = verdict("Seen Story at the services again with a second phone", MANY)
    assert found == ("possible", None, ("LOM-0002", "LOM-0005"))


@pytest.mark.parametrize(
    "text",
    [
        "Seen Fancy at the services again with a second phone",  # five subjects' alias
        "Gareth seen at the services again with a second phone",  # four subjects' first name
        "Seen with Fabby at the services again",  # three surnames and an alias
    ],
)
def test_a_word_naming_more_than_three_subjects_is_no_evidence_of_any(text: str) -> None:
    assert verdict(text, MANY) is None


def test_a_word_naming_many_subjects_leaves_a_fuller_name_or_a_reference_alone() -> None:
    assert verdict("Seen Gareth Madeup at the services with Fancy", MANY) == ("matched", 1, ())
    assert verdict("Seen LOM-0006 Fabby driving a hire van on the ring road", MANY) == (
        "matched",
        6,
        (),
    )


@pytest.mark.parametrize(
    "text",
    [
        # 'Dummy' is LOM-0011's surname and LOM-0012's alias: the reference says which
        "Seen LOM-0011 Dummy driving a hire van on the ring road with two men",
        # 'Dean' is LOM-0011's first name and LOM-0013's alias
        "Seen LOM-0011 Dean driving a hire van on the ring road with two men",
    ],
)
def test_a_referenced_subjects_own_names_are_not_another_subjects_alias(text: str) -> None:
    assert verdict(text, ONE) == ("matched", 11, ())


def test_with_no_breach_words_configured_no_word_is_next_to_one() -> None:
    rules = RULES.model_copy(update={"keywords": []})
    found = match_message("seen fancy at the services with a phone", ONE, rules)
    assert found is None
    found = match_message("Seen Shaun Madeup at the services with a phone", ONE, rules)
    assert found is not None and (found.status, found.candidates) == ("possible", ("LOM-0010",))


def test_a_one_word_alias_in_lowercase_away_from_a_breach_word_is_not_a_name() -> None:
    assert verdict("anyone fancy going to the pub after the late shift", ONE) is None
    # capitalised mid-sentence it is a name, so it is kept (possible: no breach word)
    assert verdict("Has anyone heard from Fancy lately", ONE) == ("possible", None, ("LOM-0010",))
