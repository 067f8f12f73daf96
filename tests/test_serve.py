"""lom-bot serve: refuses to start without its secrets, and serves Slack over HTTP for real."""

from __future__ import annotations

import contextvars
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from pydantic import SecretStr
from sqlalchemy import create_engine

from lom_bot.bootstrap import Runtime, build_app
from lom_bot.cli import cli
from lom_bot.cli.common import run_cli
from lom_bot.console import signing
from lom_bot.slack_standin.standin import SlackStandIn
from lom_bot.wsgi import LomWsgi

ROOT = Path(__file__).resolve().parents[1]
LOM_BOT = str(Path(sys.executable).with_name("lom-bot"))
SECRET = "serve-test-secret"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LOM_"))}
    env.update(LOM_CONFIG=str(ROOT / "app.yaml"), **extra)
    return env


@pytest.mark.parametrize(
    ("args", "env", "missing"),
    [
        ([], {}, "SLACK_BOT_TOKEN"),
        ([], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
        (["--http"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
    ],
)
def test_serve_without_a_secret_stops_with_one_line_naming_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    env: dict[str, str],
    missing: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["lom-bot", "serve", *args])
    status = contextvars.copy_context().run(run_cli, cli)  # its log bindings stay inside
    err = capsys.readouterr().err
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert missing in lines[0] and "is not set" in lines[0]
    assert "Traceback" not in err


def test_health_says_whether_the_database_answers(runtime: Runtime) -> None:
    runtime.settings = runtime.settings.model_copy(
        update={"slack_bot_token": SecretStr("xoxb-1"), "slack_signing_secret": SecretStr("s")}
    )
    app = build_app(runtime, start_worker=False)
    wsgi = LomWsgi(runtime, app)
    assert wsgi.health()[0] == "200 OK"
    runtime.engine = create_engine("sqlite:////nonexistent/directory/lom.sqlite3")
    status, body = wsgi.health()
    assert status.startswith("503") and b"database" in body


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code


def post(url: str, body: bytes, secret: str = SECRET) -> tuple[int, bytes]:
    headers = signing.sign(secret, body, int(time.time()))
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


@pytest.fixture
def http_server(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[str, SlackStandIn, int]]:
    """`lom-bot serve --http` with two gunicorn workers, Slack replaced by a stand-in."""
    shutil.copy(sqlite_template, tmp_path / "lom.sqlite3")
    port = free_port()
    with SlackStandIn() as standin:
        env = clean_env(
            DATABASE_URL=f"sqlite:///{tmp_path / 'lom.sqlite3'}",
            SLACK_BOT_TOKEN="xoxb-serve-test",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=standin.url,
        )
        command = [LOM_BOT, "serve", "--http", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--workers", "2", "--no-scheduler"]
        process = subprocess.Popen(
            command,
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers stop with it
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):  # until the workers answer; not a timing assertion
                if process.poll() is not None:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"lom-bot serve exited early:\n{output}")
                try:
                    if get(base + "/health") == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            yield base, standin, process.pid
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def answer_workers(arbiter: int) -> list[int]:
    """The `lom-bot answers` processes the server started."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == arbiter and b"answers" in command:
            found.append(int(stat.parent.name))
    return found


def test_http_mode_serves_a_signed_slash_command_through_gunicorn_workers(
    http_server: tuple[str, SlackStandIn, int],
) -> None:
    base, standin, _ = http_server
    assert get(base + "/health") == 200
    body = signing.slash_command_body(
        "/lom",
        "help",
        "U0OFF1",
        "C0LOMTEAM",
        response_url=standin.response_url("U0OFF1", "C0LOMTEAM"),
    )
    status, _ = post(base + "/slack/events", body)
    assert status == 200
    reply = standin.wait_for("response_url", 1, timeout=30)[0]
    assert "/lom help" in str(reply.params.get("text"))
    refused, _ = post(base + "/slack/events", body, secret="not-the-secret")
    assert refused == 401
    assert get(base + "/nowhere") == 404


def test_http_mode_answers_through_answer_workers_and_restarts_one_that_stops(
    http_server: tuple[str, SlackStandIn, int],
) -> None:
    base, standin, arbiter = http_server
    for _ in range(300):  # until both listen; not a timing assertion
        with urllib.request.urlopen(base + "/health", timeout=5) as response:
            health = response.read().decode()
        if "2 answer workers listening" in health:
            break
        time.sleep(0.1)
    assert health == "ok; 2 answer workers listening\n"
    workers = answer_workers(arbiter)
    assert len(workers) == 2  # --answer-workers defaults to 2
    assert all(os.getpriority(os.PRIO_PROCESS, pid) > os.getpriority(os.PRIO_PROCESS, 0)
               for pid in workers)  # fmt: skip  # they yield the CPU to the web processes
    os.kill(workers[0], signal.SIGKILL)
    for _ in range(300):  # until the server has started another; not a timing assertion
        now = answer_workers(arbiter)
        if len(now) == 2 and workers[0] not in now:
            break
        time.sleep(0.1)
    assert len(now) == 2 and workers[0] not in now
    for n in (1, 2):
        body = signing.slash_command_body(
            "/lom", "help", "U0OFF1", "C0LOMTEAM",
            response_url=standin.response_url("U0OFF1", "C0LOMTEAM"),
        )  # fmt: skip
        assert post(base + "/slack/events", body) == (200, b"")  # stored, acked empty
        assert "/lom help" in str(standin.wait_for("response_url", n, timeout=30)[-1].params)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "LOM_HTTP_PORT": "80a"}, "LOM_HTTP_PORT"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "LOM_HTTP_PORT": "3000"}, "SLACK_SIGNING_SECRET"),
    ],
)
def test_run_with_a_bot_token_connects_to_slack_and_names_what_is_missing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "LOM_HTTP_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["lom-bot", "run"])
    status = contextvars.copy_context().run(run_cli, cli)
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert len(err.splitlines()) == 1 and expected in err


def test_socket_mode_asks_slack_api_url_for_its_connection_and_a_refusal_is_one_line(
    tmp_path: Path,
    sqlite_template: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shutil.copy(sqlite_template, tmp_path / "lom.sqlite3")
    with SlackStandIn() as standin:
        standin.fail_next("apps.connections.open", error="invalid_auth")
        monkeypatch.chdir(tmp_path)
        for name, value in {
            "SLACK_BOT_TOKEN": "xoxb-socket-test",
            "SLACK_APP_TOKEN": "xapp-socket-test",
            "SLACK_API_URL": standin.url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'lom.sqlite3'}",
            "LOM_CONFIG": str(ROOT / "app.yaml"),
        }.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
        monkeypatch.setattr(sys, "argv", ["lom-bot", "serve", "--no-scheduler"])
        status = contextvars.copy_context().run(run_cli, cli)
        calls = standin.calls_to("apps.connections.open")
    err = capsys.readouterr().err.strip()
    assert status == 1
    assert [call.token for call in calls] == ["xapp-socket-test"]
    assert err.splitlines()[-1].startswith("Error: Slack refused the Socket Mode connection"), err
    assert "invalid_auth" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "body",
    [
        b'{"type": "event_callback", "event": {"type": "app_home_opened", "user": 0}}',
        b'payload={"type": 1e+16}',
        b"{",
        b"\x80",
    ],
    ids=["user-id-not-a-string", "payload-type-not-a-string", "json-cut-short", "not-utf8"],
)
def test_a_malformed_request_gets_400_not_a_server_error(runtime: Runtime, body: bytes) -> None:
    runtime.settings = runtime.settings.model_copy(
        update={"slack_bot_token": SecretStr("xoxb-1"), "slack_signing_secret": SecretStr(SECRET)}
    )
    wsgi = LomWsgi(runtime, build_app(runtime, start_worker=False))
    environ: dict[str, Any] = {}
    setup_testing_defaults(environ)
    environ.update(REQUEST_METHOD="POST", PATH_INFO="/slack/events", CONTENT_LENGTH=str(len(body)))
    environ["wsgi.input"] = io.BytesIO(body)
    for name, value in signing.sign(SECRET, body, int(time.time())).items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    statuses: list[str] = []
    wsgi(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["400 Bad Request"]
