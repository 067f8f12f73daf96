"""The scheduled posts through the real app and Slack client against the Web API stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from lom_bot.blocks.digest import DIGEST_LOG_CONTACT
from lom_bot.runtime import Runtime
from lom_bot.schedules.execute import run_job
from lom_bot.services.chart import PNG_MAGIC
from tests.e2e.harness import SlackHarness, check_blocks, check_view, harness
from tests.test_digest_support import make_caseload


@pytest.fixture
def slack(demo: Runtime) -> Iterator[SlackHarness]:
    yield from harness(demo)


@pytest.fixture
def slack_big(runtime: Runtime) -> Iterator[SlackHarness]:
    with runtime.uow() as uow:
        make_caseload(uow, 120, date(2026, 11, 25))
        uow.commit()
    yield from harness(runtime)


def test_a_long_digest_arrives_as_a_message_and_replies_in_its_thread(
    slack_big: SlackHarness,
) -> None:
    result = run_job(slack_big.rt, "daily-due", date(2026, 11, 25))
    slack_big.flush()
    posted = slack_big.standin.messages_in("C0LOMTEAM")
    assert len(posted) == len(result.posts) >= 3
    head, *replies = posted
    assert head.thread_ts is None and all(m.thread_ts == head.ts for m in replies)
    for message in posted:
        check_blocks(message.blocks)


def test_the_weekly_chart_is_uploaded_with_files_upload_v2_in_the_summarys_thread(
    slack: SlackHarness,
) -> None:
    run_job(slack.rt, "weekly-summary", date(2026, 11, 30))
    slack.flush()
    summary = slack.standin.messages_in("C0SUPERV")[0]
    assert "Weekly summary" in summary.text
    # the 12-week chart, then the capacity chart, both in the summary's thread
    completes = slack.standin.calls_to("files.completeUploadExternal")
    assert len(completes) == 2
    for complete in completes:
        assert complete.params.get("channel_id") == "C0SUPERV"
        assert complete.params.get("thread_ts") == summary.ts
    pngs = [f.content for f in slack.standin.files.values()]
    assert len(pngs) == 2 and all(p.startswith(PNG_MAGIC) and len(p) > 20_000 for p in pngs)


def test_a_digest_button_opens_the_contact_form_for_that_lines_subject(
    slack: SlackHarness,
) -> None:
    first = slack.click("U0OFF1", DIGEST_LOG_CONTACT, "LOM-0001", message_ts="1700000000.000100")
    [modal] = first.modals
    check_view(modal)
    assert "LOM-0001" in str(modal)
    # Another line of the same message is another subject: its own form, not "already done".
    second = slack.click("U0OFF1", DIGEST_LOG_CONTACT, "LOM-0002", message_ts="1700000000.000100")
    assert len(second.modals) == 1 and "LOM-0002" in str(second.modals[0])


def test_a_district_officer_cannot_log_a_contact_from_a_digest_button(
    slack: SlackHarness,
) -> None:
    result = slack.click("U0LEEDS", DIGEST_LOG_CONTACT, "LOM-0001", message_ts="1.2")
    assert result.modals == [] and "may not do that" in result.text


def test_lom_due_answers_with_blocks_in_slack(slack: SlackHarness) -> None:
    result = slack.command("U0OFF1", "due")
    assert result.status == 200 and "Due for you" in result.text
    check_blocks(result.blocks)
