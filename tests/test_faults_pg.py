"""Two processes against one PostgreSQL: a scheduled post goes out once, a breach is assessed
once, the outbox sends each message once, and the audit chain stays whole under concurrent
writers."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lom_bot.bootstrap import Runtime, build_runtime
from lom_bot.config import AppConfig, Settings
from lom_bot.domain.clock import FixedClock
from lom_bot.domain.enums import AssessmentOutcome, BreachStatus, ContactKind, ContactOutcome
from lom_bot.domain.errors import AlreadyDone
from lom_bot.services.actors import load_actor
from lom_bot.services.audit import verify_chain
from lom_bot.services.breach_assess import AssessBreach, assess_breach
from lom_bot.services.outbox import deliver_pending
from lom_bot.services.ports import FakeChat
from lom_bot.services.records import LogContact, log_contact
from lom_bot.store.classification import Classification
from lom_bot.store.tables import Assessment, BreachReport, JobRun, OutboxMessage
from tests.conftest import ROOT, TODAY

postgres_only = pytest.mark.parametrize("db_url", ["postgres"], indirect=True)


@pytest.fixture
def rival(demo: Runtime, db_url: str, app_config: AppConfig) -> Iterator[Runtime]:
    """A second process's runtime: its own engine and connection pool on the same database."""
    settings = Settings(database_url=db_url, lom_config=ROOT / "app.yaml")
    rt = build_runtime(settings, config=app_config, clock=FixedClock.on(TODAY, 10), migrate=False)
    yield rt
    rt.close()


def together(*calls: Callable[[], object]) -> list[object]:
    """Run the calls at the same moment on their own threads; results (or errors) in order."""
    barrier = threading.Barrier(len(calls))
    out: list[object] = [None] * len(calls)

    def run(n: int, call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            out[n] = call()
        except Exception as exc:  # the loser's refusal is part of the result
            out[n] = exc

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return out


@postgres_only
def test_two_processes_running_the_same_job_post_it_once(demo: Runtime, db_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": db_url, "LOM_CONFIG": str(ROOT / "app.yaml")}
    env.pop("SLACK_BOT_TOKEN", None)
    lom_bot = str(Path(sys.executable).parent / "lom-bot")
    command = [lom_bot, "jobs", "run", "daily-due", "--date", "2026-11-25"]
    procs = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    said = [out for out, _ in outputs]
    assert sum("posts queued" in out for out in said) == 1, said
    assert sum("already run for this period" in out for out in said) == 1, said
    with demo.uow() as uow:
        runs = list(uow.session.scalars(select(JobRun.status).where(JobRun.job == "daily-due")))
        keys = list(uow.session.scalars(select(OutboxMessage.dedupe_key)))
    assert runs == ["done"]
    assert len(keys) == len(set(keys)) > 0


@postgres_only
def test_two_officers_assessing_the_same_report_at_once_decide_it_once(
    demo: Runtime, rival: Runtime
) -> None:
    with demo.uow() as uow:
        breach = uow.session.scalar(
            select(BreachReport.id)
            .where(BreachReport.status == BreachStatus.NEW, BreachReport.subject_id.is_not(None))
            .order_by(BreachReport.id)
        )
    assert breach is not None
    one, two = load_actor(demo.uow(), "U0OFF1"), load_actor(rival.uow(), "U0SUPER")
    results = together(
        lambda: assess_breach(
            demo.uow(), one, AssessBreach(breach, AssessmentOutcome.ADVICE, "advised")
        ),
        lambda: assess_breach(
            rival.uow(), two, AssessBreach(breach, AssessmentOutcome.NO_BREACH, "nothing")
        ),
    )
    assert sum(isinstance(r, AlreadyDone) for r in results) == 1, results
    with demo.uow() as uow:
        decided = uow.session.scalar(
            select(func.count(Assessment.id)).where(Assessment.breach_id == breach)
        )
    assert decided == 1
    assert verify_chain(demo.uow()).intact


@postgres_only
def test_two_processes_delivering_the_outbox_send_each_message_once(
    demo: Runtime, rival: Runtime
) -> None:
    with demo.uow() as uow:
        for n in range(40):
            uow.send("post", "C0LEEDS", {"text": f"m{n}"}, classification=Classification.REFERENCE)
        uow.commit()
    chats = [FakeChat(), FakeChat()]

    def drain(rt: Runtime, chat: FakeChat) -> Callable[[], object]:
        return lambda: [deliver_pending(rt.uow(), chat, limit=5) for _ in range(12)]

    together(drain(demo, chats[0]), drain(rival, chats[1]))
    texts = [m["text"] for chat in chats for m in chat.sent.get("C0LEEDS", [])]
    assert sorted(texts) == sorted(f"m{n}" for n in range(40))  # all sent, none twice
    assert all(chat.sent for chat in chats)  # and both processes did share the work


@postgres_only
def test_concurrent_writers_keep_the_audit_chain_whole(demo: Runtime, rival: Runtime) -> None:
    officer, other = load_actor(demo.uow(), "U0OFF1"), load_actor(rival.uow(), "U0OFF2")

    def writer(rt: Runtime, actor: object, ref: str) -> Callable[[], object]:
        cmd = LogContact(ref, ContactKind.CALL, ContactOutcome.COMPLIED, TODAY)
        return lambda: [log_contact(rt.uow(), actor, cmd) for _ in range(15)]  # type: ignore[arg-type]

    results = together(writer(demo, officer, "LOM-0001"), writer(rival, other, "LOM-0002"))
    assert not [r for r in results if isinstance(r, Exception)], results
    report = verify_chain(demo.uow())
    assert report.intact, report.breaks
    assert report.entries >= 60
