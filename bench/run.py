"""One database backend's measurements: seeding, scheduled posts, and the served app."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bench import burst, coldstart, datasets, load, measure_db, servers
from bench.report import COLD_ACK_S, DIGEST_S, EVENTS_PER_S, RSS_MB, Row, Table
from bench.scenarios import Caseload, Scenarios
from bench.standin import BenchStandIn


@dataclass(frozen=True)
class Plan:
    quick: bool
    fresh: bool
    workers: int
    threads: int
    per_client: dict[int, int]  # clients -> requests each
    time_limit: float  # seconds per suite
    events: int  # breach events fired for the throughput figure

    @classmethod
    def make(cls, *, quick: bool, fresh: bool, workers: int | None) -> Plan:
        default_workers, threads = servers.serving_shape()
        per_client = {1: 15, 16: 4} if quick else {1: 60, 16: 25}
        return cls(quick, fresh, workers or default_workers, threads, per_client,
                   15.0 if quick else 25.0, 160 if quick else 480)  # fmt: skip

    def describe(self) -> str:
        shape = f"gunicorn gthread {self.workers} workers x {self.threads} threads"
        loads = ", ".join(f"{c} client(s) x {n} requests" for c, n in self.per_client.items())
        return f"{'quick (force scale)' if self.quick else 'full'} run; {shape}; {loads}"


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_backend(backend: str, plan: Plan, table: Table) -> dict[str, Any]:
    """Everything measured on one database; rows go into `table`, raw figures are returned."""
    out: dict[str, Any] = {}
    say(f"{backend}: seeding force scale")
    force = datasets.sqlite_force() if backend == "sqlite" else datasets.pg_force()
    _seed_row(table, force)
    try:
        out["force_digest"] = _digests(table, force, None)
        if plan.quick:
            out["force_http"] = _http(table, force, plan, targets=False)
            out["force_burst"] = _burst(table, force)
    finally:
        force.cleanup()
    if plan.quick:
        return out
    say(f"{backend}: preparing national scale (cached unless stale or --fresh)")
    national = (
        datasets.sqlite_national(plan.fresh)
        if backend == "sqlite"
        else datasets.pg_national(plan.fresh)
    )
    _seed_row(table, national)
    try:
        out["national_digest"] = _digests(table, national, out["force_digest"])
        out["national_http"] = _http(table, national, plan, targets=True)
        out["national_burst"] = _burst(table, national)
    finally:
        national.cleanup()
    return out


def _seed_row(table: Table, data: datasets.Dataset) -> None:
    c = data.counts
    shown = (
        f"{c.get('subjects', 0)} subjects, {c.get('contacts', 0)} contacts, "
        f"{c.get('checks', 0)} checks, {c.get('intelligence', 0)} intel, "
        f"{c.get('breach_reports', 0)} breach reports, {c.get('audit_log', 0)} audit rows"
    )
    how = f"cached, seeded {data.seeded_at}" if data.cached else "seeded this run"
    table.add(Row("seed (bulk insert)", data.backend, data.scale, "",
                  f"{data.seed_seconds:.1f} s ({how}): {shown}"))  # fmt: skip


def _digests(
    table: Table, data: datasets.Dataset, force: dict[str, int | None] | None
) -> dict[str, int | None]:
    say(f"{data.backend}: scheduled posts at {data.scale} scale")
    statements: dict[str, int | None] = {}
    for timing in measure_db.measure(data.url):
        statements[timing.what] = timing.statements
        if timing.error:
            table.add(Row(timing.what, data.backend, data.scale, "", f"ERROR {timing.error}"[:160],
                          target="<1 s, flat SQL count" if timing.what == "daily digest" else "",
                          met=False if force is not None and timing.what == "daily digest"
                          else None))  # fmt: skip
            continue
        cold = timing.seconds[0] * 1000
        result = (
            f"{timing.median * 1000:.0f} ms median of {len(timing.seconds)} (first {cold:.0f} ms)"
            f", {timing.statements} SQL statements"
        )
        met = None
        target = ""
        if timing.what == "daily digest" and force is not None:
            before = force.get(timing.what)
            flat = before is not None and (timing.statements or 0) <= before
            met = timing.median < DIGEST_S and flat
            target = f"<{DIGEST_S:.0f} s; SQL <= force's {before}"
        table.add(Row(timing.what, data.backend, data.scale, "", result, target=target, met=met))
    return statements


def _http(table: Table, data: datasets.Dataset, plan: Plan, targets: bool) -> dict[str, Any]:
    """Latency of each interaction for the bare app then the bot; throughput; memory."""
    from lom_bot.config import load_app_config
    from lom_bot.handlers.registry import declared

    config = load_app_config(Path("app.yaml"))
    channels = {d.name: d.channel.id for d in config.districts}
    examples = {s.name: s.examples[0] for s in declared() if s.examples}
    out: dict[str, Any] = {}
    standin = BenchStandIn()
    standin.start()
    try:
        caseload = Caseload.load(data.url, channels)
        builders = Scenarios(standin, caseload, examples).builders()
        runs: dict[str, dict[tuple[str, int], load.Samples]] = {}
        _cold_start(table, data, standin)
        for app in ("bare", "lom"):
            say(f"{data.backend}: serving the {app} app ({plan.workers} workers)")
            server = servers.start(
                app, data.url, standin.url, plan.workers, plan.threads,
                f"-{data.backend}-{data.scale}",
            )  # fmt: skip
            try:
                runs[app] = _suites(standin, server.port, builders, plan)
                if app == "lom":
                    out["throughput"] = _throughput(table, standin, server, data, builders, plan)
                    out["rss"] = rss = server.rss()
            finally:
                server.stop()
            if app == "lom":
                _log_note(table, data, server.log)
        for name, build in builders.items():
            if build is None:
                table.add(Row(name, data.backend, data.scale, "-", "not built in this version",
                              met=False if targets else None))  # fmt: skip
                continue
            for clients in plan.per_client:
                lom, bare = runs["lom"][name, clients], runs["bare"][name, clients]
                table.latency(name, data.backend, data.scale, clients, lom, bare,
                              targets and clients == 16)  # fmt: skip
        table.add(Row("serving process peak RSS", data.backend, data.scale, "",
                      f"worker {rss['worker_peak']:.0f} MB (largest of {rss['workers']:.0f}); "
                      f"arbiter {rss['master_peak']:.0f} MB; all now {rss['total_now']:.0f} MB",
                      target=f"<{RSS_MB:.0f} MB per process" if targets else "",
                      met=rss["worker_peak"] < RSS_MB if targets else None))  # fmt: skip
    finally:
        standin.stop()
    out["latency"] = {
        app: {f"{k[0]}|{k[1]}": _raw(v) for k, v in r.items()} for app, r in runs.items()
    }
    return out


def _burst(table: Table, data: datasets.Dataset) -> dict[str, Any]:
    """480 district reports at once against a stand-in that enforces Slack's rate limits."""
    from lom_bot.config import load_app_config

    say(f"{data.backend}: 480 district reports in a burst at Slack's limits")
    config = load_app_config(Path("app.yaml"))
    channels = {d.name: d.channel.id for d in config.districts}
    result = burst.run(data.url, data.url, channels, tag=f"-{data.backend}-{data.scale}")
    table.add(Row("480 district reports in a burst at Slack's limits", data.backend, data.scale,
                  "16", result.describe(),
                  target=f"all stored before ack; all in <={burst.WITHIN:.0f} s; none lost or "
                  "twice", met=result.met))  # fmt: skip
    return vars(result)


def _cold_start(table: Table, data: datasets.Dataset, standin: BenchStandIn) -> None:
    """The first request's ack, sent the moment a freshly started bot accepts connections."""
    say(f"{data.backend}: cold start")
    cold = coldstart.measure(data.url, standin, tag=f"-{data.backend}-{data.scale}")
    table.add(Row("cold start: first request's ack", data.backend, data.scale, "1",
                  f"{cold.ack * 1000:.0f} ms (HTTP {cold.status}), sent as the port first "
                  f"accepted, {cold.listening:.1f} s after the process started",
                  target=f"<{COLD_ACK_S:.0f} s (Slack: 3 s)",
                  met=cold.ack < COLD_ACK_S and cold.status == 200))  # fmt: skip


def _suites(
    standin: BenchStandIn, port: int, builders: dict[str, Any], plan: Plan
) -> dict[tuple[str, int], load.Samples]:
    results = {}
    for name, build in builders.items():
        if build is None:
            continue
        # One request per worker first: each builds its caches on its first request.
        load.run(standin, port, build, clients=plan.workers, per_client=1, time_limit=10, seed=7)
        for clients, per_client in plan.per_client.items():
            results[name, clients] = got = load.run(
                standin, port, build, clients=clients, per_client=per_client,
                time_limit=plan.time_limit, seed=clients,
            )  # fmt: skip
            say(
                f"  {name} x{clients}: {got.sent} sent, {len(got.reply)} answered, "
                f"{got.timeouts} unanswered, statuses {got.statuses}, {got.seconds:.1f} s"
            )
    return results


def _throughput(
    table: Table, standin: BenchStandIn, server: servers.Server, data: datasets.Dataset,
    builders: dict[str, Any], plan: Plan,
) -> dict[str, Any]:  # fmt: skip
    build = builders["district message"]
    if build is None:
        return {}
    say(f"{data.backend}: breach throughput, {plan.events} events")
    before = _breach_count(data.url)
    cpu_before = servers.cpu_seconds(server)
    answered, seconds, samples = load.fire(
        standin, server.port, build, count=plan.events, clients=16, time_limit=30
    )
    cpu = {k: v - cpu_before[k] for k, v in servers.cpu_seconds(server).items()}
    stored = _breach_count(data.url) - before
    rate = answered / seconds if seconds > 0 else 0.0
    judged = data.backend == "postgresql" and not plan.quick
    table.add(Row("breach events end to end", data.backend, data.scale, "16",
                  f"{rate:.0f} events/s ({answered}/{plan.events} posted to the stand-in, "
                  f"{stored} stored, {seconds:.1f} s); CPU per event: "
                  + ", ".join(f"{k} {v * 1000 / max(answered, 1):.1f} ms" for k, v in cpu.items()),
                  target=f">={EVENTS_PER_S:.0f}/s" if judged else "",
                  met=rate >= EVENTS_PER_S and stored >= answered if judged else None))  # fmt: skip
    return {"answered": answered, "seconds": seconds, "stored": stored, "rate": rate,
            "cpu_seconds": cpu, "ack": _raw(samples)}  # fmt: skip


def _raw(samples: load.Samples) -> dict[str, Any]:
    return {k: v for k, v in vars(samples).items() if k != "late"}


def _breach_count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT COUNT(*) FROM breach_reports")).scalar_one())
    finally:
        engine.dispose()


def _log_note(table: Table, data: datasets.Dataset, log: Path) -> None:
    lines = log.read_text(errors="replace").splitlines()
    errors = [line for line in lines if "Traceback" in line or " ERROR " in line]
    if errors:
        table.notes.append(
            f"{data.backend} {data.scale}: the bot's server log has {len(errors)} error line(s), "
            f"first: {errors[0][:160]} (kept in {log})"
        )
