"""District task loop: Done / Not found / Needs LOM from the post, the result on the task, the
card and the raising officer's DM; open tasks whatever the weekday; addresses only where
detail may go; refusals write nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from sqlalchemy import func, select

from lom_bot.blocks.home import district_view
from lom_bot.domain.enums import TaskKind, TaskResult, TaskStatus
from lom_bot.domain.errors import AlreadyDone, InvalidInput, NotAuthorised, NotFound
from lom_bot.runtime import Runtime
from lom_bot.services.digest import build_district_tasks
from lom_bot.services.home_data import district_home
from lom_bot.services.permissions import Actor
from lom_bot.services.readmodels.card import load_card
from lom_bot.services.task_results import RecordTaskResult, parse_time, record_task_result
from lom_bot.services.tasks import CreateTask, create_task
from lom_bot.store.tables import AuditEntry, OutboxMessage, Subject, Task
from tests.e2e.harness import SlackHarness, harness


def valid_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert 0 < len(blocks) <= 50
    for block in Block.parse_all(blocks):
        block.validate_json()
    return blocks


def _leeds_subject(rt: Runtime) -> Subject:
    with rt.uow() as uow:
        subject = uow.session.scalars(
            select(Subject).where(Subject.district == "Leeds", Subject.ref == "LOM-0013")
        ).one()
    return subject


def _raise(rt: Runtime, officer: Actor, kind: TaskKind = TaskKind.CURFEW_CHECK) -> str:
    subject = _leeds_subject(rt)
    with rt.uow() as uow:
        return create_task(
            uow, officer, CreateTask(subject.ref, kind, date(2026, 11, 27), "after 21:00")
        ).ref


def _counts(rt: Runtime) -> dict[str, int]:
    with rt.uow() as uow:
        return {
            t.__name__: int(uow.session.scalar(select(func.count()).select_from(t)) or 0)
            for t in (AuditEntry, OutboxMessage)
        }


def test_a_new_task_post_has_result_buttons_and_no_address_in_a_district_channel(
    demo: Runtime, officer: Actor
) -> None:
    ref = _raise(demo, officer)
    with demo.uow() as uow:
        post = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert post is not None and post.channel == "C0LEEDS"
    blocks = valid_blocks(post.payload["blocks"])
    shown = json.dumps(blocks)
    assert "Fictional Road" not in shown and "App Home" in shown
    buttons = blocks[-1]["elements"]
    assert [b["text"]["text"] for b in buttons] == ["Done", "Not found", "Needs LOM"]
    assert buttons[1]["value"] == f"task result {ref} not_found"


def test_a_result_is_kept_on_the_task_shown_on_the_card_and_sent_to_the_raiser(
    demo: Runtime, officer: Actor, leeds_officer: Actor
) -> None:
    ref = _raise(demo, officer)
    cmd = RecordTaskResult(
        ref, TaskResult.NOT_FOUND, "No answer, lights off", at="0930", for_lom="car gone"
    )
    done = record_task_result(demo.uow(), leeds_officer, cmd)
    assert done.told == "DC Olu Officer"
    with demo.uow() as uow:
        task = uow.session.scalars(select(Task).where(Task.ref == ref)).one()
        dm = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        audit = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.what == "task.completed")
        ).all()
        card = load_card(uow, officer, "LOM-0013", with_intel=False)
    assert (task.status, task.result, task.done_time) == (TaskStatus.DONE, "not_found", "09:30")
    assert task.outcome == "No answer, lights off" and task.for_lom == "car gone"
    assert task.done_on == date(2026, 11, 25)
    assert dm is not None and dm.method == "dm" and dm.channel == "U0OFF1"
    assert "Not found" in dm.payload["text"] and "car gone" in dm.payload["text"]
    assert [a.detail["result"] for a in audit if a.actor == "U0LEEDS"] == ["not_found"]
    assert [(r.ref, r.result) for r in card.task_results][:1] == [(ref, TaskResult.NOT_FOUND)]


def test_a_time_later_than_now_is_last_nights(
    demo: Runtime, officer: Actor, leeds_officer: Actor
) -> None:
    ref = _raise(demo, officer)
    record_task_result(
        demo.uow(), leeds_officer, RecordTaskResult(ref, TaskResult.DONE, "in", at="23:10")
    )
    with demo.uow() as uow:
        task = uow.session.scalars(select(Task).where(Task.ref == ref)).one()
    assert (task.done_on, task.done_time) == (date(2026, 11, 24), "23:10")


@pytest.mark.parametrize(
    ("task", "seen", "at", "error"),
    [
        ("T-99999", "seen", None, NotFound),
        (None, "", None, InvalidInput),
        (None, "seen", "25:99", InvalidInput),
    ],
)
def test_bad_results_are_refused_and_nothing_is_written(
    demo: Runtime,
    officer: Actor,
    leeds_officer: Actor,
    task: str | None,
    seen: str,
    at: str | None,
    error: type[Exception],
) -> None:
    ref = _raise(demo, officer)
    before = _counts(demo)
    with pytest.raises(error):
        record_task_result(
            demo.uow(), leeds_officer, RecordTaskResult(task or ref, TaskResult.DONE, seen, at)
        )
    assert _counts(demo) == before
    with demo.uow() as uow:
        assert uow.session.scalars(select(Task.status).where(Task.ref == ref)).one() is (
            TaskStatus.OPEN
        )


def test_another_districts_task_is_refused_with_only_the_refusal_audited(
    demo: Runtime, officer: Actor
) -> None:
    ref = _raise(demo, officer)
    bradford = _actor(demo, "U0BRAD")
    before = _counts(demo)
    with pytest.raises(NotAuthorised):
        record_task_result(demo.uow(), bradford, RecordTaskResult(ref, TaskResult.DONE, "x"))
    after = _counts(demo)
    assert after == {**before, "AuditEntry": before["AuditEntry"] + 1}


def test_a_task_answered_twice_is_refused(
    demo: Runtime, officer: Actor, leeds_officer: Actor
) -> None:
    ref = _raise(demo, officer)
    record_task_result(demo.uow(), leeds_officer, RecordTaskResult(ref, TaskResult.DONE, "in"))
    before = _counts(demo)
    with pytest.raises(AlreadyDone):
        record_task_result(
            demo.uow(), leeds_officer, RecordTaskResult(ref, TaskResult.NEEDS_LOM, "again")
        )
    assert _counts(demo) == before


def test_times_are_read_in_the_ways_officers_write_them() -> None:
    assert [parse_time(t) for t in ("23:10", "2310", "9.05", "", None)] == [
        "23:10",
        "23:10",
        "09:05",
        None,
        None,
    ]


def _actor(rt: Runtime, slack_id: str) -> Actor:
    from lom_bot.services.actors import load_actor

    return load_actor(rt.uow(), slack_id)


def test_a_fridays_district_list_includes_the_weekends_tasks(demo: Runtime, officer: Actor) -> None:
    subject = _leeds_subject(demo)
    with demo.uow() as uow:
        for day in (date(2026, 11, 28), date(2026, 11, 29), date(2026, 11, 30)):
            create_task(uow, officer, CreateTask(subject.ref, TaskKind.STOP_CHECK, day))
    with demo.uow() as uow:
        friday = build_district_tasks(uow, date(2026, 11, 27))["Leeds"]
        thursday = build_district_tasks(uow, date(2026, 11, 26))["Leeds"]
    friday_days = {t.due_on for t in friday}
    assert {date(2026, 11, 28), date(2026, 11, 29)} <= friday_days
    assert date(2026, 11, 30) not in friday_days
    assert date(2026, 11, 28) not in {t.due_on for t in thursday}


def test_the_district_home_lists_open_tasks_with_addresses_and_only_subjects_on_an_order(
    demo: Runtime, officer: Actor, leeds_officer: Actor
) -> None:
    ref = _raise(demo, officer)
    with demo.uow() as uow:
        home = district_home(uow, leeds_officer)
    view = district_view(home)
    View(**view).validate_json()
    shown = json.dumps(view)
    assert ref in shown and "13 Fictional Road" in shown and "Needs LOM" in shown
    with demo.uow() as uow:
        from lom_bot.store import queries

        orders = queries.current_orders(uow.session, [s.id for s, _ in home.subjects])
    assert all(orders[s.id].status in queries.IN_FORCE_STATES for s, _ in home.subjects)


@pytest.fixture
def slack(demo: Runtime) -> Iterator[SlackHarness]:
    yield from harness(demo)


def test_in_slack_a_district_officer_answers_from_the_post_and_the_raiser_is_told(
    slack: SlackHarness,
) -> None:
    raised = slack.command("U0OFF1", "task LOM-0013 curfew check +2d after 21:00")
    assert raised.status == 200
    posts = [c for c in slack.flush() if c.method == "chat.postMessage"]
    leeds = next(c for c in posts if c.params["channel"] == "C0LEEDS")
    blocks = leeds.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    button = valid_blocks(blocks)[-1]["elements"][2]
    click = slack.click("U0LEEDS", button["action_id"], button["value"], channel="C0LEEDS")
    opened = [c for c in click.calls if c.method == "views.open"]
    assert len(opened) == 1
    view = opened[0].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    View(**view).validate_json()
    ref = button["value"].split()[2]
    submitted = slack.submit(
        "U0LEEDS",
        "lom_form:task_result",
        {
            "task": ref,
            "result": {"type": "static_select", "selected_option": {"value": "needs_lom"}},
            "at": "08:15",
            "seen": "Two men at the door, one matching a named associate",
            "for_lom": "Please call me",
        },
        private_metadata=view.get("private_metadata", ""),
    )
    assert submitted.status == 200
    dms = [json.dumps(c.params) for c in slack.flush() if c.method == "chat.postMessage"]
    assert any("Please call me" in d and "Needs LOM" in d for d in dms)
