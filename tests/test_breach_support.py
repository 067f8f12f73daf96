"""Shared helpers for the breach tests (no tests here)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from sqlalchemy import select

from lom_bot.bootstrap import Runtime, build_runtime
from lom_bot.config import AppConfig, Settings
from lom_bot.demo.seed import seed_demo
from lom_bot.domain.clock import FixedClock
from lom_bot.services.breaches import ReportBreach, Reported, report_breach
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import BreachReport, OutboxMessage
from tests.conftest import ROOT, TODAY, _reset_pg

LEEDS = "C0LEEDS"
TRIAGE = "C0TRIAGE"


def valid_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parse with slack_sdk (which raises on most limit violations) and check message limits."""
    assert 0 < len(blocks) <= 50
    for block in Block.parse_all(blocks):
        block.validate_json()
    return blocks


def valid_view(view: dict[str, Any]) -> dict[str, Any]:
    parsed = View(**view)
    parsed.validate_json()
    assert len(view["blocks"]) <= 100
    return view


def say(
    rt: Runtime,
    text: str,
    ts: str = "1764064800.000100",
    *,
    user: str = "U0LEEDS",
    channel: str = LEEDS,
    event_id: str | None = None,
    source: str = "message",
    actor: Actor | None = None,
    subject: str | None = None,
) -> Reported | None:
    """A district officer's message (or another source) through the capture service."""
    cmd = ReportBreach(
        source=source,  # type: ignore[arg-type]
        text=text,
        reporter=user,
        channel_id=channel,
        message_ts=ts if source in ("message", "shortcut") else None,
        event_id=event_id,
        subject=subject,
    )
    return report_breach(rt.uow(), actor, cmd)


def report_row(rt: Runtime, ref: str) -> BreachReport:
    with rt.uow() as uow:
        return uow.session.scalars(select(BreachReport).where(BreachReport.ref == ref)).one()


def outbox(rt: Runtime, channel: str | None = None) -> list[OutboxMessage]:
    with rt.uow() as uow:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if channel:
            query = query.where(OutboxMessage.channel == channel)
        return list(uow.session.scalars(query))


# -- a demo database seeded once per session, copied for each test (seeding takes ~1s) --------


@pytest.fixture(scope="session")
def seeded_template(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory, app_config: AppConfig
) -> Path:
    path = tmp_path_factory.mktemp("breach-demo") / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    settings = Settings(database_url=f"sqlite:///{path}", lom_config=ROOT / "app.yaml")
    rt = build_runtime(
        settings, config=app_config, clock=FixedClock.on(TODAY, hour=10), migrate=False
    )
    seed_demo(rt.uow())
    rt.close()
    return path


@pytest.fixture(params=["sqlite"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, seeded_template: Path) -> str:
    """conftest's db_url, but the SQLite copy already holds the demo caseload."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("pg_database")
        _reset_pg(url)
        return url
    path = tmp_path / "lom.sqlite3"
    shutil.copy(seeded_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def demo(runtime: Runtime, db_url: str) -> Runtime:
    """The runtime with the demo caseload (seeded here on PostgreSQL, copied on SQLite)."""
    if not db_url.startswith("sqlite"):
        seed_demo(runtime.uow())
    return runtime
