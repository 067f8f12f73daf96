"""By hand: lom-bot jobs list | run, and /lom due and /lom upcoming on demand."""

from __future__ import annotations

import sys
from datetime import date

import pytest
from click.testing import CliRunner
from slack_sdk import WebClient
from sqlalchemy import func, select

from lom_bot.cli import cli
from lom_bot.cli.common import run_cli
from lom_bot.handlers.commands_listener import dispatch
from lom_bot.handlers.registry import CommandContext, Reply
from lom_bot.runtime import Runtime
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import AuditEntry, JobRun, OutboxMessage
from tests.conftest import actor_for
from tests.test_digest_support import parse_blocks


@pytest.fixture
def cli_env(demo: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("DATABASE_URL", demo.settings.database_url)
    monkeypatch.setenv("LOM_CONFIG", str(demo.settings.lom_config))
    return demo


def counts(rt: Runtime) -> tuple[int, int]:
    with rt.uow() as uow:
        runs = uow.session.scalar(select(func.count(JobRun.id))) or 0
        queued = uow.session.scalar(select(func.count(OutboxMessage.id))) or 0
    return runs, queued


def test_jobs_run_dry_run_prints_the_digest_and_posts_nothing(cli_env: Runtime) -> None:
    result = CliRunner().invoke(
        cli, ["jobs", "run", "daily-due", "--date", "2026-11-25", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "=== 1. post to #lom-team [detail] ===" in result.output
    assert "Due today: Wednesday 25/11/2026" in result.output
    assert "daily-due 2026-11-25: dry run" in result.output
    assert counts(cli_env) == (0, 0)


def test_jobs_run_posts_once_and_jobs_list_shows_the_last_run(cli_env: Runtime) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["jobs", "run", "district-tasks", "--date", "2026-11-25"])
    assert first.exit_code == 0, first.output
    assert "posts queued" in first.output and "Queued in the outbox" in first.output
    runs, queued = counts(cli_env)
    again = runner.invoke(cli, ["jobs", "run", "district-tasks", "--date", "25/11/2026"])
    assert "already run for this period; nothing posted" in again.output
    assert counts(cli_env) == (runs, queued) == (1, queued) and queued > 0
    listing = runner.invoke(cli, ["jobs", "list"])
    assert listing.exit_code == 0
    lines = {line.split()[0]: line for line in listing.output.splitlines()[1:]}
    assert set(lines) >= {
        "daily-due",
        "district-tasks",
        "horizons",
        "upcoming-weekly",
        "weekly-summary",
        "retention-review",
        "outbox",
    }
    assert "2026-11-25 done (manual" in lines["district-tasks"]
    assert "never" in lines["daily-due"] and "(working days)" in lines["daily-due"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["jobs", "run", "daily-digest"], "There is no job 'daily-digest'"),
        (["jobs", "run", "daily-due", "--date", "31/02/2026"], "is not a real date"),
    ],
)
def test_jobs_run_refuses_an_unknown_job_or_an_impossible_date_in_one_line(
    cli_env: Runtime,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.setattr(sys, "argv", ["lom-bot", *args])
    assert run_cli(cli) != 0
    said = capsys.readouterr().err.strip().splitlines()
    # One line for the failure, after (when it got that far) the line naming the database.
    failure = [line for line in said if not line.startswith("Database: ")]
    assert len(failure) == 1 and message in failure[0]
    assert counts(cli_env) == (0, 0)


def ask(rt: Runtime, actor: Actor, text: str, channel: str = "C0LOMTEAM") -> Reply:
    ctx = CommandContext(rt, actor, actor.slack_id, channel, None, WebClient(), True)
    reply = dispatch(ctx, text)
    for page in [reply, *reply.more]:
        if page.blocks:
            parse_blocks(page.blocks)
    return reply


def refs_in(reply: Reply) -> set[str]:
    import re

    text = str([reply.blocks, *[m.blocks for m in reply.more]])
    return set(re.findall(r"LOM-\d{4}", text))


def test_lom_due_shows_mine_or_the_team_and_is_audited(demo: Runtime, officer: Actor) -> None:
    mine = ask(demo, officer, "due")
    team = ask(demo, officer, "due team")
    assert mine.text.startswith("Due for you") and team.text.startswith("Due for the team")
    assert refs_in(mine) and refs_in(mine) < refs_in(team)
    with demo.uow() as uow:
        from lom_bot.store.tables import Subject

        own = {s.ref for s in uow.session.query(Subject) if s.officer_id == officer.user_id}
        audited = set(
            uow.session.scalars(
                select(AuditEntry.subject_ref).where(AuditEntry.what == "due.viewed")
            )
        )
    assert refs_in(mine) <= own
    assert audited == refs_in(team)


def test_lom_due_for_a_district_officer_lists_their_districts_tasks(
    demo: Runtime, leeds_officer: Actor
) -> None:
    from sqlalchemy import update

    from lom_bot.domain.enums import TaskKind, TaskStatus
    from lom_bot.store.tables import Subject, Task

    with demo.uow() as uow:  # the demo's own open Leeds tasks are done: a clean slate
        uow.session.execute(
            update(Task)
            .where(Task.district == "Leeds", Task.status == TaskStatus.OPEN)
            .values(status=TaskStatus.DONE)
        )
        uow.commit()
    empty = ask(demo, leeds_officer, "due", channel="C0LEEDS")
    assert empty.text == "Leeds has no open tasks (25/11/2026)."
    with demo.uow() as uow:
        subject = uow.session.scalars(select(Subject).where(Subject.district == "Leeds")).first()
        assert subject is not None
        uow.session.add(
            Task(
                ref="T-LEEDS",
                subject_id=subject.id,
                district="Leeds",
                kind=TaskKind.STOP_CHECK,
                due_on=date(2026, 11, 25),
            )
        )
        uow.commit()
    reply = ask(demo, leeds_officer, "due", channel="C0LEEDS")
    shown = str(reply.blocks)
    assert "T-LEEDS" in shown and subject.ref in shown and subject.family_name not in shown


def test_lom_due_refuses_other_words_and_other_roles(
    demo: Runtime, admin: Actor, officer: Actor
) -> None:
    assert "is not a choice here" in ask(demo, officer, "due everyone").text
    assert "may not view due" in ask(demo, admin, "due").text


def test_lom_upcoming_lists_releases_and_expiries_within_n_days(
    demo: Runtime, officer: Actor
) -> None:
    everything = ask(demo, officer, "upcoming")
    month = ask(demo, officer, "upcoming 30")
    assert refs_in(month) and refs_in(month) < refs_in(everything)
    assert "in the next 30 days" in month.text
    assert "not a number of days" in ask(demo, officer, "upcoming soon").text
    assert "not a number of days" in ask(demo, officer, "upcoming 0").text
    district = actor_for(demo, "U0LEEDS")
    assert "may not use `/lom upcoming`" in ask(demo, district, "upcoming").text


def test_lom_bot_scheduler_runs_the_jobs_until_stopped(
    demo: Runtime, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    import threading

    from lom_bot.cli.jobs import run_scheduler

    stop = threading.Event()
    stop.set()
    run_scheduler(demo, stop=stop)
    out = capsys.readouterr().out
    assert "SLACK_BOT_TOKEN is not set, so posts stay queued" in out
    assert "jobs scheduled" in out
    stopped = [r.getMessage() for r in caplog.records if r.name == "lom_bot.lifecycle"]
    assert len(stopped) == 1 and stopped[0].startswith("lom-bot scheduler stopped"), stopped
