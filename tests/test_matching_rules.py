"""The matching rules come from app.yaml `matching`: the ordinary-word threshold and the place
words decide whether a lone surname or alias makes a report; single words are also matched
misspelt; PNC IDs however written; and every candidate a word could mean is offered."""

from __future__ import annotations

import pytest

from lom_bot.config import Matching
from lom_bot.services.matching import Directory, Known, match_message, match_sighting

RULES = Matching()
DIRECTORY = Directory(
    [
        Known(8, "LOM-0008", "98/0100296J", "Kelly", "Inventive", "Leeds", ("'Story'",)),
        Known(25, "LOM-0025", None, "Dean", "Inventive", "Bradford"),
        Known(28, "LOM-0028", None, "Kelly", "Fable", "Leeds", ("'Story'",)),
        Known(13, "LOM-0013", "93/0100481D", "Ryan", "Dummy", "Leeds"),
        Known(14, "LOM-0014", None, "Zara", "Legend", "Wakefield"),
        Known(4, "LOM-0004", None, "Leanne", "Storybook", "Wakefield", ("'Imagy'",)),
        Known(24, "LOM-0024", None, "Leanne", "Placeholder", "Wakefield", ("'Imagy'",)),
        Known(1, "LOM-0001", None, "Kayleigh", "Invented", "Calderdale"),
        Known(10, "LOM-0010", None, "Mark", "Makebelieve", "Bradford"),
    ]
)


def verdict(text: str, rules: Matching = RULES) -> tuple[str, tuple[str, ...], str] | None:
    found = match_message(text, DIRECTORY, rules, district="Leeds")
    if found is None:
        return None
    ids = (str(found.subject_id),) if found.subject_id else found.candidates
    return found.status, ids, found.reason


def test_an_ordinary_word_alias_is_no_report_until_the_threshold_says_otherwise() -> None:
    text = "Same story with the pool car again, it's booked out all week"
    assert verdict(text) is None
    anything_goes = RULES.model_copy(update={"ordinary_word_zipf": 8.0})
    assert verdict(text, anything_goes) == (
        "possible",
        ("LOM-0008", "LOM-0028"),
        "alias shared by 2 subjects",
    )


def test_a_name_followed_by_a_place_word_is_a_place_unless_the_list_says_otherwise() -> None:
    text = "Road closed on Kelly Street until 6pm, van diverted"
    assert verdict(text) is None
    no_streets = RULES.model_copy(update={"place_words": ["road"]})
    found = verdict(text, no_streets)
    assert found is not None and found[1] == ("LOM-0008", "LOM-0028")
    assert verdict("Anyone know if the Legend car wash is open? need the van doing") is None
    # a possessive is a person's: "Dummy's car" is Ryan Dummy's
    assert verdict("Seen Dummy's car outside the Crown") == (
        "possible",
        ("LOM-0013",),
        "surname only",
    )


@pytest.mark.parametrize(
    ("text", "candidates", "reason"),
    [
        (
            "Spotted Invnetive on York Road with a known associate",
            ("LOM-0008", "LOM-0025"),
            "misspelt surname, 2 subjects",
        ),
        (
            "Is Inventive back out? think I saw him in a van",
            ("LOM-0008", "LOM-0025"),
            "surname shared by 2 subjects",
        ),
        (
            "Imagy was driving a hire van on York Road at 3pm",
            ("LOM-0004", "LOM-0024"),
            "alias shared by 2 subjects",
        ),
        (
            "Seen 'Story' getting into a taxi",
            ("LOM-0008", "LOM-0028"),
            "alias shared by 2 subjects",
        ),
    ],
)
def test_a_lone_surname_or_alias_offers_every_subject_it_could_mean(
    text: str, candidates: tuple[str, ...], reason: str
) -> None:
    found = verdict(text)
    assert found is not None and found[0] == "possible"
    assert set(found[1]) == set(candidates) and found[2] == reason
    assert found[1][0] == candidates[0]  # the one in the reporting district (Leeds) first


def test_an_ordinary_word_is_never_read_as_a_misspelt_name() -> None:
    # 'invented' is close to 'Inventive' but is the English word (and a surname itself)
    assert verdict("Who invented this rota? seen it on the board") is None


@pytest.mark.parametrize(
    "text",
    ["PNC 1998/0100296J stopped", "98/0100296 J seen", "98-0100296J seen", "pnc 98/100296j seen"],
)
def test_a_pnc_id_written_any_way_is_its_subject(text: str) -> None:
    assert verdict(text) == ("matched", ("8",), "PNC ID")


def test_a_pnc_id_not_on_file_is_kept_as_possible_only_when_its_check_letter_is_valid() -> None:
    assert verdict("Stopped a male giving PNC 04/0123456B in a hire van") == (
        "possible",
        (),
        "PNC ID 04/0123456B (not on file)",
    )
    assert verdict("Job 04/0123456C closed, van returned") is None  # not a PNC ID
    assert verdict("PNC 98/0100296K stopped in a van") == (
        "possible",
        ("LOM-0008",),
        "PNC ID with another check letter",
    )


def test_two_subjects_named_for_certain_get_a_verdict_each_and_the_rest_one_more() -> None:
    found = match_sighting(
        "Kelly Inventive seen with Ryan Dummy and Imagy outside the Corn Exchange", DIRECTORY, RULES
    )
    assert [(m.status, m.subject_id) for m in found] == [
        ("matched", 8),
        ("matched", 13),
        ("possible", None),
    ]
    assert set(found[2].candidates) == {"LOM-0004", "LOM-0024"}
    # the one-subject view keeps its old answer: possible between the two named for certain
    single = match_message("Kelly Inventive seen with Ryan Dummy", DIRECTORY, RULES)
    assert single is not None and single.reason == "names 2 subjects"


def test_slack_markup_is_nobodys_name() -> None:
    assert verdict("<@U0DUMMY|dummy> seen the van keys? <#C0LEGEND>") is None


def test_two_ambiguous_names_make_a_possible_report_each_but_one_persons_words_make_one() -> None:
    found = match_sighting("Imagy and Dummy seen together at the car wash", DIRECTORY, RULES)
    assert [set(m.candidates) for m in found] == [{"LOM-0004", "LOM-0024"}, {"LOM-0013"}]
    # 'Kelly' and 'Inventive' could both mean LOM-0008: one person, one report
    (one,) = match_sighting("Spotted Kelly on York Road, Inventive I think", DIRECTORY, RULES)
    assert set(one.candidates) == {"LOM-0008", "LOM-0025", "LOM-0028"}


def test_the_matching_cost_benchmark_runs_on_a_small_directory() -> None:
    from bench.matching_cost import measure

    per_message, build = measure(40, runs=1)
    assert per_message > 0 and build >= 0


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Mark the van as off road please, the clutch has gone", None),  # an English word
        ("Kelly seen in a van on York Road", ("LOM-0008", "LOM-0028")),  # next to a breach word
        ("Spotted Mark at the services in a van", ("LOM-0010",)),  # mid-sentence
        ("Mark Makebel seen in a van", ("LOM-0010",)),  # before another name
    ],
)
def test_a_first_name_at_the_start_of_a_sentence_needs_more_when_it_is_an_english_word(
    text: str, found: tuple[str, ...] | None
) -> None:
    got = verdict(text)
    assert (got[1] if got else None) == found
