"""lom-bot serve: connect to Slack by Socket Mode, or serve HTTP through gunicorn."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import click

from lom_bot.cli.common import announce_database
from lom_bot.config import Settings, load_settings
from lom_bot.runtime import Runtime

log = logging.getLogger(__name__)
DEFAULT_PORT = 3000
DEFAULT_WORKERS = 4
DEFAULT_ANSWER_WORKERS = 2

StartScheduler = Callable[[Runtime], Any]


def register(cli: click.Group) -> None:
    @cli.command("serve")
    @click.option("--http", is_flag=True, help="Serve POST /slack/events instead of Socket Mode.")
    @click.option("--host", default="0.0.0.0", show_default=True, help="HTTP mode: address.")
    @click.option(
        "--port",
        type=click.IntRange(1, 65535),
        default=None,
        help=f"HTTP mode: port [default: {DEFAULT_PORT}].",
    )
    @click.option(
        "--workers",
        type=click.IntRange(1, 64),
        default=DEFAULT_WORKERS,
        show_default=True,
        help="HTTP mode: gunicorn worker processes.",
    )
    @click.option(
        "--answer-workers",
        type=click.IntRange(0, 64),
        default=DEFAULT_ANSWER_WORKERS,
        show_default=True,
        help="HTTP mode: processes that answer after the ack, at a lower CPU priority "
        "(0: the web workers answer themselves).",
    )
    @click.option(
        "--no-scheduler",
        is_flag=True,
        help="Do not run scheduled jobs here (run `lom-bot scheduler` separately).",
    )
    def serve(
        http: bool,
        host: str,
        port: int | None,
        workers: int,
        answer_workers: int,
        no_scheduler: bool,
    ) -> None:
        """Connect to Slack: Socket Mode (SLACK_APP_TOKEN) or, with --http, an HTTP endpoint."""
        if port is not None and not http:
            raise click.UsageError("--port is for HTTP mode: add --http")
        settings = load_settings()
        settings.require_slack(http)
        if http:
            serve_http(
                settings,
                host,
                port or DEFAULT_PORT,
                workers,
                answer_workers=answer_workers,
                scheduler=not no_scheduler,
            )
        else:
            serve_socket(settings, scheduler=not no_scheduler)


def serve_socket(settings: Settings, *, scheduler: bool) -> None:
    """Socket Mode: one outbound WebSocket; the Web API from SLACK_API_URL when set. SIGTERM or
    Ctrl-C: disconnect, finish the events in hand and the Slack call in flight, exit 0."""
    from concurrent.futures import ThreadPoolExecutor

    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from lom_bot.bootstrap import build_app, build_runtime, outbox_worker
    from lom_bot.lifecycle import STOP_WITHIN, Stopper, within
    from lom_bot.wsgi import warm_matching

    stopper = Stopper("lom-bot serve (Socket Mode)").install()
    announce_database(settings)
    rt = build_runtime(settings)
    listeners = ThreadPoolExecutor(max_workers=5, thread_name_prefix="lom-listener")
    app = build_app(rt, listener_executor=listeners)
    warm_matching(rt)
    running = start_scheduler_here(rt) if scheduler else None
    token = settings.slack_app_token
    assert token is not None  # require_slack checked it
    handler: Any = SocketModeHandler(app, token.get_secret_value())
    click.echo(f"lom-bot: connecting to Slack by Socket Mode ({_api(settings)}).")
    try:
        if connect_with_backoff(handler, stopper):
            click.echo("lom-bot: connected to Slack; SIGTERM or Ctrl-C stops.")
            stopper.wait()
    finally:
        within(
            STOP_WITHIN,
            ("the Socket Mode connection", handler.close),  # no new events; those in hand finish
            ("listeners in flight", lambda: listeners.shutdown(wait=True)),
            ("the scheduler", lambda: _shutdown(running)),
            ("the outbox", lambda: outbox_worker(app).stop(STOP_WITHIN)),
        )
        rt.close()
        if stopper.stopping:
            stopper.stopped()


# Slack's answers that mean the tokens are wrong: trying again cannot help.
REFUSALS = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "not_allowed_token_type"}
)


def connect_with_backoff(
    handler: Any, stopper: Any, *, first: float = 1.0, most: float = 60.0
) -> bool:
    """Connect, retrying with backoff while Slack is unreachable (one log line a try, no
    traceback); False when asked to stop first. A refusal of the tokens is one clear error."""
    from slack_sdk.errors import SlackApiError

    delay = first
    sdk = logging.getLogger("slack_sdk")  # its own retries log each failure with its error
    level = sdk.level
    while not stopper.stopping:
        try:
            sdk.setLevel(logging.CRITICAL)
            handler.connect()
            return True
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown error"))
            if error in REFUSALS or (exc.response.status_code < 500 and error != "ratelimited"):
                raise click.ClickException(
                    f"Slack refused the Socket Mode connection ({error}): check SLACK_APP_TOKEN "
                    "(an xapp- token with the connections:write scope) and SLACK_BOT_TOKEN"
                ) from None
            reason = f"Slack answered {exc.response.status_code} {error}"
        except Exception as exc:  # unreachable, DNS, TLS, a proxy: all worth another try
            reason = f"{exc.__class__.__name__}: {str(exc)[:200]}"
        finally:
            sdk.setLevel(level)
        log.warning("cannot connect to Slack (%s); trying again in %.0f s", reason, delay)
        stopper.wait(delay)
        delay = min(delay * 2, most)
    return False


def serve_http(
    settings: Settings,
    host: str,
    port: int,
    workers: int,
    *,
    answer_workers: int = DEFAULT_ANSWER_WORKERS,
    scheduler: bool,
) -> None:
    """HTTP mode: migrate once here, start the answer workers, then gunicorn workers each
    build their own app (and find the answer workers through LOM_ANSWER_SOCKETS)."""
    from lom_bot.answers.processes import AnswerProcesses
    from lom_bot.bootstrap import build_runtime
    from lom_bot.lifecycle import Stopper
    from lom_bot.wsgi import run_gunicorn

    announce_database(settings)
    build_runtime(settings).close()  # migrate and bootstrap users once, before the fork
    arbiter = os.getpid()
    stopper = Stopper("lom-bot serve (HTTP)")
    process = _spawn_scheduler() if scheduler else None
    answers = AnswerProcesses.start(answer_workers) if answer_workers else None

    def stopping(reason: str) -> None:
        if answers is not None:
            answers.stopping()  # a worker stopped by the same signal is not started again
        stopper.request(reason)

    click.echo(
        f"lom-bot: serving POST http://{host}:{port}/slack/events and GET /health "
        f"with {workers} workers and {answer_workers} answer workers ({_api(settings)})."
    )
    try:
        run_gunicorn(host, port, workers, on_stopping=stopping)
    finally:
        # A worker leaves gunicorn by unwinding through here too: only the arbiter cleans up.
        if os.getpid() == arbiter:
            if answers is not None:
                answers.stop()
            if process is not None:
                process.terminate()
                process.wait(15)
            if stopper.stopping:
                stopper.stopped()


def scheduler_entry() -> StartScheduler | None:
    """lom_bot.schedules.runner.start_scheduler, when this version has it."""
    try:
        module = importlib.import_module("lom_bot.schedules.runner")
    except ImportError:
        return None
    start = getattr(module, "start_scheduler", None)
    return start if callable(start) else None


def start_scheduler_here(rt: Runtime) -> Any:
    """Start the scheduler in this process, or say plainly that there is none to start."""
    start = scheduler_entry()
    if start is None:
        click.echo("lom-bot: scheduled jobs are not available in this version; none will run.")
        return None
    click.echo("lom-bot: scheduler started (use --no-scheduler to run it elsewhere).")
    return start(rt)


def _spawn_scheduler() -> subprocess.Popen[bytes] | None:
    """HTTP mode runs `lom-bot scheduler` as one separate process, not in every worker."""
    if importlib.util.find_spec("lom_bot.schedules.runner") is None:
        click.echo("lom-bot: scheduled jobs are not available in this version; none will run.")
        return None
    command = [sys.executable, "-c", "from lom_bot.cli import main; main()", "scheduler"]
    process = subprocess.Popen(command)
    click.echo(f"lom-bot: scheduler running in process {process.pid} (`lom-bot scheduler`).")
    return process


def _shutdown(running: Any) -> None:
    """Stop what start_scheduler returned, if it can be stopped."""
    stop = getattr(running, "shutdown", None) or getattr(running, "stop", None)
    if callable(stop):
        stop()


def _api(settings: Settings) -> str:
    return f"Web API {settings.slack_api_url}" if settings.slack_api_url else "Web API slack.com"
