"""The one place that wires configuration, database, clock and Slack together."""

from __future__ import annotations

import gc
import logging
import weakref
from concurrent.futures import Executor
from typing import TYPE_CHECKING

from sqlalchemy import inspect
from sqlalchemy.orm import sessionmaker

from lom_bot.config import AppConfig, Settings, load_app_config, load_settings
from lom_bot.domain.clock import Clock, SystemClock
from lom_bot.runtime import Runtime
from lom_bot.services.actors import bootstrap_users
from lom_bot.store import db

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient

    from lom_bot.handlers.delivery import OutboxWorker, SlackChat

log = logging.getLogger(__name__)


def build_runtime(
    settings: Settings | None = None,
    *,
    config: AppConfig | None = None,
    clock: Clock | None = None,
    migrate: bool = True,
) -> Runtime:
    """Load and validate configuration, connect, migrate, and bootstrap users from app.yaml."""
    settings = settings or load_settings()
    config = config or load_app_config(settings.lom_config)
    if migrate:
        db.upgrade(settings.database_url)
    engine = db.make_engine(settings.database_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    runtime = Runtime(settings, config, engine, sessions, clock or SystemClock(config.timezone))
    if migrate or inspect(engine).has_table("users"):
        bootstrap_users(runtime.uow())
    return runtime


DEFAULT_SLACK_API = "https://slack.com/api/"
_WORKERS: weakref.WeakKeyDictionary[App, OutboxWorker] = weakref.WeakKeyDictionary()


def slack_client(rt: Runtime) -> WebClient:
    """A WebClient for SLACK_API_URL (or Slack), retrying rate limits, 5xx and dropped links."""
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import (
        ConnectionErrorRetryHandler,
        RateLimitErrorRetryHandler,
        ServerErrorRetryHandler,
    )

    token = rt.settings.slack_bot_token
    base_url = rt.settings.slack_api_url or DEFAULT_SLACK_API
    return WebClient(
        token=token.get_secret_value() if token else None,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def outbox_chat(client: WebClient) -> SlackChat:
    """The outbox's chat: the same Slack, with no retries inside a call. A rate limit is
    deferred in the outbox (never waited out while the message's claim runs), and a post whose
    answer was lost is looked up before it is sent again, not blindly resent by the client."""
    from slack_sdk import WebClient

    from lom_bot.handlers.delivery import SlackChat

    bare = WebClient(
        token=client.token, base_url=client.base_url, timeout=client.timeout, retry_handlers=[]
    )
    return SlackChat(bare)


class _ClientOverTokenFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_CLIENT_OVER_TOKEN = _ClientOverTokenFilter()


def build_app(
    rt: Runtime,
    *,
    client: WebClient | None = None,
    start_worker: bool = True,
    listener_executor: Executor | None = None,
    outbox_senders: int = 1,
) -> App:
    """The Bolt app: every listener registered, the acting user resolved, the outbox sending.

    The app's outbox worker (see handlers/delivery.py) is reachable with outbox_worker(app);
    it is started here unless start_worker is False (tests then call outbox_worker(app).flush()).
    """
    from slack_bolt import App

    from lom_bot import handlers
    from lom_bot.handlers import authorisation
    from lom_bot.handlers.delivery import OutboxWorker
    from lom_bot.handlers.middleware import actor_middleware
    from lom_bot.services.pacing import Pacer

    client = client or slack_client(rt)
    secret = rt.settings.slack_signing_secret
    # Bolt reads SLACK_BOT_TOKEN itself and warns that our client (which carries that token,
    # with retry handlers and SLACK_API_URL) wins; that is the intent, so the warning is noise.
    logging.getLogger("slack_bolt.App").addFilter(_CLIENT_OVER_TOKEN)
    app = App(
        client=client,
        signing_secret=secret.get_secret_value() if secret else None,
        # Socket Mode needs no signing secret; HTTP mode refuses to start without one (cli).
        request_verification_enabled=secret is not None,
        token_verification_enabled=False,
        process_before_response=False,
        listener_executor=listener_executor,
    )
    authorisation.install(app)  # an auth.test failure leaves events for Slack to redeliver
    handlers.register_all(app, rt)  # its workspace guard is the first global middleware
    app.use(actor_middleware(rt))
    # Several senders take small batches, so a burst of posts goes out in parallel.
    batch = 50 if outbox_senders == 1 else 8
    worker = OutboxWorker(
        rt, outbox_chat(client), senders=outbox_senders, batch=batch, pacer=Pacer()
    )
    _WORKERS[app] = worker
    if start_worker:
        worker.start()
    return app


def settle() -> None:
    """Once a serving process has built its app: what exists now lives as long as the process,
    so the garbage collector stops scanning it (measured: full collections took 20-30% of a
    national-scale digest build)."""
    gc.collect()
    gc.freeze()


def outbox_worker(app: App) -> OutboxWorker:
    """The outbox worker build_app attached to this app."""
    return _WORKERS[app]
