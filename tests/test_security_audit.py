"""The audit log protected: a PostgreSQL role that cannot rewrite it, and anchors kept outside
the database (daily, in the supervisors' channel or a file) that catch truncation and
back-dated appends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.exc import ProgrammingError

from lom_bot.cli import cli
from lom_bot.domain.clock import FixedClock
from lom_bot.domain.enums import AuditAction, ContactKind, ContactOutcome
from lom_bot.runtime import Runtime
from lom_bot.schedules.execute import run_job
from lom_bot.services.audit import verify_chain
from lom_bot.services.audit_anchor import current_anchor, parse_anchor
from lom_bot.services.permissions import Actor
from lom_bot.services.records import LogContact, log_contact
from lom_bot.store.tables import AuditEntry, OutboxMessage
from lom_bot.store.uow import UnitOfWork
from tests.conftest import TODAY
from tests.test_order_support import new_subject

on_postgres = pytest.mark.parametrize("db_url", ["postgres"], indirect=True)


@pytest.fixture
def app_role(runtime: Runtime) -> Iterator[str]:
    """A login role like the one the bot would connect as, dropped afterwards."""
    role = f"lom_app_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(runtime.settings.database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
    try:
        yield role
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')
        admin.dispose()


@on_postgres
def test_the_bots_postgresql_role_can_append_to_the_audit_log_but_never_rewrite_it(
    runtime: Runtime, officer: Actor, app_role: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", runtime.settings.database_url)
    monkeypatch.setenv("LOM_CONFIG", str(runtime.settings.lom_config))
    granted = CliRunner().invoke(cli, ["db", "grant-app-role", app_role])
    assert granted.exit_code == 0, granted.output
    assert "on the audit log only: INSERT, SELECT" in granted.output
    ref = new_subject(runtime, officer)
    as_app = sa.engine.make_url(runtime.settings.database_url).set(username=app_role)
    engine = sa.create_engine(as_app)
    try:
        # the bot, connected as that role, works as usual: records and their audit entries
        sessions = sa.orm.sessionmaker(engine, expire_on_commit=False)
        uow = UnitOfWork(sessions, runtime.config, runtime.clock)
        cmd = LogContact(ref, ContactKind.CALL, ContactOutcome.COMPLIED, TODAY)
        log_contact(uow, officer, cmd)
        for statement in (
            "UPDATE audit_log SET actor = 'U0SOMEONE' WHERE seq = 1",
            "DELETE FROM audit_log WHERE seq = 1",
            "TRUNCATE audit_log",
        ):
            with engine.connect() as conn, pytest.raises(ProgrammingError, match="denied"):
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()
    assert verify_chain(runtime.uow()).intact


def test_grant_app_role_says_plainly_that_sqlite_has_no_roles(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", runtime.settings.database_url)
    monkeypatch.setenv("LOM_CONFIG", str(runtime.settings.lom_config))
    result = CliRunner().invoke(cli, ["db", "grant-app-role", "lom_app"])
    assert result.exit_code != 0 and "SQLite has none" in result.output


def _activity(rt: Runtime, officer: Actor, ref: str, times: int) -> None:
    for _ in range(times):
        cmd = LogContact(ref, ContactKind.CALL, ContactOutcome.COMPLIED, TODAY)
        log_contact(rt.uow(), officer, cmd)


def test_an_anchor_catches_the_newest_entries_removed_with_the_head_moved_back(
    runtime: Runtime, officer: Actor
) -> None:
    ref = new_subject(runtime, officer)
    _activity(runtime, officer, ref, 2)
    anchor = current_anchor(runtime.uow())
    with runtime.uow() as uow:  # someone with the database: the newest entries and the head
        last = uow.session.scalars(select(AuditEntry).where(AuditEntry.seq < anchor.seq)).all()
        keep = max(e.seq for e in last) - 1
        tip = uow.session.scalars(select(AuditEntry).where(AuditEntry.seq == keep)).one()
        uow.session.execute(sa.delete(AuditEntry).where(AuditEntry.seq > keep))
        uow.session.execute(sa.text("UPDATE audit_head SET seq = :s, hash = :h"), {
            "s": keep, "h": tip.hash
        })  # fmt: skip
        uow.commit()
    assert verify_chain(runtime.uow()).intact  # the chain alone cannot tell
    report = verify_chain(runtime.uow(), anchors={anchor.seq: anchor.hash})
    assert not report.intact and "missing (deleted)" in str(report.first_break)


def test_an_anchor_catches_an_entry_appended_back_dated(
    runtime: Runtime, officer: Actor, clock: FixedClock
) -> None:
    ref = new_subject(runtime, officer)
    anchor = current_anchor(runtime.uow())
    clock.advance(hours=1)
    _activity(runtime, officer, ref, 1)  # genuine, after the anchor
    a_year_ago = FixedClock(clock.now() - timedelta(days=365))
    with UnitOfWork(runtime.sessions, runtime.config, a_year_ago) as uow:
        uow.audit("U0OFF1", AuditAction.COLLECTION, "contact.logged", subject_ref=ref)
        uow.commit()  # chained and hashed correctly, the head moved: only its date lies
    assert verify_chain(runtime.uow()).intact
    at = {anchor.seq: anchor.at} if anchor.at else {}
    report = verify_chain(runtime.uow(), anchors={anchor.seq: anchor.hash}, anchored_at=at)
    assert [b.problem for b in report.breaks if "back-dated" in b.problem]
    assert len(report.breaks) == 1  # the genuine entry after the anchor is fine


def test_the_daily_anchor_is_posted_to_the_supervisors_and_verifies(
    runtime: Runtime, officer: Actor, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ref = new_subject(runtime, officer)
    _activity(runtime, officer, ref, 1)
    result = run_job(runtime, "audit-anchor", TODAY)
    assert result.status == "done"
    with runtime.uow() as uow:
        posts = uow.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.channel == runtime.config.channels.supervisors.id
            )
        ).all()
    [post] = [p for p in posts if "Audit log anchor" in str(p.payload.get("text"))]
    line = str(post.payload["text"]).split("`")[1]
    parsed = parse_anchor(line)
    assert parsed.at is not None and parsed.seq > 0
    monkeypatch.setenv("DATABASE_URL", runtime.settings.database_url)
    monkeypatch.setenv("LOM_CONFIG", str(runtime.settings.lom_config))
    runner = CliRunner()
    assert runner.invoke(cli, ["audit", "verify", "--anchor", line]).exit_code == 0
    kept = tmp_path / "anchors.txt"
    kept.write_text(runner.invoke(cli, ["audit", "anchor"]).stdout + "# a comment\n" + line + "\n")
    checked = runner.invoke(cli, ["audit", "verify", "--anchors-file", str(kept)])
    assert checked.exit_code == 0, checked.output
    kept.write_text("not an anchor\n")
    assert runner.invoke(cli, ["audit", "verify", "--anchors-file", str(kept)]).exit_code == 2
