"""A subject reference (or PNC ID) in a district message is never read as a person's name.

Found at national scale: "Seen LOM-0001 Dummington ..." read the "LOM" of the reference as a
first name, fuzzy-matched another subject, "Liam Dummington", and stored the report as possible
between the two instead of routing it to LOM-0001.
"""

from __future__ import annotations

import pytest

from lom_bot.config import Matching
from lom_bot.services.matching import Directory, Known, match_message

DIRECTORY = Directory(
    [
        Known(1, "LOM-0001", "19/0012345X", "Shaun", "Dummington", "Leeds"),
        Known(2, "LOM-0002", None, "Kelly", "Inventive", "Leeds"),
        Known(5485, "LOM-5485", None, "Liam", "Dummington", "Bradford"),
    ]
)
RULES = Matching()


def verdict(
    text: str, directory: Directory = DIRECTORY
) -> tuple[str, int | None, tuple[str, ...]] | None:
    found = match_message(text, directory, RULES, district="Leeds")
    return None if found is None else (found.status, found.subject_id, found.candidates)


@pytest.mark.parametrize(
    "text",
    [
        "Seen LOM-0001 driving a hire van on the ring road",
        "Seen LOM-0001 Dummington driving a hire van on the ring road",
        "seen lom-0001 dummington driving a hire van",
        "Seen lom 1 Dummington driving a hire van",
        "LOM-0001 Dummington seen with a second phone",
        "Seen LOM-0001 Shaun Dummington driving a hire van",  # the full name agrees
        "Seen LOM-0001 Shuan Dummington driving a hire van",  # and misspelt, still agrees
        # the words either side of a reference are not joined into a name ("Liam Dummington")
        "Seen Liam LOM-0001 Dummington driving a hire van",
        "PNC 19/12345X Dummington stopped in a hire van",
    ],
)
def test_an_existing_reference_is_the_match_whatever_else_agrees_with_it(text: str) -> None:
    assert verdict(text) == ("matched", 1, ())


@pytest.mark.parametrize(
    "text",
    [
        "LOM-0001 seen driving with Liam Dummington",
        "Seen lom-0001 with liam dummington in a hire van",
        "PNC 19/12345X stopped in a hire van with Liam Dummington",
        "LOM-0001 seen with Kelly Inventive at the Crown pub",
    ],
)
def test_a_reference_and_the_name_of_a_different_subject_are_ambiguous(text: str) -> None:
    found = verdict(text)
    assert found is not None
    status, subject, candidates = found
    assert (status, subject) == ("possible", None)
    assert "LOM-0001" in candidates and len(candidates) == 2


def test_a_reference_that_does_not_exist_lends_no_name_to_the_words_after_it() -> None:
    # "LOM Dummington" is not "Liam Dummington": only the surname is left, shared by two
    found = verdict("Seen LOM-0999 Dummington driving a hire van")
    assert found is not None
    status, subject, candidates = found
    assert (status, subject) == ("possible", None)
    assert set(candidates) == {"LOM-0001", "LOM-5485"}
    assert candidates[0] == "LOM-0001"  # the one living in the reporting district first


def test_a_reference_that_does_not_exist_does_not_contradict_a_full_name() -> None:
    assert verdict("Seen LOM-0999 Liam Dummington driving a hire van") == ("matched", 5485, ())


def test_a_reference_tells_namesakes_apart() -> None:
    namesakes = Directory(
        [
            Known(1, "LOM-0001", None, "Liam", "Dummington", "Leeds"),
            Known(2, "LOM-0002", None, "Liam", "Dummington", "Wakefield"),
            Known(3, "LOM-0003", None, "Liam", "Dumington", "Bradford"),
        ]
    )
    assert verdict("Seen Liam Dummington driving a hire van", namesakes) == (
        "possible",
        None,
        ("LOM-0001", "LOM-0002", "LOM-0003"),
    )
    # the words fit LOM-0002's own name at least as well as anyone else's: they support it
    assert verdict("Seen LOM-0002 Liam Dummington driving a hire van", namesakes) == (
        "matched",
        2,
        (),
    )
    # ... but exactly another's name, and the referenced subject's only as a near spelling
    assert verdict("Seen LOM-0002 Liam Dumington driving a hire van", namesakes) == (
        "possible",
        None,
        ("LOM-0002", "LOM-0003"),
    )
