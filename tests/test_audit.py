"""The audit log: the hash chain detects any edit, deletion or reordering and says where;
exports are filtered, written as CSV and themselves audited."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from lom_bot.cli import cli
from lom_bot.domain.enums import AuditAction, ContactKind, ContactOutcome
from lom_bot.domain.errors import InvalidInput, NotAuthorised
from lom_bot.runtime import Runtime
from lom_bot.services.audit import export_audit, subject_history, verify_chain
from lom_bot.services.permissions import Actor
from lom_bot.services.records import LogContact, log_contact
from lom_bot.services.subjects import access_subject
from lom_bot.store.tables import AuditEntry
from tests.conftest import TODAY, both_databases


def _activity(rt: Runtime, officer: Actor, times: int = 3) -> None:
    """A few audited things: look-ups (consultation) and contacts (collection)."""
    for n in range(times):
        with rt.uow() as uow:
            access_subject(uow, officer, f"LOM-000{n + 1}", purpose="test")
            uow.commit()
        log_contact(
            rt.uow(),
            officer,
            LogContact(f"LOM-000{n + 1}", ContactKind.CALL, ContactOutcome.COMPLIED, TODAY),
        )


def _sql(rt: Runtime, statement: str, **params: object) -> None:
    with rt.engine.begin() as conn:
        conn.execute(text(statement), params)


def _count(rt: Runtime, on: date | None = None) -> int:
    """Audit entries, all or those recorded on one day (the demo's story spans years)."""
    query = select(func.count(AuditEntry.id))
    if on is not None:
        start = datetime.combine(on, time(0), UTC)  # London is on UTC in November
        query = query.where(AuditEntry.at >= start, AuditEntry.at < start + timedelta(days=1))
    with rt.uow() as uow:
        return int(uow.session.scalar(query) or 0)


@both_databases
def test_an_untouched_log_verifies_and_counts_every_entry(demo: Runtime, officer: Actor) -> None:
    _activity(demo, officer)
    report = verify_chain(demo.uow())
    assert report.intact, report.breaks
    assert report.entries == _count(demo) > 6
    assert report.summary().startswith(f"{report.entries} entries, chain intact")


@both_databases
def test_an_edited_entry_is_named_by_its_seq(demo: Runtime, officer: Actor) -> None:
    _activity(demo, officer)
    _sql(demo, "UPDATE audit_log SET detail = :d WHERE seq = 4", d='{"query": "someone else"}')
    report = verify_chain(demo.uow())
    assert not report.intact
    first = report.first_break
    assert first is not None and first.seq == 4 and "edited" in first.problem
    assert len(report.breaks) == 1  # the entries after it still link to its stored hash


def test_changing_who_acted_is_detected(demo: Runtime, officer: Actor) -> None:
    _activity(demo, officer, 1)
    _sql(demo, "UPDATE audit_log SET actor = 'U0SUPER' WHERE actor = 'U0OFF1'")
    report = verify_chain(demo.uow())
    assert report.first_break is not None and "edited" in report.first_break.problem


def test_an_edit_that_recomputes_its_own_hash_breaks_the_next_link(
    demo: Runtime, officer: Actor
) -> None:
    from lom_bot.store.uow import audit_fields, entry_hash

    _activity(demo, officer)
    with demo.uow() as uow:
        entry = uow.session.scalars(select(AuditEntry).where(AuditEntry.seq == 5)).one()
        entry.purpose = "innocent"
        entry.hash = entry_hash(entry.prev_hash, audit_fields(entry.seq, entry.at, entry))
        uow.session.commit()
    report = verify_chain(demo.uow())
    assert report.first_break is not None
    assert report.first_break.seq == 6 and "prev_hash" in report.first_break.problem


def test_a_deleted_entry_is_reported_where_the_gap_is(demo: Runtime, officer: Actor) -> None:
    _activity(demo, officer)
    _sql(demo, "DELETE FROM audit_log WHERE seq = 5")
    report = verify_chain(demo.uow())
    first = report.first_break
    assert first is not None and first.seq == 6 and "seq 5 deleted" in first.problem


def test_deleting_the_newest_entries_is_caught_by_the_head(demo: Runtime, officer: Actor) -> None:
    _activity(demo, officer)
    last = _count(demo)
    _sql(demo, "DELETE FROM audit_log WHERE seq >= :s", s=last - 1)
    report = verify_chain(demo.uow())
    assert report.first_break is not None and report.first_break.seq is None
    assert f"head says seq {last}" in report.first_break.problem


def test_deleting_the_first_entry_is_detected(demo: Runtime) -> None:
    _sql(demo, "DELETE FROM audit_log WHERE seq = 1")
    report = verify_chain(demo.uow())
    assert report.first_break is not None and report.first_break.seq == 2


def test_reordered_entries_are_detected(demo: Runtime, officer: Actor) -> None:
    _activity(demo, officer)
    # Swap the positions of seq 3 and 4 (via a free number, as seq is unique).
    _sql(demo, "UPDATE audit_log SET seq = -1 WHERE seq = 3")
    _sql(demo, "UPDATE audit_log SET seq = 3 WHERE seq = 4")
    _sql(demo, "UPDATE audit_log SET seq = 4 WHERE seq = -1")
    report = verify_chain(demo.uow())
    assert report.first_break is not None and report.first_break.seq == 3


def test_a_missing_head_row_is_reported(runtime: Runtime) -> None:
    _sql(runtime, "DELETE FROM audit_head")
    report = verify_chain(runtime.uow())
    assert not report.intact and "audit_head" in str(report.first_break)


def test_the_chain_verifies_across_pages(demo: Runtime, officer: Actor) -> None:
    _activity(demo, officer)
    assert verify_chain(demo.uow(), batch=2).intact
    _sql(demo, "UPDATE audit_log SET what = 'x' WHERE seq = 9")
    report = verify_chain(demo.uow(), batch=2)
    assert report.first_break is not None and report.first_break.seq == 9


def _rewrite_everything_after(rt: Runtime, seq: int) -> None:
    """What a database superuser could do: edit an entry and re-hash the rest and the head."""
    from lom_bot.store.tables import AuditHead
    from lom_bot.store.uow import audit_fields, entry_hash

    with rt.uow() as uow:
        entries = list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        prev = entries[seq - 2].hash if seq > 1 else "0" * 64
        for entry in entries[seq - 1 :]:
            if entry.seq == seq:
                entry.purpose = "rewritten"
            entry.prev_hash = prev
            entry.hash = entry_hash(prev, audit_fields(entry.seq, entry.at, entry))
            prev = entry.hash
        head = uow.session.get(AuditHead, 1)
        assert head is not None
        head.hash = prev
        uow.session.commit()


def test_a_rewrite_of_the_whole_chain_is_caught_by_an_anchor_kept_elsewhere(
    demo: Runtime, officer: Actor
) -> None:
    _activity(demo, officer)
    before = verify_chain(demo.uow())
    anchor = {before.tip_seq: before.tip_hash[:16]}
    _rewrite_everything_after(demo, 3)
    assert verify_chain(demo.uow()).intact  # the chain alone cannot tell
    report = verify_chain(demo.uow(), anchors=anchor)
    assert report.first_break is not None and report.first_break.seq == before.tip_seq
    assert "rewritten" in report.first_break.problem


def test_an_anchored_entry_that_was_deleted_is_reported(demo: Runtime, officer: Actor) -> None:
    _activity(demo, officer)
    tip = verify_chain(demo.uow())
    _sql(demo, "DELETE FROM audit_log WHERE seq = :s", s=tip.tip_seq)
    _sql(
        demo,
        "UPDATE audit_head SET seq = :s - 1, hash = (SELECT hash FROM audit_log "
        "WHERE seq = :s - 1)",
        s=tip.tip_seq,
    )
    assert verify_chain(demo.uow()).intact  # the newest entry and the head, both gone quietly
    report = verify_chain(demo.uow(), anchors={tip.tip_seq: tip.tip_hash})
    assert report.first_break is not None and "missing" in report.first_break.problem


# --- export ---------------------------------------------------------------------------------


@both_databases
def test_export_by_subject_lists_its_entries_and_audits_the_export(
    demo: Runtime, officer: Actor, supervisor: Actor
) -> None:
    _activity(demo, officer)
    rows = export_audit(demo.uow(), supervisor, subject_ref="lom-0002", purpose="ICO request")
    assert rows and {r["subject_ref"] for r in rows} == {"LOM-0002"}
    assert {"consultation", "collection"} <= {r["action"] for r in rows}
    with demo.uow() as uow:
        last = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert last is not None and last.action == AuditAction.DISCLOSURE
    assert (last.actor, last.what, last.purpose) == ("U0SUPER", "audit.exported", "ICO request")
    assert last.detail == {"subject": "LOM-0002", "entries": len(rows)}
    assert verify_chain(demo.uow()).intact


def test_export_by_user_and_by_dates(demo: Runtime, officer: Actor, supervisor: Actor) -> None:
    _activity(demo, officer)
    mine = export_audit(demo.uow(), supervisor, user="U0OFF1")
    assert mine and {r["actor"] for r in mine} == {"U0OFF1"}
    today = export_audit(demo.uow(), supervisor, from_=TODAY, to=TODAY)
    # Everything recorded today but the export just recorded (the demo's story is older).
    assert len(today) == _count(demo, on=TODAY) - 1
    assert all(r["at"].startswith("2026-11-25") for r in today)
    assert export_audit(demo.uow(), supervisor, from_=date(2026, 11, 26)) == []
    before = export_audit(demo.uow(), supervisor, to=date(2026, 11, 24))
    assert before and all(r["at"] < "2026-11-25" for r in before)


def test_export_needs_a_filter_and_a_sane_range(demo: Runtime, supervisor: Actor) -> None:
    with pytest.raises(InvalidInput, match="what to export"):
        export_audit(demo.uow(), supervisor)
    with pytest.raises(InvalidInput, match="after the end"):
        export_audit(demo.uow(), supervisor, from_=TODAY, to=date(2026, 1, 1))


@pytest.mark.parametrize("who", ["officer", "leeds_officer"])
def test_only_supervisors_and_admins_may_export(
    demo: Runtime, who: str, request: pytest.FixtureRequest
) -> None:
    actor: Actor = request.getfixturevalue(who)
    before = _count(demo)
    with pytest.raises(NotAuthorised):
        export_audit(demo.uow(), actor, subject_ref="LOM-0001")
    assert _count(demo) == before + 1  # the refusal's own entry, and nothing else
    with demo.uow() as uow:
        last = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert last is not None and last.action == "refusal" and last.actor == actor.slack_id


def test_subject_history_is_newest_first_and_consults_the_subject(
    demo: Runtime, officer: Actor, supervisor: Actor
) -> None:
    _activity(demo, officer)
    ref, total, rows = subject_history(demo.uow(), supervisor, "LOM-0001", channel="C0SUPERV")
    assert ref == "LOM-0001" and total == len(rows) >= 2
    assert [r["seq"] for r in rows] == sorted((r["seq"] for r in rows), reverse=True)
    with demo.uow() as uow:
        tail = list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())))[:2]
    assert {(e.action, e.recipient) for e in tail} == {
        ("disclosure", "C0SUPERV"),
        ("consultation", None),
    }


# --- command line ---------------------------------------------------------------------------


@pytest.fixture
def cli_env(demo: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("DATABASE_URL", demo.settings.database_url)
    monkeypatch.setenv("LOM_CONFIG", str(demo.settings.lom_config))
    return demo


def test_cli_verify_says_intact_then_names_the_tampered_row(cli_env: Runtime) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["audit", "verify"])
    assert ok.exit_code == 0 and "entries, chain intact" in ok.output
    _sql(cli_env, 'UPDATE audit_log SET detail = \'{"role": "admin"}\' WHERE seq = 3')
    bad = runner.invoke(cli, ["audit", "verify"])
    assert bad.exit_code == 1
    assert "chain BROKEN at entry seq 3 (id 3): content does not match its hash" in bad.output


def test_cli_verify_checks_anchors_and_refuses_bad_ones(cli_env: Runtime) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["audit", "verify"])
    tip = ok.output.split("(tip ")[1].split(";")[0]
    assert runner.invoke(cli, ["audit", "verify", "--anchor", tip]).exit_code == 0
    seq = tip.split(":")[0]
    wrong = runner.invoke(cli, ["audit", "verify", "--anchor", f"{seq}:0123456789abcdef"])
    assert wrong.exit_code == 1 and "rewritten" in wrong.output
    assert runner.invoke(cli, ["audit", "verify", "--anchor", "x"]).exit_code == 2


def test_cli_export_writes_csv_for_a_subject(
    cli_env: Runtime, tmp_path: Path, officer: Actor
) -> None:
    _activity(cli_env, officer, 1)
    out = tmp_path / "audit.csv"
    result = CliRunner().invoke(
        cli, ["audit", "export", "--subject", "LOM-0001", "--out", str(out), "--purpose", "PSD"]
    )
    assert result.exit_code == 0, result.output
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {r["subject_ref"] for r in rows} == {"LOM-0001"}
    assert f"{len(rows)} entries written" in result.output
    with cli_env.uow() as uow:
        last = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert last is not None and last.recipient == "file:audit.csv" and last.purpose == "PSD"
    assert last.actor.startswith("cli:")


def test_cli_export_by_date_range_and_bad_dates(cli_env: Runtime) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["audit", "export", "--from", "01/11/2026", "--to", "today"])
    assert result.exit_code == 0 and result.stdout.startswith("seq,at,actor,action")
    bad = runner.invoke(cli, ["audit", "export", "--from", "31/02/2026"])
    assert bad.exit_code != 0
