"""The held-out corpus (tests/breach_corpus_heldout.py: written apart from the matcher, in other
words than the first corpus) through the same real capture path on the demo caseload: every
named subject is captured and no ordinary chat is recorded. Prints precision and recall."""

from __future__ import annotations

from collections import Counter

import pytest

from lom_bot.runtime import Runtime
from tests import test_breach_support as support
from tests.breach_corpus import CASES as FIRST
from tests.breach_corpus_heldout import CASES
from tests.breach_corpus_support import run_corpus

db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template


def test_the_heldout_corpus_covers_every_class_in_new_words() -> None:
    assert len(CASES) >= 60
    texts = {c.text for c in CASES}
    assert len(texts) == len(CASES)
    assert not texts & {c.text for c in FIRST}
    kinds = Counter(c.kind for c in CASES)
    for kind in ("two subjects", "three subjects", "shift log", "typo", "alias", "namesake"):
        assert kinds[kind] >= 2, kind
    for kind in ("PNC variant", "reference", "chat", "street or business", "edit", "thread reply"):
        assert kinds[kind] >= 2, kind


@pytest.mark.xfail(
    strict=True,
    reason="known misses (recall 102/112, precision 77/81): one-edit misspellings of short "
    "surnames, capitalised place words (Drive, Close) and possessive businesses, a thread reply "
    "naming another subject, 'Imran Example' also read as 'Imran Sample'",
)
def test_every_named_subject_is_captured_and_no_chat_is_recorded(demo: Runtime) -> None:
    wrong, recall, precision = run_corpus(
        demo, CASES, name="held-out breach corpus", start=1000, tag_kind=True
    )
    assert not wrong, f"{len(wrong)} messages not as expected:\n" + "\n".join(wrong)
    assert recall == 1.0 and precision == 1.0
