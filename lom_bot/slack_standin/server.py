"""The threaded HTTP server on 127.0.0.1 that hands each request to the stand-in."""

from __future__ import annotations

import socket
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, cast

from lom_bot.slack_standin.wire import Reply


class Answerer(Protocol):
    """What answers the server's requests: the stand-in."""

    def _handle(self, path: str, headers: Mapping[str, str], body: bytes) -> Reply: ...


class Server(ThreadingHTTPServer):
    """The HTTP server, knowing which stand-in answers its requests."""

    daemon_threads = True
    # The default listen backlog of 5 makes a burst of concurrent calls wait a second for a
    # retransmitted SYN; the bot's outbox and replies arrive in bursts.
    request_queue_size = 128
    standin: Answerer


class RequestHandler(BaseHTTPRequestHandler):
    """Reads each request and writes the stand-in's reply."""

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {key: value for key, value in self.headers.items()}
        reply = cast(Server, self.server).standin._handle(self.path, headers, body)
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
