"""The store on SQLite and PostgreSQL: migrations, the unit of work, the audit chain, outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lom_bot.domain.enums import AuditAction, CustodyStatus, RiskLevel
from lom_bot.runtime import Runtime
from lom_bot.services.outbox import CLAIM_FOR, deliver_pending
from lom_bot.services.permissions import Actor
from lom_bot.services.ports import FakeChat
from lom_bot.services.subjects import NewSubject, create_subject
from lom_bot.store import db
from lom_bot.store.classification import Classification, DisclosureRefused
from lom_bot.store.tables import AuditEntry, OutboxMessage, Subject
from lom_bot.store.uow import audit_fields, entry_hash
from tests.conftest import both_databases

NEW = NewSubject(
    "Testy", "Fictional", "Leeds", RiskLevel.HIGH, CustodyStatus.IN_COMMUNITY, pnc_id="19/12345X"
)


@both_databases
def test_migrations_reach_head_and_match_the_tables(runtime: Runtime) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from lom_bot.store.tables import Base

    heads = ScriptDirectory.from_config(db.alembic_config(str(runtime.engine.url))).get_heads()
    assert len(heads) == 1, f"the migrations have {len(heads)} heads: renumber to chain them"
    assert db.current_revision(runtime.engine) == heads[0]
    with runtime.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], "run `make migration`: the tables and the migrations differ"


@both_databases
def test_a_unit_of_work_rolls_back_unless_committed(runtime: Runtime, officer: Actor) -> None:
    with runtime.uow() as uow:
        create_subject(uow, officer, NEW, commit=False)
    with runtime.uow() as uow:
        assert uow.session.scalar(select(func.count(Subject.id))) == 0
        assert uow.session.scalar(select(func.count(AuditEntry.id))) == 6  # bootstrap only


@both_databases
def test_timestamps_are_stored_in_utc_and_read_back_aware(runtime: Runtime, officer: Actor) -> None:
    with runtime.uow() as uow:
        create_subject(uow, officer, NEW)
    with runtime.uow() as uow:
        entry = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert entry is not None and entry.at.utcoffset() is not None
        assert entry.at == runtime.clock.now()


@both_databases
def test_the_audit_log_is_a_hash_chain(runtime: Runtime, officer: Actor) -> None:
    with runtime.uow() as uow:
        create_subject(uow, officer, NEW)
    with runtime.uow() as uow:
        entries = list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
    prev = "0" * 64
    for entry in entries:
        assert entry.prev_hash == prev
        assert entry.hash == entry_hash(prev, audit_fields(entry.seq, entry.at, entry))
        prev = entry.hash
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))


@both_databases
def test_outbox_messages_are_sent_after_commit_and_only_once(runtime: Runtime) -> None:
    chat = FakeChat()
    with runtime.uow() as uow:
        uow.send("post", "C0LOMTEAM", {"text": "hello"})
        assert deliver_pending(runtime.uow(), chat).sent == 0  # not committed yet
        uow.commit()
    assert deliver_pending(runtime.uow(), chat).sent == 1
    assert deliver_pending(runtime.uow(), chat).sent == 0
    assert chat.sent["C0LOMTEAM"][0]["text"] == "hello"


@both_databases
def test_a_failed_send_is_kept_and_retried_after_backoff(runtime: Runtime) -> None:
    chat = FakeChat(fail_with=ConnectionError("slack down"))
    with runtime.uow() as uow:
        uow.send("post", "C0LOMTEAM", {"text": "digest"})
        uow.commit()
    report = deliver_pending(runtime.uow(), chat)
    assert (report.sent, report.failed) == (0, 1)
    chat.fail_with = None
    assert deliver_pending(runtime.uow(), chat).sent == 0  # still backing off
    runtime.clock.advance(seconds=6)  # type: ignore[attr-defined]
    assert deliver_pending(runtime.uow(), chat).sent == 1
    with runtime.uow() as uow:
        message = uow.session.scalars(select(OutboxMessage)).one()
        assert message.attempts == 1 and message.sent_at is not None


@both_databases
def test_a_thread_reply_waits_for_its_parent_and_uses_its_ts(runtime: Runtime) -> None:
    chat = FakeChat()
    with runtime.uow() as uow:
        parent = uow.send("post", "C0TRIAGE", {"text": "parent"})
        uow.send("post", "C0TRIAGE", {"text": "child"}, after=parent)
        uow.commit()
    deliver_pending(runtime.uow(), chat)
    posted = chat.sent["C0TRIAGE"]
    assert posted[1]["thread_ts"] == "1700000000.000001"


def test_detail_cannot_be_posted_to_a_district_channel(runtime: Runtime) -> None:
    with runtime.uow() as uow, pytest.raises(DisclosureRefused):
        uow.send("post", "C0LEEDS", {"text": "intel"}, classification=Classification.INTELLIGENCE)
    with runtime.uow() as uow:
        uow.send("post", "C0LEEDS", {"text": "T-00001"}, classification=Classification.REFERENCE)
        uow.send("ephemeral", "C0LEEDS", {"text": "card", "user": "U0OFF1"})
        uow.send("post", "C0TRIAGE", {"text": "intel"}, classification=Classification.INTELLIGENCE)


def test_each_subject_named_in_a_post_is_audited_as_disclosed_to_the_channel(
    runtime: Runtime,
) -> None:
    with runtime.uow() as uow:
        uow.send(
            "post",
            "C0LOMTEAM",
            {"text": "x"},
            subjects=["LOM-0001", "LOM-0002"],
            purpose="daily due",
        )
        uow.commit()
    with runtime.uow() as uow:
        rows = list(
            uow.session.scalars(
                select(AuditEntry).where(AuditEntry.action == AuditAction.DISCLOSURE.value)
            )
        )
    assert {(r.subject_ref, r.recipient) for r in rows} == {
        ("LOM-0001", "C0LOMTEAM"),
        ("LOM-0002", "C0LOMTEAM"),
    }


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_postgresql_sessions_do_not_jit_compile(runtime: Runtime) -> None:
    with runtime.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW jit").scalar() == "off"


@both_databases
def test_several_outbox_senders_send_each_message_once(runtime: Runtime) -> None:
    import threading
    import time

    from lom_bot.handlers.delivery import OutboxWorker

    sent: list[str] = []
    guard = threading.Lock()

    class SlowChat:
        def call(self, method: str, channel: str, payload: dict[str, object]) -> str:
            time.sleep(0.01)  # a Slack round trip: the senders overlap
            with guard:
                sent.append(str(payload["text"]))
                return f"1700000000.{len(sent):06d}"

    worker = OutboxWorker(runtime, SlowChat(), senders=3, batch=2)  # type: ignore[arg-type]
    worker.start()
    try:
        for n in range(3):
            with runtime.uow() as uow:
                for m in range(4):
                    uow.send("post", "C0LOMTEAM", {"text": f"{n}-{m}"})
                uow.commit()  # each commit kicks the senders
        deadline = time.monotonic() + 20
        while len(sent) < 12 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    assert sorted(sent) == sorted(f"{n}-{m}" for n in range(3) for m in range(4))
    with runtime.uow() as uow:
        assert (
            uow.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.sent_at.is_(None))
            )
            == 0
        )


@both_databases
def test_a_batch_that_outlasts_its_claim_does_not_post_the_rest_twice(runtime: Runtime) -> None:
    """Slack holds one sender's call past its claim; another sender takes the batch. The call
    in flight may land twice (at least once); the rest of the batch is not sent again."""
    with runtime.uow() as uow:
        for n in range(3):
            uow.send("post", "C0LOMTEAM", {"text": f"m{n}"})
        uow.commit()
    other = FakeChat()
    first = [True]

    class RateLimited(FakeChat):
        def call(self, method: str, channel: str, payload: dict[str, object]) -> str | None:
            if first[0]:
                first[0] = False
                runtime.clock.advance(seconds=CLAIM_FOR.total_seconds() + 1)  # type: ignore[attr-defined]
                deliver_pending(runtime.uow(), other)  # meanwhile, another sender's pass
            return super().call(method, channel, payload)

    slow = RateLimited()
    deliver_pending(runtime.uow(), slow)
    texts = [m["text"] for chat in (slow, other) for m in chat.sent.get("C0LOMTEAM", [])]
    assert sorted(texts) == ["m0", "m0", "m1", "m2"]  # m0 was in flight when its claim ran out
