"""Look-ups: a list of names shown for a choice is audited as consultation of each subject;
`%` is not a wildcard; another district's reference or PNC ID reads as no match."""

from __future__ import annotations

from sqlalchemy import func, select

from lom_bot.services.audit import verify_chain
from lom_bot.store.tables import AuditEntry, Subject
from tests import test_breach_support as support
from tests.e2e.harness import SlackHarness

db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template


def entries(slack: SlackHarness, what: str) -> list[AuditEntry]:
    with slack.rt.uow() as uow:
        return list(
            uow.session.scalars(
                select(AuditEntry).where(AuditEntry.what == what).order_by(AuditEntry.seq)
            )
        )


def a_shared_family_name(slack: SlackHarness) -> str:
    with slack.rt.uow() as uow:
        name, _ = uow.session.execute(
            select(Subject.family_name, func.count(Subject.id))
            .group_by(Subject.family_name)
            .order_by(func.count(Subject.id).desc())
        ).first() or ("", 0)
    return str(name)


def test_an_ambiguous_search_audits_a_consultation_of_each_subject_listed(
    slack: SlackHarness,
) -> None:
    family = a_shared_family_name(slack)
    before = len(entries(slack, "subject.listed"))
    result = slack.command("U0OFF1", f"subject {family}")
    assert "which one?" in result.text
    listed = entries(slack, "subject.listed")[before:]
    assert len(listed) >= 2
    assert {e.actor for e in listed} == {"U0OFF1"} and {e.action for e in listed} == {
        "consultation"
    }
    assert all(e.subject_ref and e.subject_ref in str(result.blocks) for e in listed)
    assert {e.detail["query"] for e in listed} == {family}  # type: ignore[index]
    assert verify_chain(slack.rt.uow()).intact


def test_a_percent_sign_is_not_a_wildcard(slack: SlackHarness) -> None:
    before = len(entries(slack, "subject.listed"))
    for text in ("subject %", "subject _", "subject %%%"):
        result = slack.command("U0OFF1", text)
        assert "No subject matches" in result.text and "which one?" not in result.text
    assert len(entries(slack, "subject.listed")) == before


def test_another_districts_reference_or_pnc_reads_exactly_as_no_match(
    slack: SlackHarness,
) -> None:
    with slack.rt.uow() as uow:
        other = uow.session.scalars(
            select(Subject)
            .where(Subject.district != "Leeds", Subject.pnc_id.is_not(None))
            .order_by(Subject.ref)
        ).first()
    assert other is not None and other.pnc_id
    for real, unknown in ((other.ref, "LOM-9999"), (other.pnc_id, "99/9999999Z")):
        hidden = slack.command("U0LEEDS", f"subject {real}", channel="C0LEEDS")
        missing = slack.command("U0LEEDS", f"subject {unknown}", channel="C0LEEDS")
        assert hidden.text.replace(real, unknown) == missing.text
        assert "No subject matches" in hidden.text and "district" not in hidden.text
    refusals = entries(slack, "request.refused")[-2:]
    assert [e.subject_ref for e in refusals] == [other.ref, other.ref]  # still audited
