"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL where asked), a fixed
clock, and a runtime wired as the bot wires itself."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from lom_bot.bootstrap import Runtime, build_runtime
from lom_bot.config import AppConfig, Settings, load_app_config
from lom_bot.domain.clock import FixedClock
from lom_bot.services.permissions import Actor
from lom_bot.store import db
from lom_bot.store.tables import Base

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get(
    "LOM_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TODAY = date(2026, 11, 25)  # a Wednesday


def pytest_configure(config: pytest.Config) -> None:
    os.environ.pop("SLACK_BOT_TOKEN", None)
    os.environ.pop("SLACK_APP_TOKEN", None)


@pytest.fixture(scope="session")
def app_config() -> AppConfig:
    return load_app_config(ROOT / "app.yaml")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db.upgrade(f"sqlite:///{path}")
    return path


def _pg_available() -> bool:
    try:
        engine = sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    if not _pg_available():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not reachable under CI: its tests must run")
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432 (set LOM_TEST_PG)")
    name = f"lom_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    db.upgrade(url)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        admin.dispose()


def _reset_pg(url: str) -> None:
    engine = sa.create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        conn.exec_driver_sql(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, %s)", ("0" * 64,)
        )
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_demo_template(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, app_config: AppConfig
) -> Path:
    """The demo caseload seeded once per test session on the fixed clock, copied per test."""
    from lom_bot.demo.seed import seed_demo

    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    settings = Settings(database_url=f"sqlite:///{path}", lom_config=ROOT / "app.yaml")
    rt = build_runtime(
        settings, config=app_config, clock=FixedClock.on(TODAY, hour=10), migrate=False
    )
    try:
        seed_demo(rt.uow())
    finally:
        rt.close()
    return path


@pytest.fixture(params=["sqlite"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated, empty database (or, for a test that uses `demo`, the seeded demo copied).
    Parametrise with 'postgres' to run on PostgreSQL too."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("pg_database")
        _reset_pg(url)
        return url
    template = sqlite_template
    if "demo" in request.fixturenames:
        template = request.getfixturevalue("sqlite_demo_template")
    path = tmp_path / "lom.sqlite3"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


both_databases = pytest.mark.parametrize("db_url", ["sqlite", "postgres"], indirect=True)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock.on(TODAY, hour=10)


@pytest.fixture
def runtime(db_url: str, app_config: AppConfig, clock: FixedClock) -> Iterator[Runtime]:
    settings = Settings(database_url=db_url, lom_config=ROOT / "app.yaml")
    rt = build_runtime(settings, config=app_config, clock=clock, migrate=False)
    yield rt
    rt.close()


def actor_for(rt: Runtime, slack_id: str) -> Actor:
    from lom_bot.services.actors import load_actor

    return load_actor(rt.uow(), slack_id)


@pytest.fixture
def officer(runtime: Runtime) -> Actor:
    return actor_for(runtime, "U0OFF1")


@pytest.fixture
def supervisor(runtime: Runtime) -> Actor:
    return actor_for(runtime, "U0SUPER")


@pytest.fixture
def leeds_officer(runtime: Runtime) -> Actor:
    return actor_for(runtime, "U0LEEDS")


@pytest.fixture
def admin(runtime: Runtime) -> Actor:
    return actor_for(runtime, "U0ADMIN")


@pytest.fixture
def demo(runtime: Runtime) -> Runtime:
    """The runtime with the demo caseload seeded (fixed clock, so the data is the same). On
    SQLite `db_url` already copied the session's seeded template; PostgreSQL seeds here."""
    from lom_bot.demo.seed import seed_demo

    if not runtime.settings.database_url.startswith("sqlite"):
        seed_demo(runtime.uow())
    return runtime


@contextmanager
def counting(rt: Runtime) -> Iterator[list[str]]:
    """The SQL statements run on rt's engine inside the block (statement-count tests)."""
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(rt.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(rt.engine, "before_cursor_execute", record)
