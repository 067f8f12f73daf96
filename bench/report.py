"""Percentiles, the targets, and the one table `make bench` prints."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bench.load import Samples

ACK_RATIO, ACK_P99_MS, REPLY_P99_MS = 1.5, 300.0, 1000.0
DIGEST_S, EVENTS_PER_S, RSS_MB = 1.0, 100.0, 300.0
COLD_ACK_S = 1.0  # the first request after start; Slack gives up at 3 s


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile; NaN when there are no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def times(ratio: float) -> str:
    return "-" if math.isnan(ratio) else f"{ratio:.2f}x p50"


def pcts(values: list[float]) -> str:
    if not values:
        return "no answers"
    p50, p95, p99 = (percentile(values, p) for p in (50, 95, 99))
    return f"p50 {p50:.0f} / p95 {p95:.0f} / p99 {p99:.0f} ms"


@dataclass
class Row:
    measure: str
    db: str
    scale: str
    clients: str
    result: str
    bare: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None  # None: no target on this row

    def cells(self) -> list[str]:
        verdict = {True: "MET", False: "MISSED", None: ""}[self.met]
        target = f"{self.target} {verdict}".strip()
        return [self.measure, self.db, self.scale, self.clients, self.result, self.bare,
                self.ratio, target]  # fmt: skip


HEADER = ["measure", "db", "scale", "clients", "result", "bare Bolt", "x bare", "target"]


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def latency(
        self, interaction: str, db: str, scale: str, clients: int, lom: Samples, bare: Samples,
        targets: bool,
    ) -> None:  # fmt: skip
        """Two rows, ack and reply; at national scale with 16 clients, judged on the targets."""
        problems = _problems(lom)
        failed = lom.errors > 0  # a refused or dropped request, not merely a slow answer
        ack50, bare50 = percentile(lom.ack, 50), percentile(bare.ack, 50)
        ratio = ack50 / bare50 if bare50 else math.nan
        ack99 = percentile(lom.ack, 99)
        ack_met = None
        if targets:
            ack_met = ratio <= ACK_RATIO and ack99 < ACK_P99_MS and not failed
        self.add(Row(f"{interaction}: ack{problems}", db, scale, str(clients), pcts(lom.ack),
                     pcts(bare.ack), times(ratio),
                     f"p50<={ACK_RATIO}x, p99<{ACK_P99_MS:.0f}ms" if targets else "",
                     ack_met))  # fmt: skip
        reply50, bare_reply50 = percentile(lom.reply, 50), percentile(bare.reply, 50)
        reply_ratio = reply50 / bare_reply50 if bare_reply50 else math.nan
        reply99 = percentile(lom.reply, 99)
        reply_met = None
        if targets:
            reply_met = (
                reply99 < REPLY_P99_MS and not failed and not lom.timeouts and bool(lom.reply)
            )
        self.add(Row(f"{interaction}: reply", db, scale, str(clients), pcts(lom.reply),
                     pcts(bare.reply), times(reply_ratio),
                     f"p99<{REPLY_P99_MS:.0f}ms" if targets else "", reply_met))  # fmt: skip

    def render(self) -> str:
        cells = [HEADER] + [r.cells() for r in self.rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(HEADER))]
        lines = []
        for n, row in enumerate(cells):
            lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
                         + " |")  # fmt: skip
            if n == 0:
                lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        lines += [f"\n* {note}" for note in self.notes]
        return "\n".join(lines)

    def summary(self) -> str:
        judged = [r for r in self.rows if r.met is not None]
        met = sum(1 for r in judged if r.met)
        return f"{met} of {len(judged)} target checks met"


def _problems(samples: Samples) -> str:
    parts = []
    bad = {s: c for s, c in samples.statuses.items() if s != 200}
    if bad:
        parts.append("HTTP " + ",".join(f"{s}x{c}" for s, c in sorted(bad.items())))
    if samples.errors - sum(bad.values()) > 0:
        parts.append(f"{samples.errors - sum(bad.values())} failed")
    if samples.timeouts:
        parts.append(f"{samples.timeouts} unanswered")
    return f" ({'; '.join(parts)}, n={samples.sent})" if parts else f" (n={samples.sent})"
