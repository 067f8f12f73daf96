"""A minimal Socket Mode stand-in for tests: `apps.connections.open` on the Web API stand-in hands
out a ws:// URL served here, and tests push events down the socket as Slack does, recording the
envelopes the bot acknowledges."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from lom_bot.slack_standin.standin import SlackStandIn


class SocketModeStandIn:
    """Serves Slack's Socket Mode WebSocket on 127.0.0.1 for the bot the Web API stand-in serves."""

    def __init__(self, standin: SlackStandIn) -> None:
        self.standin = standin
        self.acked: list[str] = []
        self.opened = 0  # apps.connections.open calls: one per (re)connection
        self._cond = threading.Condition()
        self._connection: ServerConnection | None = None
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> SocketModeStandIn:
        """Serve from a daemon thread and answer apps.connections.open with this socket's URL."""
        self._server = serve(self._session, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        port = self._server.socket.getsockname()[1]
        self.standin._handlers["apps.connections.open"] = lambda _: self._open(port)
        return self

    def stop(self) -> None:
        """Close the socket server; safe to call twice."""
        if self._server is not None:
            self._server.shutdown()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _open(self, port: int) -> dict[str, Any]:
        with self._cond:
            self.opened += 1
        return {"url": f"ws://127.0.0.1:{port}/link/?ticket={uuid.uuid4().hex}"}

    def _session(self, connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1,
                                    "debug_info": {"host": "standin"}}))  # fmt: skip
        with self._cond:
            self._connection = connection
            self._cond.notify_all()
        try:
            for raw in connection:
                envelope = json.loads(raw)
                with self._cond:
                    if "envelope_id" in envelope:
                        self.acked.append(envelope["envelope_id"])
                    self._cond.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._cond:
                if self._connection is connection:
                    self._connection = None
                self._cond.notify_all()

    def wait_connected(self, timeout: float = 30) -> bool:
        """True once a bot holds the socket open."""
        with self._cond:
            return self._cond.wait_for(lambda: self._connection is not None, timeout)

    def wait_disconnected(self, timeout: float = 30) -> bool:
        """True once no bot holds the socket."""
        with self._cond:
            return self._cond.wait_for(lambda: self._connection is None, timeout)

    def send_event(self, body: bytes) -> str:
        """Push one Events API callback (the JSON an HTTP endpoint would get); its envelope id."""
        envelope_id = uuid.uuid4().hex
        envelope = {"envelope_id": envelope_id, "type": "events_api",
                    "payload": json.loads(body), "accept_response_payload": False,
                    "retry_attempt": 0, "retry_reason": ""}  # fmt: skip
        with self._cond:
            connection = self._connection
        assert connection is not None, "no bot connected"
        connection.send(json.dumps(envelope))
        return envelope_id

    def wait_acked(self, envelope_ids: list[str], timeout: float = 30) -> bool:
        """True once the bot has acknowledged every one of these envelopes."""
        with self._cond:
            return self._cond.wait_for(lambda: set(envelope_ids) <= set(self.acked), timeout)
