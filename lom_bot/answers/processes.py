"""The answer worker processes of `lom-bot serve --http`: started before gunicorn, restarted if
one stops, stopped with the server. Their sockets live in a private temporary directory that
the web processes find through LOM_ANSWER_SOCKETS."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

ENV = "LOM_ANSWER_SOCKETS"
RESTART_PAUSE = 2.0  # seconds before a stopped answer worker is started again
NICE = 10  # how much lower the answer workers' CPU priority is than the web processes'


@dataclass
class AnswerProcesses:
    directory: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    _stopping: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def start(cls, count: int) -> AnswerProcesses:
        directory = Path(tempfile.mkdtemp(prefix="lom-answers-"))
        os.environ[ENV] = str(directory)  # inherited by the gunicorn workers forked later
        group = cls(directory)
        group.processes = [group._spawn(i) for i in range(count)]
        threading.Thread(target=group._watch, name="answer-watch", daemon=True).start()
        return group

    def _spawn(self, index: int) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-c", "from lom_bot.cli import main; main()", "answers"]
        command += ["--socket-dir", str(self.directory), "--index", str(index)]
        process = subprocess.Popen(command)
        try:  # so that on a busy machine acks are never queued behind answer work
            base = os.getpriority(os.PRIO_PROCESS, 0)
            os.setpriority(os.PRIO_PROCESS, process.pid, min(base + NICE, 19))
        except OSError:  # not permitted here: answers still work, the CPU is just shared evenly
            log.info("could not lower answer worker %s's CPU priority", index)
        log.info("answer worker %s running in process %s", index, process.pid)
        return process

    def _watch(self) -> None:
        """Start again any answer worker that stopped while the server runs."""
        while not self._stopping.wait(RESTART_PAUSE):
            for index, process in enumerate(self.processes):
                if process.poll() is not None and not self._stopping.is_set():
                    log.error("answer worker %s stopped (exit %s); starting it again",
                              index, process.returncode)  # fmt: skip
                    self.processes[index] = self._spawn(index)

    def stopping(self) -> None:
        """The server is stopping: answer workers that stop are not started again."""
        self._stopping.set()

    def stop(self) -> None:
        """Ask each answer worker to stop (SIGTERM: it finishes its answers in flight)."""
        self._stopping.set()
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(self.directory, ignore_errors=True)
        os.environ.pop(ENV, None)
