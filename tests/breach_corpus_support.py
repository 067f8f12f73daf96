"""Runs a corpus of district messages (tests/breach_corpus.py, tests/breach_corpus_heldout.py)
through the real capture path (the district-event handler, as Slack's events reach it) and
scores what was recorded against what each message expects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from lom_bot.domain.enums import BreachStatus
from lom_bot.handlers.breach_events import handle_district_event
from lom_bot.runtime import Runtime
from lom_bot.services.breach_sighting import reports_of_message
from lom_bot.store.tables import Subject
from tests.breach_corpus import Case

LEEDS = "C0LEEDS"


@dataclass(frozen=True)
class Outcome:
    matched: frozenset[str]
    possible: tuple[frozenset[str], ...]


def post(rt: Runtime, n: int, case: Case) -> Outcome:
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


def right(case: Case, got: Outcome) -> bool:
    if got.matched != case.matched or len(got.possible) != len(case.possible):
        return False
    return all(any(want <= have for have in got.possible) for want in case.possible)


def captured(case: Case, got: Outcome) -> tuple[int, int]:
    """(named subjects captured, named subjects): captured as a report, or among the candidates
    of a possible report; an unknown reference or PNC ID counts as one, kept as possible."""
    named = sorted(case.named) + (["?"] if frozenset() in case.possible else [])
    seen = set(got.matched).union(*got.possible)
    hits = sum(ref in seen for ref in case.named) + (1 if "?" in named and got.possible else 0)
    return hits, len(named)


def recorded(case: Case, got: Outcome) -> tuple[int, int]:
    """(reports that are right to exist, reports made): a matched report on a named subject, a
    possible report whose candidates hold a named subject (or that the message expects)."""
    made = len(got.matched) + len(got.possible)
    good = len(got.matched & case.named)
    good += sum(1 for p in got.possible if (p & case.named) or (not p and case.possible))
    return good, made


def run_corpus(
    rt: Runtime, cases: Sequence[Case], *, name: str, start: int, tag_kind: bool = False
) -> tuple[list[str], float, float]:
    """Post every case; print recall and precision; (messages not as expected, recall,
    precision)."""
    wrong: list[str] = []
    hit = named = good = made = 0
    for n, case in enumerate(cases, start=start):
        got = post(rt, n, case)
        hits, total = captured(case, got)
        rights, count = recorded(case, got)
        hit, named, good, made = hit + hits, named + total, good + rights, made + count
        if not right(case, got):
            wrong.append(
                (f"[{case.kind}] " if tag_kind else "")
                + f"{case.text!r}\n    want matched={sorted(case.matched)} "
                f"possible={[sorted(p) for p in case.possible]}\n    got  matched="
                f"{sorted(got.matched)} possible={[sorted(p) for p in got.possible]}"
            )
    recall, precision = hit / named, (good / made if made else 1.0)
    print(
        f"\n{name}: {len(cases)} messages, {named} named subjects; recall "
        f"{recall:.1%} ({hit}/{named}), precision {precision:.1%} ({good}/{made}); "
        f"{len(cases) - len(wrong)}/{len(cases)} exactly as expected"
    )
    return wrong, recall, precision
