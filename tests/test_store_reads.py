"""Units of work that only read (rt.uow(reads=True)): they may audit what they read, nothing
else; on SQLite they take no write lock while reading, so writers never wait for them."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from lom_bot.domain.enums import AuditAction
from lom_bot.runtime import Runtime
from lom_bot.services.audit import verify_chain
from lom_bot.store.tables import AuditEntry, User
from tests.conftest import both_databases


def audit_count(rt: Runtime) -> int:
    with rt.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@both_databases
def test_a_reading_unit_of_work_writes_its_audit_entries_on_the_chain(runtime: Runtime) -> None:
    before = audit_count(runtime)
    with runtime.uow(reads=True) as uow:
        names = list(uow.session.scalars(select(User.name)))
        uow.audit("U0OFF1", AuditAction.CONSULTATION, "users.listed", detail={"n": len(names)})
        uow.commit()
    assert names and audit_count(runtime) == before + 1
    assert verify_chain(runtime.uow()).intact


@both_databases
def test_a_reading_unit_of_work_refuses_to_write_or_send(runtime: Runtime) -> None:
    before = audit_count(runtime)
    with runtime.uow(reads=True) as uow, pytest.raises(RuntimeError, match="reading unit"):
        uow.session.add(User(slack_id="U0NEW", name="New", role="lom_officer"))
        uow.audit("U0OFF1", AuditAction.COLLECTION, "user.added")
        uow.commit()
    with runtime.uow(reads=True) as uow, pytest.raises(RuntimeError, match="cannot send"):
        uow.send("post", "C0LOMTEAM", {"text": "hello"})
    with runtime.uow() as uow:
        assert uow.session.scalar(select(User).where(User.slack_id == "U0NEW")) is None
    assert audit_count(runtime) == before


def test_on_sqlite_a_writer_does_not_wait_for_an_open_reading_unit_of_work(
    runtime: Runtime,
) -> None:
    assert runtime.engine.dialect.name == "sqlite"
    wrote = threading.Event()

    def write() -> None:
        with runtime.uow() as uow:
            uow.audit("system", AuditAction.COLLECTION, "test.write")
            uow.commit()
        wrote.set()

    with runtime.uow(reads=True) as reader:
        assert reader.session.scalar(select(func.count()).select_from(User))
        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        # With the reader holding the write lock (BEGIN IMMEDIATE), this waits out its 30 s
        # busy timeout; a deferred reader lets it through at once.
        assert wrote.wait(10), "the writer waited for a reading unit of work"
    writer.join(10)


def test_on_sqlite_writing_units_of_work_still_take_turns(runtime: Runtime) -> None:
    """The contrast: an open writing unit of work holds the lock until it ends."""
    wrote = threading.Event()

    def write() -> None:
        with runtime.uow() as uow:
            uow.audit("system", AuditAction.COLLECTION, "test.write")
            uow.commit()
        wrote.set()

    with runtime.uow() as first:
        assert first.session.scalar(select(func.count()).select_from(User))
        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        assert not wrote.wait(0.5)  # it waits for the lock this unit of work holds
    assert wrote.wait(10)
    writer.join(10)
