"""Cold start: how long Slack waits for the ack of the first request sent the moment
`lom-bot serve --http` accepts connections (Slack gives up after 3 seconds)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.scenarios import SIGNING_SECRET
from bench.servers import LOGS, free_port
from lom_bot.console import signing
from lom_bot.slack_standin.standin import SlackStandIn


@dataclass(frozen=True)
class ColdStart:
    listening: float  # seconds from starting the process to the port accepting a connection
    ack: float  # seconds from sending the first request to its HTTP answer
    status: int


def measure(database_url: str, standin: SlackStandIn, *, tag: str = "") -> ColdStart:
    """Start the bot, send `/lom help` the moment its port accepts, time the ack, stop it."""
    port = free_port()
    LOGS.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_API_URL": standin.url,
        "SLACK_BOT_TOKEN": "xoxb-bench-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "LOM_CONFIG": str(Path("app.yaml").resolve()),
    }
    env.pop("SLACK_APP_TOKEN", None)
    lom_bot = str(Path(sys.executable).with_name("lom-bot"))
    command = [lom_bot, "serve", "--http", "--host", "127.0.0.1", "--port", str(port),
               "--no-scheduler"]  # fmt: skip
    started = time.monotonic()
    with (LOGS / f"server-coldstart{tag}.log").open("wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        listening = _until_listening(port, process, started) - started
        body = signing.slash_command_body(
            "/lom", "help", "U0OFF1", "C0LOMTEAM",
            response_url=standin.response_url("U0OFF1", "C0LOMTEAM"),
        )  # fmt: skip
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/slack/events",
            data=body,
            headers=signing.sign(SIGNING_SECRET, body, int(time.time())),
            method="POST",
        )
        sent = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = int(response.status)
        except urllib.error.HTTPError as err:
            status = err.code
        return ColdStart(listening, time.monotonic() - sent, status)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(60)


def _until_listening(port: int, process: subprocess.Popen[bytes], started: float) -> float:
    while time.monotonic() - started < 120:
        if process.poll() is not None:
            raise RuntimeError(f"lom-bot serve exited at start (status {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return time.monotonic()
        except OSError:
            time.sleep(0.005)
    raise RuntimeError("lom-bot serve never listened")
