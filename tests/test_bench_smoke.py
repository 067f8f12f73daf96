"""The synthetic caseload behind `make bench`, tiny: sane shapes, an audit chain that verifies."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from lom_bot.demo.synthetic import Scale, SyntheticReport, seed_synthetic
from lom_bot.domain.enums import ContactKind, ContactOutcome, OrderStatus
from lom_bot.domain.lifecycle import latest_expiry
from lom_bot.runtime import Runtime
from lom_bot.services.records import LogContact, log_contact
from lom_bot.store import queries
from lom_bot.store.tables import (
    Assessment,
    AuditEntry,
    AuditHead,
    BreachReport,
    Check,
    Contact,
    Intelligence,
    Order,
    Subject,
    Task,
    User,
)
from lom_bot.store.uow import GENESIS, audit_fields, entry_hash
from tests.conftest import TODAY, actor_for, both_databases

TINY = Scale("tiny", 30)


def seeded(runtime: Runtime) -> SyntheticReport:
    report = seed_synthetic(runtime.engine, runtime.config, TINY, today=TODAY)
    assert report is not None
    return report


def count(runtime: Runtime, column: InstrumentedAttribute[int]) -> int:
    with runtime.uow() as uow:
        return int(uow.session.scalar(select(func.count(column))) or 0)


def assert_chain_verifies(runtime: Runtime) -> int:
    """Recompute every hash from the stored fields, as an auditor would."""
    with runtime.uow() as uow:
        prev, seq = GENESIS, 0
        for entry in uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
            seq += 1
            assert entry.seq == seq
            assert entry.prev_hash == prev
            prev = entry_hash(prev, audit_fields(entry.seq, entry.at, entry))
            assert entry.hash == prev, f"audit entry {entry.seq} ({entry.what}) does not verify"
        head = uow.session.get(AuditHead, 1)
        assert head is not None and (head.seq, head.hash) == (seq, prev)
    return seq


@both_databases
def test_a_synthetic_caseload_writes_an_audit_chain_that_verifies_and_continues(
    runtime: Runtime,
) -> None:
    before = count(runtime, AuditEntry.id)
    report = seeded(runtime)
    records = sum(
        report.counts.get(table, 0)
        for table in ("subjects", "orders", "contacts", "checks", "intelligence",
                      "breach_reports", "assessments", "tasks")
    )  # fmt: skip
    assert assert_chain_verifies(runtime) == before + records
    # The live unit of work carries on from the bulk-written tip.
    with runtime.uow() as uow:
        ref = uow.session.scalars(
            select(Subject.ref).join(Order).where(Order.status == OrderStatus.ACTIVE)
        ).first()
    assert ref is not None
    officer = actor_for(runtime, "U0OFF1")
    log_contact(
        runtime.uow(),
        officer,
        LogContact(ref, ContactKind.CALL, ContactOutcome.COMPLIED, TODAY),
    )
    assert assert_chain_verifies(runtime) > before + records


def test_counts_follow_the_scale_per_subject(runtime: Runtime) -> None:
    report = seeded(runtime)
    assert count(runtime, Subject.id) == 30
    assert count(runtime, Order.id) == 30
    contacts = count(runtime, Contact.id)
    assert report.counts["contacts"] == contacts
    assert 0.8 * 30 * TINY.contacts_per_subject <= contacts <= 1.2 * 30 * TINY.contacts_per_subject
    assert 0.05 * contacts <= count(runtime, Check.id) <= 0.15 * contacts
    assert 0.02 * contacts <= count(runtime, Intelligence.id) <= 0.08 * contacts
    assert count(runtime, BreachReport.id) >= 0.005 * contacts
    assert count(runtime, Task.id) >= 0.005 * contacts
    # Every report older than a few days has been assessed, once.
    assert count(runtime, Assessment.id) <= count(runtime, BreachReport.id)


def test_subjects_spread_over_the_configured_districts_risks_and_states(
    runtime: Runtime,
) -> None:
    seeded(runtime)
    with runtime.uow() as uow:
        subjects = list(uow.session.scalars(select(Subject)))
        orders = list(uow.session.scalars(select(Order)))
    districts = Counter(s.district for s in subjects)
    assert set(districts) <= {d.name for d in runtime.config.districts}
    assert len(districts) >= 3
    assert len({s.risk_level for s in subjects}) >= 3
    states = Counter(o.status for o in orders)
    assert len(states) >= 4
    assert states[OrderStatus.ACTIVE] == max(states.values())  # most orders are in force


def test_orders_respect_the_five_year_cap_and_history_stays_in_the_past(
    runtime: Runtime,
) -> None:
    seeded(runtime)
    with runtime.uow() as uow:
        for order in uow.session.scalars(select(Order).where(Order.activated_on.is_not(None))):
            assert order.expires_on is not None and order.activated_on is not None
            assert order.expires_on <= latest_expiry(order.activated_on)
        first, last = uow.session.execute(
            select(func.min(Contact.occurred_on), func.max(Contact.occurred_on))
        ).one()
    assert last <= TODAY
    assert first >= TODAY - timedelta(days=5 * 365 + 130)


def test_subjects_are_found_by_reference_and_carry_caseload_officers(runtime: Runtime) -> None:
    seeded(runtime)
    with runtime.uow() as uow:
        subject = queries.by_ref(uow.session, "LOM-0007")
        assert subject is not None and subject.ref == "LOM-0007"
        assert subject.created_at.tzinfo is not None
        officer = uow.session.get(User, subject.officer_id)
        assert officer is not None and officer.role is not None
        assert officer.role.value == "lom_officer"


def test_seeding_a_database_that_has_subjects_adds_nothing(runtime: Runtime) -> None:
    seeded(runtime)
    contacts = count(runtime, Contact.id)
    assert seed_synthetic(runtime.engine, runtime.config, TINY, today=TODAY) is None
    assert count(runtime, Contact.id) == contacts


def test_the_seed_command_refuses_an_unknown_scale_with_one_line() -> None:
    from click.testing import CliRunner

    from lom_bot.cli import cli

    result = CliRunner().invoke(cli, ["demo", "seed", "--scale", "galaxy"])
    assert result.exit_code != 0
    assert "'galaxy' is not one of 'demo', 'force', 'national'" in result.output
