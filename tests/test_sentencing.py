"""/lom stats sentencing: sentencing outcomes by condition, court and quarter, each case for
supervisors, small groups as counts, the chart by DM and the export."""

from __future__ import annotations

import base64
import csv
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lom_bot.blocks.sentencing import group_text, sentencing_messages
from lom_bot.bootstrap import Runtime
from lom_bot.domain.enums import AuditAction
from lom_bot.domain.errors import InvalidInput, NotAuthorised
from lom_bot.services.chart import PNG_MAGIC
from lom_bot.services.exporter import ExportKind, build_table, export
from lom_bot.services.permissions import Actor
from lom_bot.services.sentencing import (
    SMALL_GROUP,
    Group,
    SentencedCase,
    SentencingReport,
    build_sentencing,
    choose_period,
    sentencing_for,
)
from lom_bot.services.sentencing_chart import sentencing_chart
from lom_bot.store.tables import AuditEntry, OutboxMessage
from tests.e2e.harness import SlackHarness, check_blocks, harness
from tests.test_breach_support import db_url, seeded_template, valid_blocks  # noqa: F401
from tests.test_breach_support import demo as demo

TODAY = date(2026, 11, 25)


@pytest.fixture
def slack(demo: Runtime) -> Iterator[SlackHarness]:
    yield from harness(demo)


def report(rt: Runtime, start: date | None = None, end: date | None = None) -> SentencingReport:
    with rt.uow() as uow:
        return build_sentencing(uow, *choose_period(start, end, TODAY))


def written(rt: Runtime) -> tuple[int, int]:
    """Audit entries (other than refusals, which are audited) and messages queued."""
    with rt.uow() as uow:
        not_refusal = AuditEntry.action != AuditAction.REFUSAL.value
        return (
            uow.session.scalar(select(func.count(AuditEntry.id)).where(not_refusal)) or 0,
            uow.session.scalar(select(func.count(OutboxMessage.id))) or 0,
        )


def refusals(rt: Runtime) -> int:
    with rt.uow() as uow:
        refusal = AuditEntry.action == AuditAction.REFUSAL.value
        return uow.session.scalar(select(func.count(AuditEntry.id)).where(refusal)) or 0


def case(n: int, disposal: str = "custody", months: int | None = 12) -> SentencedCase:
    return SentencedCase(
        f"BR-{n}", "LOM-0001", "association", "Leeds Crown Court", TODAY, None, "s.25",
        "guilty", disposal, months, None, None, None,
    )  # fmt: skip


def test_the_demo_report_counts_each_sentence_with_median_and_range_of_terms(
    demo: Runtime,
) -> None:
    r = report(demo)
    assert (r.start, r.end) == (date(2024, 11, 26), TODAY)
    assert len(r.cases) == 16
    assert r.not_sentenced == {"acquitted": 1, "awaiting plea, trial or sentence": 1}
    overall = r.overall
    assert overall.disposals == {"custody": 9, "suspended": 3, "community_order": 2, "fine": 2}
    assert (overall.custody.count, overall.custody.median) == (9, 16.0)
    assert (overall.custody.low, overall.custody.high) == (4, 30)
    assert overall.new_orders == 4
    assert sum(g.n for g in r.by("court")) == sum(g.n for g in r.by("condition")) == 16
    assert [g.name for g in r.by("quarter")] == sorted(g.name for g in r.by("quarter"))
    assert {g.name for g in r.by("court")} == {
        "Leeds Crown Court",
        "Bradford Crown Court",
        "Leeds Magistrates' Court",
        "Kirklees Magistrates' Court",
    }


def test_a_period_selects_sentences_by_the_date_they_were_passed(demo: Runtime) -> None:
    r = report(demo, date(2026, 1, 1), date(2026, 3, 31))
    assert r.cases and all(date(2026, 1, 1) <= c.sentenced_on <= date(2026, 3, 31) for c in r.cases)
    assert len(r.cases) < 16


def test_small_groups_are_counts_and_only_big_groups_get_percentages() -> None:
    small = Group("small", tuple(case(n) for n in range(SMALL_GROUP - 1)))
    big = Group("big", tuple(case(n, "fine" if n % 2 else "custody") for n in range(SMALL_GROUP)))
    assert "%" not in group_text(small) and f"custody {SMALL_GROUP - 1} of 9" in group_text(small)
    assert "fine 5 of 10 (50%)" in group_text(big)
    one = Group("one", (case(1, months=18),))
    assert "Custody 18 months (1 term)" in group_text(one) and "median" not in group_text(one)


def test_every_message_is_valid_block_kit_and_lists_each_case(demo: Runtime) -> None:
    messages = sentencing_messages(report(demo))
    for _, blocks in messages:
        valid_blocks(blocks)
    shown = json.dumps([b for _, b in messages])
    assert "By kind of condition breached" in shown and "By court" in shown
    assert "BR-H0001" in shown and "BR-H0016" in shown
    assert f"fewer than {SMALL_GROUP} cases are shown as counts" in shown
    empty = sentencing_messages(report(demo, date(2020, 1, 1), date(2020, 1, 2)))
    assert len(empty) == 1 and "No sentence" in json.dumps(valid_blocks(empty[0][1]))


def test_a_long_list_of_cases_is_paged_within_slacks_limits() -> None:
    many = SentencingReport(TODAY, TODAY, [case(n) for n in range(400)])
    messages = sentencing_messages(many)
    assert len(messages) > 2
    for _, blocks in messages:
        valid_blocks(blocks)
    assert json.dumps(messages).count("BR-") == 400


def test_the_chart_is_a_png_and_is_sent_to_the_supervisor_only(
    demo: Runtime, supervisor: Actor
) -> None:
    assert sentencing_chart(report(demo)).startswith(PNG_MAGIC)
    sentencing_for(demo.uow(), supervisor, *choose_period(None, None, TODAY))
    with demo.uow() as uow:
        queued = list(uow.session.scalars(select(OutboxMessage)))
        viewed = list(
            uow.session.scalars(
                select(AuditEntry).where(AuditEntry.what == "stats.sentencing_viewed")
            )
        )
    assert [(m.method, m.channel) for m in queued] == [("upload", "U0SUPER")]
    assert base64.b64decode(queued[0].payload["content"]).startswith(PNG_MAGIC)
    assert viewed and {a.actor for a in viewed} == {"U0SUPER"}


def test_an_officer_is_refused_and_nothing_is_written(demo: Runtime, officer: Actor) -> None:
    before, refused = written(demo), refusals(demo)
    with pytest.raises(NotAuthorised):
        sentencing_for(demo.uow(), officer, *choose_period(None, None, TODAY))
    assert written(demo) == before and refusals(demo) == refused + 1


@pytest.mark.parametrize(
    ("user", "text", "answer"),
    [
        ("U0OFF1", "stats sentencing", "may not use `/lom stats`"),
        ("U0LEEDS", "stats sentencing", "may not use `/lom stats`"),
        ("U0SUPER", "stats sentencing 31/02/2026", "not a real date"),
        ("U0SUPER", "stats sentencing 01/01/2026 01/01/2027", "cannot end after today"),
        ("U0SUPER", "stats sentencing 01/10/2026 01/09/2026", "ends before it starts"),
        ("U0SUPER", "stats sentencing 1 2 3", "at most two dates"),
    ],
)
def test_lom_stats_sentencing_refuses_clearly_and_writes_nothing(
    slack: SlackHarness, user: str, text: str, answer: str
) -> None:
    before = written(slack.rt)
    assert answer in slack.command(user, text).text
    assert written(slack.rt) == before


def test_lom_stats_sentencing_answers_and_sends_the_chart_by_dm(slack: SlackHarness) -> None:
    result = slack.command("U0SUPER", "stats sentencing")
    check_blocks(result.blocks)
    assert "Sentencing for SCPO breaches" in json.dumps(result.blocks)
    slack.flush()
    assert len(slack.standin.calls_to("files.completeUploadExternal")) == 1


def test_the_export_has_one_row_per_sentenced_case(
    demo: Runtime, supervisor: Actor, tmp_path: Path
) -> None:
    start, end = choose_period(None, None, TODAY)
    with demo.uow() as uow:
        table = build_table(uow, supervisor, ExportKind.SENTENCING, start, end)
    assert len(table.rows) == 16 and table.columns[0].header == "Breach ref"
    out = export(demo.uow(), supervisor, ExportKind.SENTENCING, start, end, tmp_path / "s.csv")
    with out.path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    custody = [r for r in rows if r["Disposal"] == "Immediate custody"]
    assert len(custody) == 9 and all(r["Custody or suspended (months)"] for r in custody)
    assert {r["Section"] for r in rows} == {"s.25"}
    with pytest.raises(InvalidInput):
        build_table(demo.uow().__enter__(), supervisor, ExportKind.SENTENCING, end, start)
