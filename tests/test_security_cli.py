"""Command-line actions record the operating-system login beside the user they act as."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from lom_bot.cli import cli
from lom_bot.operator import login_name, os_user
from lom_bot.runtime import Runtime
from lom_bot.store.tables import AuditEntry


@pytest.fixture
def cli_env(demo: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Runtime:
    monkeypatch.setenv("DATABASE_URL", demo.settings.database_url)
    monkeypatch.setenv("LOM_CONFIG", str(demo.settings.lom_config))
    monkeypatch.chdir(tmp_path)
    return demo


def last(rt: Runtime, what: str) -> AuditEntry:
    with rt.uow() as uow:
        entry = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.what == what).order_by(AuditEntry.seq.desc())
        ).first()
    assert entry is not None
    return entry


@pytest.mark.parametrize(("as_user", "credited"), [(None, "U0SUPER"), ("U0OFF1", "U0OFF1")])
def test_an_export_records_the_os_login_beside_the_user_it_is_credited_to(
    cli_env: Runtime, as_user: str | None, credited: str
) -> None:
    args = ["export", "breaches", "--from", "01/09/2026", "--to", "24/11/2026"]
    result = CliRunner().invoke(cli, args + (["--as", as_user] if as_user else []))
    assert result.exit_code == 0, result.output
    entry = last(cli_env, "export.written")
    assert entry.actor == credited
    assert entry.detail is not None and entry.detail["os_user"] == login_name()
    assert os_user() is None  # cleared when the command ends


def test_an_audit_export_records_the_os_login(cli_env: Runtime) -> None:
    result = CliRunner().invoke(cli, ["audit", "export", "--subject", "LOM-0001"])
    assert result.exit_code == 0, result.output
    entry = last(cli_env, "audit.exported")
    assert entry.actor == f"cli:{login_name()}"[:32]
    assert entry.detail is not None and entry.detail["os_user"] == login_name()


def test_entries_written_for_slack_users_carry_no_os_login(
    cli_env: Runtime, officer: object
) -> None:
    from lom_bot.services.readmodels.card import load_card

    with cli_env.uow() as uow:
        load_card(uow, officer, "LOM-0001", with_intel=False)  # type: ignore[arg-type]
        uow.commit()
    entry = last(cli_env, "subject.looked_up")
    assert "os_user" not in (entry.detail or {})
