"""The capacity chart: each officer's items this week by risk, against their capacity (PNG)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from lom_bot.domain.dates import format_date
from lom_bot.services.capacity import NO_RISK, RISKS, CapacityWeek

COLOURS = {
    "very_high": "#8c1c13",
    "high": "#e07a1f",
    "medium": "#d9b310",
    "low": "#2f855a",
    NO_RISK: "#a0aec0",
}
LABELS = {
    "very_high": "Very high risk",
    "high": "High risk",
    "medium": "Medium risk",
    "low": "Low risk",
}


def capacity_chart(week: CapacityWeek) -> bytes:
    """One bar per officer stacked by risk, a black mark at their capacity, over/spare said."""
    loads = week.loads
    names = [load.officer.name for load in loads]
    fig = Figure(figsize=(11, 1.6 + 0.75 * max(1, len(loads))), dpi=100)
    ax = fig.subplots()
    rows = list(range(len(loads)))
    left = [0] * len(loads)
    order = [*(r.value for r in RISKS), NO_RISK]
    for risk in order:
        counts = [load.by_risk().get(risk, 0) for load in loads]
        if any(counts):
            ax.barh(rows, counts, left=left, height=0.6, color=COLOURS[risk])
            left = [a + b for a, b in zip(left, counts, strict=True)]
    top = max([*left, *(load.capacity for load in loads), 1])
    for row, load in enumerate(loads):
        ax.plot([load.capacity] * 2, [row - 0.42, row + 0.42], color="black", linewidth=3)
        verdict = (
            f"{load.items} items / capacity {load.capacity}: {load.over} will slip"
            if load.over
            else f"{load.items} items / capacity {load.capacity}: "
            f"{load.capacity - load.items} spare"
        )
        ax.text(
            max(load.items, load.capacity) + top * 0.015,
            row,
            verdict,
            va="center",
            fontsize=9,
            fontweight="bold" if load.over else "normal",
        )
    ax.set_yticks(rows, names)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.55)
    ax.set_xlabel("Items due or overdue by the end of the week, if nothing is done")
    ax.grid(True, axis="x", alpha=0.3)
    shown = {risk for load in loads for risk in load.by_risk()}
    handles: list[Patch | Line2D] = [
        Patch(color=COLOURS[r], label=LABELS.get(r, "No subject")) for r in order if r in shown
    ]
    handles.append(Line2D([], [], color="black", linewidth=3, label="Capacity (app.yaml)"))
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.5 / max(1, len(loads)) - 0.12),
        ncols=len(handles),
        frameon=False,
    )
    ax.set_title(
        f"Workload against capacity: {format_date(week.start)} to {format_date(week.end)}",
        loc="left",
    )
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
