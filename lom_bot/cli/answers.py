"""lom-bot answers: one answer worker (started by `lom-bot serve --http`, see lom_bot/answers)."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import click

# Answering is CPU work under one GIL per process: more threads only contend for it. Measured
# (2 answer workers, PostgreSQL, national scale, 480 breach events): 4 answer + 4 outbox threads
# 55-66 events/s; 2 + 2: 74-83; 2 + 1: 83-86; 1 + 1: 83-87; 3 workers of 2 + 1: 71-73.
THREADS = 2
SENDERS = 1  # outbox threads: an answer worker sends the posts its answers queue


def register(cli: click.Group) -> None:
    @cli.command("answers")
    @click.option(
        "--socket-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="LOM_ANSWER_SOCKETS",
        required=True,
        help="Where this worker listens for wake-ups (LOM_ANSWER_SOCKETS).",
    )
    @click.option("--index", type=click.IntRange(0, 999), default=0, show_default=True)
    @click.option("--threads", type=click.IntRange(1, 64), default=THREADS, show_default=True)
    def answers(socket_dir: Path, index: int, threads: int) -> None:
        """Answer the requests web processes stored (`serve --http` starts these, at a lower
        CPU priority; run elsewhere, start them with `nice`)."""
        run_answer_worker(socket_dir, index, threads)


def run_answer_worker(directory: Path, index: int, threads: int) -> None:
    from lom_bot.answers.inline import InlineExecutor
    from lom_bot.answers.wakeup import Listener, socket_path
    from lom_bot.answers.worker import AnswerWorker
    from lom_bot.bootstrap import build_app, build_runtime, outbox_worker, settle
    from lom_bot.config import load_settings
    from lom_bot.lifecycle import STOP_WITHIN, Stopper, within

    stopper = Stopper(f"lom-bot answers {index}").install()
    rt = build_runtime(load_settings(), migrate=False)
    app = build_app(rt, listener_executor=InlineExecutor(), outbox_senders=SENDERS)
    name = f"{socket.gethostname()}:{os.getpid()}"

    def announce(request_id: int, kind: str, attempts: int) -> None:
        from lom_bot.services.delivery_admin import announce_dead_request

        announce_dead_request(rt.uow(), request_id, kind, attempts)

    worker = AnswerWorker(
        rt.inbox_engine, app, name=name, threads=threads, on_outbox=outbox_worker(app).kick,
        on_dead=announce,
    )  # fmt: skip
    listener = Listener(socket_path(directory, index))
    settle()

    def stop_when_asked() -> None:
        stopper.wait()
        worker.stopping()  # the loop takes nothing more

    threading.Thread(target=stop_when_asked, name="answers-stop", daemon=True).start()
    try:
        worker.serve(listener)
    finally:
        listener.close()  # web processes wake another worker from now on
        within(
            STOP_WITHIN,
            ("answers in flight", worker.stop),  # requests not yet claimed stay queued
            ("the outbox", lambda: outbox_worker(app).stop(STOP_WITHIN)),
        )
        rt.close()
        if stopper.stopping:
            stopper.stopped()
