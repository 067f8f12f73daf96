"""Delivering the outbox to Slack: the real ChatPort and the worker thread that drives it."""

from __future__ import annotations

import base64
import logging
import threading
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from lom_bot.services.outbox import DeliveryReport, deliver_pending
from lom_bot.services.pacing import Pacer
from lom_bot.services.ports import NotDelivered, RateLimited

if TYPE_CHECKING:
    from lom_bot.runtime import Runtime

log = logging.getLogger(__name__)


MARK = "lom_outbox"  # the metadata event type that carries a post's outbox ids
LOOK_BACK = 100  # messages read back to find a post whose answer was lost


class SlackChat:
    """The ChatPort over a WebClient: one outbox method, one (or two) Web API calls. Slack's
    refusals become RateLimited (429: nothing posted) or NotDelivered (a definite no); anything
    else (a dropped connection, a 5xx) leaves open whether the post was made."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def call(self, method: str, channel: str, payload: dict[str, Any]) -> str | None:
        try:
            return self._call(method, channel, payload)
        except SlackApiError as exc:
            status = int(getattr(exc.response, "status_code", 0) or 0)
            if status == 429:
                raise RateLimited(method, _retry_after(exc.response)) from exc
            if status < 500:
                raise NotDelivered(str(exc.response.get("error", "refused"))) from exc
            raise

    def call_marked(
        self, method: str, channel: str, payload: dict[str, Any], outbox_ids: list[int]
    ) -> str | None:
        """A post carries its outbox ids in message metadata, so it can be found again."""
        if method in ("post", "dm"):
            mark = {"event_type": MARK, "event_payload": {"outbox_ids": outbox_ids}}
            payload = {**payload, "metadata": mark}
        return self.call(method, channel, payload)

    def react(self, channel: str, ts: str, name: str) -> None:
        """A reaction on a message (idempotent: one already there is fine)."""
        try:
            self.client.reactions_add(channel=channel, timestamp=ts, name=name)
        except SlackApiError as exc:
            if exc.response.get("error") != "already_reacted":
                raise

    def find_marked(
        self, method: str, channel: str, payload: dict[str, Any], outbox_ids: list[int]
    ) -> str | None:
        """The ts of a post Slack has that carries any of these outbox ids."""
        where = self._dm_channel(channel) if method == "dm" else channel
        thread = payload.get("thread_ts")
        if thread:
            found = self.client.conversations_replies(
                channel=where, ts=thread, include_all_metadata=True, limit=LOOK_BACK
            )
        else:
            found = self.client.conversations_history(
                channel=where, include_all_metadata=True, limit=LOOK_BACK
            )
        wanted = set(outbox_ids)
        for message in found.get("messages") or []:
            metadata = message.get("metadata") or {}
            ids = (metadata.get("event_payload") or {}).get("outbox_ids") or []
            if metadata.get("event_type") == MARK and wanted.intersection(ids):
                return _str(message.get("ts"))
        return None

    def _call(self, method: str, channel: str, payload: dict[str, Any]) -> str | None:
        if method == "post":
            return _str(self.client.chat_postMessage(channel=channel, **payload).get("ts"))
        if method == "update":
            return _str(self.client.chat_update(channel=channel, **payload).get("ts"))
        if method == "ephemeral":
            response = self.client.chat_postEphemeral(channel=channel, **payload)
            return _str(response.get("message_ts"))
        if method == "dm":
            return _str(
                self.client.chat_postMessage(channel=self._dm_channel(channel), **payload).get("ts")
            )
        if method == "upload":
            return self._upload(channel, payload)
        raise ValueError(f"unknown outbox method {method!r}")

    def _dm_channel(self, user_or_channel: str) -> str:
        """A user id opens (or finds) the DM with that user; a channel id is used as it is."""
        if not user_or_channel.startswith(("U", "W")):
            return user_or_channel
        opened = self.client.conversations_open(users=user_or_channel)
        channel = opened.get("channel") or {}
        return str(channel["id"])

    def _upload(self, channel: str, payload: dict[str, Any]) -> str | None:
        """files_upload_v2 with the file's bytes carried base64-encoded in `content`."""
        args = dict(payload)
        content = base64.b64decode(args.pop("content", "") or "")
        if channel.startswith(("U", "W")):
            channel = self._dm_channel(channel)
        self.client.files_upload_v2(channel=channel, content=content, **args)
        return None  # the share's ts is not returned by files.completeUploadExternal


def _retry_after(response: Any) -> float:
    headers = {str(k).lower(): v for k, v in (getattr(response, "headers", None) or {}).items()}
    raw = headers.get("retry-after", 1)
    try:
        return max(0.0, float(raw[0] if isinstance(raw, list) else raw))
    except (TypeError, ValueError):
        return 1.0


def _str(value: object) -> str | None:
    return None if value is None else str(value)


class OutboxWorker:
    """Sends the outbox from daemon threads (`senders` of them, each taking up to `batch`
    messages a pass): woken by each commit that queued a message, and every few seconds for
    retries. Between threads and processes the outbox's claim makes each message go once."""

    def __init__(
        self,
        rt: Runtime,
        chat: SlackChat,
        *,
        interval: float = 5.0,
        senders: int = 1,
        batch: int = 50,
        pacer: Pacer | None = None,
    ) -> None:
        self.rt = rt
        self.chat = chat
        self.interval = interval
        self.senders = senders
        self.batch = batch
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        # Slack's limits, shared by this process's sender threads (None: a test's fake chat)
        self.pacer = pacer

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def start(self) -> OutboxWorker:
        """Start the threads and ask to be kicked after every commit that queued a message."""
        if self.running:
            return self
        self._stop.clear()
        if self.kick not in self.rt.on_outbox:
            self.rt.on_outbox.append(self.kick)
        self._threads = [
            threading.Thread(target=self._run, name=f"lom-outbox-{n}", daemon=True)
            for n in range(self.senders)
        ]
        for thread in self._threads:
            thread.start()
        self.kick()  # anything left from before a restart goes out now
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop: a call in flight finishes and is marked, the rest of each batch is handed
        back (due at once for the next sender or a restarted process)."""
        if self.kick in self.rt.on_outbox:
            self.rt.on_outbox.remove(self.kick)
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    def kick(self) -> None:
        self._wake.set()

    def deliver_once(self) -> DeliveryReport:
        """One pass now, in the caller's thread (one such pass at a time)."""
        with self._lock:
            return deliver_pending(self.rt.uow(), self.chat)

    def flush(self, max_rounds: int = 50) -> int:
        """Deliver until nothing is due now; returns how many messages were sent."""
        sent = 0
        for _ in range(max_rounds):
            report = self.deliver_once()
            sent += report.sent
            if report.sent + report.failed + report.waiting == 0:
                break
        return sent

    def _run(self) -> None:
        wait = self.interval
        while not self._stop.is_set():
            self._wake.wait(wait)
            self._wake.clear()
            wait = self.interval
            try:
                while not self._stop.is_set():  # until a pass finds less than a full batch
                    report = deliver_pending(
                        self.rt.uow(), self.chat, limit=self.batch,
                        stopping=self._stop.is_set, pacer=self.pacer,
                    )  # fmt: skip
                    if report.retry_in is not None:  # held back by Slack's limits: soon again
                        wait = min(wait, max(report.retry_in, 0.05))
                        break
                    if report.sent + report.failed + report.waiting < self.batch:
                        break
            except Exception:  # the database may be down: keep the thread, try again later
                log.exception("outbox delivery pass failed")
