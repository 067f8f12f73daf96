"""About 40 fictional subjects across the five districts, with orders in every state."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lom_bot.demo.sentencing import seed_court_history
from lom_bot.demo.stories import COURTS, Plan, Teller, quick_commits, replace_order, tell
from lom_bot.domain.dates import add_months, add_years, age_on
from lom_bot.domain.enums import (
    AuditAction,
    BreachStatus,
    CheckKind,
    CheckResult,
    ContactKind,
    ContactOutcome,
    CustodyStatus,
    HandlingCode,
    IntelGrade,
    OrderRoute,
    OrderStatus,
    ReleaseDateKind,
    RiskLevel,
    Role,
    SourceGrade,
    TaskKind,
)
from lom_bot.domain.order_dates import expiry_for
from lom_bot.domain.templates import template
from lom_bot.services.orders import ConditionDraft, TransferOut
from lom_bot.services.orders.closure import expire_due_orders
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import (
    Alias,
    BreachReport,
    Check,
    Contact,
    Intelligence,
    Order,
    ReleaseDate,
    Subject,
    Task,
    User,
)
from lom_bot.store.uow import UnitOfWork

GIVEN = [
    "Darren",
    "Kayleigh",
    "Wayne",
    "Shaun",
    "Leanne",
    "Dean",
    "Jordan",
    "Tyler",
    "Kelly",
    "Craig",
    "Mark",
    "Gemma",
    "Lee",
    "Ryan",
    "Zara",
    "Imran",
    "Callum",
    "Stacey",
    "Nathan",
    "Aaron",
]
FAMILY = [
    "Fictional",
    "Madeup",
    "Notreal",
    "Pretend",
    "Imaginary",
    "Example",
    "Sample",
    "Invented",
    "Storybook",
    "Placeholder",
    "Makebelieve",
    "Dummy",
    "Testcase",
    "Fakename",
    "Nobody",
    "Unreal",
    "Inventive",
    "Fable",
    "Legend",
    "Mythical",
]
DISTRICTS = ["Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"]

# The condition templates the demo draws from (domain/templates.py), in the order the old
# library listed them, so the same random draws pick the same kinds of condition.
CONDITION_KEYS = [
    "phone",
    "bank",
    "cash",
    "associate",
    "vehicle",
    "travel",
    "premises",
    "residence",
]
# The same, as rows (category, wording, duty, days, duty text, watch for) for the synthetic data.
CONDITION_LIBRARY = [
    (t.category, t.wording, t.duty, t.duty_days, t.duty_description, t.watch_for or "")
    for t in map(template, CONDITION_KEYS)
]
FEMALE = {"Kayleigh", "Leanne", "Kelly", "Gemma", "Zara", "Stacey"}

STATES: list[OrderStatus] = (
    [OrderStatus.ACTIVE] * 18
    + [OrderStatus.EXPIRING] * 3
    + [OrderStatus.AWAITING_ACTIVATION] * 4
    + [OrderStatus.EDUCATED, OrderStatus.RECORDED, OrderStatus.GRANTED]
    + [OrderStatus.PROPOSED, OrderStatus.DRAFTED, OrderStatus.APPROVED, OrderStatus.SUBMITTED]
    + [
        OrderStatus.EXPIRED,
        OrderStatus.CLOSED,
        OrderStatus.REFUSED,
        OrderStatus.DISCHARGED,
        OrderStatus.SUPERSEDED,
        OrderStatus.TRANSFERRED_OUT,
    ]
    + [OrderStatus.ACTIVE] * 2
)
PRE_GRANT = {
    OrderStatus.PROPOSED,
    OrderStatus.DRAFTED,
    OrderStatus.APPROVED,
    OrderStatus.SUBMITTED,
    OrderStatus.REFUSED,
}
IN_CUSTODY = {
    OrderStatus.GRANTED,
    OrderStatus.RECORDED,
    OrderStatus.AWAITING_ACTIVATION,
    OrderStatus.EDUCATED,
}


@dataclass(frozen=True)
class SeedReport:
    subjects: int
    orders: int
    contacts: int
    checks: int
    intelligence: int
    breaches: int
    tasks: int

    def __str__(self) -> str:
        return (
            f"{self.subjects} subjects, {self.orders} orders, {self.contacts} contacts, "
            f"{self.checks} checks, {self.intelligence} intelligence items, "
            f"{self.breaches} breach reports, {self.tasks} tasks"
        )


def seed_demo(uow: UnitOfWork, *, seed: int = 42) -> SeedReport | None:
    """Fill an empty database with the demo caseload; returns None if subjects exist."""
    rng = random.Random(seed)
    with uow:
        session = uow.session
        if session.scalar(select(func.count(Subject.id))):
            return None
        today = uow.clock.today()
        officers = list(
            session.scalars(
                select(User).where(User.role.in_([Role.LOM_OFFICER, Role.LOM_SUPERVISOR]))
            )
        )
        officer_ids: list[int | None] = [o.id for o in officers] or [None]
        # Each subject's own officer takes their order through its steps; a supervisor's
        # subjects are drafted by a colleague, since no one approves their own application.
        by_id = {o.id: o.slack_id for o in officers if o.role is Role.LOM_OFFICER}
        plans = [
            _subject(session, n, status, today, officer_ids, by_id) for n, status in _numbered()
        ]
        uow.audit(
            "system",
            AuditAction.COLLECTION,
            "demo.subjects",
            detail={"subjects": len(plans)},
            purpose="demo data",
        )
        uow.commit()
    # The orders, each through the services an officer's commands call, on the days they
    # happened; the conditions drawn as the old library drew them (same random sequence).
    teller = Teller(uow)
    with quick_commits(uow):
        for n, plan in enumerate(plans, start=1):
            picks = rng.sample(range(len(CONDITION_KEYS)), k=3 + n % 3)
            plan = replace(plan, conditions=_conditions(sorted(picks), plan.ref, n))
            plans[n - 1] = plan
            tell(teller, plan)
        superseded = plans[STATES.index(OrderStatus.SUPERSEDED)]
        replace_order(teller, superseded, today - timedelta(days=120))
        situations(teller, plans)
    expire_due_orders(uow, today)  # what the nightly job would have done by today
    counts = dict(contacts=0, checks=0, intelligence=0, breaches=0, tasks=0)
    with uow:
        session = uow.session
        subjects = {s.ref: s for s in session.scalars(select(Subject))}
        for plan in plans:
            subject = subjects[plan.ref]
            if plan.activated_on is not None and plan.status in MONITORED:
                # A superseded order's subject is still monitored, under the new order.
                kept = plan.status is OrderStatus.SUPERSEDED
                ended = today if kept else plan.ended_on or today
                c = _history(session, subject, officer_ids, plan.activated_on, ended, today, rng)
                for key, value in c.items():
                    counts[key] += value
        # A place for the demo's court history: past breaches with court outcomes.
        seed_court_history(uow)
        orders = session.scalar(select(func.count(Order.id))) or 0
        uow.audit(
            "system",
            AuditAction.COLLECTION,
            "demo.seeded",
            detail={"subjects": len(plans), "orders": orders, **counts},
            purpose="demo data",
        )
        uow.commit()
    return SeedReport(len(plans), orders, **counts)


def _numbered() -> list[tuple[int, OrderStatus]]:
    return list(enumerate(STATES, start=1))


def _subject(
    session: Session,
    n: int,
    status: OrderStatus,
    today: date,
    officer_ids: list[int | None],
    officers: dict[int, str],
) -> Plan:
    """Subject n (LOM-000n): who they are, and the plan for their order."""
    district = DISTRICTS[n % len(DISTRICTS)]
    risk = [RiskLevel.VERY_HIGH, RiskLevel.HIGH, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW][
        n % 5
    ]
    given = GIVEN[n % len(GIVEN)]
    born = date(1970 + n % 30, 1 + n % 12, 1 + (n * 3) % 28)
    officer_id = officer_ids[n % len(officer_ids)]
    plan = _plan(n, status, today, officers.get(officer_id or 0, "U0OFF1"))
    in_custody = plan.release_on is not None
    age = age_on(born, today)
    look = (
        f"Female, {age}, shoulder-length fair hair, slim build"
        if given in FEMALE
        else f"Male, {age}, short dark hair, {'stocky' if n % 2 else 'slim'} build"
    )
    subject = Subject(
        ref=plan.ref,
        given_names=given,
        family_name=FAMILY[(n * 7 + n // len(GIVEN)) % len(FAMILY)],
        born_on=born,
        pnc_id=f"{90 + n % 10:02d}/{100000 + n * 37:07d}{'ABCDEFGHJK'[n % 10]}",
        niche_id=f"NICHE-{500000 + n}",
        visor_ref=f"VSR{70000 + n}",
        prison_number=f"A{1000 + n}BC" if in_custody or plan.activated_on else None,
        address=f"{n} Fictional Road, {district}",
        district=district,
        risk_level=risk,
        description=look,
        custody_status=CustodyStatus.IN_CUSTODY if in_custody else CustodyStatus.IN_COMMUNITY,
        officer_id=officer_id,
        review_on=add_years(today, 6),
    )
    session.add(subject)
    session.flush()
    if n % 4 == 0:
        session.add(Alias(subject_id=subject.id, name=f"'{FAMILY[n % 20][:4]}y'"))
    if n % 6 == 0:
        session.add(Alias(subject_id=subject.id, name=f"Big {GIVEN[n % 20]}"))
    if in_custody:
        expected = plan.activated_on or plan.release_on
        recorded = datetime.combine(today - timedelta(days=200), time(9), UTC)
        session.add(
            ReleaseDate(
                subject_id=subject.id, kind=ReleaseDateKind.CRD, on=expected, recorded_at=recorded
            )
        )
    return plan


# Days until release for the subjects still in custody, by status.
RELEASES = {
    OrderStatus.AWAITING_ACTIVATION: [120, 150, 7, 14],  # LOM-0024: next week, no visit yet
    OrderStatus.EDUCATED: [30],
    OrderStatus.RECORDED: [45],
    OrderStatus.GRANTED: [60],
    OrderStatus.DRAFTED: [120],
    OrderStatus.SUBMITTED: [90],
}
# Orders whose subject is monitored (contacts, checks, intelligence).
MONITORED = {
    OrderStatus.ACTIVE,
    OrderStatus.EXPIRING,
    OrderStatus.EXPIRED,
    OrderStatus.SUPERSEDED,
    OrderStatus.TRANSFERRED_OUT,
    OrderStatus.DISCHARGED,
}


def _plan(n: int, status: OrderStatus, today: date, officer: str) -> Plan:
    """The dates that take subject n's order to `status` by today."""
    ref = f"LOM-{n:04d}"
    court = COURTS[n % 3]
    route = OrderRoute.CROWN_COURT_S19 if n % 5 else OrderRoute.HIGH_COURT_S1
    plan = Plan(ref, status, (), court, officer, route=route)
    if status is OrderStatus.ACTIVE:
        activated = today - timedelta(days=30 + n * 40)
        term = 12 * (3 + n % 3)
        while (expiry_for(activated, term) or today) <= today + timedelta(days=200):
            term = 60 if term < 60 else term
            activated += timedelta(days=60) if term == 60 else timedelta(0)
        return replace(
            plan, activated_on=activated, made_on=activated - timedelta(days=60), term_months=term
        )
    if status is OrderStatus.EXPIRING:
        ends = today + timedelta(days=[170, 85, 29][n % 3])  # LOM-0020: next month
        activated = add_years(ends + timedelta(days=1), -5)
        return replace(plan, activated_on=activated, made_on=activated - timedelta(days=70))
    if status in RELEASES:
        index = [k for k, s in enumerate(STATES, 1) if s is status].index(n)
        release = today + timedelta(days=RELEASES[status][index])
        made = today - timedelta(days={OrderStatus.GRANTED: 9}.get(status, 40 + n % 5 * 8))
        return replace(plan, made_on=made, release_on=release)
    if status is OrderStatus.EXPIRED:
        activated = add_years(today - timedelta(days=20), -5)
        return replace(plan, activated_on=activated, made_on=activated - timedelta(days=50))
    if status is OrderStatus.CLOSED:
        activated = add_years(today - timedelta(days=75), -3)
        return replace(
            plan,
            activated_on=activated,
            made_on=activated - timedelta(days=50),
            term_months=36,
            ended_on=today - timedelta(days=50),
        )
    if status in (OrderStatus.DISCHARGED, OrderStatus.TRANSFERRED_OUT, OrderStatus.SUPERSEDED):
        activated = today - timedelta(days=400 + 200 * (status is OrderStatus.SUPERSEDED))
        ended = today - timedelta(days=30)
        if status is OrderStatus.DISCHARGED:
            plan = replace(plan, route=OrderRoute.HIGH_COURT_S1, court="High Court (KBD)")
        return replace(
            plan, activated_on=activated, made_on=activated - timedelta(days=45), ended_on=ended
        )
    if status is OrderStatus.REFUSED:
        return replace(plan, made_on=today - timedelta(days=35))
    return plan  # proposed, approved: the application is under way


def _conditions(picks: list[int], ref: str, n: int) -> tuple[ConditionDraft, ...]:
    """The drawn templates, each worded for this subject (her name, his name)."""
    female = GIVEN[n % len(GIVEN)] in FEMALE
    out = []
    for index in picks:
        key = CONDITION_KEYS[index]
        wording = template(key).wording
        if female:
            wording = wording.replace(" his ", " her ").replace(" him ", " her ")
        out.append(ConditionDraft(key, wording))
    return tuple(out)


def situations(teller: Teller, plans: list[Plan]) -> None:
    """A few subjects in the situations worth trying: a court event pending, transfers under
    way (one to Scotland, which needs an order of its own there)."""
    from lom_bot.services import orders as o

    today = teller.today
    pending = plans[11]  # LOM-0012
    note = o.NotePending(pending.ref, "variation", "Application to add a travel condition.")
    who = teller.actor(pending.officer)
    teller.step(today - timedelta(days=12), lambda u: o.note_pending(u, who, note))
    for plan, force in ((plans[15], "police_scotland"), (plans[9], "west_midlands")):
        out = o.TransferOut(plan.ref, force)
        mover = teller.actor(plan.officer)
        teller.step(today - timedelta(days=6), partial(_transfer, who=mover, cmd=out))


def _transfer(uow: UnitOfWork, *, who: Actor, cmd: TransferOut) -> object:
    from lom_bot.services.orders import transfer_out

    return transfer_out(uow, who, cmd)


HOME_VISIT_DAYS = {RiskLevel.VERY_HIGH: 28, RiskLevel.HIGH: 30, RiskLevel.MEDIUM: 60}
CONTACT_GAP = {RiskLevel.VERY_HIGH: 7, RiskLevel.HIGH: 14, RiskLevel.MEDIUM: 30, RiskLevel.LOW: 60}


def _history(
    session: Session,
    subject: Subject,
    officer_ids: list[int | None],
    activated: date,
    ended: date,
    today: date,
    rng: random.Random,
) -> dict[str, int]:
    """The last few months of monitoring while the order was in force: contacts at the risk
    level's pace with a home visit whenever one fell due, checks, intelligence, reports."""
    counts = dict(contacts=0, checks=0, intelligence=0, breaches=0, tasks=0)
    gap = CONTACT_GAP[subject.risk_level]
    home_every = HOME_VISIT_DAYS.get(subject.risk_level, 90)
    day = max(add_months(today, -4) + timedelta(days=rng.randint(0, 6)), activated + timedelta(3))
    stop = min(today - timedelta(days=rng.choice([1, 3, 10, 25, 45])), ended)
    last_home = activated
    while day < stop:
        outcome = rng.choices(list(ContactOutcome), weights=[80, 4, 5, 4, 5, 2])[0]
        other = rng.choice([ContactKind.CALL, ContactKind.OFFICE_VISIT, ContactKind.PROBATION])
        kind = ContactKind.HOME_VISIT if (day - last_home).days >= home_every - gap else other
        if kind is ContactKind.HOME_VISIT and outcome is ContactOutcome.COMPLIED:
            last_home = day
        session.add(
            Contact(
                subject_id=subject.id,
                occurred_on=day,
                officer_id=rng.choice(officer_ids),
                kind=kind,
                outcome=outcome,
                location=subject.district,
                absence_reason="GP appointment, letter seen"
                if outcome is ContactOutcome.ACCEPTABLE_ABSENCE
                else None,
                notes="Demo contact note.",
                recorded_at=datetime.combine(day, time(16, 30), UTC),
            )
        )
        counts["contacts"] += 1
        day += timedelta(days=gap + rng.randint(-2, 3))
    if ended < today:  # an order no longer in force: its record stops there
        return counts
    for k in range(rng.randint(1, 3)):
        session.add(
            Check(
                subject_id=subject.id,
                kind=rng.choice(list(CheckKind)),
                done_on=today - timedelta(days=10 + 30 * k),
                officer_id=rng.choice(officer_ids),
                result=CheckResult.NO_CONCERNS if k else CheckResult.CONCERN,
                notes=None if k else "ANPR: vehicle seen in Hull at 03:10 (demo)",
                recorded_at=datetime.combine(today - timedelta(days=10 + 30 * k), time(15), UTC),
            )
        )
        counts["checks"] += 1
    if rng.random() < 0.6:
        intel = Intelligence(
            ref=f"INT-D{subject.id:04d}",
            subject_id=subject.id,
            text="Reported to be using a second phone to arrange meetings (demo).",
            source_grade=rng.choice(list(SourceGrade)),
            intel_grade=rng.choice(list(IntelGrade)),
            handling=HandlingCode.MAY_SHARE,
            recorded_at=datetime.combine(today - timedelta(days=20), time(11), UTC),
            review_on=add_years(today, 6),
        )
        session.add(intel)
        counts["intelligence"] += 1
    if rng.random() < 0.35:
        report = BreachReport(
            ref=f"BR-D{subject.id:04d}",
            subject_id=subject.id,
            status=BreachStatus.NEW,
            source="message",
            reporter_slack_id="U0LEEDS",
            district=subject.district,
            text=f"Seen {subject.ref} driving a hire van on "
            f"{subject.district} ring road with two men (demo).",
            received_at=datetime.combine(today, time(8, 40), UTC)
            - timedelta(days=rng.choice([0, 1, 3, 5])),
        )
        session.add(report)
        counts["breaches"] += 1
    if rng.random() < 0.4:
        session.add(
            Task(
                ref=f"T-D{subject.id:04d}",
                subject_id=subject.id,
                district=subject.district,
                kind=rng.choice([TaskKind.CURFEW_CHECK, TaskKind.PASSING_ATTENTION]),
                due_on=today + timedelta(days=rng.choice([-4, -1, 0, 2, 6])),
                instructions="Passing attention at home address, note vehicles.",
            )
        )
        counts["tasks"] += 1
    return counts
