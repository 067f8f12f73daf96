"""Governance exports: the columns, what officers may not take out, and the disclosure audit."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select

from lom_bot.cli import export as export_cli
from lom_bot.domain.enums import BreachStatus
from lom_bot.domain.errors import InvalidInput, NotAuthorised
from lom_bot.runtime import Runtime
from lom_bot.services.exporter import ExportKind, export
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import AuditEntry, BreachReport, Contact, Subject
from tests.conftest import both_databases

START, END = date(2026, 9, 1), date(2026, 11, 24)
SENSITIVE = {
    ExportKind.CASELOAD: ["Address"],
    ExportKind.CONTACTS: ["Location", "Absence reason", "Notes"],
    ExportKind.BREACHES: ["Report text", "Seen where", "Rationale"],
    ExportKind.ORDERS: ["Grounds", "Decision note"],
    ExportKind.SENTENCING: [],  # references, courts and sentences: no sensitive detail
}


def sheet_rows(path: Path) -> list[list[object]]:
    book = load_workbook(path)
    assert book.sheetnames[1] == "About"
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


@pytest.mark.parametrize("kind", list(ExportKind))
def test_a_supervisor_export_opens_in_a_spreadsheet_with_every_column(
    demo: Runtime, supervisor: Actor, tmp_path: Path, kind: ExportKind
) -> None:
    result = export(demo.uow(), supervisor, kind, START, END, tmp_path / f"{kind}.xlsx")
    rows = sheet_rows(result.path)
    header = rows[0]
    assert all(h in header for h in SENSITIVE[kind]) and result.withheld == []
    assert len(rows) - 1 == result.rows > 0
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.parametrize("kind", list(ExportKind))
def test_an_officer_gets_the_same_export_without_the_sensitive_columns(
    demo: Runtime, officer: Actor, tmp_path: Path, kind: ExportKind
) -> None:
    result = export(demo.uow(), officer, kind, START, END, tmp_path / f"{kind}.csv")
    with result.path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        header = reader.fieldnames or []
    assert result.withheld == SENSITIVE[kind]
    assert not set(SENSITIVE[kind]) & set(header)
    assert len(rows) == result.rows


def test_contacts_carry_dates_as_dates_and_only_those_in_the_period(
    demo: Runtime, supervisor: Actor, tmp_path: Path
) -> None:
    result = export(demo.uow(), supervisor, ExportKind.CONTACTS, START, END, tmp_path / "c.xlsx")
    rows = sheet_rows(result.path)
    header = rows[0]
    dates = [r[header.index("Date")] for r in rows[1:]]
    assert all(isinstance(d, datetime) and START <= d.date() <= END for d in dates)
    with demo.uow() as uow:
        expected = uow.session.scalars(
            select(Contact.id).where(Contact.occurred_on.between(START, END))
        ).all()
    assert len(dates) == len(expected)
    csv_result = export(demo.uow(), supervisor, ExportKind.CONTACTS, START, END, tmp_path / "c.csv")
    with csv_result.path.open(newline="", encoding="utf-8-sig") as handle:
        first = next(csv.DictReader(handle))
    assert date.fromisoformat(first["Date"]) >= START


@both_databases
def test_breach_times_are_shown_in_london_time_and_filtered_by_the_london_day(
    demo: Runtime, supervisor: Actor, tmp_path: Path
) -> None:
    with demo.uow() as uow:
        subject = uow.session.scalars(select(Subject).where(Subject.ref == "LOM-0001")).one()
        uow.session.add(
            BreachReport(
                ref="BR-SUMMER",
                subject_id=subject.id,
                status=BreachStatus.NEW,
                source="command",
                reporter_slack_id="U0LEEDS",
                text="Seen at the car wash (test).",
                received_at=datetime(2026, 7, 1, 23, 30, tzinfo=UTC),  # 00:30 on 2 July in BST
            )
        )
        uow.commit()
    july_2 = date(2026, 7, 2)
    result = export(
        demo.uow(), supervisor, ExportKind.BREACHES, july_2, july_2, tmp_path / "b.xlsx"
    )
    rows = sheet_rows(result.path)
    record = dict(zip(rows[0], rows[1], strict=True))
    assert result.rows == 1 and record["Breach ref"] == "BR-SUMMER"
    assert record["Received (London time)"] == datetime(2026, 7, 2, 0, 30)
    assert record["Reported by"] == "PC Dee Leeds"
    july_1 = date(2026, 7, 1)
    assert (
        export(
            demo.uow(), supervisor, ExportKind.BREACHES, july_1, july_1, tmp_path / "b1.csv"
        ).rows
        == 0
    )


def test_every_export_is_audited_as_a_disclosure_of_each_subject_to_the_file(
    demo: Runtime, officer: Actor, tmp_path: Path
) -> None:
    result = export(
        demo.uow(), officer, ExportKind.CASELOAD, START, END, tmp_path / "caseload.xlsx"
    )
    with demo.uow() as uow:
        entries = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.recipient == "export:caseload.xlsx")
        ).all()
    per_subject = [e for e in entries if e.what == "export.caseload"]
    assert {e.action for e in entries} == {"disclosure"} and {e.actor for e in entries} == {
        "U0OFF1"
    }
    assert len(per_subject) == result.subjects == 40
    assert {e.subject_ref for e in per_subject} >= {"LOM-0001", "LOM-0040"}
    summary = next(e for e in entries if e.what == "export.written")
    assert summary.detail and summary.detail["withheld"] == ["Address"]


def test_orders_outside_the_period_are_left_out(
    demo: Runtime, supervisor: Actor, tmp_path: Path
) -> None:
    result = export(
        demo.uow(),
        supervisor,
        ExportKind.ORDERS,
        date(2010, 1, 1),
        date(2010, 12, 31),
        tmp_path / "o.csv",
    )
    assert result.rows == 0 and result.subjects == 0


def test_a_district_officer_may_not_export_and_nothing_is_written(
    demo: Runtime, leeds_officer: Actor, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(NotAuthorised):
        export(demo.uow(), leeds_officer, ExportKind.CASELOAD, START, END, out / "x.csv")
    assert list(out.iterdir()) == []


def test_a_period_ending_before_it_starts_or_an_odd_format_is_refused(
    demo: Runtime, supervisor: Actor, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match="ends before it starts"):
        export(demo.uow(), supervisor, ExportKind.CONTACTS, END, START, tmp_path / "x.csv")
    with pytest.raises(InvalidInput, match=r"\.csv or \.xlsx"):
        export(demo.uow(), supervisor, ExportKind.CONTACTS, START, END, tmp_path / "x.pdf")


def test_the_export_command_writes_the_file_and_names_what_was_withheld(
    demo: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = click.Group()  # not lom-bot's own group: it binds a log context for the process
    export_cli.register(cli)

    monkeypatch.setenv("DATABASE_URL", str(demo.engine.url))
    monkeypatch.setenv("LOM_CONFIG", str(Path(__file__).resolve().parents[1] / "app.yaml"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "breaches",
            "--from",
            "01/09/2026",
            "--to",
            "24/11/2026",
            "--format",
            "csv",
            "--as",
            "U0OFF1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Withheld (supervisors only): Report text, Seen where, Rationale." in result.output
    assert (tmp_path / "lom-breaches-2026-09-01-to-2026-11-24.csv").exists()
    bad = CliRunner().invoke(cli, ["export", "orders", "--from", "31/02/2026", "--to", "today"])
    assert bad.exit_code != 0 and "not a real date" in bad.output
