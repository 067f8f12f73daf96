"""A synthetic subject's history: contacts, checks, intelligence, breach reports and tasks."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from lom_bot.demo.synthetic_rows import (
    ASSESS,
    BASE_GAP,
    COMMUNITY_KINDS,
    FOLLOW,
    IN_FORCE,
    INTEL_TEXT,
    NOTES,
    OUTCOME_CUM,
    OUTCOMES,
    PRISON_KINDS,
    RECIPIENTS,
    SEEN,
    Generator,
    Plan,
    json_list,
)
from lom_bot.domain.dates import add_years
from lom_bot.domain.enums import (
    BreachStatus,
    CheckKind,
    ContactOutcome,
    HandlingCode,
    IntelGrade,
    SourceGrade,
    TaskKind,
)

CHECK_KINDS = [k.value for k in CheckKind]
SOURCE = [g.value for g in SourceGrade]
INTEL = [g.value for g in IntelGrade]
TASK_KINDS = [k.value for k in TaskKind]


def write_history(gen: Generator, sid: int, ref: str, n: int, plan: Plan, officer: int) -> None:
    """Everything recorded about one subject over its window; counts follow its contacts."""
    contacts = _contacts(gen, sid, n, plan, officer)
    scale = gen.scale
    per = scale.contacts_per_subject
    _checks(gen, sid, n, plan, officer, gen.count(contacts * scale.checks_per_subject / per))
    _intel(gen, sid, n, plan, officer, gen.count(contacts * scale.intelligence_per_subject / per))
    _breaches(gen, sid, ref, n, plan, officer,
              gen.count(contacts * scale.breaches_per_subject / per))  # fmt: skip
    _tasks(gen, sid, n, plan, officer, gen.count(contacts * scale.tasks_per_subject / per))


def _contacts(gen: Generator, sid: int, n: int, plan: Plan, officer: int) -> int:
    rng, add, iso, audit = gen.rng, gen.bulk.add, gen.iso, gen.audit
    random, suffix = rng.random, gen.bulk.ts_suffix
    gap = BASE_GAP[plan.risk] * plan.gap_factor * gen.gap_scale
    kinds = [k.value for k in (PRISON_KINDS if plan.custody else COMMUNITY_KINDS)]
    outcomes = [o.value for o in OUTCOMES]
    location, today = plan.district, gen.today.toordinal()
    day = plan.start + random() * gap
    written = 0
    while day < plan.end:
        on = int(day)
        roll = random() * 100
        outcome = next(o for o, edge in zip(outcomes, OUTCOME_CUM, strict=True) if roll < edge)
        evidence = None
        if today - on <= 5 and random() < 0.1:  # a few recent ones still wait for evidence
            outcome, evidence = ContactOutcome.AWAITING_EVIDENCE.value, iso(on + 7)
        cid = gen.next("contacts")
        on_iso = iso(on)
        add("contacts", (
            cid, sid, kinds[int(random() * len(kinds))], on_iso, officer, location, outcome,
            "GP appointment, letter seen" if outcome == "acceptable_absence" else None,
            NOTES[int(random() * len(NOTES))], evidence, f"{on_iso} 16:00:00{suffix}",
        ))  # fmt: skip
        audit(on, 2, cid, n, officer)
        written += 1
        day += gap * (0.5 + random())
    return written


def _day(gen: Generator, plan: Plan) -> int:
    return plan.start + int(gen.rng.random() * max(1, plan.end - plan.start))


def _checks(gen: Generator, sid: int, n: int, plan: Plan, officer: int, count: int) -> None:
    rng, suffix = gen.rng, gen.bulk.ts_suffix
    for _ in range(count):
        on = _day(gen, plan)
        concern = rng.random() < 0.08
        cid = gen.next("checks")
        gen.bulk.add("checks", (
            cid, sid, rng.choice(CHECK_KINDS), gen.iso(on), officer,
            "concern" if concern else "no_concerns",
            "Vehicle seen in Hull at 03:10 (synthetic)" if concern else None,
            f"{gen.iso(on)} 15:00:00{suffix}",
        ))  # fmt: skip
        gen.audit(on, 3, cid, n, officer)


def _intel(gen: Generator, sid: int, n: int, plan: Plan, officer: int, count: int) -> None:
    rng, b = gen.rng, gen.bulk
    for _ in range(count):
        on = _day(gen, plan)
        iid = gen.next("intelligence")
        conditions = rng.random() < 0.2
        recorded = datetime.combine(gen.iso_date(on), time(11), UTC)
        b.add("intelligence", (
            iid, f"INT-S{iid:06d}", sid, rng.choice(INTEL_TEXT),
            rng.choices(SOURCE, [30, 60, 10])[0], rng.choices(INTEL, [15, 30, 35, 15, 5])[0],
            (HandlingCode.CONDITIONS if conditions else HandlingCode.MAY_SHARE).value,
            "Not to be shared outside policing" if conditions else None, rng.random() < 0.05,
            officer, b.ts(recorded), add_years(recorded.date(), 6).isoformat(),
        ))  # fmt: skip
        gen.audit(on, 4, iid, n, officer)
        if rng.random() < 0.3:
            b.add("disseminations", (gen.next("disseminations"), iid, rng.choice(RECIPIENTS),
                                     gen.iso(on + rng.randint(0, 5)), officer))  # fmt: skip


def _breaches(
    gen: Generator, sid: int, ref: str, n: int, plan: Plan, officer: int, count: int
) -> None:
    rng, b, today = gen.rng, gen.bulk, gen.today.toordinal()
    reporters = gen.people.reporters[plan.district]
    for _ in range(count):
        on = _day(gen, plan)
        received = datetime.combine(gen.iso_date(on), time(9), UTC) + timedelta(
            seconds=rng.randint(0, 10 * 3600)
        )
        bid = gen.next("breach_reports")
        reporter = rng.choice(reporters)
        recent = today - on <= 3
        unmatched = recent and rng.random() < 0.15
        status = BreachStatus.ASSESSED
        if recent:
            status = BreachStatus.POSSIBLE if unmatched else BreachStatus.NEW
        b.add("breach_reports", (
            bid, f"BR-S{bid:06d}", None if unmatched else sid, status.value, "message",
            gen.people.slack_ids[gen.people.index[reporter]], gen.channels[plan.district],
            f"{int(received.timestamp())}.{bid % 1_000_000:06d}", plan.district,
            f"{ref} {rng.choice(SEEN)} on the {plan.district} ring road (synthetic).",
            f"{plan.district} ring road", json_list([ref]) if unmatched else None,
            None if unmatched else 100, False, b.ts(received),
        ))  # fmt: skip
        gen.audit(on, 5, bid, n, reporter)
        if status is BreachStatus.ASSESSED:
            _assess(gen, bid, sid, n, officer, received)


def _assess(gen: Generator, bid: int, sid: int, n: int, officer: int, received: datetime) -> None:
    rng, b = gen.rng, gen.bulk
    outcome = rng.choices([a for a, _ in ASSESS], [w for _, w in ASSESS])[0]
    decided = received + timedelta(hours=rng.randint(2, 60))
    b.add("assessments", (gen.next("assessments"), bid, outcome.value,
                          "Assessed against the order's conditions (synthetic).",
                          rng.random() < 0.1, officer, b.ts(decided)))  # fmt: skip
    gen.audit(decided.date().toordinal(), 6, bid, n, officer)
    kind = FOLLOW.get(outcome)
    if kind is not None:
        due = decided.date() + timedelta(days=7 if "letter" in kind.value else 14)
        done = due - timedelta(days=rng.randint(0, 6)) if due < gen.today else None
        b.add("follow_ups", (gen.next("follow_ups"), bid, sid, kind.value, due.isoformat(),
                             done.isoformat() if done else None, officer))  # fmt: skip


def _tasks(gen: Generator, sid: int, n: int, plan: Plan, officer: int, count: int) -> None:
    rng, b, today = gen.rng, gen.bulk, gen.today.toordinal()
    reporters = gen.people.reporters[plan.district]
    extra = plan.status in IN_FORCE and rng.random() < 0.05  # something due in the next fortnight
    for k in range(count + extra):
        due = today + rng.randint(-3, 14) if k == count else _day(gen, plan) + rng.randint(1, 10)
        open_ = due >= today - 7 and rng.random() < 0.7
        doer = rng.choice(reporters)
        tid = gen.next("tasks")
        b.add("tasks", (
            tid, f"T-S{tid:06d}", sid, plan.district, rng.choice(TASK_KINDS), gen.iso(due),
            "Passing attention at home address, note vehicles.",
            "open" if open_ else "done", None if open_ else "Seen at home, nothing to report.",
            officer, None if open_ else doer, None if open_ else gen.iso(min(due, today)),
        ))  # fmt: skip
        gen.audit(min(today, due - 3), 7, tid, n, officer)
