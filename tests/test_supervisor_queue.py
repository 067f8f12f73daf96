"""The supervisor queue: a post when an application is drafted, an "Awaiting you" section on
a supervisor's App Home and /lom queue, approve or return with a comment from there, and the
proposer told by DM."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from sqlalchemy import func, select

from lom_bot.blocks.home import officer_view
from lom_bot.domain.enums import OrderStatus
from lom_bot.handlers.commands_listener import dispatch
from lom_bot.handlers.registry import CommandContext
from lom_bot.runtime import Runtime
from lom_bot.services import orders as o
from lom_bot.services.home_data import officer_home
from lom_bot.services.permissions import Actor
from lom_bot.services.supervisor_queue import Awaiting, awaiting_supervisor
from lom_bot.store.tables import AuditEntry, Order, OutboxMessage
from tests.e2e.harness import SlackHarness, harness


def valid_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert 0 < len(blocks) <= 50
    for block in Block.parse_all(blocks):
        block.validate_json()
    return blocks


def _draft(rt: Runtime, officer: Actor, subject: str = "LOM-0029") -> None:
    o.draft(
        rt.uow(),
        officer,
        o.DraftApplication(subject, "Leading role", (o.ConditionDraft("phone"),)),
    )


def test_a_drafted_application_is_posted_to_the_supervisors_with_its_buttons(
    demo: Runtime, officer: Actor
) -> None:
    _draft(demo, officer)
    with demo.uow() as uow:
        post = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.channel == "C0SUPERV")
        ).one()
    blocks = valid_blocks(post.payload["blocks"])
    assert "SCPO-0029" in post.payload["text"] and "DC Olu Officer" in post.payload["text"]
    labels = [b["text"]["text"] for b in blocks[1]["elements"]]
    assert labels == ["Approve", "Approve with comment", "Return with comment"]
    assert blocks[1]["elements"][1]["value"] == "order_approve LOM-0029"


def test_the_queue_names_applications_for_supervisors_only(
    demo: Runtime, officer: Actor, supervisor: Actor
) -> None:
    _draft(demo, officer)
    with demo.uow() as uow:
        queue = awaiting_supervisor(uow, supervisor)
        assert awaiting_supervisor(uow, officer) is None
    assert queue is not None
    assert "SCPO-0029" in [i.ref for i in queue.of(Awaiting.APPLICATION)]


def test_a_supervisors_home_opens_with_what_awaits_them(
    demo: Runtime, officer: Actor, supervisor: Actor
) -> None:
    _draft(demo, officer)
    with demo.uow() as uow:
        home = officer_home(uow, supervisor)
    view = officer_view(home, demo.clock.today())
    View(**view).validate_json()
    text = json.dumps(view["blocks"][:6])
    assert "Awaiting you" in text and "applications to approve" in text and "LOM-0029" in text
    with demo.uow() as uow:
        assert officer_view(officer_home(uow, officer), demo.clock.today())["blocks"][1]["text"][
            "text"
        ].startswith("*Due")


def _ctx(rt: Runtime, actor: Actor) -> CommandContext:
    return CommandContext(rt, actor, actor.slack_id, "C0SUPERV", None, None, True)  # type: ignore[arg-type]


def test_queue_for_an_officer_is_refused_and_only_the_refusal_audited(
    demo: Runtime, officer: Actor
) -> None:
    with demo.uow() as uow:
        before = uow.session.scalar(select(func.count()).select_from(AuditEntry))
    reply = dispatch(_ctx(demo, officer), "queue")
    assert "may not" in reply.text
    with demo.uow() as uow:
        after = uow.session.scalar(select(func.count()).select_from(AuditEntry))
        last = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert after == (before or 0) + 1 and last is not None and last.action == "refusal"


def test_queue_lists_with_buttons_for_a_supervisor(
    demo: Runtime, officer: Actor, supervisor: Actor
) -> None:
    _draft(demo, officer)
    reply = dispatch(_ctx(demo, supervisor), "queue")
    assert reply.blocks is not None and "LOM-0029" in json.dumps(valid_blocks(reply.blocks))


@pytest.fixture
def slack(demo: Runtime) -> Iterator[SlackHarness]:
    yield from harness(demo)


def test_in_slack_a_supervisor_approves_with_a_comment_from_the_post_and_the_officer_is_told(
    slack: SlackHarness,
) -> None:
    drafted = slack.command("U0OFF1", "order LOM-0029 draft conditions=phone Leading role")
    assert drafted.status == 200
    post = next(
        c
        for c in slack.flush()
        if c.method == "chat.postMessage" and c.params["channel"] == "C0SUPERV"
    )
    blocks = post.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    with_comment = blocks[1]["elements"][1]
    click = slack.click("U0SUPER", with_comment["action_id"], with_comment["value"], "C0SUPERV")
    opened = [c for c in click.calls if c.method == "views.open"]
    assert len(opened) == 1
    view = opened[0].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    View(**view).validate_json()
    done = slack.submit(
        "U0SUPER",
        view["callback_id"],
        {"subject": "LOM-0029", "comments": "Add the bank schedule"},
        view.get("private_metadata", ""),
    )
    assert done.status == 200
    dms = [c.params for c in slack.flush() if c.method == "chat.postMessage"]
    assert any(d["channel"] == "U0OFF1" and "Add the bank schedule" in d["text"] for d in dms)
    with slack.rt.uow() as uow:
        status = uow.session.scalars(select(Order.status).where(Order.ref == "SCPO-0029")).one()
    assert status is OrderStatus.APPROVED
