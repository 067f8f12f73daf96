"""The weekly summary's chart: 12 weeks of contacts, checks, breaches and overdue items (PNG)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display: render straight to PNG bytes

from matplotlib.figure import Figure

from lom_bot.domain.dates import format_date
from lom_bot.services.summary import Series

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def weekly_chart(series: Series, *, title: str | None = None) -> bytes:
    """A readable line chart (title, labelled axes, legend, dated weeks) as PNG bytes."""
    labels = [f"{d:%d %b}" for d in series.week_ends]
    fig = Figure(figsize=(10, 5.6), dpi=110)
    ax = fig.subplots()
    x = list(range(len(labels)))
    for values, name, style in (
        (series.contacts, "Contacts logged", "o-"),
        (series.checks, "Compliance checks", "s-"),
        (series.breaches, "Breach reports received", "^-"),
        (
            series.overdue,
            "Overdue at week end (contacts, visits, checks, assessments, tasks)",
            "D--",
        ),
    ):
        ax.plot(x, values, style, label=name, linewidth=2, markersize=5)
    ax.set_xticks(x, labels, rotation=45, ha="right")
    ax.set_xlabel("Week ending")
    ax.set_ylabel("Count")
    top = max([*series.contacts, *series.checks, *series.breaches, *series.overdue, 4])
    ax.set_ylim(0, top * 1.1)
    ax.grid(True, axis="y", alpha=0.3)
    # Below the plot, so the legend never hides a point.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.26), frameon=False, ncols=2)
    weeks = len(series.week_ends)
    ax.set_title(title or f"LOM activity: the {weeks} weeks to {format_date(series.week_ends[-1])}")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
