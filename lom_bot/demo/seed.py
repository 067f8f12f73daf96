"""About 40 fictional subjects across the five districts, with orders in every state."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lom_bot.demo.sentencing import seed_court_history
from lom_bot.domain.dates import add_months, add_years
from lom_bot.domain.enums import (
    AuditAction,
    BreachStatus,
    CheckKind,
    ChecklistKind,
    CheckResult,
    Commencement,
    ConditionCategory,
    ContactKind,
    ContactOutcome,
    CustodyStatus,
    DutyKind,
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
from lom_bot.domain.lifecycle import latest_expiry
from lom_bot.store.tables import (
    Alias,
    BreachReport,
    Check,
    Checklist,
    ChecklistStep,
    Condition,
    Contact,
    Intelligence,
    Order,
    OrderEvent,
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

CONDITION_LIBRARY: list[tuple[ConditionCategory, str, DutyKind, int | None, str | None, str]] = [
    (
        ConditionCategory.COMMUNICATIONS,
        "Not to use or possess more than one mobile telephone, and to notify the police of its "
        "number and IMEI within 3 days of acquiring any device.",
        DutyKind.WITHIN_DAYS_OF_EVENT,
        3,
        "notify a new device within 3 days",
        "more than one phone",
    ),
    (
        ConditionCategory.FINANCIAL,
        "To produce to the police statements for every bank account held, monthly by the 5th day "
        "of each month.",
        DutyKind.MONTHLY_BY_DAY,
        5,
        "bank statements monthly by the 5th",
        "large amounts of cash",
    ),
    (
        ConditionCategory.FINANCIAL,
        "Not to possess cash exceeding £1,000 other than in a regulated bank account.",
        DutyKind.NONE,
        None,
        None,
        "cash over £1,000",
    ),
    (
        ConditionCategory.ASSOCIATION,
        "Not to associate or communicate with any person named in Schedule 1 to this order.",
        DutyKind.NONE,
        None,
        None,
        "meeting named associates",
    ),
    (
        ConditionCategory.ITEMS_VEHICLES,
        "Not to drive or be in control of any vehicle not registered in his name and notified to "
        "the police.",
        DutyKind.WITHIN_DAYS_OF_EVENT,
        2,
        "notify a vehicle within 2 days",
        "driving unfamiliar vehicles, hire vans",
    ),
    (
        ConditionCategory.TRAVEL,
        "Not to travel outside England and Wales without giving 7 days' written notice.",
        DutyKind.NONE,
        None,
        None,
        "foreign travel",
    ),
    (
        ConditionCategory.PREMISES,
        "Not to enter any premises used as a car wash or nail bar other than as a paying customer.",
        DutyKind.NONE,
        None,
        None,
        "hanging round car washes",
    ),
    (
        ConditionCategory.RESIDENCE,
        "To reside at an address notified to the police and to notify any change within 3 days.",
        DutyKind.WITHIN_DAYS_OF_EVENT,
        3,
        "notify a change of address within 3 days",
        "staying elsewhere",
    ),
]

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
        now = uow.clock.now()
        officers = list(
            session.scalars(
                select(User).where(User.role.in_([Role.LOM_OFFICER, Role.LOM_SUPERVISOR]))
            )
        )
        officer_ids: list[int | None] = [o.id for o in officers] or [None]
        counts = dict(orders=0, contacts=0, checks=0, intelligence=0, breaches=0, tasks=0)
        for n, status in enumerate(STATES, start=1):
            district = DISTRICTS[n % len(DISTRICTS)]
            risk = [
                RiskLevel.VERY_HIGH,
                RiskLevel.HIGH,
                RiskLevel.HIGH,
                RiskLevel.MEDIUM,
                RiskLevel.LOW,
            ][n % 5]
            in_custody = status in IN_CUSTODY or (status in PRE_GRANT and n % 2 == 0)
            subject = Subject(
                ref=f"LOM-{n:04d}",
                given_names=GIVEN[n % len(GIVEN)],
                family_name=FAMILY[(n * 7 + n // len(GIVEN)) % len(FAMILY)],
                born_on=date(1970 + n % 30, 1 + n % 12, 1 + (n * 3) % 28),
                pnc_id=f"{90 + n % 10:02d}/{100000 + n * 37:07d}{'ABCDEFGHJK'[n % 10]}",
                niche_id=f"NICHE-{500000 + n}",
                visor_ref=f"VSR{70000 + n}",
                prison_number=f"A{1000 + n}BC" if in_custody else None,
                address=f"{n} Fictional Road, {district}",
                district=district,
                risk_level=risk,
                description=f"Male, about {20 + n % 30}, slim build, short dark hair"
                if n % 3
                else f"Female, about {25 + n % 20}, shoulder-length fair hair",
                custody_status=CustodyStatus.IN_CUSTODY
                if in_custody
                else CustodyStatus.IN_COMMUNITY,
                officer_id=officer_ids[n % len(officer_ids)],
                read_only=status is OrderStatus.TRANSFERRED_OUT,
                review_on=add_years(today, 6),
            )
            session.add(subject)
            session.flush()
            if n % 4 == 0:
                session.add(Alias(subject_id=subject.id, name=f"'{FAMILY[n % 20][:4]}y'"))
            if n % 6 == 0:
                session.add(Alias(subject_id=subject.id, name=f"Big {GIVEN[n % 20]}"))
            counts["orders"] += _order(session, subject, status, n, today, now, rng)
            if in_custody:
                release = today + timedelta(days=[7, 14, 30, 45, 60, 90, 120, 150][n % 8])
                session.add(
                    ReleaseDate(
                        subject_id=subject.id, kind=ReleaseDateKind.CRD, on=release, recorded_at=now
                    )
                )
            if status in (OrderStatus.ACTIVE, OrderStatus.EXPIRING, OrderStatus.EXPIRED):
                c = _history(session, subject, officer_ids, today, now, rng)
                for key, value in c.items():
                    counts[key] += value
        seed_court_history(uow)  # past breaches with court outcomes (demo/sentencing.py)
        uow.audit(
            "system",
            AuditAction.COLLECTION,
            "demo.seeded",
            detail={"subjects": len(STATES), **counts},
            purpose="demo data",
        )
        uow.commit()
        return SeedReport(len(STATES), **counts)


def _order(
    session: Session,
    subject: Subject,
    status: OrderStatus,
    n: int,
    today: date,
    now: datetime,
    rng: random.Random,
) -> int:
    made_on = today - timedelta(days=60 + n * 20)
    activated = None
    starts = None
    expires = None
    if status in (OrderStatus.ACTIVE, OrderStatus.EXPIRING):
        activated = today - timedelta(days=(30 + n * 40) if status is OrderStatus.ACTIVE else 1700)
        if status is OrderStatus.EXPIRING:
            expires = today + timedelta(days=[170, 85, 29][n % 3])
            activated = expires - timedelta(days=5 * 365 - 10)
        else:
            expires = add_years(activated, 3 + n % 3) - timedelta(days=1)
    elif status in (OrderStatus.EXPIRED, OrderStatus.CLOSED):
        activated = today - timedelta(days=3 * 365 + 20)
        expires = add_years(activated, 3) - timedelta(days=1)
    elif status in IN_CUSTODY:
        starts = today + timedelta(days=[7, 14, 30, 45, 60, 90, 120, 150][n % 8])
    elif status in (OrderStatus.DISCHARGED, OrderStatus.SUPERSEDED, OrderStatus.TRANSFERRED_OUT):
        activated = today - timedelta(days=400)
        expires = latest_expiry(activated)
    if activated is not None:
        made_on = min(made_on, activated - timedelta(days=45))  # made before it came into force
    order = Order(
        ref=f"SCPO-{n:04d}",
        subject_id=subject.id,
        status=status,
        route=OrderRoute.CROWN_COURT_S19 if n % 5 else OrderRoute.HIGH_COURT_S1,
        court=None
        if status in PRE_GRANT
        else ["Leeds Crown Court", "Bradford Crown Court", "High Court (KBD)"][n % 3],
        made_on=None if status in PRE_GRANT else made_on,
        issuing_force="West Yorkshire Police",
        managing_force="West Yorkshire Police",
        commencement=Commencement.ON_RELEASE,
        starts_on=starts,
        activated_on=activated,
        expires_on=expires,
        term_months=60 if status in IN_CUSTODY else None,
        grounds="Involvement in serious crime: supply of controlled drugs (fictional demo).",
        bound_how=None if status in PRE_GRANT else "represented",
        proposed_at=now,
        decision_note="Refused: insufficient evidence (demo)"
        if status is OrderStatus.REFUSED
        else None,
    )
    session.add(order)
    session.flush()
    picks = rng.sample(range(len(CONDITION_LIBRARY)), k=3 + n % 3)
    for number, index in enumerate(sorted(picks), start=1):
        category, wording, duty, days, duty_text, watch = CONDITION_LIBRARY[index]
        session.add(
            Condition(
                order_id=order.id,
                number=number,
                category=category,
                wording=wording,
                duty=duty,
                duty_days=days,
                duty_description=duty_text,
                watch_for=watch,
                starts_on=activated,
            )
        )
    session.add(
        OrderEvent(
            order_id=order.id,
            kind="demo_seeded",
            status_to=status.value,
            effective_on=made_on,
            recorded_at=now,
            note="demo data",
        )
    )
    if status in (OrderStatus.GRANTED, OrderStatus.EXPIRED):
        kind = ChecklistKind.SYSTEMS if status is OrderStatus.GRANTED else ChecklistKind.CLOSURE
        checklist = Checklist(
            kind=kind, order_id=order.id, subject_id=subject.id, opened_on=today - timedelta(days=9)
        )
        session.add(checklist)
        session.flush()
        names = (
            ["PNC", "Niche", "ViSOR", "Corvus", "HMPPS"]
            if kind is ChecklistKind.SYSTEMS
            else [
                "Final checks with subject and probation",
                "Final intelligence",
                "System markers removed",
                "ViSOR archived",
                "Written confirmation of expiry issued",
            ]
        )
        for i, name in enumerate(names):
            session.add(
                ChecklistStep(
                    checklist_id=checklist.id,
                    name=name,
                    done_on=today - timedelta(days=5) if i < 2 else None,
                    reference=f"REF{n}{i}" if i < 2 else None,
                )
            )
    return 1


def _history(
    session: Session,
    subject: Subject,
    officer_ids: list[int | None],
    today: date,
    now: datetime,
    rng: random.Random,
) -> dict[str, int]:
    counts = dict(contacts=0, checks=0, intelligence=0, breaches=0, tasks=0)
    gap = {RiskLevel.VERY_HIGH: 7, RiskLevel.HIGH: 14, RiskLevel.MEDIUM: 30, RiskLevel.LOW: 60}[
        subject.risk_level
    ]
    day = add_months(today, -4) + timedelta(days=rng.randint(0, 6))
    stop = today - timedelta(days=rng.choice([1, 3, 10, 25, 45]))
    while day < stop:
        outcome = rng.choices(list(ContactOutcome), weights=[80, 4, 5, 4, 5, 2])[0]
        session.add(
            Contact(
                subject_id=subject.id,
                occurred_on=day,
                officer_id=rng.choice(officer_ids),
                kind=rng.choice(
                    [
                        ContactKind.HOME_VISIT,
                        ContactKind.CALL,
                        ContactKind.OFFICE_VISIT,
                        ContactKind.PROBATION,
                    ]
                ),
                outcome=outcome,
                location=subject.district,
                absence_reason="GP appointment, letter seen"
                if outcome is ContactOutcome.ACCEPTABLE_ABSENCE
                else None,
                notes="Demo contact note.",
                recorded_at=now,
            )
        )
        counts["contacts"] += 1
        day += timedelta(days=gap + rng.randint(-2, 3))
    for k in range(rng.randint(1, 3)):
        session.add(
            Check(
                subject_id=subject.id,
                kind=rng.choice(list(CheckKind)),
                done_on=today - timedelta(days=10 + 30 * k),
                officer_id=rng.choice(officer_ids),
                result=CheckResult.NO_CONCERNS if k else CheckResult.CONCERN,
                notes=None if k else "ANPR: vehicle seen in Hull at 03:10 (demo)",
                recorded_at=now,
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
            recorded_at=now,
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
            received_at=now - timedelta(days=rng.choice([0, 1, 3, 5])),
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
