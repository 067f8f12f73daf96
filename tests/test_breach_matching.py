"""Recognising subjects in district chat: references, PNC IDs, names, aliases, misspellings."""

from __future__ import annotations

import pytest

from lom_bot.config import Matching
from lom_bot.domain.enums import ConditionCategory
from lom_bot.services.breach_clues import ConditionInfo, conditions_touched, seen_when
from lom_bot.services.matching import Known, match_message

DIRECTORY = [
    Known(1, "LOM-0001", "19/0012345X", "Shaun", "Madeup", "Leeds", ("'Maddy'",)),
    Known(2, "LOM-0002", "20/0000042B", "Kelly", "Inventive", "Leeds", ("Big Kel",)),
    Known(3, "LOM-0003", None, "Kelly", "Fable", "Bradford"),
    Known(4, "LOM-0004", None, "Wayne", "Nobody", "Kirklees"),
    Known(5, "LOM-0005", None, "Dean", "Unreal", "Wakefield", ("'Maddy'",)),
]
RULES = Matching()


def verdict(text: str, rules: Matching = RULES) -> tuple[str, int | None, tuple[str, ...]] | None:
    found = match_message(text, DIRECTORY, rules, district="Leeds")
    return None if found is None else (found.status, found.subject_id, found.candidates)


@pytest.mark.parametrize(
    "text",
    [
        "LOM-0001 seen at the car wash on Kirkstall Road",
        "lom 1 spotted driving",
        "PNC 19/12345X stopped in a hire van",
        "Seen Shaun Madeup driving a white hire van on the ring road at 14:20",
        "shaun madeup spotted outside the nail bar",
        "Shaun Madup seen with two men outside the Crown",  # misspelt surname
        "Shuan Madeup seen in a silver Audi",  # transposed letters
        "Shaun Madeup's van parked at the unit again, he was driving",  # possessive
    ],
)
def test_a_subject_named_by_reference_pnc_or_name_is_matched(text: str) -> None:
    assert verdict(text) == ("matched", 1, ())


@pytest.mark.parametrize(
    "text",
    [
        "Anyone fancy a brew?",
        "Briefing moved to 10:00 in the parade room",
        "Nobody seen at the address today",  # sentence-initial common word, not a surname
        "Happy birthday Kelly!",  # a first name, no breach word
        "The example in the briefing was good",
        "Can someone cover the van run tomorrow",
    ],
)
def test_chat_that_concerns_no_subject_is_left_alone(text: str) -> None:
    assert verdict(text) is None


def test_a_first_name_alone_is_possible_with_every_subject_of_that_name_as_candidates() -> None:
    status, subject, candidates = verdict("Kelly seen in a silver Audi near the ring road") or ()
    assert (status, subject) == ("possible", None)
    assert set(candidates) == {"LOM-0002", "LOM-0003"}
    assert candidates[0] == "LOM-0002"  # the one living in the reporting district comes first


def test_two_subjects_in_one_message_are_possible_with_both_as_candidates() -> None:
    assert verdict("LOM-0001 seen with Kelly Inventive at the Crown pub") == (
        "possible",
        None,
        ("LOM-0001", "LOM-0002"),
    )


def test_an_alias_shared_by_two_subjects_is_ambiguous() -> None:
    assert verdict("Maddy seen with a new phone") == ("possible", None, ("LOM-0001", "LOM-0005"))


def test_a_misspelling_beyond_the_threshold_is_only_possible() -> None:
    status, subject, candidates = verdict("Shawn Maddupp seen with two men") or ()
    assert (status, subject, candidates) == ("possible", None, ("LOM-0001",))


def test_a_full_name_without_a_breach_word_is_possible_when_keywords_are_required() -> None:
    assert verdict("Shaun Madeup's mum rang the front desk") == ("possible", None, ("LOM-0001",))
    relaxed = RULES.model_copy(update={"require_keyword_for_name_only": False})
    assert verdict("Shaun Madeup's mum rang the front desk", relaxed) == ("matched", 1, ())


def test_the_thresholds_set_how_eager_matching_is() -> None:
    strict = RULES.model_copy(update={"name_threshold": 99, "possible_threshold": 97})
    assert verdict("Shaun Madup seen with two men", RULES) == ("matched", 1, ())
    # too far from the full name now: only the first name counts, and that is only possible
    assert verdict("Shaun Madup seen with two men", strict) == ("possible", None, ("LOM-0001",))


def test_an_unknown_reference_is_still_kept_as_a_possible_report() -> None:
    found = match_message("LOM-0999 seen at the airport", DIRECTORY, RULES)
    assert found is not None and found.status == "possible" and found.candidates == ()
    assert "LOM-0999" in found.reason


def test_the_conditions_a_report_may_touch_are_found_from_its_words() -> None:
    conditions = [
        ConditionInfo(10, 1, ConditionCategory.COMMUNICATIONS, "more than one phone"),
        ConditionInfo(11, 2, ConditionCategory.ITEMS_VEHICLES, "driving unfamiliar vehicles"),
        ConditionInfo(12, 3, ConditionCategory.TRAVEL, "foreign travel"),
        ConditionInfo(13, 4, ConditionCategory.PREMISES, "hanging round car washes"),
    ]
    text = "Seen driving a hire van, on two phones, outside the car wash"
    assert conditions_touched(text, conditions) == [10, 11, 13]
    assert conditions_touched("Nothing much to say", conditions) == []


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("seen today at 14:20 on the ring road", "today at 14:20"),
        ("spotted about 9pm outside the pub", "9pm"),
        ("seen this morning driving", "this morning"),
        ("seen driving", None),
    ],
)
def test_the_time_seen_is_kept_when_given(text: str, when: str | None) -> None:
    assert seen_when(text) == when
