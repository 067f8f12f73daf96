"""The sentencing chart: disposals by kind of condition breached, by court and by quarter, and
custodial terms over time (PNG). Bars are counts of cases, labelled with their number."""

from __future__ import annotations

import io
import textwrap
from datetime import date

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from lom_bot.domain.dates import add_months, format_date
from lom_bot.services.court_fields import DISPOSAL_LABELS
from lom_bot.services.sentencing import DISPOSALS, Group, SentencingReport

COLOURS = {
    "custody": "#8c1c13",
    "suspended": "#e07a1f",
    "community_order": "#2b6cb0",
    "fine": "#2f855a",
    "discharge": "#718096",
    "other": "#6b46c1",
}


def _stacked(ax: Axes, groups: list[Group], title: str, *, horizontal: bool = True) -> None:
    """One bar per group, stacked by disposal, each group's total written at its end."""
    names = ["\n".join(textwrap.wrap(g.name, 18, max_lines=2, placeholder="…")) for g in groups]
    positions = list(range(len(groups)))
    base = [0] * len(groups)
    for disposal in DISPOSALS:
        counts = [g.disposals.get(disposal, 0) for g in groups]
        if not any(counts):
            continue
        colour, label = COLOURS[disposal], DISPOSAL_LABELS[disposal]
        if horizontal:
            ax.barh(positions, counts, left=base, height=0.6, color=colour, label=label)
        else:
            ax.bar(positions, counts, bottom=base, width=0.6, color=colour, label=label)
        base = [b + c for b, c in zip(base, counts, strict=True)]
    for pos, total in zip(positions, base, strict=True):
        if horizontal:
            ax.text(total + 0.1, pos, f"n={total}", va="center", fontsize=9)
        else:
            ax.text(pos, total + 0.1, f"n={total}", ha="center", fontsize=9)
    top = max(base or [1]) + 1.5
    if horizontal:
        ax.set_yticks(positions, names)
        ax.invert_yaxis()  # the biggest group on top
        ax.set_xlim(0, top)
        ax.set_xlabel("Cases sentenced")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        ax.set_xticks(positions, names)
        ax.set_ylim(0, top)
        ax.set_ylabel("Cases sentenced")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontsize=11, loc="left")
    ax.grid(True, axis="x" if horizontal else "y", alpha=0.3)


def _terms(ax: Axes, report: SentencingReport) -> None:
    """Each custodial or suspended term as a dot by date sentenced, the overall medians dashed."""
    for disposal, marker in (("custody", "o"), ("suspended", "s")):
        cases = [c for c in report.cases if c.disposal == disposal and c.custody_months]
        if not cases:
            continue
        ax.scatter(
            [_day(report, c.sentenced_on) for c in cases],
            [float(c.custody_months or 0) for c in cases],
            marker=marker,
            s=48,
            color=COLOURS[disposal],
            label=DISPOSAL_LABELS[disposal],
            zorder=3,
        )
        terms = report.overall.custody if disposal == "custody" else report.overall.suspended
        if terms.median is not None:
            ax.axhline(terms.median, color=COLOURS[disposal], linestyle="--", linewidth=1)
            ax.annotate(
                f"median {terms.median:g} months ({DISPOSAL_LABELS[disposal].lower()}, "
                f"n={terms.count})",
                xy=(1, terms.median),
                xycoords=("axes fraction", "data"),
                xytext=(-4, 4),
                textcoords="offset points",
                ha="right",
                fontsize=9,
                color=COLOURS[disposal],
            )
    ax.set_ylabel("Term (months)")
    ax.set_xlabel("Date sentenced")
    ax.set_ylim(bottom=0)
    ax.set_xlim(0, _day(report, report.end))
    ax.grid(True, alpha=0.3)
    ax.set_title("Custodial and suspended terms over time", fontsize=11, loc="left")
    months = (report.end.year - report.start.year) * 12 + report.end.month - report.start.month
    step = max(1, -(-months // 8))  # at most about 8 labels
    firsts = [add_months(report.start.replace(day=1), k) for k in range(1, months + 1, step)]
    ax.set_xticks([_day(report, d) for d in firsts], [f"{d:%b %Y}" for d in firsts])
    ax.tick_params(axis="x", labelrotation=30)


def _day(report: SentencingReport, on: date) -> float:
    return float((on - report.start).days)


def sentencing_chart(report: SentencingReport) -> bytes:
    """Four panels as PNG bytes: by condition, by court, by quarter, terms over time."""
    fig = Figure(figsize=(13, 9.5), dpi=100)
    grid = fig.add_gridspec(2, 2, hspace=0.45, wspace=0.45)
    _stacked(fig.add_subplot(grid[0, 0]), report.by("condition"), "By kind of condition breached")
    _stacked(fig.add_subplot(grid[0, 1]), report.by("court"), "By court")
    quarters = fig.add_subplot(grid[1, 0])
    _stacked(quarters, report.by("quarter"), "By quarter sentenced", horizontal=False)
    _terms(fig.add_subplot(grid[1, 1]), report)
    shown = report.overall.disposals
    handles = [Patch(color=COLOURS[d], label=DISPOSAL_LABELS[d]) for d in DISPOSALS if d in shown]
    fig.legend(handles=handles, loc="lower center", ncols=max(1, len(handles)), frameon=False)
    n = len(report.cases)
    fig.suptitle(
        f"SCPO breach sentencing: {n} case{'s' if n != 1 else ''} sentenced "
        f"{format_date(report.start)} to {format_date(report.end)} (counts of cases)",
        fontsize=13,
    )
    fig.subplots_adjust(left=0.15, right=0.97, top=0.91, bottom=0.12)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
