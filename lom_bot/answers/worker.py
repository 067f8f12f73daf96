"""An answer worker: a process that takes stored requests from the inbox and answers them with
the same Bolt app and listeners as everywhere else (the request is dispatched again, its
signature having been checked by the web process, and its ack goes nowhere).

It runs at a lower CPU priority than the web processes (set in answers/processes.py), so that
on a busy machine Slack's acks are never queued behind answer work. A request is claimed by
one worker; if that worker stops mid-answer, the request is found stalled: a district event
is taken again (capturing it is idempotent), anything else is dropped and the person told to
check and try again, because running a command twice could record a contact twice."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from slack_bolt.request import BoltRequest
from slack_sdk.webhook import WebhookClient
from sqlalchemy.exc import SQLAlchemyError

from lom_bot.answers.wakeup import OUTBOX, Listener
from lom_bot.logging_setup import bind, new_request_id
from lom_bot.store import inbox

if TYPE_CHECKING:
    from slack_bolt import App
    from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

SWEEP_EVERY = 1.0  # seconds between looks for requests no worker was told about
SWEEP_AGAIN = 0.1  # ... while the last look found some (a burst refused some wake-ups)
UNTOLD_AFTER = timedelta(seconds=1)
RETRY_AFTER = timedelta(seconds=30)  # before an event whose capture failed is tried again
# ... doubling up to half an hour: a poison event is set aside after about three hours of
# tries (and announced once); an outage shorter than that is outlasted.
MAX_CAPTURE_ATTEMPTS = 12
MAX_RETRY_WAIT = timedelta(minutes=30)
STALLED_AFTER = timedelta(minutes=10)  # no answer takes this long unless its worker stopped
STALL_CHECK_EVERY = 30.0
INBOX_HEADER = "x-lom-inbox-id"
STOPPED_MID_ANSWER = (
    "Sorry: lom-bot restarted while answering your request, so it may not have been finished. "
    "Please check (for example with `/lom subject`) before you try again."
)


class AnswerWorker:
    """Claims and answers inbox requests on a few threads; wake-ups by `Listener`."""

    def __init__(
        self,
        engine: Engine,
        app: App,
        *,
        name: str,
        threads: int = 4,
        on_outbox: Callable[[], None] = lambda: None,
        on_dead: Callable[[int, str, int], None] = lambda _id, _kind, _attempts: None,
    ) -> None:
        self.engine = engine
        self.on_dead = on_dead
        self.app = app
        self.on_outbox = on_outbox
        self.name = name
        # People first: their answers (a modal within 3 s of a click) never queue behind a
        # burst of district messages.
        self.people = ThreadPoolExecutor(max(1, threads // 2), thread_name_prefix="answer-people")
        self.events = ThreadPoolExecutor(
            max(1, threads - threads // 2), thread_name_prefix="answer-events"
        )
        self._busy: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._last_stall_check = 0.0

    # -- the loop ------------------------------------------------------------------------------

    def serve(self, listener: Listener) -> None:
        """Answer until stop(): woken by ids on the socket, sweeping the inbox every second."""
        next_sweep = 0.0
        while not self._stop.is_set():
            for sent in listener.receive(timeout=SWEEP_EVERY):
                if sent == OUTBOX:
                    self.on_outbox()
                else:
                    self.submit(abs(sent), person_waiting=sent < 0)
            if time.monotonic() >= next_sweep:
                found = self.sweep()
                next_sweep = time.monotonic() + (SWEEP_AGAIN if found else SWEEP_EVERY)

    def stopping(self) -> None:
        """Take no more requests (the loop ends within a second); stop() finishes the rest."""
        self._stop.set()

    def stop(self) -> None:
        """Finish the answers under way; requests not yet claimed stay queued for the next."""
        self._stop.set()
        for pool in (self.people, self.events):
            pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, row_id: int, *, person_waiting: bool = False) -> None:
        if self._stop.is_set():
            return
        with self._lock:
            if row_id in self._busy:
                return
            self._busy.add(row_id)
        pool = self.people if person_waiting else self.events
        pool.submit(self._answer_logged, row_id)

    def sweep(self) -> int:
        """Requests no worker was told about, and those a stopped worker left half done;
        returns how many waiting requests it found."""
        try:
            now = datetime.now(UTC)
            found = inbox.waiting(
                self.engine, older_than=now - UNTOLD_AFTER, retry_before=now - RETRY_AFTER
            )
            for row_id, kind in found:
                self.submit(row_id, person_waiting=kind != "event")
            if time.monotonic() - self._last_stall_check >= STALL_CHECK_EVERY:
                self._last_stall_check = time.monotonic()
                self.recover(now - STALLED_AFTER)
            return len(found)
        except SQLAlchemyError:
            log.warning("inbox sweep failed (database unreachable?); trying again shortly")
            return 0

    # -- one request ---------------------------------------------------------------------------

    def _answer_logged(self, row_id: int) -> None:
        try:
            self.answer(row_id)
        except Exception:
            log.exception("answering inbox request %s failed", row_id)
        finally:
            with self._lock:
                self._busy.discard(row_id)

    def answer(self, row_id: int) -> bool:
        """Claim and answer one request; False when another worker had it already."""
        bind(request_id=new_request_id(), user=None, action=None)  # not the last answer's
        request = inbox.claim(self.engine, row_id, by=self.name, now=datetime.now(UTC))
        if request is None:
            return False
        response = self.app.dispatch(
            BoltRequest(
                body=request.body,
                headers={"content-type": request.content_type, INBOX_HEADER: str(row_id)},
                mode="socket_mode",  # verified by the web process; the ack goes nowhere
            )
        )
        if request.kind == "event" and response.status >= 500:
            # The capture could not store it (database trouble): keep it and try again later.
            log.error("inbox request %s not stored (%s); will retry", row_id, response.status)
            self._retry_later(row_id, request.kind)
        else:
            inbox.done(self.engine, row_id, by=self.name)
        return True

    def _retry_later(self, row_id: int, kind: str, *, at_once: bool = False) -> None:
        """Queue it again after a backoff, or past the attempt limit set it aside and say so."""
        now = datetime.now(UTC)
        attempts = inbox.attempts_of(self.engine, row_id)
        wait = min(RETRY_AFTER * 2 ** max(attempts, 0), MAX_RETRY_WAIT) - RETRY_AFTER
        given_up = inbox.requeue(
            self.engine, row_id, by=self.name, now=now - RETRY_AFTER if at_once else now,
            due_after=timedelta(0) if at_once else wait, max_attempts=MAX_CAPTURE_ATTEMPTS,
        )  # fmt: skip
        if given_up is not None:
            log.error("inbox request %s (%s) failed %s times; set aside", row_id, kind, given_up)
            try:
                self.on_dead(row_id, kind, given_up)
            except Exception:  # best effort: it is listed by `lom-bot outbox list --failed`
                log.warning("could not announce inbox request %s set aside", row_id)

    def recover(self, claimed_before: datetime) -> None:
        """Requests claimed by a worker that stopped: events again, the rest told and dropped."""
        for stalled in inbox.stalled(self.engine, claimed_before=claimed_before):
            request = stalled.request
            now = datetime.now(UTC)
            if not inbox.take_stalled(self.engine, stalled, by=self.name, now=now):
                continue  # another worker is recovering it
            if request.kind == "event":
                log.warning("inbox request %s stalled; capturing it again", request.id)
                self._retry_later(request.id, request.kind, at_once=True)
                continue
            log.error("inbox request %s (%s) stalled mid-answer; dropped", request.id, request.kind)
            _tell_stopped(request.body)
            inbox.done(self.engine, request.id, by=self.name)


def _tell_stopped(body: str) -> None:
    """Best effort: the person who asked hears that their answer may be incomplete."""
    url = _response_url(body)
    if url is None:
        return
    try:
        WebhookClient(url).send(text=STOPPED_MID_ANSWER, response_type="ephemeral")
    except Exception:
        log.warning("could not tell the user about a stalled request")


def _response_url(body: str) -> str | None:
    form = parse_qs(body)
    if "response_url" in form:
        return form["response_url"][0]
    if "payload" in form:
        payload: Any = json.loads(form["payload"][0])
        url = payload.get("response_url") if isinstance(payload, dict) else None
        return url if isinstance(url, str) else None
    return None
