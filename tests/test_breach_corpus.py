"""The corpus of realistic district messages (tests/breach_corpus.py) through the real capture
path (the district-event handler, as Slack's events reach it) on the demo caseload: every named
subject is captured and no ordinary chat is recorded. Prints precision and recall."""

from __future__ import annotations

from lom_bot.runtime import Runtime
from tests import test_breach_support as support
from tests.breach_corpus import CASES
from tests.breach_corpus_support import run_corpus

db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template


def test_the_corpus_has_enough_realistic_messages() -> None:
    assert len(CASES) >= 60
    assert len({c.text for c in CASES}) == len(CASES)
    kinds = {c.kind for c in CASES}
    assert {"chat", "sighting", "check", "shift log", "street or business", "typo"} <= kinds
    assert {"PNC variant", "two subjects", "edit"} <= kinds


def test_every_named_subject_is_captured_and_no_chat_is_recorded(demo: Runtime) -> None:
    wrong, recall, precision = run_corpus(demo, CASES, name="breach corpus", start=1)
    assert not wrong, f"{len(wrong)} messages not as expected:\n" + "\n".join(wrong)
    assert recall == 1.0 and precision == 1.0
