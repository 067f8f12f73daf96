"""The rows of a synthetic caseload: people, orders and five years of history per subject."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import text

from lom_bot.config import AppConfig
from lom_bot.demo.bulk import AUDIT_COLUMNS, Bulk
from lom_bot.demo.seed import CONDITION_LIBRARY, FAMILY, GIVEN
from lom_bot.domain.dates import add_years
from lom_bot.domain.enums import (
    AssessmentOutcome as AO,
)
from lom_bot.domain.enums import (
    ContactKind,
    ContactOutcome,
    CustodyStatus,
    ReleaseDateKind,
    RiskLevel,
    Role,
)
from lom_bot.domain.enums import FollowUpKind as FK
from lom_bot.domain.enums import OrderStatus as S
from lom_bot.domain.lifecycle import latest_expiry
from lom_bot.store.queries import subject_ref

if TYPE_CHECKING:
    from lom_bot.demo.synthetic import Scale

COLUMNS: dict[str, tuple[str, ...]] = {
    "users": ("id", "slack_id", "name", "role", "district", "active", "created_at", "updated_at"),
    "subjects": (
        "id", "ref", "given_names", "family_name", "born_on", "pnc_id", "niche_id", "visor_ref",
        "prison_number", "address", "district", "description", "risk_level", "custody_status",
        "officer_id", "read_only", "review_on", "version", "created_at", "updated_at",
    ),
    "aliases": ("id", "subject_id", "name"),
    "orders": (
        "id", "ref", "subject_id", "status", "route", "court", "made_on", "issuing_force",
        "managing_force", "commencement", "starts_on", "activated_on", "expires_on",
        "term_months", "grounds", "bound_how", "proposed_at", "version", "created_at",
        "updated_at",
    ),
    "conditions": (
        "id", "order_id", "number", "category", "wording", "starts_on", "duty", "duty_days",
        "duty_description", "watch_for", "active",
    ),
    "order_events": ("id", "order_id", "kind", "status_to", "effective_on", "note", "recorded_at"),
    "release_dates": ("id", "subject_id", "kind", "on", "recorded_at", "actual"),
    "contacts": (
        "id", "subject_id", "kind", "occurred_on", "officer_id", "location", "outcome",
        "absence_reason", "notes", "evidence_due_on", "recorded_at",
    ),
    "checks": ("id", "subject_id", "kind", "done_on", "officer_id", "result", "notes",
               "recorded_at"),
    "intelligence": (
        "id", "ref", "subject_id", "text", "source_grade", "intel_grade", "handling",
        "handling_conditions", "breach_opportunity", "recorded_by", "recorded_at", "review_on",
    ),
    "disseminations": ("id", "intelligence_id", "recipient", "shared_on", "shared_by"),
    "breach_reports": (
        "id", "ref", "subject_id", "status", "source", "reporter_slack_id", "channel_id",
        "message_ts", "district", "text", "seen_where", "candidates", "match_score", "deleted",
        "received_at",
    ),
    "assessments": ("id", "breach_id", "outcome", "rationale", "excuse_accepted", "decided_by",
                    "decided_at"),
    "follow_ups": ("id", "breach_id", "subject_id", "kind", "due_on", "done_on", "owner_id"),
    "tasks": (
        "id", "ref", "subject_id", "district", "kind", "due_on", "instructions", "status",
        "outcome", "created_by", "done_by", "done_on",
    ),
    "audit_log": AUDIT_COLUMNS,
}  # fmt: skip

# Audit keys pack (day, kind, entity id, subject number, actor index) into one sortable int.
ACTOR_BITS, SUBJECT_BITS, ID_BITS, CODE_BITS = 12, 16, 26, 4
DAY_SHIFT = ACTOR_BITS + SUBJECT_BITS + ID_BITS + CODE_BITS
AUDIT_KINDS = [
    ("subject.created", "subject"),
    ("order.recorded", "order"),
    ("contact.logged", "contact"),
    ("check.logged", "check"),
    ("intelligence.logged", "intelligence"),
    ("breach.reported", "breach_report"),
    ("breach.assessed", "breach_report"),
    ("task.created", "task"),
]


def pack(day: int, code: int, entity_id: int, subject_n: int, actor: int) -> int:
    key = (day << CODE_BITS | code) << ID_BITS | entity_id
    return (key << SUBJECT_BITS | subject_n) << ACTOR_BITS | actor


def unpack(key: int) -> tuple[int, int, int, int]:
    actor = key & ((1 << ACTOR_BITS) - 1)
    key >>= ACTOR_BITS
    subject_n = key & ((1 << SUBJECT_BITS) - 1)
    key >>= SUBJECT_BITS
    entity_id = key & ((1 << ID_BITS) - 1)
    code = (key >> ID_BITS) & ((1 << CODE_BITS) - 1)
    return code, entity_id, subject_n, actor


GIVEN_ALL = [*GIVEN, "Brandon", "Chantelle", "Dwayne", "Jade", "Kieran", "Liam", "Mason",
             "Nadia", "Owen", "Paige", "Reece", "Saima", "Tariq", "Vicky", "Warren", "Yusuf",
             "Abdul", "Bethany", "Connor", "Danielle", "Ellis", "Farhan", "Gareth", "Hayley",
             "Jamal", "Kirsty", "Lewis", "Mohammed", "Niall", "Rhys"]  # fmt: skip
_PREFIX = [
    "Fict",
    "Mad",
    "Pret",
    "Imag",
    "Story",
    "Invent",
    "Placeh",
    "Makeb",
    "Dumm",
    "Fab",
    "Myth",
    "Legend",
    "Unre",
    "Nob",
    "Sampl",
    "Exampl",
    "Pseud",
    "Whims",
    "Fanc",
    "Daydr",
]
_SUFFIX = ["ington", "worth", "ley", "by", "shaw", "croft", "field", "well", "ton", "wood"]
FAMILY_ALL = [*FAMILY, *(p + s for p in _PREFIX for s in _SUFFIX)]

# Roughly West Yorkshire's population split, and a national caseload's mix.
DISTRICT_WEIGHTS = {"Leeds": 33, "Bradford": 23, "Kirklees": 19, "Wakefield": 15, "Calderdale": 10}
RISKS = [RiskLevel.VERY_HIGH, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW]
RISK_WEIGHTS = [10, 30, 40, 20]
BASE_GAP = {RiskLevel.VERY_HIGH: 3.0, RiskLevel.HIGH: 5.0, RiskLevel.MEDIUM: 8.0,
            RiskLevel.LOW: 12.0}  # fmt: skip
STATUS_WEIGHTS = {
    S.ACTIVE: 52, S.EXPIRING: 5, S.AWAITING_ACTIVATION: 12, S.GRANTED: 1, S.RECORDED: 2,
    S.EDUCATED: 2, S.PROPOSED: 2, S.DRAFTED: 2, S.APPROVED: 1, S.SUBMITTED: 2, S.REFUSED: 1,
    S.EXPIRED: 6, S.CLOSED: 8, S.DISCHARGED: 1, S.SUPERSEDED: 2, S.TRANSFERRED_OUT: 1,
}  # fmt: skip
CUSTODY = {S.GRANTED, S.RECORDED, S.AWAITING_ACTIVATION, S.EDUCATED}
APPLYING = {S.PROPOSED, S.DRAFTED, S.APPROVED, S.SUBMITTED}
IN_FORCE = {S.ACTIVE, S.EXPIRING}
COMMUNITY_KINDS = [
    ContactKind.HOME_VISIT,
    ContactKind.CALL,
    ContactKind.OFFICE_VISIT,
    ContactKind.PROBATION,
    ContactKind.EMAIL,
]
PRISON_KINDS = [ContactKind.PRISON_VISIT, ContactKind.LETTER, ContactKind.CALL]
OUTCOMES = [
    ContactOutcome.COMPLIED,
    ContactOutcome.FAILED_TO_COMPLY,
    ContactOutcome.ACCEPTABLE_ABSENCE,
    ContactOutcome.UNACCEPTABLE_ABSENCE,
    ContactOutcome.NO_CONTACT,
]
OUTCOME_CUM = [84, 87, 92, 95, 100]
NOTES = [
    "Seen at home, no concerns.",
    "Discussed conditions; compliant.",
    "Reported new employment; details to verify.",
    "Short call, phone number unchanged.",
    "Partner present; declined to discuss finances.",
    "Bank statements produced.",
    "Vehicle outside not registered to him; noted.",
    "Probation appointment attended.",
]
INTEL_TEXT = [
    "Reported to be using a second phone to arrange meetings.",
    "Seen in company of a named associate at a car wash.",
    "Believed to be storing cash at a relative's address.",
    "Travelling to Hull at night in hire vans.",
    "Has opened a new bank account not declared.",
    "Linked to a new business registered in a family member's name.",
]
RECIPIENTS = ["ROCU", "Probation", "NCA", "HMRC", "District intelligence unit"]
SEEN = [
    "seen driving a hire van",
    "seen with two known associates",
    "seen at a car wash",
    "seen using a second phone",
    "stopped with a large amount of cash",
    "out after curfew",
]
ASSESS = [
    (AO.NO_BREACH, 40),
    (AO.ADVICE, 25),
    (AO.FIRST_WARNING, 18),
    (AO.FINAL_WARNING, 7),
    (AO.INTERVIEW, 5),
    (AO.ARREST, 3),
    (AO.CPS_FILE, 1),
    (AO.RECALL_REFERRAL, 1),
]
FOLLOW = {AO.FIRST_WARNING: FK.WARNING_LETTER, AO.FINAL_WARNING: FK.FINAL_WARNING_LETTER,
          AO.INTERVIEW: FK.INTERVIEW, AO.ARREST: FK.ARREST, AO.CPS_FILE: FK.CPS_FILE,
          AO.RECALL_REFERRAL: FK.RECALL_REFERRAL}  # fmt: skip


@dataclass
class People:
    """Users of the synthetic force: LOM officers carry the caseloads, districts report."""

    slack_ids: list[str]
    index: dict[int, int]  # user id -> position in slack_ids (the audit actor index)
    officers: list[int]  # user ids of LOM officers
    reporters: dict[str, list[int]]  # district -> district officer user ids

    @classmethod
    def make(cls, bulk: Bulk, config: AppConfig, subjects: int, now: datetime) -> People:
        from lom_bot.demo.synthetic import officer_role_counts

        counts = officer_role_counts(subjects)
        known = {r[0] for r in bulk.conn.execute(text("SELECT slack_id FROM users"))}
        next_id = bulk.next_id("users") + 1
        stamp = bulk.ts(now)
        wanted: list[tuple[str, str, Role, str | None]] = []
        for k in range(1, counts[Role.LOM_OFFICER] + 1):
            wanted.append((f"U0SYNO{k:04d}", f"DC Synthetic Officer {k}", Role.LOM_OFFICER, None))
        for k in range(1, counts[Role.LOM_SUPERVISOR] + 1):
            wanted.append((f"U0SYNS{k:04d}", f"DS Synthetic Sup {k}", Role.LOM_SUPERVISOR, None))
        for d, district in enumerate(config.districts):
            for k in range(1, counts[Role.DISTRICT_OFFICER] + 1):
                slack = f"U0SYND{d}{k:03d}"
                wanted.append((slack, f"PC Synthetic {district.name} {k}",
                               Role.DISTRICT_OFFICER, district.name))  # fmt: skip
        for slack, name, role, district_name in wanted:
            if slack not in known:
                bulk.add(
                    "users", (next_id, slack, name, role.value, district_name, True, stamp, stamp)
                )
                next_id += 1
        bulk.flush("users")
        users = list(
            bulk.conn.execute(text("SELECT id, slack_id, role, district FROM users ORDER BY id"))
        )
        if len(users) >= 1 << ACTOR_BITS:
            raise ValueError("too many users for the audit key packing")
        officers = [u[0] for u in users if u[2] == Role.LOM_OFFICER.value]
        reporters = {
            d.name: [u[0] for u in users if u[2] == Role.DISTRICT_OFFICER.value
                     and u[3] == d.name] or officers[:1]
            for d in config.districts
        }  # fmt: skip
        return cls([u[1] for u in users], {u[0]: i for i, u in enumerate(users)}, officers,
                   reporters)  # fmt: skip


@dataclass
class Plan:
    """One subject's shape: where, how risky, the order's state and its history window."""

    district: str
    risk: RiskLevel
    status: S
    custody: bool
    made_on: date | None
    activated: date | None
    expires: date | None
    starts: date | None
    opened: date  # when the subject came onto the caseload
    start: int  # history window, as date ordinals
    end: int
    gap_factor: float


class Generator:
    """Writes one subject and everything recorded about them; collects their audit keys."""

    def __init__(
        self, bulk: Bulk, config: AppConfig, people: People, rng: random.Random, today: date,
        now: datetime, scale: Scale,
    ) -> None:  # fmt: skip
        if scale.subjects >= 1 << SUBJECT_BITS:
            raise ValueError("too many subjects for the audit key packing")
        self.bulk, self.people, self.rng, self.today, self.scale = bulk, people, rng, today, scale
        self.channels = {d.name: d.channel.id for d in config.districts}
        names = [d.name for d in config.districts]
        self.districts = names
        self.district_weights = [DISTRICT_WEIGHTS.get(n, 10) for n in names]
        self.stamp = bulk.ts(now)
        self.ids = {t: bulk.next_id(t) for t in COLUMNS if t not in ("users", "audit_log")}
        self.audit_keys: list[int] = []
        self.subject_refs: dict[int, str] = {}
        self._iso: dict[int, str] = {}
        self.plans = [self._plan() for _ in range(scale.subjects)]
        expected = sum((p.end - p.start) / (BASE_GAP[p.risk] * p.gap_factor) for p in self.plans)
        # Stretch every gap by one factor so the caseload lands near the scale's contact total.
        self.gap_scale = expected / max(1.0, scale.contacts_per_subject * scale.subjects)

    # -- helpers -------------------------------------------------------------------------

    def iso(self, ordinal: int) -> str:
        value = self._iso.get(ordinal)
        if value is None:
            value = self._iso[ordinal] = date.fromordinal(ordinal).isoformat()
        return value

    def iso_date(self, ordinal: int) -> date:
        return date.fromordinal(ordinal)

    def next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def audit(self, day: int, code: int, entity_id: int, n: int, user_id: int) -> None:
        self.audit_keys.append(pack(day, code, entity_id, n, self.people.index[user_id]))

    def count(self, mean: float) -> int:
        """A whole number with the given mean (stochastic rounding)."""
        return int(mean + self.rng.random())

    # -- planning ------------------------------------------------------------------------

    def _plan(self) -> Plan:
        rng, today = self.rng, self.today
        t = today.toordinal()
        district = rng.choices(self.districts, self.district_weights)[0]
        risk = rng.choices(RISKS, RISK_WEIGHTS)[0]
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        five_years = t - 5 * 365
        made = activated = expires = starts = None
        factor = 1.0
        lag = int(rng.expovariate(1 / 6))  # days since the last contact
        if status in IN_FORCE:
            term = rng.choice([3, 4, 5, 5])
            if status is S.EXPIRING:
                expires = today + timedelta(days=rng.randint(1, 180))
            else:
                expires = today + timedelta(days=rng.randint(181, term * 365 - 30))
            activated = add_years(expires + timedelta(days=1), -term)
            made = activated - timedelta(days=rng.randint(30, 400))
            start, end = max(five_years, activated.toordinal() - 120), t - lag
        elif status in CUSTODY:
            made = today - timedelta(days=rng.randint(20, 700))
            starts = today + timedelta(days=rng.randint(7, 500))
            start, end, factor = max(five_years, made.toordinal() - 60), t - lag, 4.0
        elif status in APPLYING:
            start, end, factor = t - rng.randint(5, 200), t - lag, 2.0
        elif status is S.REFUSED:
            start = t - rng.randint(100, 1500)
            end, factor = start + rng.randint(30, 90), 2.0
        else:  # ended: expired, closed, discharged, superseded, transferred out
            if status in (S.EXPIRED, S.CLOSED):
                expires = today - timedelta(days=rng.randint(1, 60) if status is S.EXPIRED
                                            else rng.randint(61, 1200))  # fmt: skip
                activated = add_years(expires + timedelta(days=1), -rng.choice([2, 3, 5]))
            else:
                activated = today - timedelta(days=rng.randint(200, 1500))
                expires = latest_expiry(activated)
            made = activated - timedelta(days=rng.randint(30, 400))
            ended = min(t, expires.toordinal(), activated.toordinal() + rng.randint(150, 1800))
            start, end = max(five_years, activated.toordinal() - 120), ended
        custody = status in CUSTODY or (status in APPLYING and rng.random() < 0.4)
        opened = date.fromordinal(min(start, t) - 1)
        return Plan(district, risk, status, custody, made, activated, expires, starts, opened,
                    start, max(start, end), factor)  # fmt: skip

    # -- writing -------------------------------------------------------------------------

    def subject(self, n: int) -> None:
        from lom_bot.demo.synthetic_history import write_history

        plan = self.plans[n - 1]
        sid = self.next("subjects")
        self.subject_refs[n] = ref = subject_ref(sid)
        officer = self.people.officers[(n - 1) % len(self.people.officers)]
        self._subject_row(sid, ref, n, plan, officer)
        self._order(sid, n, plan, officer)
        write_history(self, sid, ref, n, plan, officer)

    def _subject_row(self, sid: int, ref: str, n: int, plan: Plan, officer: int) -> None:
        rng, b = self.rng, self.bulk
        given, family = rng.choice(GIVEN_ALL), rng.choice(FAMILY_ALL)
        born = self.today - timedelta(days=rng.randint(20 * 365, 65 * 365))
        pnc = f"{rng.randint(80, 99):02d}/{sid:07d}{'ABCDEFGHJKLMNPQRTUVWXYZ'[sid % 23]}"
        stamp = b.ts(datetime.combine(plan.opened, time(9), UTC))
        b.add("subjects", (
            sid, ref, given, family, born.isoformat(), pnc, f"NICHE-{700000 + sid}",
            f"VSR{500000 + sid}", f"A{sid:05d}BC" if plan.custody else None,
            f"{rng.randint(1, 199)} Fictional {rng.choice(['Road', 'Street', 'Lane', 'Close'])}, "
            f"{plan.district}", plan.district,
            rng.choice(["Male, slim build, short dark hair", "Male, stocky, shaved head",
                        "Female, shoulder-length fair hair", "Male, tall, beard"]),
            plan.risk.value,
            (CustodyStatus.IN_CUSTODY if plan.custody else CustodyStatus.IN_COMMUNITY).value,
            officer, plan.status is S.TRANSFERRED_OUT, add_years(self.today, 6).isoformat(), 1,
            stamp, stamp,
        ))  # fmt: skip
        if rng.random() < 0.25:
            alias = f"'{family[:4]}y'" if rng.random() < 0.5 else f"Big {given}"
            b.add("aliases", (self.next("aliases"), sid, alias))
        if plan.custody:
            release = plan.starts or self.today + timedelta(days=rng.randint(7, 400))
            b.add("release_dates", (self.next("release_dates"), sid, ReleaseDateKind.CRD.value,
                                    release.isoformat(), self.stamp, False))  # fmt: skip
        self.audit(plan.opened.toordinal(), 0, sid, n, officer)

    def _order(self, sid: int, n: int, plan: Plan, officer: int) -> None:
        rng, b = self.rng, self.bulk
        oid = self.next("orders")
        granted = plan.made_on is not None
        d = _iso
        b.add("orders", (
            oid, f"SCPO-{oid:05d}", sid, plan.status.value,
            "crown_court_s19" if rng.random() < 0.8 else "high_court_s1",
            rng.choice(["Leeds Crown Court", "Bradford Crown Court", "High Court (KBD)"])
            if granted else None,
            d(plan.made_on), "West Yorkshire Police", "West Yorkshire Police", "on_release",
            d(plan.starts), d(plan.activated), d(plan.expires), 60 if plan.starts else None,
            "Involvement in serious crime (synthetic).", "represented" if granted else None,
            b.ts(datetime.combine(plan.opened, time(9), UTC)), 1,
            self.stamp, self.stamp,
        ))  # fmt: skip
        picks = sorted(rng.sample(range(len(CONDITION_LIBRARY)), k=rng.randint(3, 6)))
        for number, index in enumerate(picks, start=1):
            category, wording, duty, days, duty_text, watch = CONDITION_LIBRARY[index]
            b.add("conditions", (
                self.next("conditions"), oid, number, category.value, wording,
                d(plan.activated), duty.value, days, duty_text, watch, True,
            ))  # fmt: skip
        effective = plan.made_on or plan.opened
        b.add("order_events", (self.next("order_events"), oid, "synthetic_seeded",
                               plan.status.value, effective.isoformat(), "synthetic data",
                               self.stamp))  # fmt: skip
        self.audit(effective.toordinal(), 1, oid, n, officer)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def json_list(values: list[str]) -> str:
    return json.dumps(values)
