"""HTTP mode: the WSGI application (POST /slack/events, GET /health) and the gunicorn server.

Each gunicorn worker builds its own runtime, Bolt app and outbox worker after the fork, so no
database connection or thread is shared between processes. `gunicorn lom_bot.wsgi:application`
works too (run `lom-bot db upgrade` first: workers do not migrate, so they never race to)."""

from __future__ import annotations

import io
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from lom_bot.bootstrap import build_app, build_runtime, outbox_worker, settle
from lom_bot.config import Settings, load_settings
from lom_bot.http_limits import take_body
from lom_bot.lifecycle import Stopper
from lom_bot.logging_setup import bind, new_request_id
from lom_bot.runtime import Runtime
from lom_bot.store import inbox
from lom_bot.store.db import reading

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from slack_bolt import App

    from lom_bot.answers.ingress import Ingress

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/health"


class LomWsgi:
    """Slack's requests go to Bolt; /health answers whether this worker can reach the database."""

    def __init__(self, rt: Runtime, app: App, ingress: Ingress | None = None) -> None:
        from slack_bolt.adapter.wsgi import SlackRequestHandler

        self.rt = rt
        self.app = app
        self.slack = SlackRequestHandler(app, path=EVENTS_PATH)
        self.ingress = ingress  # set when answer workers run (lom-bot serve --http)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        # A server thread answers request after request: nothing logged for this one may carry
        # the last one's id or user (the workspace guard binds this request's own).
        bind(request_id=new_request_id(), user=None, action=None)
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
            status, body = self.health()
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [body]
        refused = take_body(environ)  # size and deadline, before anything reads the body
        if refused is not None:
            log.warning("request refused before reading it: %s", refused)
            start_response(refused, [("Content-Type", "text/plain; charset=utf-8")])
            return [refused.encode() + b"\n"]
        if self.ingress is not None and self._deferred(environ):
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "0")])
            return [b""]
        try:
            return self.slack(environ, start_response)
        except Exception as exc:
            # Bolt parses the body (UTF-8, JSON, ids) before it checks the signature, so a
            # malformed request raises here; it is the sender's fault: 400, not 500.
            log.warning("malformed request refused (%s)", exc.__class__.__name__)
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"bad request\n"]

    def _deferred(self, environ: WSGIEnvironment) -> bool:
        """Stored in the inbox for an answer worker? Else Bolt answers here (the body is put
        back for it to read)."""
        assert self.ingress is not None
        if environ.get("PATH_INFO") != EVENTS_PATH or environ.get("REQUEST_METHOD") != "POST":
            return False
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)
        headers = {
            key[5:].replace("_", "-").lower(): str(value)
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        headers["content-type"] = str(environ.get("CONTENT_TYPE") or "")
        return self.ingress.accept(body, headers)

    def health(self) -> tuple[str, bytes]:
        try:
            with reading(self.rt.engine).connect() as conn:  # never waits for SQLite's writers
                conn.execute(text("SELECT 1"))
                dead = _dead_letters(conn) + len(inbox.dead(self.rt.inbox_engine))
        except Exception as exc:  # any failure means: do not send traffic here
            log.warning("health check: database unreachable (%s)", exc.__class__.__name__)
            return "503 Service Unavailable", b"database unreachable\n"
        # Dead letters need a person, not a restart: still 200, but said.
        note = f"; {dead} dead letters (lom-bot outbox list --failed)" if dead else ""
        if self.ingress is None:
            return "200 OK", f"ok{note}\n".encode()
        # Without answer workers the web processes answer themselves: still healthy.
        listening = len(self.ingress.notifier.workers())
        return "200 OK", f"ok; {listening} answer workers listening{note}\n".encode()

    def after_fork(self) -> None:
        """In a forked worker: its own wake-up socket, and its outbox thread when no answer
        worker sends for it."""
        if self.ingress is not None:
            self.ingress.renew_notifier()
        else:
            outbox_worker(self.app).start()

    def close(self) -> None:
        outbox_worker(self.app).stop()
        self.rt.close()


def create_application(
    settings: Settings | None = None, *, migrate: bool = False, start_outbox: bool = True
) -> LomWsgi:
    """Build one process's runtime and app; refuses to start without the HTTP-mode secrets.
    `start_outbox` False: built before a fork, its outbox thread started by after_fork()."""
    settings = settings or load_settings()
    settings.require_slack(http=True)
    rt = build_runtime(settings, migrate=migrate)
    ingress = ingress_for(rt)
    # With answer workers, they send the Slack posts this process queues (woken for it).
    app = build_app(rt, start_worker=ingress is None and start_outbox)
    if ingress is not None:
        rt.on_outbox.append(outbox_wake(app, ingress))
    application = LomWsgi(rt, app, ingress)
    settle()
    return application


def outbox_wake(app: App, ingress: Ingress) -> Callable[[], None]:
    """What a web process does after queueing Slack posts: wake an answer worker to send them;
    if none is listening, start sending them itself (and from then on)."""

    def wake() -> None:
        if not ingress.wake_outbox():
            outbox_worker(app).start()

    return wake


def ingress_for(rt: Runtime) -> Ingress | None:
    """The inbox ingress when answer workers listen in LOM_ANSWER_SOCKETS; else None."""
    from lom_bot.answers.ingress import Ingress
    from lom_bot.answers.wakeup import Notifier

    directory, secret = rt.settings.lom_answer_sockets, rt.settings.slack_signing_secret
    if directory is None or secret is None:
        return None
    return Ingress(
        rt.inbox_engine,
        Notifier(directory),
        secret.get_secret_value(),
        rt.config.workspace_team_id,
    )


_lock = threading.Lock()
_application: LomWsgi | None = None


def __getattr__(name: str) -> Any:
    """`lom_bot.wsgi:application` is built on first access, i.e. in each worker after fork."""
    global _application
    if name != "application":
        raise AttributeError(name)
    with _lock:
        if _application is None:
            _application = create_application()
    return _application


class _PerWorker:
    """What gunicorn serves: the application this worker made ready after the fork."""

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        assert _application is not None, "post_fork made this worker's application"
        return _application(environ, start_response)


def _dead_letters(conn: Any) -> int:
    from sqlalchemy import func, select

    from lom_bot.store.tables import OutboxMessage as M

    query = select(func.count(M.id)).where(M.failed_at.is_not(None), M.sent_at.is_(None))
    return int(conn.execute(query).scalar_one())


def warm(settings: Settings | None = None) -> None:
    """Before gunicorn binds its port (preload): import and build everything once, so each
    worker forks with the code loaded and answers its first request at once."""
    global _application
    _application = create_application(settings, start_outbox=False)
    with reading(_application.rt.engine).connect() as conn:  # compile and check the database
        conn.execute(text("SELECT 1"))
    warm_matching(_application.rt)
    _release_connections(_application, close=True)
    log.info("app loaded and warm; the port opens now")


def warm_matching(rt: Runtime) -> None:
    """The matcher's word list and subject directory, loaded before the first message needs
    them; a failure here only means the first message loads them instead."""
    from lom_bot.services.matching import warm_up

    try:
        with rt.uow() as uow:
            warm_up(uow.session)
    except Exception:
        log.warning("matching not warmed; the first district message will load it", exc_info=True)


def _release_connections(application: LomWsgi, *, close: bool) -> None:
    """No database connection crosses a fork: the parent closes its own, a child forgets the
    parent's (SQLAlchemy's documented pattern for forking)."""
    application.rt.engine.dispose(close=close)
    inbox_engine = application.rt.inbox_engine
    if inbox_engine is not application.rt.engine:
        inbox_engine.dispose(close=close)


def _post_fork(server: Any, worker: Any) -> None:
    """In each worker, before it accepts: fresh connections, its own wake-up socket and
    outbox thread; SIGINT stops it gracefully, as SIGTERM does."""
    assert _application is not None
    _release_connections(_application, close=False)
    _application.after_fork()


_stopper: Stopper | None = None


def _post_worker_init(worker: Any) -> None:
    """SIGTERM and SIGINT (Ctrl-C) both stop this worker gracefully: no new connections, its
    requests in flight finished (gunicorn's graceful_timeout), with the stopping line logged."""
    global _stopper
    stopper = _stopper = Stopper(f"lom-bot web worker {os.getpid()}")

    def stop(signum: int, frame: Any) -> None:
        stopper.request(signal.Signals(signum).name)
        worker.handle_exit(signum, frame)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def run_gunicorn(
    host: str,
    port: int,
    workers: int,
    threads: int = 4,
    *,
    on_stopping: Callable[[str], None] = lambda _reason: None,
) -> None:
    """Serve with gunicorn in this process (the arbiter); returns when it shuts down. The app is
    loaded before the port is bound; SIGTERM and SIGINT both stop gracefully: workers finish
    their requests (up to graceful_timeout), `on_stopping` is told first."""
    from gunicorn.app.base import BaseApplication
    from gunicorn.arbiter import Arbiter

    class GracefulArbiter(Arbiter):  # type: ignore[misc]
        def handle_term(self) -> None:
            on_stopping("SIGTERM")
            raise StopIteration

        def handle_int(self) -> None:  # gunicorn's own: a quick stop that cuts requests off
            on_stopping("SIGINT")
            raise StopIteration

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "worker_class": "gthread",
                "threads": threads,
                "timeout": 30,
                "graceful_timeout": 10,
                "proc_name": "lom-bot",
                "preload_app": True,
                "post_fork": _post_fork,
                "post_worker_init": _post_worker_init,
                "worker_exit": _worker_exit,
                "logger_class": "lom_bot.gunicorn_logging.ThroughRootLogger",
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> _PerWorker:
            warm()  # in the arbiter, before it binds the port
            return _PerWorker()

        def run(self) -> None:
            GracefulArbiter(self).run()

    Server().run()


def _worker_exit(server: Any, worker: Any) -> None:
    """In the worker, as it leaves: its outbox thread finishes the call in flight and hands
    back the rest; its database connections close."""
    if _application is not None:
        _application.close()
    if _stopper is not None and _stopper.stopping:
        _stopper.stopped()
