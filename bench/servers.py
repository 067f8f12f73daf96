"""The servers under test, each in its own process group on 127.0.0.1: the bot as
`lom-bot serve --http` runs it (gunicorn), and a bare Bolt app served the same way."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.scenarios import SIGNING_SECRET
from lom_bot.cli.serve import DEFAULT_ANSWER_WORKERS  # what `lom-bot serve --http` starts

LOGS = Path("var/bench")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serving_shape() -> tuple[int, int]:
    """(workers, threads) as `lom-bot serve --http` uses them by default."""
    import inspect

    from lom_bot.cli.serve import DEFAULT_WORKERS
    from lom_bot.wsgi import run_gunicorn

    threads = inspect.signature(run_gunicorn).parameters["threads"].default
    return DEFAULT_WORKERS, int(threads)


@dataclass
class Server:
    """A running server process (the gunicorn arbiter) and where it listens."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def rss(self) -> dict[str, float]:
        """Peak and current resident memory (MB) of the arbiter and its largest worker."""
        master = _status(self.process.pid)
        workers = [_status(pid) for pid in _children(self.process.pid)]
        workers = [w for w in workers if w]
        return {
            "master_peak": master.get("VmHWM", 0.0),
            "worker_peak": max((w.get("VmHWM", 0.0) for w in workers), default=0.0),
            "worker_now": max((w.get("VmRSS", 0.0) for w in workers), default=0.0),
            "workers": float(len(workers)),
            "total_now": master.get("VmRSS", 0.0) + sum(w.get("VmRSS", 0.0) for w in workers),
        }

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def start(
    name: str, database_url: str, slack_api_url: str, workers: int, threads: int, tag: str = ""
) -> Server:
    """Start the bot ("lom") or the bare app ("bare") and wait until /health answers."""
    port = free_port()
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"server-{name}{tag}.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_API_URL": slack_api_url,
        "SLACK_BOT_TOKEN": "xoxb-bench-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "LOM_CONFIG": str(Path("app.yaml").resolve()),
    }
    env.pop("SLACK_APP_TOKEN", None)
    if name == "lom":
        lom_bot = str(Path(sys.executable).with_name("lom-bot"))
        args = [lom_bot, "serve", "--http", "--host", "127.0.0.1", "--port", str(port),
                "--workers", str(workers), "--no-scheduler"]  # fmt: skip
    else:
        args = [sys.executable, "-m", "bench.bare_app", "--port", str(port),
                "--workers", str(workers), "--threads", str(threads)]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            args, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = Server(name, process, port, log)
    _wait_healthy(server, workers)
    return server


def _wait_healthy(server: Server, workers: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    healthy = 0
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = server.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{server.name} server exited at start; log {server.log}:\n{tail}")
        try:
            url = f"http://127.0.0.1:{server.port}/health"
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode()
                # the bot's answer workers must be listening too, or the web processes answer
                answering = (
                    server.name != "lom" or f"{DEFAULT_ANSWER_WORKERS} answer workers" in body
                )
                healthy += response.status == 200 and answering
        except OSError:
            healthy = 0
        # Each worker builds its app on its first request: warm them all before measuring.
        if healthy >= workers * 4:
            return
        time.sleep(0.05 if healthy else 0.3)
    server.stop()
    raise RuntimeError(f"{server.name} server did not become healthy; log {server.log}")


def _status(pid: int) -> dict[str, float]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    values: dict[str, float] = {}
    for line in lines:
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0]) / 1024
    return values


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces; the fields after its closing parenthesis do not.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def cpu_seconds(server: Server) -> dict[str, float]:
    """CPU seconds used so far by the server's processes (web workers and arbiter; answer
    workers), every PostgreSQL backend on the machine, and this benchmark process (the clients
    and the Slack stand-in)."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {"web": 0.0, "answers": 0.0, "database": 0.0}
    for pid in [server.process.pid, *_children(server.process.pid)]:
        kind = "answers" if b"answers" in _cmdline(pid) else "web"
        used[kind] += _cpu(pid) / ticks
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _comm(int(entry.name)) == "postgres":
            used["database"] += _cpu(int(entry.name)) / ticks
    own = os.times()
    used["bench"] = own.user + own.system
    return used


def _cpu(pid: int) -> float:
    """utime + stime of a process (and its waited-for children), in clock ticks."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return float(sum(int(f) for f in fields[11:15]))


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""
