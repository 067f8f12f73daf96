"""Reading a register (xlsx or csv) into a header and numbered rows, whatever its layout."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lom_bot.domain.errors import InvalidInput
from lom_bot.services.importer.columns import Mapping, looks_like_header, map_headers

HEADER_SEARCH_ROWS = 10  # title rows above the header are common in team spreadsheets


@dataclass(frozen=True)
class Table:
    """The mapped header and every non-blank data row, with its row number in the file."""

    mapping: Mapping
    rows: list[tuple[int, list[Any]]]
    blank_rows: int
    sheet: str | None


def read_table(path: Path) -> Table:
    """Read the file; refuse clearly if it is not a register we can map."""
    if not path.exists():
        raise InvalidInput(f"There is no file {path}.", field="file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    raise InvalidInput(
        f"{path.name}: expected an .xlsx or .csv file (save .xls files as .xlsx first).",
        field="file",
    )


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        # Read-only streams rows (several times faster on big registers). Merged header cells
        # then read as the first cell's value followed by blanks, which _table fills in, as
        # it does for a CSV saved from a sheet with merged cells.
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InvalidInput(f"{path.name} cannot be read as a spreadsheet ({exc}).") from None
    try:
        for sheet in book.worksheets:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # some writers record a wrong sheet size
            grid = [list(row) for row in sheet.iter_rows(values_only=True)]
            table = _table(grid, sheet.title)
            if table is not None:
                return table
    finally:
        book.close()
    raise _no_header(path)


def _read_csv(path: Path) -> Table:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # a CSV saved by Excel on Windows
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    grid: list[list[Any]] = [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    table = _table(grid, None)
    if table is None:
        raise _no_header(path)
    return table


def _table(grid: list[list[Any]], sheet: str | None) -> Table | None:
    scores = [looks_like_header(row) for row in grid[:HEADER_SEARCH_ROWS]]
    if not scores or max(scores) < 2:
        return None
    at = scores.index(max(scores))
    width = max((len(row) for row in grid), default=0)
    header = _pad(grid[at], width)
    group = _pad(grid[at - 1], width) if at > 0 else [None] * width
    for i in range(1, width):  # a merged group title keeps only its first cell's value
        if _blank(group[i]) and not _blank(group[i - 1]):
            group[i] = group[i - 1]
    mapping = map_headers([(_text(g), _text(h)) for g, h in zip(group, header, strict=True)])
    rows: list[tuple[int, list[Any]]] = []
    blank = pending = 0
    for number, row in enumerate(grid[at + 1 :], start=at + 2):
        if all(_blank(cell) for cell in row):
            pending += 1  # counted only when data follows: trailing empty rows are not news
            continue
        blank, pending = blank + pending, 0
        rows.append((number, _pad(row, width)))
    return Table(mapping, rows, blank, sheet)


def _pad(row: list[Any], width: int) -> list[Any]:
    return list(row) + [None] * (width - len(row))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    return "" if value is None else str(value).replace("\n", " ").strip()


def _no_header(path: Path) -> InvalidInput:
    return InvalidInput(
        f"{path.name}: no header row found in the first {HEADER_SEARCH_ROWS} rows. The header "
        "needs at least two known column names such as 'Family name' and 'Date of birth' "
        "(`lom-bot import template` writes one).",
        field="header",
    )
