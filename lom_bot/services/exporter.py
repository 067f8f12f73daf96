"""Governance exports (caseload, contacts, breaches, orders) as CSV or XLSX, audited as disclosed.

Sensitive columns (addresses, notes, report text, rationale) go only to those allowed
EXPORT_SENSITIVE; everyone else gets the same file without them, and is told what was withheld.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lom_bot.domain.enums import AuditAction
from lom_bot.domain.errors import InvalidInput
from lom_bot.domain.text import is_formula_like, neutralise_cell
from lom_bot.services.export_tables import BUILDERS, LONDON_TIME, Col, Ctx, ExportKind
from lom_bot.services.permissions import Action, Actor, can, require
from lom_bot.store.uow import UnitOfWork

__all__ = ["ExportKind", "ExportResult", "Table", "build_table", "export"]

MARKING = "OFFICIAL-SENSITIVE"


@dataclass
class Table:
    """Columns, rows (dates as date, times as London datetimes) and the subjects named."""

    kind: ExportKind
    columns: list[Col]
    rows: list[list[Any]]
    subjects: list[str]
    withheld: list[str]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    subjects: int
    withheld: list[str]


def build_table(uow: UnitOfWork, actor: Actor, kind: ExportKind, start: date, end: date) -> Table:
    """The rows the actor may take out, sensitive columns removed unless they may see them."""
    require(actor, Action.EXPORT)
    if end < start:
        raise InvalidInput(
            "The period ends before it starts.",
            field="to",
            example="--from 01/10/2026 --to 31/10/2026",
        )
    cols, rows, refs = BUILDERS[kind](Ctx(uow, start, end))
    keep = [
        i for i, col in enumerate(cols) if not col.sensitive or can(actor, Action.EXPORT_SENSITIVE)
    ]
    withheld = [col.header for i, col in enumerate(cols) if i not in keep]
    return Table(
        kind,
        [cols[i] for i in keep],
        [[r[i] for i in keep] for r in rows],
        list(dict.fromkeys(refs)),
        withheld,
    )


def export(
    uow: UnitOfWork,
    actor: Actor,
    kind: ExportKind,
    start: date,
    end: date,
    out: Path,
) -> ExportResult:
    """Write the export to `out` (.csv or .xlsx) and audit it as a disclosure per subject.

    The file is written beside `out` first and moved into place only after the audit commits,
    so there is never a file whose disclosure went unrecorded.
    """
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(f"{out.name}: exports are written as .csv or .xlsx.", field="format")
    partial = out.with_name(f".{out.name}.partial")
    with uow:
        table = build_table(uow, actor, kind, start, end)
        if fmt == "csv":
            write_csv(table, partial)
        else:
            write_xlsx(table, partial, _about(uow, actor, table, start, end))
        recipient = f"export:{out.name}"[:80]
        detail = {
            "kind": kind.value,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "format": fmt,
            "withheld": table.withheld,
        }
        for ref in table.subjects:
            uow.audit(
                actor.slack_id,
                AuditAction.DISCLOSURE,
                f"export.{kind.value}",
                subject_ref=ref,
                recipient=recipient,
                purpose="governance export",
                detail=detail,
            )
        uow.audit(
            actor.slack_id,
            AuditAction.DISCLOSURE,
            "export.written",
            entity="export",
            recipient=recipient,
            purpose="governance export",
            detail={**detail, "rows": len(table.rows), "subjects": len(table.subjects)},
        )
        try:
            uow.commit()
        except Exception:
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, out)
    return ExportResult(out, len(table.rows), len(table.subjects), table.withheld)


def _about(
    uow: UnitOfWork, actor: Actor, table: Table, start: date, end: date
) -> list[tuple[str, Any]]:
    now = uow.clock.now().astimezone(ZoneInfo(uow.config.timezone)).replace(tzinfo=None)
    return [
        ("Protective marking", MARKING),
        ("Export", table.kind.value),
        ("Force", uow.config.force),
        ("Period from", start),
        ("Period to", end),
        (f"Produced {LONDON_TIME}", now.replace(microsecond=0)),
        ("Produced by", f"{actor.name} ({actor.slack_id})"),
        ("Rows", len(table.rows)),
        ("Subjects named", len(table.subjects)),
        ("Sensitive columns withheld", ", ".join(table.withheld) or "none"),
        ("Note", "Every export is recorded in the audit log as a disclosure of each subject."),
    ]


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")  # ISO: every spreadsheet reads it as a date
    if isinstance(value, date):
        return value.isoformat()
    return neutralise_cell(value)  # text a spreadsheet would evaluate gets a leading '


def write_csv(table: Table, path: Path) -> None:
    # utf-8-sig: Excel opens the file as UTF-8 (names, the £ sign) rather than guessing.
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in table.columns])
        writer.writerows([[_csv_value(v) for v in row] for row in table.rows])


def write_xlsx(table: Table, path: Path, about: list[tuple[str, Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.kind.value.title()
    sheet.append([c.header for c in table.columns])
    for row in table.rows:
        sheet.append(row)
    widths = [len(c.header) + 2 for c in table.columns]
    for cells in sheet.iter_rows(min_row=2):
        for i, cell in enumerate(cells):
            _as_text(cell)
            if isinstance(cell.value, datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
            elif isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
            widths[i] = max(widths[i], min(60, len(str(cell.value or ""))))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(10, min(width, 60))
    sheet.freeze_panes = "A2"
    if table.rows:
        sheet.auto_filter.ref = sheet.dimensions
    info = book.create_sheet("About")
    for label, value in about:
        info.append([label, value])
        _as_text(info.cell(info.max_row, 2))
        if isinstance(value, datetime):
            info.cell(info.max_row, 2).number_format = "DD/MM/YYYY HH:MM"
        elif isinstance(value, date):
            info.cell(info.max_row, 2).number_format = "DD/MM/YYYY"
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 70
    book.save(path)


def _as_text(cell: Any) -> None:
    """Formula-leading text (planted in a report, say) is written as text, never a formula:
    the value is kept as typed and marked with Excel's quote prefix, so editing the cell
    does not turn it into one either."""
    if isinstance(cell.value, str) and is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
