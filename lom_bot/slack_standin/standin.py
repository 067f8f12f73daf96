"""SlackStandIn: serves enough of Slack's Web API on 127.0.0.1, recording every call."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import replace
from types import TracebackType

from lom_bot.slack_standin.conversations import ConversationMethods
from lom_bot.slack_standin.files import FileMethods
from lom_bot.slack_standin.ids import DEMO_TEAM_ID, trigger_id_for
from lom_bot.slack_standin.limits import RateLimits
from lom_bot.slack_standin.messages import MessageMethods
from lom_bot.slack_standin.records import Call, Handler, Listener, Message, Params, SlackError
from lom_bot.slack_standin.server import RequestHandler, Server
from lom_bot.slack_standin.state import FIRST_TS, Responder
from lom_bot.slack_standin.views import ViewMethods
from lom_bot.slack_standin.wire import (
    Fault,
    Reply,
    Request,
    fault_reply,
    is_failure,
    json_reply,
    parse_request,
)


class SlackStandIn(MessageMethods, ConversationMethods, ViewMethods, FileMethods):
    """Serves enough of Slack's Web API on 127.0.0.1 for the bot, recording every call."""

    def __init__(
        self,
        team_id: str = DEMO_TEAM_ID,
        users: dict[str, str] | None = None,
        channels: dict[str, str] | None = None,
        first_ts: float = FIRST_TS,
        rate_limits: RateLimits | None = None,
    ) -> None:
        super().__init__(team_id, users, channels, first_ts, rate_limits)
        self._handlers: dict[str, Handler] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.getPermalink": self._chat_get_permalink,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "users.info": self._users_info,
            "reactions.add": self._reactions_add,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "files.info": self._files_info,
        }

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> SlackStandIn:
        """Serve on a free port of 127.0.0.1 from a daemon thread."""
        if self._server is not None:
            return self
        self._server = Server(("127.0.0.1", 0), RequestHandler)
        self._server.standin = self
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="slack-standin",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port; safe to call twice."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL for `WebClient(base_url=...)`."""
        return f"{self.root}/api/"

    # -- inspection ------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        """Calls to `method` so far, failed attempts included."""
        with self._cond:
            return [call for call in self.calls if call.method == method]

    def clear(self) -> None:
        """Forget recorded calls; messages, views and files stay."""
        with self._cond:
            self.calls.clear()

    def reset(self) -> None:
        """Forget everything: calls, messages, views, files, faults and response URLs."""
        with self._cond:
            self.calls.clear()
            self.messages.clear()
            self.views.clear()
            self.modals.clear()
            self.homes.clear()
            self.files.clear()
            self._faults.clear()
            self._responders.clear()
            self._view_owner.clear()
            self._views_by_id.clear()

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until `count` calls to `method` arrived (failed ones count) and return them."""
        with self._cond:
            arrived = self._cond.wait_for(
                lambda: sum(call.method == method for call in self.calls) >= count, timeout
            )
            matching = [call for call in self.calls if call.method == method]
            if not arrived:
                seen = [call.method for call in self.calls]
                raise AssertionError(
                    f"expected {count} call(s) to {method} within {timeout}s, "
                    f"got {len(matching)}; calls seen: {seen}"
                )
            return matching

    def messages_in(self, channel: str, *, include_deleted: bool = False) -> list[Message]:
        """A snapshot of the messages in `channel`, oldest first."""
        with self._cond:
            stored = self.messages.get(channel, [])
            return [message for message in stored if include_deleted or not message.deleted]

    def add_listener(self, listener: Listener) -> None:
        """Call `listener` with every recorded call, after its effects are stored."""
        with self._cond:
            self._listeners.append(listener)

    # -- scripting -------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: int | None = None,
        times: int = 1,
        error: str | None = None,
        drop_connection: bool = False,
        lose_reply: bool = False,
    ) -> None:
        """Make the next `times` calls to `method` fail.

        With `lose_reply` the call is done (a post is stored) but the connection closes before
        the answer, as when a network drops Slack's reply.
        With `drop_connection` the socket closes unanswered; with `error` alone the answer is
        HTTP 200 `{"ok": false, "error": error}`; otherwise HTTP `status` (default 500), and a
        429 carries `Retry-After` (default 1 second).
        """
        fault = Fault(status, retry_after, error, drop_connection, lose_reply)
        with self._cond:
            self._faults.setdefault(method, deque()).extend([fault] * times)

    def response_url(self, user: str, channel: str, message_ts: str | None = None) -> str:
        """A response URL for `user` in `channel`; `message_ts` is the original message."""
        with self._cond:
            key = str(next(self._counter))
            self._responders[key] = Responder(user, channel, message_ts)
        return f"{self.root}/response/{key}"

    def trigger_id(self, user: str) -> str:
        """A trigger id that views.open will attribute to `user`."""
        with self._cond:
            return trigger_id_for(user, next(self._counter))

    def post_user_message(
        self, channel: str, user: str, text: str, thread_ts: str | None = None
    ) -> Message:
        """Store a message from a person, as if typed in Slack, and return it."""
        with self._cond:
            return self._store(
                Message(channel, self._next_ts(), text, user=user, thread_ts=thread_ts)
            )

    def change_user_message(
        self, channel: str, ts: str, *, text: str | None = None, delete: bool = False
    ) -> tuple[Message, str] | None:
        """Edit (new `text`) or delete a person's message, as Slack's client does; returns
        the message as it was and the time of the change, or None if it is not there."""
        with self._cond:
            message = self._find(channel, ts)
            if message is None or message.bot_id:
                return None
            before = replace(message)
            if delete:
                message.deleted = True
            elif text is not None:
                message.text = text
            return before, self._next_ts()

    # -- HTTP entry point ------------------------------------------------------------------

    def _handle(self, path: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one HTTP request; called from the server's request threads."""
        request = parse_request(path, headers, body)
        if request is None:
            return Reply(404, b"not_found", "text/plain")
        if request.kind == "files":
            return self._download(request.name)
        self.holds.wait(request.method)  # a slow Slack, when a test asks for one
        with self._cond:
            queued = self._faults.get(request.method)
            fault = queued.popleft() if queued else None
            if fault is not None and fault.lose_reply:
                self._route(request)
                reply = Reply(drop=True)
            elif fault is not None:
                reply = fault_reply(fault)
            else:
                reply = self._limited(request) or self._route(request)
            call = Call(request.method, request.params, request.token, failed=is_failure(reply))
            self.calls.append(call)
            listeners = list(self._listeners)
            self._cond.notify_all()
        # Outside the lock so a listener may call back into the stand-in.
        for listener in listeners:
            listener(call)
        return reply

    def _limited(self, request: Request) -> Reply | None:
        """A 429 with Retry-After when Slack's rate limits would refuse this call now."""
        if self.limits is None or request.kind != "api":
            return None
        channel = request.params.get("channel")
        retry_after = self.limits.check(request.method, str(channel) if channel else None)
        if retry_after is None:
            return None
        return fault_reply(Fault(429, retry_after, None, False))

    def _route(self, request: Request) -> Reply:
        """Send a request to the code that serves its kind of URL."""
        if request.kind == "upload":
            return self._upload(request.name, request.content)
        if request.kind == "response":
            return self._respond(request.name, request.params)
        return self._api(request.method, request.params)

    def _api(self, method: str, params: Params) -> Reply:
        """Dispatch a Web API method to its handler."""
        handler = self._handlers.get(method)
        if handler is None:
            return json_reply({"ok": False, "error": "unknown_method"})
        try:
            return json_reply({"ok": True, **handler(params)})
        except SlackError as err:
            return json_reply({"ok": False, "error": err.error})
