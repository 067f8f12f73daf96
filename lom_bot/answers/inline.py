"""Running Bolt listeners in the caller's thread."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any


class InlineExecutor(Executor):
    """Runs each listener at once in the caller's thread, so dispatch returns when the answer
    is made (the console's steps, and each answer worker thread)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # Bolt logs listener errors itself; keep the future honest
            future.set_exception(exc)
        return future
