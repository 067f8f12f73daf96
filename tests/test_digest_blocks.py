"""Scheduled posts as Block Kit: within limits, split not truncated, one button a line."""

from __future__ import annotations

import json
from datetime import date

import pytest

from lom_bot.blocks.common import RERUN
from lom_bot.blocks.digest import (
    DIGEST_LOG_CHECK,
    DIGEST_LOG_CONTACT,
    digest_messages,
    district_messages,
    horizon_messages,
    upcoming_messages,
)
from lom_bot.blocks.digest_summary import summary_messages
from lom_bot.runtime import Runtime
from lom_bot.services.digest import build_daily_digest, build_district_tasks, horizons
from lom_bot.services.due import Digest, LineKind
from lom_bot.services.summary import build_weekly_summary
from lom_bot.store.tables import Subject
from tests.test_digest_support import make_caseload, parse_blocks

TODAY = date(2026, 11, 25)


@pytest.fixture
def big(runtime: Runtime) -> Runtime:
    with runtime.uow() as uow:
        make_caseload(uow, 150, TODAY)
        uow.commit()
    return runtime


def _digest(rt: Runtime) -> Digest:
    with rt.uow() as uow:
        return build_daily_digest(uow, TODAY)


def test_a_long_digest_continues_in_further_messages_with_every_line_kept(big: Runtime) -> None:
    digest = _digest(big)
    messages = digest_messages(digest)
    assert len(messages) > 2
    buttons = []
    for n, (text, blocks) in enumerate(messages):
        parse_blocks(blocks)
        assert text
        if n:
            assert f"part {n + 1} of {len(messages)}" in blocks[0]["elements"][0]["text"]
        # an officer's heading is never left alone at the foot of a message
        assert "accessory" in blocks[-1] or n == len(messages) - 1
        buttons += [b["accessory"] for b in blocks if "accessory" in b]
    assert len(buttons) == len(digest.lines)


def test_each_line_has_the_button_that_acts_on_it(demo: Runtime) -> None:
    digest = _digest(demo)
    blocks = [b for _, page in digest_messages(digest) for b in page if "accessory" in b]
    by_kind = dict(zip([line.kind for line in digest.lines], digest.lines, strict=False))
    pairs = list(zip(digest.lines, (b["accessory"] for b in blocks), strict=True))
    for line, button in pairs:
        if line.kind in (LineKind.CONTACT, LineKind.HOME_VISIT):
            assert (button["action_id"], button["value"]) == (DIGEST_LOG_CONTACT, line.subject_ref)
        elif line.kind in (LineKind.CHECKS, LineKind.DUTY):
            assert (button["action_id"], button["value"]) == (DIGEST_LOG_CHECK, line.subject_ref)
        elif line.kind in (LineKind.EDUCATION_VISIT, LineKind.CHECKLIST, LineKind.EXPIRY):
            assert (button["action_id"], button["value"]) == (RERUN, f"order {line.subject_ref}")
        else:
            assert (button["action_id"], button["value"]) == (RERUN, f"subject {line.subject_ref}")
    assert LineKind.CONTACT in by_kind and LineKind.BREACH in by_kind


def test_an_empty_digest_says_nothing_is_due(runtime: Runtime) -> None:
    [(text, blocks)] = digest_messages(_digest(runtime))
    parse_blocks(blocks)
    assert "nothing due" in text


def test_district_posts_carry_references_and_no_names(demo: Runtime) -> None:
    with demo.uow() as uow:
        tasks = build_district_tasks(uow, TODAY)
        names = [s.name for s in uow.session.query(Subject)]
    posted = 0
    for district, items in tasks.items():
        for _, blocks in district_messages(district, items, TODAY):
            parse_blocks(blocks)
            dumped = json.dumps(blocks)
            assert not any(name in dumped for name in names)
            assert all(item.ref in dumped and item.subject_ref in dumped for item in items)
            posted += 1
    assert posted == sum(1 for items in tasks.values() if items) > 0
    assert district_messages("Leeds", [], TODAY) == []


def test_horizon_upcoming_and_summary_posts_parse(big: Runtime) -> None:
    with big.uow() as uow:
        ahead = horizons(uow, TODAY)
        summary = build_weekly_summary(uow, TODAY)
    pages = horizon_messages(ahead) + upcoming_messages(ahead)
    pages += summary_messages(summary, [d.name for d in big.config.districts])
    assert ahead.crossings and ahead.upcoming
    for _, blocks in pages:
        parse_blocks(blocks)
    listed = json.dumps([b for _, blocks in upcoming_messages(ahead) for b in blocks])
    assert all(x.subject_ref in listed for x in ahead.upcoming)
