"""Who may do what: the matrix in docs/security.md is generated from the code's MATRIX, and every
cell that denies is tested, at `require` and at a real service for that action.

Regenerate the table after changing MATRIX with `python -m tests.test_permissions`."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lom_bot.domain.enums import (
    AssessmentOutcome,
    CheckKind,
    CheckResult,
    ContactKind,
    ContactOutcome,
    OrderStatus,
    RiskLevel,
    Role,
    TaskKind,
)
from lom_bot.domain.errors import NotAuthorised
from lom_bot.domain.grading import parse_grading
from lom_bot.runtime import Runtime
from lom_bot.services.permissions import MATRIX, Action, Actor, require
from lom_bot.store.tables import AuditEntry, BreachReport, Intelligence, Order, Subject, Task
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "security.md"
BEGIN, END = "<!-- matrix:begin -->", "<!-- matrix:end -->"

# The data each action reaches: the third dimension of the matrix.
DATA: dict[Action, str] = {
    Action.VIEW_SUBJECT: "full card: identifiers, address, order, contacts, breaches, follow-ups",
    Action.VIEW_SUBJECT_LIMITED: "identity, photo-free description, conditions to watch, "
    "open tasks (district officers: own district only)",
    Action.LIST_CASELOAD: "list of subjects (district officers: own district, no risk/dates)",
    Action.EDIT_SUBJECT: "subject identity, risk, custody status, address, release dates",
    Action.LOG_CONTACT: "contacts and their outcomes",
    Action.LOG_CHECK: "compliance checks",
    Action.LOG_INTEL: "graded intelligence (3x5x2)",
    Action.VIEW_INTEL: "intelligence text, grading and handling conditions",
    Action.REPORT_BREACH: "breach reports (what was seen, when, where)",
    Action.ASSESS_BREACH: "assessments, enforcement decisions, follow-ups",
    Action.CREATE_TASK: "tasks for a district (district told by reference only)",
    Action.COMPLETE_TASK: "task outcomes (district officers: own district)",
    Action.VIEW_DUE: "due and overdue work per officer",
    Action.MANAGE_ORDER: "orders, conditions, court events, checklists, transfers",
    Action.APPROVE_APPLICATION: "an order application before it goes to the CPS",
    Action.OVERRIDE_GATE: "the education-visit gate (with a recorded reason)",
    Action.GENERATE_LETTER: "warning letters (Word documents kept with the record)",
    Action.VIEW_STATS: "team statistics, the weekly summary",
    Action.VIEW_AUDIT: "the audit log (export, /lom audit)",
    Action.EXPORT: "exports of records without intelligence",
    Action.EXPORT_SENSITIVE: "exports including intelligence",
    Action.IMPORT: "bulk import of a register",
    Action.MANAGE_ROLES: "users and their roles",
    Action.RETENTION_DECISION: "retain or erase a record at review",
    Action.HANDOVER_CASELOAD: "which officer holds which subjects (cover or for good)",
}

ROLE_LABELS = {
    Role.LOM_OFFICER: "LOM officer",
    Role.LOM_SUPERVISOR: "LOM supervisor",
    Role.DISTRICT_OFFICER: "District officer",
    Role.ADMIN: "Admin",
}


def matrix_markdown() -> str:
    """The matrix as a Markdown table: one row per action, one column per role."""
    roles = list(Role)
    head = "| Action | Data | " + " | ".join(ROLE_LABELS[r] for r in roles) + " |"
    rule = "|---|---|" + "|".join(":-:" for _ in roles) + "|"
    rows = [
        f"| `{a.value}` | {DATA[a]} | "
        + " | ".join("yes" if a in MATRIX[r] else "-" for r in roles)
        + " |"
        for a in Action
    ]
    return "\n".join([head, rule, *rows])


def doc_table() -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(re.escape(BEGIN) + r"\n(.*?)\n" + re.escape(END), text, re.S)
    assert match, f"{DOC} has no {BEGIN} ... {END} block"
    return match.group(1)


def write_doc() -> None:
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    DOC.write_text(text[:start] + "\n" + matrix_markdown() + "\n" + text[end:], encoding="utf-8")


DENIED = [(role, action) for role in Role for action in Action if action not in MATRIX[role]]


def test_every_action_says_what_data_it_reaches() -> None:
    assert set(DATA) == set(Action)


def test_the_documented_matrix_is_the_one_the_code_enforces() -> None:
    assert doc_table() == matrix_markdown(), "run: python -m tests.test_permissions"


def test_every_test_named_in_docs_security_md_exists() -> None:
    """Each claim in docs/security.md names its proof; a renamed or removed test fails here."""
    text = DOC.read_text(encoding="utf-8")
    named = 0
    current: Path | None = None
    for span in re.findall(r"`([^`]+)`", text):
        match = re.fullmatch(r"(tests/[\w/]+\.py|test_\w+\.py)?::(\w+)\*?", span)
        file_only = re.fullmatch(r"(test_\w+\.py|tests/e2e/\w+\.py)", span)
        if file_only:
            current = ROOT / ("tests/" + span if not span.startswith("tests/") else span)
            assert current.exists(), span
            continue
        if match is None:
            continue
        if match.group(1):
            path = match.group(1)
            current = ROOT / (path if path.startswith("tests/") else "tests/" + path)
        assert current is not None and current.exists(), span
        assert re.search(rf"def {match.group(2)}\(", current.read_text(encoding="utf-8")), span
        named += 1
    assert named > 60, named


def test_unknown_and_revoked_users_are_not_authorised(runtime: Runtime, admin: Actor) -> None:
    from lom_bot.services.actors import load_actor, set_role

    assert set(MATRIX) == set(Role)
    with pytest.raises(NotAuthorised, match="not authorised"):
        load_actor(runtime.uow(), "U0NOBODY")
    assert load_actor(runtime.uow(), "U0OFF2").role is Role.LOM_OFFICER
    set_role(runtime.uow(), admin, "U0OFF2", None, None)
    with pytest.raises(NotAuthorised, match="not authorised"):
        load_actor(runtime.uow(), "U0OFF2")


@pytest.mark.parametrize(("role", "action"), DENIED, ids=[f"{r}-{a}" for r, a in DENIED])
def test_require_denies(role: Role, action: Action) -> None:
    actor = Actor("U0TEST", "Test", role, 1, "Leeds" if role is Role.DISTRICT_OFFICER else None)
    with pytest.raises(NotAuthorised, match=action.value.replace("_", " ")):
        require(actor, action)


# --- the same denials at the services --------------------------------------------------------

Probe = Callable[[Runtime, Actor], object]
WITHHELD = "withheld"  # the service answered, without the data the action would give


def _open_breach(rt: Runtime) -> int:
    with rt.uow() as uow:
        found = uow.session.scalar(select(BreachReport.id).order_by(BreachReport.id))
        assert found is not None
        return int(found)


def _order_in(rt: Runtime, *statuses: OrderStatus) -> str:
    with rt.uow() as uow:
        found = uow.session.scalar(
            select(Subject.ref)
            .join(Order, Order.subject_id == Subject.id)
            .where(Order.status.in_(statuses), Subject.district == "Leeds")
            .order_by(Subject.ref)
        ) or uow.session.scalar(
            select(Subject.ref)
            .join(Order, Order.subject_id == Subject.id)
            .where(Order.status.in_(statuses))
            .order_by(Subject.ref)
        )
        assert found is not None
        return str(found)


def _leeds_subject(rt: Runtime) -> str:
    with rt.uow() as uow:
        ref = uow.session.scalar(
            select(Subject.ref).where(Subject.district == "Leeds").order_by(Subject.ref)
        )
        assert ref is not None
        return str(ref)


def _open_task(rt: Runtime) -> str:
    with rt.uow() as uow:
        ref = uow.session.scalar(select(Task.ref).order_by(Task.id))
        assert ref is not None
        return str(ref)


def _card(rt: Runtime, actor: Actor, *, intel: bool) -> object:
    from lom_bot.services.readmodels.card import load_card

    with rt.uow() as uow:
        # A Leeds subject with intelligence on record, so a card without it means withheld.
        ref = uow.session.scalar(
            select(Subject.ref)
            .join(Intelligence, Intelligence.subject_id == Subject.id)
            .where(Subject.district == "Leeds")
            .order_by(Subject.ref)
        )
        assert ref is not None
        card = load_card(uow, actor, ref, with_intel=True)
    if intel:
        return WITHHELD if not card.intel and not card.intel_count else "intelligence shown"
    return card


def _probe_view_subject(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.orders.history import view_order

    return view_order(rt.uow(), actor, _order_in(rt, OrderStatus.ACTIVE))


def _probe_caseload(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.readmodels.caseload import load_caseload

    with rt.uow() as uow:
        return load_caseload(uow, actor, "all")


def _probe_edit(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.subjects import update_subject

    return update_subject(rt.uow(), actor, _leeds_subject(rt), risk_level=RiskLevel.LOW)


def _probe_contact(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.records import LogContact, log_contact

    cmd = LogContact(_leeds_subject(rt), ContactKind.CALL, ContactOutcome.COMPLIED, TODAY)
    return log_contact(rt.uow(), actor, cmd)


def _probe_check(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.records import LogCheck, log_check

    cmd = LogCheck(_leeds_subject(rt), CheckKind.PNC, CheckResult.NO_CONCERNS, TODAY)
    return log_check(rt.uow(), actor, cmd)


def _probe_intel(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.records import LogIntel, log_intelligence

    cmd = LogIntel(_leeds_subject(rt), "seen with a known associate", parse_grading("2BP"))
    return log_intelligence(rt.uow(), actor, cmd)


def _probe_report(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.breaches import ReportBreach, report_breach

    cmd = ReportBreach("command", f"{_leeds_subject(rt)} seen driving", actor.slack_id)
    return report_breach(rt.uow(), actor, cmd)


def _probe_assess(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.breach_assess import AssessBreach, assess_breach

    cmd = AssessBreach(_open_breach(rt), AssessmentOutcome.NO_BREACH, "nothing in it")
    return assess_breach(rt.uow(), actor, cmd)


def _probe_task(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.tasks import CreateTask, create_task

    with rt.uow() as uow:
        cmd = CreateTask(_leeds_subject(rt), TaskKind.STOP_CHECK, date(2026, 12, 1))
        return create_task(uow, actor, cmd)


def _probe_complete(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.tasks import complete_task

    return complete_task(rt.uow(), actor, _open_task(rt), "done")


def _probe_due(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.digest import due_for

    return due_for(rt.uow(), actor)


def _probe_order(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.orders.application import ProposeOrder, propose

    return propose(rt.uow(), actor, ProposeOrder(_leeds_subject(rt), "grounds"))


def _probe_approve(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.orders.application import Review, approve

    return approve(rt.uow(), actor, Review(_order_in(rt, OrderStatus.DRAFTED)))


def _probe_override(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.orders.activation import Activate, activate

    ref = _order_in(rt, OrderStatus.AWAITING_ACTIVATION)
    return activate(rt.uow(), actor, Activate(ref, TODAY, override_reason="released early"))


def _probe_letter(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.letters import GenerateLetter, generate_letter

    ref = _order_in(rt, OrderStatus.ACTIVE)
    return generate_letter(rt.uow(), actor, GenerateLetter("warning_letter", subject=ref))


def _probe_audit(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.audit import export_audit

    return export_audit(rt.uow(), actor, subject_ref="LOM-0001")


def _probe_import(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.importer.service import import_register

    return import_register(rt.uow(), actor, ROOT / "does-not-matter.xlsx", dry_run=True)


def _probe_roles(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.actors import set_role

    return set_role(rt.uow(), actor, "U0OFF2", None, Role.ADMIN)


def _probe_handover(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.handover import HandOver, hand_over

    return hand_over(rt.uow(), actor, HandOver("U0OFF1", "U0OFF2", (), TODAY))


def _probe_retention(rt: Runtime, actor: Actor) -> object:
    from lom_bot.services.retention import Decision, RecordKind, RecordRef, decide_retention

    record = RecordRef(RecordKind.SUBJECT, _leeds_subject(rt))
    return decide_retention(rt.uow(), actor, record, Decision.RETAIN, "review")


PROBES: dict[Action, Probe] = {
    Action.VIEW_SUBJECT: _probe_view_subject,
    Action.VIEW_SUBJECT_LIMITED: lambda rt, actor: _card(rt, actor, intel=False),
    Action.LIST_CASELOAD: _probe_caseload,
    Action.EDIT_SUBJECT: _probe_edit,
    Action.LOG_CONTACT: _probe_contact,
    Action.LOG_CHECK: _probe_check,
    Action.LOG_INTEL: _probe_intel,
    Action.VIEW_INTEL: lambda rt, actor: _card(rt, actor, intel=True),
    Action.REPORT_BREACH: _probe_report,
    Action.ASSESS_BREACH: _probe_assess,
    Action.CREATE_TASK: _probe_task,
    Action.COMPLETE_TASK: _probe_complete,
    Action.VIEW_DUE: _probe_due,
    Action.MANAGE_ORDER: _probe_order,
    Action.APPROVE_APPLICATION: _probe_approve,
    Action.OVERRIDE_GATE: _probe_override,
    Action.GENERATE_LETTER: _probe_letter,
    Action.VIEW_AUDIT: _probe_audit,
    Action.IMPORT: _probe_import,
    Action.MANAGE_ROLES: _probe_roles,
    Action.RETENTION_DECISION: _probe_retention,
    Action.HANDOVER_CASELOAD: _probe_handover,
}
# Actions no service enforces yet (checked only where a handler calls `can`): see the report.
WITHOUT_SERVICE = {Action.VIEW_STATS, Action.EXPORT, Action.EXPORT_SENSITIVE}
SERVICE_DENIED = [(r, a) for r, a in DENIED if a in PROBES]


def test_every_action_has_a_service_probe_or_is_listed_as_not_yet_enforced() -> None:
    assert set(PROBES) | WITHOUT_SERVICE == set(Action)
    assert not set(PROBES) & WITHOUT_SERVICE


@pytest.fixture(scope="module")
def _roles() -> dict[Role, str]:
    return {
        Role.LOM_OFFICER: "U0OFF1",
        Role.LOM_SUPERVISOR: "U0SUPER",
        Role.DISTRICT_OFFICER: "U0LEEDS",
        Role.ADMIN: "U0ADMIN",
    }


@pytest.mark.parametrize(
    ("role", "action"), SERVICE_DENIED, ids=[f"{r}-{a}" for r, a in SERVICE_DENIED]
)
def test_the_service_denies(
    demo: Runtime, role: Role, action: Action, _roles: dict[Role, str]
) -> None:
    from lom_bot.services.actors import load_actor

    actor = load_actor(demo.uow(), _roles[role])
    refusal = AuditEntry.action == "refusal"
    with demo.uow() as uow:
        before = uow.session.scalar(select(func.count(AuditEntry.id)).where(~refusal))
        refusals = uow.session.scalar(select(func.count(AuditEntry.id)).where(refusal))
    refused = False
    try:
        outcome = PROBES[action](demo, actor)
    except NotAuthorised:
        outcome, refused = WITHHELD, True
    assert outcome == WITHHELD
    if action is not Action.VIEW_INTEL:  # a limited card is a consultation, and audited
        with demo.uow() as uow:
            # nothing written but the refusal's own audit entry
            assert uow.session.scalar(select(func.count(AuditEntry.id)).where(~refusal)) == before
            now = uow.session.scalar(select(func.count(AuditEntry.id)).where(refusal))
            assert now == (refusals or 0) + (1 if refused else 0)


def _allowed_role(action: Action) -> Role:
    order = (Role.LOM_SUPERVISOR, Role.ADMIN)
    return next(r for r in order if action in MATRIX[r])


@pytest.mark.parametrize("action", list(PROBES), ids=[a.value for a in PROBES])
def test_each_probe_succeeds_for_a_role_that_is_allowed(
    demo: Runtime, action: Action, _roles: dict[Role, str]
) -> None:
    """So a denial above is the permission speaking, not a probe that always fails."""
    from lom_bot.domain.errors import DomainError
    from lom_bot.services.actors import load_actor

    actor = load_actor(demo.uow(), _roles[_allowed_role(action)])
    try:
        outcome = PROBES[action](demo, actor)
    except NotAuthorised:
        pytest.fail(f"{action} was refused to {actor.role}")
    except DomainError:
        outcome = "refused by a domain rule, not by permission"
    assert outcome != WITHHELD


if __name__ == "__main__":
    write_doc()
    sys.stdout.write(f"Wrote the matrix to {DOC}\n")


def test_every_permission_is_described_in_words_for_the_help() -> None:
    from lom_bot.services.permissions import ACTION_WORDS, Action

    assert set(ACTION_WORDS) == set(Action)
