"""Operational hygiene: log lines belong to their own request, gunicorn logs JSON when asked,
SQLite files are the bot's user's alone."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

from lom_bot.console import signing
from lom_bot.logging_setup import ContextAndMinimisation
from lom_bot.store import db, inbox
from lom_bot.wsgi import LomWsgi
from tests import test_breach_support as support
from tests.e2e.harness import SECRET, SlackHarness
from tests.test_serve import LOM_BOT, clean_env, free_port, get

db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template


def environ(body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    env: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": headers.get("Content-Type", signing.FORM),
        "wsgi.input": io.BytesIO(body),
    }
    for key, value in headers.items():
        env["HTTP_" + key.upper().replace("-", "_")] = value
    setup_testing_defaults(env)
    return env


def test_a_server_threads_next_request_does_not_log_as_the_last_ones_user(
    logged: io.StringIO, slack_inline: SlackHarness
) -> None:
    app = LomWsgi(slack_inline.rt, slack_inline.app)  # one thread, request after request
    statuses: list[str] = []

    def start(status: str, _headers: list[Any]) -> None:
        statuses.append(status)

    body = signing.slash_command_body("/lom", "help", "U0OFF1", "C0LOMTEAM")
    list(app(environ(body, signing.sign(SECRET, body, int(time.time()))), start))
    slack_inline.executor.wait_idle()
    assert current_log_context()["user"] == "U0OFF1"  # left on this thread by the request
    list(app(environ(b"junk", {"Content-Type": signing.FORM}), start))  # unsigned: 401
    assert statuses[-1].startswith("401")
    lines = [json.loads(line) for line in logged.getvalue().splitlines()]
    refused = [line for line in lines if "refused before reading" in line["msg"]]
    assert refused and refused[-1]["user"] is None and refused[-1]["request_id"]


def current_log_context() -> dict[str, str | None]:
    record = logging.makeLogRecord({"msg": "probe", "levelno": logging.DEBUG, "name": "t"})
    ContextAndMinimisation().filter(record)
    return {"user": getattr(record, "user", None), "request_id": record.request_id}


def test_gunicorns_own_lines_are_json_with_log_format_json(
    tmp_path: Path, sqlite_template: Path
) -> None:
    shutil.copy(sqlite_template, tmp_path / "lom.sqlite3")
    port = free_port()
    env = clean_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'lom.sqlite3'}",
        SLACK_BOT_TOKEN="xoxb-serve-test",
        SLACK_SIGNING_SECRET="secret-for-the-log-test",
        SLACK_API_URL="http://127.0.0.1:9/",
        LOG_FORMAT="json",
    )
    command = [LOM_BOT, "serve", "--http", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", "1", "--no-scheduler", "--answer-workers", "0"]
    process = subprocess.Popen(
        command,
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for _ in range(600):  # until it answers; not a timing assertion
            try:
                if get(f"http://127.0.0.1:{port}/health") == 200:
                    break
            except OSError:
                time.sleep(0.1)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    lines = [line for line in output.decode().splitlines() if line.strip()]
    gunicorn = [json.loads(line) for line in lines if '"gunicorn.' in line]
    assert gunicorn, output.decode()[-2000:]
    gunicorns_words = ("Booting worker", "Listening at", "Worker exiting", "Shutting down")
    plain = [line for line in lines if not line.startswith("{")]  # lom-bot's own echoes only
    assert not [line for line in plain if any(word in line for word in gunicorns_words)]
    assert {"Booting worker", "Listening at"} <= {
        word for line in gunicorn for word in gunicorns_words if word in line["msg"]
    }


def test_sqlite_files_are_created_readable_by_the_bots_user_alone(tmp_path: Path) -> None:
    fresh = tmp_path / "var" / "lom.sqlite3"
    db.upgrade(f"sqlite:///{fresh}")
    engine = db.make_engine(f"sqlite:///{fresh}")
    with engine.begin() as conn:
        conn.exec_driver_sql("SELECT 1")
    inbox_engine = inbox.engine_for(engine)
    assert inbox_engine.url.database
    for path in (fresh, Path(inbox_engine.url.database)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    loose = tmp_path / "old.sqlite3"
    shutil.copy(fresh, loose)
    loose.chmod(0o644)
    db.make_engine(f"sqlite:///{loose}").dispose()
    assert stat.S_IMODE(loose.stat().st_mode) == 0o600
    engine.dispose()
