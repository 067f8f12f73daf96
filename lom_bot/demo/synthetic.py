"""Synthetic caseloads at force (500 subjects) and national (10,000) scale, bulk-written.

Every subject gets an order in a realistic state, conditions, and up to five years of history
(contacts, checks, intelligence, breach reports with assessments, tasks); each record gets its
audit entry, chained in time order. All names are plainly fictional.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlalchemy.engine import Engine

from lom_bot.config import AppConfig
from lom_bot.demo import synthetic_rows as rows
from lom_bot.demo.bulk import AuditChain, Bulk
from lom_bot.domain.enums import Role


@dataclass(frozen=True)
class Scale:
    """How big a caseload to make; per-subject figures give ~2M contacts at 10,000 subjects."""

    name: str
    subjects: int
    years: int = 5
    contacts_per_subject: float = 200.0
    checks_per_subject: float = 20.0
    intelligence_per_subject: float = 10.0
    breaches_per_subject: float = 2.0
    tasks_per_subject: float = 2.0


SCALES = {"force": Scale("force", 500), "national": Scale("national", 10_000)}


@dataclass
class SyntheticReport:
    scale: str
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        shown = ", ".join(f"{n} {t}" for t, n in self.counts.items() if n)
        return f"{self.scale} scale in {self.seconds:.1f}s: {shown}"


def seed_synthetic(
    engine: Engine, config: AppConfig, scale: Scale, *, today: date, seed: int = 7
) -> SyntheticReport | None:
    """Bulk-write a synthetic caseload into an empty database; None if it has subjects."""
    started = time.perf_counter()
    rng = random.Random(seed)
    now = datetime.combine(today, datetime.min.time(), UTC).replace(hour=7)
    with engine.begin() as conn:
        if conn.execute(text("SELECT COUNT(*) FROM subjects")).scalar_one():
            return None
        bulk = Bulk(conn, rows.COLUMNS)
        people = rows.People.make(bulk, config, scale.subjects, now)
        chain = AuditChain(bulk)
        gen = rows.Generator(bulk, config, people, rng, today, now, scale)
        for n in range(1, scale.subjects + 1):
            gen.subject(n)
        bulk.flush()
        _write_audit(chain, gen.audit_keys, people, gen)
        bulk.finish()
        counts = {t: c for t, c in bulk.counts.items() if c}
    _analyse(engine)
    return SyntheticReport(scale.name, time.perf_counter() - started, counts)


def _write_audit(
    chain: AuditChain, keys: list[int], people: rows.People, gen: rows.Generator
) -> None:
    """One collection entry per record, in time order, spread over each working day."""
    keys.sort()
    per_day = Counter(key >> rows.DAY_SHIFT for key in keys)
    rank = 0
    last_day = -1
    for key in keys:
        day = key >> rows.DAY_SHIFT
        if day != last_day:
            rank, last_day = 0, day
            day_iso = date.fromordinal(day).isoformat()
        seconds = 8 * 3600 + rank * 36_000 // per_day[day]
        rank += 1
        code, entity_id, subject_n, actor = rows.unpack(key)
        what, entity = rows.AUDIT_KINDS[code]
        chain.add(
            day_iso,
            seconds,
            people.slack_ids[actor],
            what,
            entity,
            entity_id,
            gen.subject_refs[subject_n],
        )
    chain.finish()


def _analyse(engine: Engine) -> None:
    """Fresh planner statistics: bulk loads leave them stale."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")


def officer_role_counts(subjects: int) -> dict[Role, int]:
    """About 40 subjects per LOM officer, a supervisor per ten, 3 district officers each."""
    officers = max(4, subjects // 40)
    return {
        Role.LOM_OFFICER: officers,
        Role.LOM_SUPERVISOR: max(1, officers // 10),
        Role.DISTRICT_OFFICER: 3,
    }
