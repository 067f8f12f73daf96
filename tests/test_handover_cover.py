"""Cover as officers see it: the card names whom the holder covers for and until when, the
replies and DMs say cover when it is cover, and both officers are told when it ends."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from lom_bot.handlers.commands_listener import dispatch
from lom_bot.runtime import Runtime
from lom_bot.schedules.execute import run_job
from lom_bot.services.handover import HandOver, hand_over
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import OutboxMessage
from tests.test_breach_support import db_url, seeded_template  # noqa: F401  (fixtures)
from tests.test_breach_support import demo as demo
from tests.test_digest_support import parse_blocks
from tests.test_handlers_dispatch import context
from tests.test_handover import TODAY, WEEK, owned


def dms(rt: Runtime, job: str | None = None) -> list[tuple[str, str]]:
    with rt.uow() as uow:
        rows = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.method == "dm").order_by(OutboxMessage.id)
        )
        return [
            (m.channel, str(m.payload["text"]))
            for m in rows
            if job is None or (m.dedupe_key or "").startswith(f"job:{job}:")
        ]


def card_text(rt: Runtime, actor: Actor, ref: str) -> str:
    reply = dispatch(context(rt, actor), f"subject {ref}")
    assert reply.blocks
    parse_blocks(reply.blocks)
    return str(reply.blocks)


def test_the_card_says_the_holder_covers_for_the_officer_until_the_last_day(
    demo: Runtime, supervisor: Actor
) -> None:
    ref = owned(demo, "U0OFF1")[0]
    assert "covering for" not in card_text(demo, supervisor, ref)
    hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "U0OFF2", (ref,), WEEK))
    card = card_text(demo, supervisor, ref)
    assert "DC Priya Patel (covering for DC Olu Officer until 01/12/2026)" in card
    dispatch(context(demo, supervisor), "admin handover dc.priya dc.olu cover")  # ended early
    card = card_text(demo, supervisor, ref)
    assert "covering for" not in card and "DC Olu Officer" in card


def test_handing_on_cover_for_good_says_it_is_cover_until_its_end_not_for_good(
    demo: Runtime, supervisor: Actor
) -> None:
    ref = owned(demo, "U0OFF1")[0]
    hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "U0OFF2", (ref,), WEEK))
    done = hand_over(demo.uow(), supervisor, HandOver("U0OFF2", "U0SUPER", (ref,)))
    assert "for good" not in done.message.replace("not for good", "")
    assert "covers until 01/12/2026 inclusive" in done.message
    told = dict(dms(demo)[2:])
    assert "as cover, until 01/12/2026 inclusive" in told["U0SUPER"]
    assert "for good" not in told["U0SUPER"] and "for good" not in told["U0OFF2"]


def test_ending_cover_early_tells_both_officers_that_cover_ended(
    demo: Runtime, supervisor: Actor
) -> None:
    hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "U0OFF2", (), WEEK))
    dispatch(context(demo, supervisor), "admin handover dc.priya dc.olu cover")
    told = dict(dms(demo)[2:])
    assert "has ended DC Priya Patel's cover" in told["U0OFF1"]
    assert "has ended your cover" in told["U0OFF2"] and "for good" not in told["U0OFF2"]


def _run(rt: Runtime, day: Any) -> list[tuple[str, str]]:
    result = run_job(rt, "cover-ends", day)
    for post in result.posts:
        assert post.method == "dm"
    return dms(rt, "cover-ends")


def test_both_officers_are_told_by_dm_the_day_after_cover_ends_and_only_once(
    demo: Runtime, supervisor: Actor
) -> None:
    mine = owned(demo, "U0OFF1")
    hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "U0OFF2", (), WEEK))
    assert _run(demo, WEEK) == []  # the last day of cover: nothing yet
    told = dict(_run(demo, WEEK + timedelta(days=1)))
    assert set(told) == {"U0OFF1", "U0OFF2"}
    assert "DC Priya Patel's cover ended on 01/12/2026" in told["U0OFF1"]
    assert "are back with DC Olu Officer from today" in told["U0OFF2"]
    assert all(ref in told["U0OFF1"] for ref in mine)
    run_job(demo, "cover-ends", WEEK + timedelta(days=1))  # the same day again
    run_job(demo, "cover-ends", WEEK + timedelta(days=2))  # and the day after
    assert len(dms(demo, "cover-ends")) == 2


def test_cover_already_ended_early_gets_no_second_message_when_its_date_passes(
    demo: Runtime, supervisor: Actor
) -> None:
    hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "U0OFF2", (), WEEK))
    dispatch(context(demo, supervisor), "admin handover dc.priya dc.olu cover")
    assert _run(demo, WEEK + timedelta(days=1)) == []
    assert TODAY < WEEK


def test_a_task_result_reaches_the_officer_covering_as_well_as_the_raiser(
    demo: Runtime, supervisor: Actor, officer: Actor, leeds_officer: Actor
) -> None:
    from datetime import date

    from lom_bot.domain.enums import TaskKind, TaskResult
    from lom_bot.services.task_results import RecordTaskResult, record_task_result
    from lom_bot.services.tasks import CreateTask, create_task

    ref = next(r for r in owned(demo, "U0OFF1") if r == "LOM-0013")  # a Leeds subject of Olu's
    with demo.uow() as uow:
        task = create_task(
            uow, officer, CreateTask(ref, TaskKind.CURFEW_CHECK, date(2026, 11, 27), "after 21:00")
        ).ref
    hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "U0OFF2", (), WEEK))
    before = len(dms(demo))
    cmd = RecordTaskResult(task, TaskResult.NEEDS_LOM, "Visitor at the door", at="2130")
    record_task_result(demo.uow(), leeds_officer, cmd)
    told = dict(dms(demo)[before:])
    assert set(told) == {"U0OFF1", "U0OFF2"} and "Visitor at the door" in told["U0OFF2"]


def test_a_handover_for_good_is_kept_in_the_subjects_history_like_any_officer_change(
    demo: Runtime, supervisor: Actor
) -> None:
    from lom_bot.store.tables import Correction

    ref = owned(demo, "U0OFF1")[0]
    hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "U0OFF2", (ref,), reason="moved team"))
    with demo.uow() as uow:
        kept = uow.session.scalars(select(Correction).where(Correction.record_ref == ref)).all()
    assert [(k.field, k.before, k.after, k.reason, k.correction) for k in kept] == [
        ("officer", "DC Olu Officer", "DC Priya Patel", "moved team", False)
    ]


def test_handing_over_an_officer_whose_subjects_are_all_covered_says_who_holds_them(
    demo: Runtime, supervisor: Actor
) -> None:
    hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "U0OFF2", (), WEEK))
    before = len(dms(demo))
    reply = dispatch(context(demo, supervisor), "admin handover dc.olu @sam")
    assert "DC Olu Officer holds no subjects today: their" in reply.text
    assert "held as cover by DC Priya Patel until 01/12/2026, who can hand them on" in reply.text
    assert len(dms(demo)) == before
