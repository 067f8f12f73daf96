"""The register template: a header row, one example row, and a notes sheet on every column."""

from __future__ import annotations

import csv
from pathlib import Path

from lom_bot.domain.errors import InvalidInput
from lom_bot.services.importer.columns import COLUMNS, FULL_NAME

NOTES_TITLE = "Notes"
INTRO = (
    "One row per subject. Headers are matched by name, so your own column names work if they "
    "are listed under 'Also recognised as'; columns in any order; extra columns are ignored. "
    "Run `lom-bot import register FILE --dry-run` first: it lists every problem by row and "
    "column and writes nothing."
)


def write_template(path: Path) -> Path:
    """Write the template as .xlsx (with notes) or .csv (header and example only)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow([c.header for c in COLUMNS])
            writer.writerow([c.example for c in COLUMNS])
        return path
    if suffix != ".xlsx":
        raise InvalidInput(f"{path.name}: the template is written as .xlsx or .csv.", field="file")
    _write_xlsx(path)
    return path


def _write_xlsx(path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from lom_bot.services.importer.values import parse_cell_date

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Register"
    sheet.append([c.header for c in COLUMNS])
    example: list[object] = []
    for column in COLUMNS:
        if column.key.endswith("_on"):
            example.append(parse_cell_date(column.example, datetime(2026, 1, 1).date()))
        else:
            example.append(column.example)
    sheet.append(example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        if not isinstance(cell.value, str):
            cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    for i, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(14, len(column.header) + 4)
    notes = book.create_sheet(NOTES_TITLE)
    notes.append([INTRO])
    notes.append([])
    notes.append(["Column", "Required", "What to put", "Example", "Also recognised as"])
    for cell in notes[3]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        also = list(column.synonyms)
        if column.key in ("given_names", "family_name"):
            also.append("or one 'Name' column: 'Darren Fictional' or 'FICTIONAL, Darren'")
        notes.append(
            [
                column.header,
                "yes" if column.required else "",
                column.help,
                column.example,
                ", ".join(also),
            ]
        )
    notes.append(
        [
            "Name",
            "",
            "Instead of Given names and Family name.",
            "FICTIONAL, Darren",
            ", ".join(FULL_NAME),
        ]
    )
    for letter, width in zip("ABCDE", (24, 10, 70, 30, 60), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(path)
