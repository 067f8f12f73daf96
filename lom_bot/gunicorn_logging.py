"""gunicorn's own log lines (worker boots, timeouts, signals) through lom-bot's log handler,
so that with `--log-format json` every line a serving process writes is JSON, redacted and
stamped like the bot's own, rather than gunicorn's plain text."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger


class ThroughRootLogger(Logger):  # type: ignore[misc]
    """gunicorn's error and access logs, handed to the root logger's (lom-bot's) handler."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in list(log.handlers):
                log.removeHandler(handler)
            log.propagate = True
