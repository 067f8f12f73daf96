"""Workload against capacity: each officer's week by kind and risk, what will slip (highest
risk first), the capacity in app.yaml validated, and the weekly summary's chart of it."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from lom_bot.blocks.capacity import capacity_messages
from lom_bot.config import Capacity, ConfigError, load_app_config
from lom_bot.domain.enums import AuditAction
from lom_bot.domain.errors import NotAuthorised
from lom_bot.runtime import Runtime
from lom_bot.services.capacity import build_capacity, capacity_for
from lom_bot.services.capacity_chart import capacity_chart
from lom_bot.services.chart import PNG_MAGIC
from lom_bot.services.digest import build_daily_digest
from lom_bot.services.due import RISK_ORDER
from lom_bot.services.handover import HandOver, hand_over
from lom_bot.services.outbox import deliver_pending
from lom_bot.services.permissions import Actor
from lom_bot.services.ports import FakeChat
from lom_bot.store.tables import AuditEntry, OutboxMessage
from tests.conftest import ROOT
from tests.test_breach_support import db_url, seeded_template, valid_blocks  # noqa: F401
from tests.test_breach_support import demo as demo
from tests.test_handlers_dispatch import context

TODAY = date(2026, 11, 25)


def week(rt: Runtime, day: date = TODAY):  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        return build_capacity(uow, day)


def test_each_officers_load_is_the_weeks_due_list_against_their_capacity(demo: Runtime) -> None:
    w = week(demo)
    assert (w.start, w.end) == (TODAY, TODAY + timedelta(days=6))
    with demo.uow() as uow:
        end_of_week = build_daily_digest(uow, w.end, held_on=TODAY)
    by_name = {load.officer.name: load for load in w.loads}
    assert set(by_name) == {"DC Olu Officer", "DC Priya Patel", "DS Sam Supervisor"}
    for load in w.loads:
        assert load.lines == end_of_week.only(load.officer.user_id).lines
        assert sum(load.by_risk().values()) == sum(load.by_kind().values()) == load.items
    assert by_name["DC Priya Patel"].capacity == 20  # app.yaml capacity.officers
    assert by_name["DC Olu Officer"].capacity == 25  # capacity.items_per_week


def test_what_slips_is_what_is_left_after_the_highest_risk_work_up_to_capacity(
    demo: Runtime, supervisor: Actor
) -> None:
    hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "U0OFF2", (), TODAY + timedelta(days=6)))
    w = week(demo)
    priya = next(load for load in w.loads if load.officer.name == "DC Priya Patel")
    olu = next(load for load in w.loads if load.officer.name == "DC Olu Officer")
    assert olu.items == 0 and priya.over == priya.items - 20 > 0
    assert priya.slipping == priya.lines[20:]
    worst_kept = max(RISK_ORDER[x.risk] for x in priya.lines[:20] if x.risk)
    best_slipping = min(RISK_ORDER[x.risk] for x in priya.slipping if x.risk)
    assert worst_kept <= best_slipping  # nothing riskier slips while something safer is done
    ranked = [line.sort_key() for _, line in w.slipping]
    assert ranked == sorted(ranked) and len(ranked) == sum(load.over for load in w.loads)


def test_the_capacity_message_is_valid_block_kit_and_says_what_slips(
    demo: Runtime, supervisor: Actor
) -> None:
    hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "U0OFF2", (), TODAY + timedelta(days=6)))
    [(text, blocks)] = capacity_messages(week(demo))
    shown = json.dumps(valid_blocks(blocks))
    assert "Workload against capacity" in text
    assert "capacity 20: *" in shown and "will slip" in shown
    assert "Will slip this week if nothing changes" in shown
    assert capacity_chart(week(demo)).startswith(PNG_MAGIC)


def test_nothing_slipping_is_said_plainly(demo: Runtime) -> None:
    w = week(demo)
    for load in w.loads:
        load.capacity = 1000
    shown = json.dumps(valid_blocks(capacity_messages(w)[0][1]))
    assert "Nothing is expected to slip this week" in shown


def test_lom_stats_capacity_answers_supervisors_and_sends_the_chart_by_dm(
    demo: Runtime, supervisor: Actor
) -> None:
    from lom_bot.handlers.commands_listener import dispatch

    reply = dispatch(context(demo, supervisor), "stats capacity")
    assert "Workload against capacity" in reply.text and reply.blocks
    valid_blocks(reply.blocks)
    with demo.uow() as uow:
        queued = list(uow.session.scalars(select(OutboxMessage)))
    assert [(m.method, m.channel) for m in queued] == [("upload", "U0SUPER")]
    assert base64.b64decode(queued[0].payload["content"]).startswith(PNG_MAGIC)


def test_an_officer_may_not_see_the_teams_capacity_and_nothing_is_written(
    demo: Runtime, officer: Actor
) -> None:
    def written() -> tuple[int, int]:
        with demo.uow() as uow:
            s = uow.session
            not_refusal = AuditEntry.action != AuditAction.REFUSAL.value
            return (
                s.scalar(select(func.count(AuditEntry.id)).where(not_refusal)) or 0,
                s.scalar(select(func.count(OutboxMessage.id))) or 0,
            )

    before = written()
    with pytest.raises(NotAuthorised):
        capacity_for(demo.uow(), officer)
    from lom_bot.handlers.commands_listener import dispatch

    assert "may not use `/lom stats`" in dispatch(context(demo, officer), "stats capacity").text
    assert "takes no dates" in dispatch(context(demo, supervisor_of(demo)), "stats capacity x").text
    assert written() == before


def supervisor_of(rt: Runtime) -> Actor:
    from tests.conftest import actor_for

    return actor_for(rt, "U0SUPER")


def test_the_weekly_summary_carries_the_capacity_message_and_chart(demo: Runtime) -> None:
    from tests.test_schedules import run_job

    run_job(demo, "weekly-summary", date(2026, 11, 30))
    chat = FakeChat()
    for _ in range(3):
        deliver_pending(demo.uow(), chat)
    sent = chat.sent["C0SUPERV"]
    texts = [m.get("text", "") or m.get("title", "") for m in sent]
    assert any(t.startswith("Workload against capacity, 30/11/2026") for t in texts)
    uploads = [m for m in sent if m["method"] == "upload"]
    assert [u["filename"] for u in uploads] == [
        "lom-weekly-2026-11-29.png",
        "lom-capacity-2026-11-30.png",
    ]
    assert all(u["thread_ts"] for u in uploads)


@pytest.mark.parametrize(
    ("capacity", "says"),
    [
        ({"items_per_week": 0}, "capacity.items_per_week"),
        ({"items_per_week": "lots"}, "capacity.items_per_week"),
        ({"officers": {"dc olu": 20}}, "not a Slack user id"),
        ({"officers": {"U0OFF1": 900}}, "from 0 to 500"),
        ({"per_week": 20}, "capacity.per_week"),
    ],
)
def test_a_bad_capacity_in_app_yaml_stops_the_bot_with_the_field(
    tmp_path: Path, capacity: dict[str, object], says: str
) -> None:
    config = yaml.safe_load((ROOT / "app.yaml").read_text())
    config["capacity"] = capacity
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump(config))
    with pytest.raises(ConfigError, match=says):
        load_app_config(path)


def test_an_officer_without_their_own_figure_gets_the_teams() -> None:
    assert Capacity(items_per_week=30, officers={"U0OFF2": 12}).of("U0OFF1") == 30
    assert Capacity(items_per_week=30, officers={"U0OFF2": 12}).of("U0OFF2") == 12
