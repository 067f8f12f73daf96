"""A local HTTP stand-in for Slack's Web API, for end-to-end tests and the local console."""

from __future__ import annotations

import email
import itertools
import json
import mimetypes
import secrets
import socket
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit

from lom_bot.console.limits import Holds, RateLimits
from lom_bot.console.signing import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    DEMO_TEAM_DOMAIN,
    DEMO_TEAM_ID,
    trigger_id_for,
)

Params = dict[str, Any]
# Fields the SDK sends as JSON strings inside form bodies; decoded so tests can inspect them.
JSON_FIELDS = frozenset(
    {"blocks", "attachments", "view", "files", "metadata", "unfurls", "user_auth_blocks"}
)
_FIRST_TS = 1_764_000_000
_UNKNOWN_USER = "UNKNOWN"


@dataclass
class Call:
    """One request the stand-in received; `failed` when it answered with an error."""

    method: str
    params: Params
    token: str | None = None
    failed: bool = False


@dataclass
class UploadedFile:
    """A file uploaded through files.getUploadURLExternal and its upload URL."""

    id: str
    name: str
    title: str
    content: bytes = b""
    channels: list[str] = field(default_factory=list)


@dataclass
class Message:
    """A message as the stand-in stores it, ephemeral ones included."""

    channel: str
    ts: str
    text: str = ""
    user: str | None = None
    bot_id: str | None = None
    blocks: list[Any] = field(default_factory=list)
    attachments: list[Any] = field(default_factory=list)
    thread_ts: str | None = None
    ephemeral_to: str | None = None
    files: list[UploadedFile] = field(default_factory=list)
    metadata: Params | None = None
    deleted: bool = False
    reactions: list[str] = field(default_factory=list)  # names the bot added


@dataclass(frozen=True)
class _Fault:
    """How one upcoming call should fail."""

    status: int | None
    retry_after: int | None
    error: str | None
    drop_connection: bool
    lose_reply: bool = False  # do the call, then hang up: the client never hears it was done


@dataclass
class _Responder:
    """Where a response URL posts, and the last message it produced."""

    user: str
    channel: str
    last_ts: str | None


@dataclass
class _Request:
    """An incoming request, parsed: which kind of URL, the method it counts as, its inputs."""

    kind: str
    name: str
    method: str
    params: Params
    token: str | None = None
    content: bytes = b""


@dataclass
class _Reply:
    """An HTTP answer, or an instruction to hang up without one."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


class _SlackError(Exception):
    """Raised by a method handler to answer `{"ok": false, "error": ...}`."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


Handler = Callable[[Params], Params]
Listener = Callable[[Call], None]


class SlackStandIn:
    """Serves enough of Slack's Web API on 127.0.0.1 for the bot, recording every call."""

    def __init__(
        self,
        team_id: str = DEMO_TEAM_ID,
        users: dict[str, str] | None = None,
        channels: dict[str, str] | None = None,
        first_ts: float = _FIRST_TS,
        rate_limits: RateLimits | None = None,
    ) -> None:
        self.team_id = team_id
        # Slack's rate limits (console/limits.py): off unless given, so most tests stay fast.
        self.limits = rate_limits
        self.holds = Holds()
        # Tests keep the fixed default; the console starts at the current time so a reused
        # database never sees a new message with the (channel, ts) of an earlier session's.
        self._first_us = int(first_ts * 1_000_000)
        self.users = dict(users or {})
        self.channels = dict(channels or {})
        self.calls: list[Call] = []
        self.messages: dict[str, list[Message]] = {}
        self.views: dict[str, Params] = {}
        self.modals: list[Params] = []
        self.homes: dict[str, Params] = {}  # each user's published Home tab
        self.files: dict[str, UploadedFile] = {}
        self._cond = threading.Condition()
        self._faults: dict[str, deque[_Fault]] = {}
        self._responders: dict[str, _Responder] = {}
        self._view_owner: dict[str, str] = {}
        self._views_by_id: dict[str, Params] = {}
        self._listeners: list[Listener] = []
        self._counter = itertools.count(1)
        self._run = secrets.token_hex(3).upper()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
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
        self._server = _Server(("127.0.0.1", 0), _RequestHandler)
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
    def root(self) -> str:
        """Base URL of the server, without the `/api/` prefix."""
        if self._server is None:
            raise RuntimeError("SlackStandIn is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

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
        fault = _Fault(status, retry_after, error, drop_connection, lose_reply)
        with self._cond:
            self._faults.setdefault(method, deque()).extend([fault] * times)

    def response_url(self, user: str, channel: str, message_ts: str | None = None) -> str:
        """A response URL for `user` in `channel`; `message_ts` is the original message."""
        with self._cond:
            key = str(next(self._counter))
            self._responders[key] = _Responder(user, channel, message_ts)
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

    def _handle(self, path: str, headers: Mapping[str, str], body: bytes) -> _Reply:
        """Answer one HTTP request; called from the server's request threads."""
        request = _parse_request(path, headers, body)
        if request is None:
            return _Reply(404, b"not_found", "text/plain")
        if request.kind == "files":
            return self._download(request.name)
        self.holds.wait(request.method)  # a slow Slack, when a test asks for one
        with self._cond:
            queued = self._faults.get(request.method)
            fault = queued.popleft() if queued else None
            if fault is not None and fault.lose_reply:
                self._route(request)
                reply = _Reply(drop=True)
            elif fault is not None:
                reply = _fault_reply(fault)
            else:
                reply = self._limited(request) or self._route(request)
            call = Call(request.method, request.params, request.token, failed=_is_failure(reply))
            self.calls.append(call)
            listeners = list(self._listeners)
            self._cond.notify_all()
        # Outside the lock so a listener may call back into the stand-in.
        for listener in listeners:
            listener(call)
        return reply

    def _limited(self, request: _Request) -> _Reply | None:
        """A 429 with Retry-After when Slack's rate limits would refuse this call now."""
        if self.limits is None or request.kind != "api":
            return None
        channel = request.params.get("channel")
        retry_after = self.limits.check(request.method, str(channel) if channel else None)
        if retry_after is None:
            return None
        return _fault_reply(_Fault(429, retry_after, None, False))

    def _route(self, request: _Request) -> _Reply:
        """Send a request to the code that serves its kind of URL."""
        if request.kind == "upload":
            return self._upload(request.name, request.content)
        if request.kind == "response":
            return self._respond(request.name, request.params)
        return self._api(request.method, request.params)

    def _api(self, method: str, params: Params) -> _Reply:
        """Dispatch a Web API method to its handler."""
        handler = self._handlers.get(method)
        if handler is None:
            return _json_reply({"ok": False, "error": "unknown_method"})
        try:
            return _json_reply({"ok": True, **handler(params)})
        except _SlackError as err:
            return _json_reply({"ok": False, "error": err.error})

    # -- state helpers (caller holds the lock) ---------------------------------------------

    def _next_ts(self) -> str:
        """A message timestamp later than every earlier one."""
        micros = self._first_us + next(self._counter) * 100
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        """An id in Slack's style, e.g. V0LOM3FA9C200012: unique across runs, as Slack's are
        (a form in a second console on the same database is not taken for a replay)."""
        return f"{prefix}0LOM{self._run}{next(self._counter):05d}"

    def _store(self, message: Message) -> Message:
        """Append `message` to its channel."""
        self.messages.setdefault(message.channel, []).append(message)
        return message

    def _find(self, channel: str, ts: str | None) -> Message | None:
        """The live message with `ts` in `channel`, if any."""
        for message in self.messages.get(channel, []):
            if message.ts == ts and not message.deleted:
                return message
        return None

    def _bot_message(self, params: Params, channel: str, **extra: Any) -> Message:
        """A message from the bot built from chat.* parameters."""
        return Message(
            channel=channel,
            ts=self._next_ts(),
            text=str(params.get("text") or ""),
            user=BOT_USER_ID,
            bot_id=BOT_ID,
            blocks=list(params.get("blocks") or []),
            attachments=list(params.get("attachments") or []),
            thread_ts=params.get("thread_ts") or None,
            metadata=params.get("metadata"),
            **extra,
        )

    def _channel(self, params: Params, key: str = "channel") -> str:
        """The channel named in `params`; a user id means the DM with that user."""
        channel = params.get(key)
        if not channel:
            raise _SlackError("channel_not_found")
        return _dm_for(channel) if channel[0] in "UW" else str(channel)

    def _trigger_user(self, trigger_id: str | None) -> str:
        """The user a trigger id belongs to, read from ids shaped like `n.<user>.x`."""
        # Real trigger ids are opaque; ours name the user so modals can be filed per user.
        if not trigger_id:
            raise _SlackError("invalid_trigger_id")
        parts = trigger_id.split(".")
        return parts[1] if len(parts) == 3 and parts[1][:1] in ("U", "W") else _UNKNOWN_USER

    # -- auth, chat ------------------------------------------------------------------------

    def _auth_test(self, params: Params) -> Params:
        return {
            "url": f"https://{DEMO_TEAM_DOMAIN}.slack.com/",
            "team": "LOM Demo",
            "user": "lom-bot",
            "team_id": self.team_id,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, params: Params) -> Params:
        _require_content(params)
        message = self._store(self._bot_message(params, self._channel(params)))
        return {"channel": message.channel, "ts": message.ts, "message": _message_json(message)}

    def _chat_post_ephemeral(self, params: Params) -> Params:
        _require_content(params)
        if not params.get("user"):
            raise _SlackError("user_not_found")
        channel = self._channel(params)
        message = self._store(self._bot_message(params, channel, ephemeral_to=params["user"]))
        return {"message_ts": message.ts}

    def _chat_update(self, params: Params) -> Params:
        channel = self._channel(params)
        message = self._find(channel, params.get("ts"))
        if message is None:
            raise _SlackError("message_not_found")
        _apply_edit(message, params)
        return {
            "channel": channel,
            "ts": message.ts,
            "text": message.text,
            "message": _message_json(message),
        }

    def _chat_delete(self, params: Params) -> Params:
        channel = self._channel(params)
        message = self._find(channel, params.get("ts"))
        if message is None:
            raise _SlackError("message_not_found")
        message.deleted = True
        return {"channel": channel, "ts": message.ts}

    def _chat_get_permalink(self, params: Params) -> Params:
        channel = self._channel(params)
        ts = str(params.get("message_ts") or "")
        if self._find(channel, ts) is None:
            raise _SlackError("message_not_found")
        return {"channel": channel, "permalink": permalink(channel, ts)}

    # -- conversations, users --------------------------------------------------------------

    def _conversations_open(self, params: Params) -> Params:
        if params.get("channel"):
            return {"channel": {"id": params["channel"]}, "no_op": True, "already_open": True}
        users = [user for user in str(params.get("users") or "").split(",") if user]
        if not users:
            raise _SlackError("users_list_not_supplied")
        # Group DMs get a G id so they stay distinct from one-to-one DMs.
        channel = _dm_for(users[0]) if len(users) == 1 else "G" + "".join(sorted(users))
        return {"channel": {"id": channel}, "no_op": False, "already_open": False}

    def _conversations_info(self, params: Params) -> Params:
        channel = self._channel(params)
        info: Params = {
            "id": channel,
            "name": self.channels.get(channel, channel.lower()),
            "is_channel": channel.startswith("C"),
            "is_group": channel.startswith("G"),
            "is_im": channel.startswith("D"),
            "is_private": not channel.startswith("C"),
            "is_archived": False,
            "is_member": True,
        }
        if channel.startswith("D"):
            info["user"] = channel[1:]
        return {"channel": info}

    def _conversations_history(self, params: Params) -> Params:
        channel = self._channel(params)
        visible = [
            _message_json(message)
            for message in self.messages.get(channel, [])
            if _is_public(message) and message.thread_ts in (None, message.ts)
        ]
        limit = int(params.get("limit") or 100)
        return {"messages": visible[::-1][:limit], "has_more": len(visible) > limit}

    def _conversations_replies(self, params: Params) -> Params:
        channel = self._channel(params)
        ts = params.get("ts")
        thread = [
            _message_json(message)
            for message in self.messages.get(channel, [])
            if _is_public(message) and ts in (message.ts, message.thread_ts)
        ]
        if not thread:
            raise _SlackError("thread_not_found")
        return {"messages": thread, "has_more": False}

    def _reactions_add(self, params: Params) -> Params:
        """A reaction on a stored message; one the bot already added is refused, as Slack does."""
        message = self._find(self._channel(params), params.get("timestamp"))
        if message is None:
            raise _SlackError("message_not_found")
        name = str(params.get("name") or "")
        if name in message.reactions:
            raise _SlackError("already_reacted")
        message.reactions.append(name)
        return {}

    def _users_info(self, params: Params) -> Params:
        user_id = str(params.get("user") or "")
        if user_id == BOT_USER_ID:
            return {"user": _user_json(user_id, "lom-bot", self.team_id, is_bot=True)}
        if user_id not in self.users:
            raise _SlackError("user_not_found")
        return {"user": _user_json(user_id, self.users[user_id], self.team_id, is_bot=False)}

    # -- views -----------------------------------------------------------------------------

    def _views_open(self, params: Params) -> Params:
        user = self._trigger_user(params.get("trigger_id"))
        view_id = self._next_id("V")
        view = self._save_view(user, _build_view(params, view_id, self.team_id, view_id, None))
        self.modals.append(view)
        return {"view": view}

    def _views_push(self, params: Params) -> Params:
        user = self._trigger_user(params.get("trigger_id"))
        top = self.views.get(user)
        if top is None or top["type"] != "modal":
            raise _SlackError("not_found")
        view_id = self._next_id("V")
        view = _build_view(params, view_id, self.team_id, top["root_view_id"], top["id"])
        self.modals.append(self._save_view(user, view))
        return {"view": view}

    def _views_update(self, params: Params) -> Params:
        view_id = params.get("view_id") or self._view_by_external_id(params.get("external_id"))
        old = self._views_by_id.get(str(view_id))
        if old is None:
            raise _SlackError("not_found")
        view = _build_view(
            params, old["id"], self.team_id, old["root_view_id"], old["previous_view_id"]
        )
        self._save_view(self._view_owner[old["id"]], view)
        self.modals[:] = [view if modal["id"] == view["id"] else modal for modal in self.modals]
        return {"view": view}

    def _views_publish(self, params: Params) -> Params:
        user = str(params.get("user_id") or "")
        if not user:
            raise _SlackError("invalid_arguments")
        view_id = self._next_id("V")
        view = self._save_view(user, _build_view(params, view_id, self.team_id, view_id, None))
        self.homes[user] = view
        return {"view": view}

    def _save_view(self, user: str, view: Params) -> Params:
        """Remember `view` as `user`'s latest and under its id."""
        self.views[user] = view
        self._views_by_id[view["id"]] = view
        self._view_owner[view["id"]] = user
        return view

    def _view_by_external_id(self, external_id: str | None) -> str | None:
        """The id of the stored view with this external id."""
        for view in self._views_by_id.values():
            if external_id and view.get("external_id") == external_id:
                return str(view["id"])
        return None

    # -- files -----------------------------------------------------------------------------

    def _files_get_upload_url(self, params: Params) -> Params:
        name = str(params.get("filename") or "")
        if not name or not params.get("length"):
            raise _SlackError("invalid_arguments")
        file = UploadedFile(self._next_id("F"), name, name)
        self.files[file.id] = file
        return {"upload_url": f"{self.root}/upload/{file.id}", "file_id": file.id}

    def _upload(self, file_id: str, content: bytes) -> _Reply:
        file = self.files.get(file_id)
        if file is None:
            return _Reply(404, b"file_not_found", "text/plain")
        file.content = content
        return _Reply(200, f"OK - {len(content)}".encode(), "text/plain")

    def _files_complete_upload(self, params: Params) -> Params:
        entries = params.get("files")
        if not isinstance(entries, list) or not entries:
            raise _SlackError("invalid_arguments")
        uploaded = [self._complete_file(entry) for entry in entries]
        targets = str(params.get("channels") or params.get("channel_id") or "").split(",")
        for channel in filter(None, targets):
            message = Message(
                channel=channel,
                ts=self._next_ts(),
                text=str(params.get("initial_comment") or ""),
                user=BOT_USER_ID,
                bot_id=BOT_ID,
                thread_ts=params.get("thread_ts") or None,
                files=uploaded,
            )
            self._store(message)
            for file in uploaded:
                file.channels.append(channel)
        return {"files": [self._file_json(file) for file in uploaded]}

    def _complete_file(self, entry: Params) -> UploadedFile:
        """The uploaded file an entry of files.completeUploadExternal names."""
        file = self.files.get(str(entry.get("id")))
        if file is None:
            raise _SlackError("file_not_found")
        file.title = str(entry.get("title") or file.title)
        return file

    def _files_info(self, params: Params) -> Params:
        file = self.files.get(str(params.get("file") or ""))
        if file is None:
            raise _SlackError("file_not_found")
        return {"file": self._file_json(file)}

    def _file_json(self, file: UploadedFile) -> Params:
        """A file object with the fields clients read."""
        mimetype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return {
            "id": file.id,
            "name": file.name,
            "title": file.title,
            "mimetype": mimetype,
            "filetype": file.name.rpartition(".")[2] if "." in file.name else "binary",
            "size": len(file.content),
            "user": BOT_USER_ID,
            "channels": list(file.channels),
            "url_private": f"{self.root}/files/{file.id}",
            "url_private_download": f"{self.root}/files/{file.id}",
            "permalink": f"https://{DEMO_TEAM_DOMAIN}.slack.com/files/{BOT_USER_ID}/{file.id}",
        }

    def _download(self, file_id: str) -> _Reply:
        """Serve an uploaded file's bytes at its url_private."""
        with self._cond:
            file = self.files.get(file_id)
        if file is None:
            return _Reply(404, b"file_not_found", "text/plain")
        return _Reply(200, file.content, "application/octet-stream")

    # -- response URLs ---------------------------------------------------------------------

    def _respond(self, key: str, params: Params) -> _Reply:
        """Act on a POST to a response URL the way Slack does for Bolt's respond()."""
        responder = self._responders.get(key)
        if responder is None:
            return _Reply(404, b"expired_url", "text/plain")
        target = self._find(responder.channel, responder.last_ts)
        if params.get("delete_original"):
            if target is not None:
                target.deleted = True
        elif params.get("replace_original") and target is not None:
            _apply_edit(target, params)
        else:
            in_channel = params.get("response_type") == "in_channel"
            ephemeral_to = None if in_channel else responder.user
            message = self._bot_message(params, responder.channel, ephemeral_to=ephemeral_to)
            responder.last_ts = self._store(message).ts
        return _Reply(200, b"ok", "text/plain")


class _Server(ThreadingHTTPServer):
    """The HTTP server, knowing which stand-in answers its requests."""

    daemon_threads = True
    # The default listen backlog of 5 makes a burst of concurrent calls wait a second for a
    # retransmitted SYN; the bot's outbox and replies arrive in bursts.
    request_queue_size = 128
    standin: SlackStandIn


class _RequestHandler(BaseHTTPRequestHandler):
    """Reads each request and writes the stand-in's reply."""

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {key: value for key, value in self.headers.items()}
        reply = cast(_Server, self.server).standin._handle(self.path, headers, body)
        if reply.drop:
            # Hang up with nothing written: the client sees RemoteDisconnected.
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet; tests read calls from the stand-in, not from stderr."""


# -- pure helpers ------------------------------------------------------------------------------


def permalink(channel: str, ts: str) -> str:
    """The permalink Slack gives the message `ts` in `channel`."""
    return f"https://{DEMO_TEAM_DOMAIN}.slack.com/archives/{channel}/p{ts.replace('.', '')}"


def _parse_request(path: str, headers: Mapping[str, str], body: bytes) -> _Request | None:
    """Classify a request by its path: /api/<method>, /upload/<id>, /response/<n>, /files/<id>."""
    parts = urlsplit(path)
    segments = parts.path.strip("/").split("/")
    if len(segments) != 2:
        return None
    kind, name = segments
    content_type = headers.get("Content-Type", "")
    if kind == "api":
        params = _parse_params(content_type, body, parts.query)
        token = _bearer(headers.get("Authorization")) or params.pop("token", None)
        return _Request(kind, name, name, params, token)
    if kind == "upload":
        content = _upload_content(content_type, body)
        return _Request(
            kind, name, "upload_url", {"file_id": name, "length": len(content)}, None, content
        )
    if kind == "response":
        return _Request(kind, name, "response_url", _json_object(body))
    if kind == "files":
        return _Request(kind, name, "file_download", {})
    return None


def _dm_for(user: str) -> str:
    """The DM channel id the stand-in uses for `user`."""
    return f"D{user}"


def _bearer(header: str | None) -> str | None:
    """The token from an `Authorization: Bearer` header."""
    if header and header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip() or None
    return None


def _parse_params(content_type: str, body: bytes, query: str) -> Params:
    """Parameters from the query string and a JSON or form body, JSON fields decoded."""
    params: Params = dict(parse_qsl(query, keep_blank_values=True))
    if content_type.startswith("application/json"):
        params.update(_json_object(body))
    elif body:
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for key in JSON_FIELDS & params.keys():
        if isinstance(params[key], str):
            params[key] = _maybe_json(params[key])
    return params


def _maybe_json(text: str) -> Any:
    """`text` decoded as JSON, or unchanged when it is not JSON."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _json_object(body: bytes) -> Params:
    """A JSON object body, or an empty dict when the body is not one."""
    decoded = _maybe_json(body.decode("utf-8")) if body else {}
    return decoded if isinstance(decoded, dict) else {}


def _upload_content(content_type: str, body: bytes) -> bytes:
    """The file bytes of an upload: the raw body, or the file part of a multipart form."""
    if not content_type.startswith("multipart/form-data"):
        return body
    envelope = f"Content-Type: {content_type}\r\n\r\n".encode() + body
    for part in email.message_from_bytes(envelope).walk():
        if (
            part.get_filename() is not None
            or part.get_param("name", header="content-disposition") == "file"
        ):
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    return b""


def _json_reply(data: Params) -> _Reply:
    return _Reply(200, json.dumps(data).encode())


def _fault_reply(fault: _Fault) -> _Reply:
    """The answer an injected fault produces."""
    if fault.drop_connection:
        return _Reply(drop=True)
    status = fault.status or (200 if fault.error else 500)
    default_error = {429: "ratelimited"}.get(status, "internal_error")
    reply = _Reply(
        status, json.dumps({"ok": False, "error": fault.error or default_error}).encode()
    )
    if status == 429:
        reply.headers["Retry-After"] = str(
            fault.retry_after if fault.retry_after is not None else 1
        )
    return reply


def _is_failure(reply: _Reply) -> bool:
    """Whether a reply tells the client the call did not succeed."""
    if reply.drop or reply.status != 200:
        return True
    return reply.content_type.startswith("application/json") and not _json_object(reply.body).get(
        "ok"
    )


def _require_content(params: Params) -> None:
    """Slack refuses a message with no text, blocks or attachments."""
    if not (params.get("text") or params.get("blocks") or params.get("attachments")):
        raise _SlackError("no_text")


def _apply_edit(message: Message, params: Params) -> None:
    """Replace the parts of `message` that `params` provides."""
    if "text" in params:
        message.text = str(params["text"] or "")
    if "blocks" in params:
        message.blocks = list(params["blocks"] or [])
    if "attachments" in params:
        message.attachments = list(params["attachments"] or [])


def _is_public(message: Message) -> bool:
    """Whether conversations.history would show the message."""
    return not message.deleted and message.ephemeral_to is None


def _message_json(message: Message) -> Params:
    """A message in the shape the Web API returns it."""
    data: Params = {"type": "message", "ts": message.ts, "text": message.text}
    optional = {
        "user": message.user,
        "bot_id": message.bot_id,
        "blocks": message.blocks,
        "attachments": message.attachments,
        "thread_ts": message.thread_ts,
        "metadata": message.metadata,
        "files": [
            {"id": file.id, "name": file.name, "title": file.title} for file in message.files
        ],
    }
    data.update({key: value for key, value in optional.items() if value})
    return data


def _build_view(
    params: Params, view_id: str, team_id: str, root_view_id: str, previous_view_id: str | None
) -> Params:
    """The full view Slack echoes back for the `view` argument of a views.* call."""
    submitted = params.get("view")
    if not isinstance(submitted, dict):
        raise _SlackError("invalid_arguments")
    defaults = {"blocks": [], "private_metadata": "", "callback_id": "", "external_id": ""}
    return {
        **defaults,
        **submitted,
        "id": view_id,
        "team_id": team_id,
        "type": submitted.get("type", "modal"),
        "state": {"values": {}},
        "hash": f"{view_id}.hash",
        "root_view_id": root_view_id,
        "previous_view_id": previous_view_id,
        "app_id": APP_ID,
        "bot_id": BOT_ID,
    }


def _user_json(user_id: str, name: str, team_id: str, *, is_bot: bool) -> Params:
    """A user object as users.info returns it."""
    return {
        "id": user_id,
        "team_id": team_id,
        "name": name.lower().replace(" ", "."),
        "real_name": name,
        "is_bot": is_bot,
        "deleted": False,
        "tz": "Europe/London",
        "profile": {"display_name": name, "real_name": name},
    }
