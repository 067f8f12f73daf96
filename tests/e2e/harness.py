"""End-to-end harness: the real Bolt app, served over HTTP, talking to a recording Slack stand-in.

How to use it (the `slack` fixture in tests/e2e/conftest.py gives you one on the demo data):

    def test_officer_logs_a_contact(slack):
        result = slack.command("U0OFF1", "contact LOM-0001 home visit complied today")
        assert result.status == 200                  # the ack
        assert "logged" in result.text              # what the user was answered
        slack.flush()                               # deliver the outbox (posts caused by changes)
        posts = slack.standin.calls_to("chat.postMessage")
        with slack.rt.uow() as uow: ...             # check the database and the audit log

What it does:
- starts a SlackStandIn (lom_bot/slack_standin/) and builds the app with
  bootstrap.build_app, its WebClient pointed at the stand-in (SLACK_API_URL);
- serves the app with the production WSGI app (lom_bot/wsgi.py) on 127.0.0.1 (POST /slack/events);
- sends SIGNED requests with real payload shapes (lom_bot/console/signing.py):
  `command()` a form-encoded slash command, `click()` a block_actions `payload=`,
  `submit()` a view_submission, `event()` an Events API envelope (with X-Slack-Retry-Num);
- waits until every listener has finished (the app runs listeners on a tracked executor after
  the ack), so a Result holds every Web API call the request caused: no sleeps in tests.

A Result has `.status`, `.body` (the ack's body; `.json()` for view_submission answers),
`.calls` (Web API calls recorded while handling it), `.replies` (what the user was answered:
response_url posts, chat.postEphemeral and chat.postMessage params), `.text` (their texts joined),
`.blocks` (their blocks) and `.modals` (views opened). The outbox worker does not run by itself
here: call `slack.flush()` to deliver queued messages, so tests are deterministic.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from pydantic import SecretStr

from lom_bot.answers.ingress import Ingress
from lom_bot.answers.inline import InlineExecutor
from lom_bot.answers.wakeup import Listener, socket_path
from lom_bot.answers.worker import AnswerWorker
from lom_bot.bootstrap import Runtime, build_app, outbox_worker
from lom_bot.console import signing
from lom_bot.slack_standin.records import Call, UploadedFile
from lom_bot.slack_standin.standin import SlackStandIn
from lom_bot.store import inbox
from lom_bot.wsgi import LomWsgi, ingress_for, outbox_wake

SECRET = "e2e-signing-secret"
TEAM = signing.DEMO_TEAM_ID
REPLY_METHODS = ("response_url", "chat.postEphemeral", "chat.postMessage")


class TrackingExecutor(ThreadPoolExecutor):
    """A thread pool that can wait until everything submitted to it has finished."""

    def __init__(self) -> None:
        super().__init__(max_workers=8, thread_name_prefix="bolt-listener")
        self._pending: set[Future[Any]] = set()
        self._guard = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._guard:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future[Any]) -> None:
        with self._guard:
            self._pending.discard(future)

    def wait_idle(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            with self._guard:
                pending = list(self._pending)
            if not pending:
                return
            for future in pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("listeners still running after the request")
                future.exception(timeout=remaining)  # waits; a listener error is Bolt's to log


@dataclass
class Result:
    """What one request produced: the HTTP answer and the Web API calls it caused."""

    status: int
    body: str
    calls: list[Call] = field(default_factory=list)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def replies(self) -> list[dict[str, Any]]:
        return [call.params for call in self.calls if call.method in REPLY_METHODS]

    @property
    def text(self) -> str:
        return "\n".join(str(reply.get("text") or "") for reply in self.replies)

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return [block for reply in self.replies for block in reply.get("blocks") or []]

    @property
    def modals(self) -> list[dict[str, Any]]:
        return [call.params["view"] for call in self.calls if call.method == "views.open"]

    def to(self, method: str) -> list[dict[str, Any]]:
        return [call.params for call in self.calls if call.method == method]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Tests read results, not access logs."""


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class SlackHarness:
    """The app from bootstrap behind HTTP, Slack replaced by a recording stand-in."""

    def __init__(self, rt: Runtime, *, start_worker: bool = False, answers: bool = False) -> None:
        """With `answers`, requests go as in `lom-bot serve --http`: the web side stores them
        in the inbox and acks, and an answer worker answers them before post() returns."""
        self.rt = rt
        users = {u.slack_id: u.name for u in rt.config.users}
        channels = {c.id: c.name for c in rt.config.all_channels()}
        self.standin = SlackStandIn(users=users, channels=channels).start()
        rt.settings = rt.settings.model_copy(
            update={
                "slack_bot_token": SecretStr("xoxb-e2e-token"),
                "slack_signing_secret": SecretStr(SECRET),
                "slack_api_url": self.standin.url,
            }
        )
        self.executor = TrackingExecutor()
        self.app = build_app(rt, start_worker=start_worker, listener_executor=self.executor)
        self.worker = outbox_worker(self.app)
        self.answers: AnswerWorker | None = None
        self.ingress: Ingress | None = None
        if answers:
            self._sockets = Path(tempfile.mkdtemp(prefix="lom-e2e-answers-"))
            self.listener = Listener(socket_path(self._sockets, 0))  # "a worker is up"
            answer_app = build_app(rt, start_worker=False, listener_executor=InlineExecutor())
            self.answers = AnswerWorker(rt.inbox_engine, answer_app, name="e2e-answers", threads=1)
            rt.settings = rt.settings.model_copy(update={"lom_answer_sockets": self._sockets})
            self.ingress = ingress_for(rt)
            assert self.ingress is not None
            self._wake = outbox_wake(self.app, self.ingress)
            rt.on_outbox.append(self._wake)  # as wsgi.create_application does
        self._server = make_server(
            "127.0.0.1",
            0,
            LomWsgi(rt, self.app, self.ingress),  # the production WSGI app, as gunicorn serves it
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="e2e-bolt",
            daemon=True,
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/slack/events"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.worker.stop()
        self.executor.shutdown(wait=True)
        if self.answers is not None:
            self.rt.on_outbox.remove(self._wake)
            self.answers.stop()
            self.listener.close()
            shutil.rmtree(self._sockets, ignore_errors=True)
        self.standin.stop()

    # -- requests as Slack sends them ------------------------------------------------------

    def command(
        self, user: str, text: str, channel: str = "C0LOMTEAM", *, command: str = "/lom"
    ) -> Result:
        """`/lom <text>` typed by `user` in `channel`."""
        body = signing.slash_command_body(
            command,
            text,
            user,
            channel,
            response_url=self.standin.response_url(user, channel),
            trigger_id=self.standin.trigger_id(user),
        )
        return self.post(body)

    def click(
        self,
        user: str,
        action_id: str,
        value: str,
        channel: str | None = "C0LOMTEAM",
        message_ts: str | None = None,
        *,
        block_id: str = "b",
        view: dict[str, Any] | None = None,
    ) -> Result:
        """A button press on a message (or, with `view`, inside a modal or the Home tab)."""
        payload = signing.block_actions_payload(
            user,
            TEAM,
            channel,
            action_id,
            value,
            block_id=block_id,
            message_ts=message_ts,
            trigger_id=self.standin.trigger_id(user),
            response_url=self.standin.response_url(user, channel, message_ts) if channel else None,
            view=view,
        )
        return self.post(signing.interactivity_body(payload))

    def submit(
        self,
        user: str,
        callback_id: str,
        values: dict[str, Any],
        private_metadata: str = "",
    ) -> Result:
        """A modal submission. `values` maps block_id to a string (a plain-text input whose
        action_id equals the block_id) or to the element's raw state dict (selects, dates)."""
        state = {block: {block: _element_state(value)} for block, value in values.items()}
        payload = signing.view_submission_payload(user, TEAM, callback_id, state, private_metadata)
        return self.post(signing.interactivity_body(payload))

    def event(
        self, event: dict[str, Any], *, retry_num: int | None = None, event_id: str | None = None
    ) -> Result:
        """An Events API delivery; `retry_num` marks it as Slack's redelivery."""
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(signing.event_body(event, event_id=event_id), extra_headers=headers)

    def share_file(self, file: UploadedFile, user: str, event_ts: str) -> Result:
        """A file the stand-in holds, shared in its first channel by `user` (file_shared)."""
        self.standin.files[file.id] = file
        event = {
            "type": "file_shared",
            "file_id": file.id,
            "file": {"id": file.id},
            "user_id": user,
            "channel_id": file.channels[0],
            "event_ts": event_ts,
        }
        return self.event(event)

    def post(
        self,
        body: bytes,
        *,
        timestamp: int | None = None,
        secret: str = SECRET,
        extra_headers: dict[str, str] | None = None,
    ) -> Result:
        """Send a signed body (sign with another secret or timestamp to test refusals)."""
        headers = signing.sign(secret, body, timestamp or int(time.time()))
        headers.update(extra_headers or {})
        start = len(self.standin.calls)
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            status, text = err.code, err.read().decode()
        self.executor.wait_idle()
        self.answer_waiting()
        return Result(status, text, list(self.standin.calls[start:]))

    def stop_listening(self) -> None:
        """Answers mode: as if no answer worker were running."""
        self.listener.close()

    def answer_waiting(self) -> int:
        """Answers mode: answer what the web side stored, as an answer worker would."""
        if self.answers is None:
            return 0
        if self.listener.sock.fileno() != -1:  # the wake-ups an answer worker would have read
            self.listener.receive(timeout=0)
        later = datetime.now(UTC) + timedelta(days=1)
        ids = inbox.waiting(self.rt.inbox_engine, older_than=later, retry_before=later)
        for row_id, _kind in ids:
            self.answers.answer(row_id)
        return len(ids)

    # -- after the request -----------------------------------------------------------------

    def flush(self) -> list[Call]:
        """Deliver the outbox now; returns the Web API calls the delivery made."""
        start = len(self.standin.calls)
        self.worker.flush()
        return list(self.standin.calls[start:])


def _element_state(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    return {"type": "plain_text_input", "value": value}


def harness(rt: Runtime, *, answers: bool = False) -> Iterator[SlackHarness]:
    """A fixture body: one harness for the test, closed afterwards."""
    h = SlackHarness(rt, answers=answers)
    try:
        yield h
    finally:
        h.close()


def check_blocks(blocks: list[dict[str, Any]], *, limit: int = 50) -> None:
    """Every block parses with slack_sdk.models and passes its limits (raises otherwise)."""
    from slack_sdk.models.blocks import Block

    assert len(blocks) <= limit, f"{len(blocks)} blocks (limit {limit})"
    parsed = Block.parse_all(blocks)
    assert len(parsed) == len(blocks)
    for block in parsed:
        assert block is not None
        block.validate_json()


def check_view(view: dict[str, Any]) -> None:
    """A modal or Home view parses with slack_sdk.models.views.View and passes its limits."""
    from slack_sdk.models.views import View

    known = {k: v for k, v in view.items() if k in _VIEW_FIELDS}
    View(**known).validate_json()
    check_blocks(view.get("blocks") or [], limit=100)


_VIEW_FIELDS = {
    "type",
    "id",
    "callback_id",
    "external_id",
    "team_id",
    "bot_id",
    "app_id",
    "root_view_id",
    "previous_view_id",
    "title",
    "submit",
    "close",
    "blocks",
    "private_metadata",
    "state",
    "hash",
    "clear_on_close",
    "notify_on_close",
}
