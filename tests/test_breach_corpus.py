"""The corpus of realistic district messages (tests/breach_corpus.py) through the real capture
path (the district-event handler, as Slack's events reach it) on the demo caseload: every named
subject is captured and no ordinary chat is recorded. Prints precision and recall."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lom_bot.bootstrap import Runtime
from lom_bot.domain.enums import BreachStatus
from lom_bot.handlers.breach_events import handle_district_event
from lom_bot.services.breach_sighting import reports_of_message
from lom_bot.store.tables import Subject
from tests import test_breach_support as support
from tests.breach_corpus import CASES, Case

db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template
LEEDS = "C0LEEDS"


@dataclass(frozen=True)
class Outcome:
    matched: frozenset[str]
    possible: tuple[frozenset[str], ...]


def _post(rt: Runtime, n: int, case: Case) -> Outcome:
    ts = f"1764064800.{n:06d}"
    event = {"type": "message", "channel": LEEDS, "user": "U0LEEDS", "text": case.text, "ts": ts}
    handle_district_event(rt, event, event_id=f"Ev{n:06d}")
    if case.edit is not None:
        edited = {
            "type": "message",
            "subtype": "message_changed",
            "channel": LEEDS,
            "event_ts": f"1764068400.{n:06d}",
            "message": {"type": "message", "user": "U0LEEDS", "text": case.edit, "ts": ts},
            "previous_message": {"type": "message", "user": "U0LEEDS", "text": case.text, "ts": ts},
        }
        handle_district_event(rt, edited, event_id=f"Ev{n:06d}e")
    reply_ts = f"1764072000.{n:06d}"
    if case.reply is not None:
        reply = {"type": "message", "channel": LEEDS, "user": "U0LEEDS", "text": case.reply}
        reply |= {"ts": reply_ts, "thread_ts": ts}
        handle_district_event(rt, reply, event_id=f"Ev{n:06d}r")
    with rt.uow() as uow:
        refs = {i: r for i, r in uow.session.execute(select(Subject.id, Subject.ref))}
        reports = reports_of_message(uow, LEEDS, ts)
        reports += reports_of_message(uow, LEEDS, reply_ts) if case.reply is not None else []
        matched = frozenset(refs[r.subject_id] for r in reports if r.subject_id is not None)
        possible = tuple(
            frozenset(r.candidates or ())
            for r in reports
            if r.subject_id is None and r.status is BreachStatus.POSSIBLE
        )
    return Outcome(matched, possible)


def _right(case: Case, got: Outcome) -> bool:
    if got.matched != case.matched or len(got.possible) != len(case.possible):
        return False
    return all(any(want <= have for have in got.possible) for want in case.possible)


def _captured(case: Case, got: Outcome) -> tuple[int, int]:
    """(named subjects captured, named subjects): captured as a report, or among the candidates
    of a possible report; an unknown reference or PNC ID counts as one, kept as possible."""
    named = sorted(case.named) + (["?"] if frozenset() in case.possible else [])
    seen = set(got.matched).union(*got.possible)
    hits = sum(ref in seen for ref in case.named) + (1 if "?" in named and got.possible else 0)
    return hits, len(named)


def _recorded(case: Case, got: Outcome) -> tuple[int, int]:
    """(reports that are right to exist, reports made): a matched report on a named subject, a
    possible report whose candidates hold a named subject (or that the message expects)."""
    made = len(got.matched) + len(got.possible)
    right = len(got.matched & case.named)
    right += sum(1 for p in got.possible if (p & case.named) or (not p and case.possible))
    return right, made


def test_the_corpus_has_enough_realistic_messages() -> None:
    assert len(CASES) >= 60
    assert len({c.text for c in CASES}) == len(CASES)
    kinds = {c.kind for c in CASES}
    assert {"chat", "sighting", "check", "shift log", "street or business", "typo"} <= kinds
    assert {"PNC variant", "two subjects", "edit"} <= kinds


def test_every_named_subject_is_captured_and_no_chat_is_recorded(demo: Runtime) -> None:
    wrong: list[str] = []
    captured = named = right = made = 0
    for n, case in enumerate(CASES, start=1):
        got = _post(demo, n, case)
        hits, total = _captured(case, got)
        good, count = _recorded(case, got)
        captured, named, right, made = captured + hits, named + total, right + good, made + count
        if not _right(case, got):
            wrong.append(
                f"{case.text!r}\n    want matched={sorted(case.matched)} "
                f"possible={[sorted(p) for p in case.possible]}\n    got  matched="
                f"{sorted(got.matched)} possible={[sorted(p) for p in got.possible]}"
            )
    recall, precision = captured / named, (right / made if made else 1.0)
    print(
        f"\nbreach corpus: {len(CASES)} messages, {named} named subjects; recall "
        f"{recall:.1%} ({captured}/{named}), precision {precision:.1%} ({right}/{made}); "
        f"{len(CASES) - len(wrong)}/{len(CASES)} exactly as expected"
    )
    assert not wrong, f"{len(wrong)} messages not as expected:\n" + "\n".join(wrong)
    assert recall == 1.0 and precision == 1.0
