"""Telling an answer worker that a request is waiting: one UNIX datagram (the inbox row's id)
to one worker's socket in a shared directory. Best effort by design: the row is already
committed, and every worker sweeps the inbox for rows nobody was told about. (Linux queues
only net.unix.max_dgram_qlen datagrams a socket, 10 by default: in a burst some wake-ups are
refused, and the sweeps, which then come quicker, pick those rows up.)"""

from __future__ import annotations

import itertools
import os
import socket
import struct
from pathlib import Path

PATTERN = "answer-*.sock"
SENT, BUSY, NOBODY = "sent", "busy", "nobody"
OUTBOX = 0  # not an inbox row (ids start at 1): "a web process queued Slack posts; send them"
# A row id is sent negated when a person waits for its answer (a command, a click, a shortcut):
# the worker answers those first, as a modal can only be opened within 3 s of the click.
_ID = struct.Struct("!q")


def socket_path(directory: Path, index: int) -> Path:
    return directory / f"answer-{index}.sock"


class Listener:
    """An answer worker's socket: receives the ids of requests it should answer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.unlink(missing_ok=True)  # left by a worker that stopped
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))

    def receive(self, timeout: float) -> list[int]:
        """The ids sent since the last call; waits up to `timeout` seconds for the first."""
        ids: list[int] = []
        self.sock.settimeout(timeout)
        try:
            ids.append(_ID.unpack(self.sock.recv(_ID.size))[0])
        except (TimeoutError, BlockingIOError, struct.error):
            return ids
        self.sock.setblocking(False)
        while True:
            try:
                ids.append(_ID.unpack(self.sock.recv(_ID.size))[0])
            except (BlockingIOError, struct.error):
                return ids

    def close(self) -> None:
        self.sock.close()
        self.path.unlink(missing_ok=True)


class Notifier:
    """A web process's side: sends each stored request's id to the next worker in turn."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.setblocking(False)
        self._turn = itertools.count(os.getpid())

    def workers(self) -> list[Path]:
        return sorted(self.directory.glob(PATTERN))

    def available(self) -> bool:
        """Whether any answer worker is listening (else the web process answers itself)."""
        return bool(self.workers())

    def notify(self, row_id: int, *, person_waiting: bool = False) -> str:
        """SENT: a worker's socket took the id. BUSY: every listening worker's queue is full
        (the sweeps will find the row). NOBODY: no worker is listening (sockets left by
        stopped workers are removed, so the next request does not try them)."""
        paths = self.workers()
        start = next(self._turn)
        outcome = NOBODY
        for offset in range(len(paths)):
            path = paths[(start + offset) % len(paths)]
            try:
                self.sock.sendto(_ID.pack(-row_id if person_waiting else row_id), str(path))
                return SENT
            except BlockingIOError:  # that worker's queue is full: it is alive; try the next
                outcome = BUSY
            except ConnectionRefusedError:  # left by a worker that stopped
                path.unlink(missing_ok=True)
            except OSError:  # gone meanwhile
                continue
        return outcome

    def close(self) -> None:
        self.sock.close()
