"""The runtime: everything a process needs to run services (built by bootstrap.build_runtime)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from lom_bot.config import AppConfig, Settings
from lom_bot.domain.clock import Clock
from lom_bot.store.uow import UnitOfWork


@dataclass
class Runtime:
    """Everything a process needs to run services."""

    settings: Settings
    config: AppConfig
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    on_outbox: list[Callable[[], None]] = field(default_factory=list)

    def uow(self, *, reads: bool = False) -> UnitOfWork:
        """A unit of work; `reads` for one that only reads and audits what it read (on SQLite
        it then takes no write lock while reading)."""
        return UnitOfWork(self.sessions, self.config, self.clock, self._outbox_queued, reads=reads)

    @property
    def inbox_engine(self) -> Engine:
        """Where HTTP mode stores requests waiting for an answer worker (store/inbox.py)."""
        from lom_bot.store import inbox

        return inbox.engine_for(self.engine)

    def _outbox_queued(self) -> None:
        for callback in self.on_outbox:
            callback()

    def close(self) -> None:
        self.engine.dispose()
