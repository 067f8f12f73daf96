"""The one place that wires configuration, database, clock and (later) Slack together."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from lom_bot.config import AppConfig, Settings, load_app_config, load_settings
from lom_bot.services.actors import bootstrap_users
from lom_bot.services.ports import Clock, SystemClock
from lom_bot.store import db
from lom_bot.store.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """Everything a process needs to run services."""

    settings: Settings
    config: AppConfig
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    on_outbox: list[Callable[[], None]] = field(default_factory=list)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.config, self.clock, self._outbox_queued)

    def _outbox_queued(self) -> None:
        for callback in self.on_outbox:
            callback()

    def close(self) -> None:
        self.engine.dispose()


def build_runtime(
    settings: Settings | None = None,
    *,
    config: AppConfig | None = None,
    clock: Clock | None = None,
    migrate: bool = True,
) -> Runtime:
    """Load and validate configuration, connect, migrate, and bootstrap users from app.yaml."""
    settings = settings or load_settings()
    config = config or load_app_config(settings.lom_config)
    if migrate:
        db.upgrade(settings.database_url)
    engine = db.make_engine(settings.database_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    runtime = Runtime(settings, config, engine, sessions, clock or SystemClock(config.timezone))
    if migrate or inspect(engine).has_table("users"):
        bootstrap_users(runtime.uow())
    return runtime
