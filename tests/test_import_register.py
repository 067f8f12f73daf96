"""Importing a team's register: messy files, the report, duplicates, dry runs and re-runs."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from lom_bot.cli import importer as importer_cli
from lom_bot.domain.enums import OrderStatus
from lom_bot.domain.errors import NotAuthorised
from lom_bot.runtime import Runtime
from lom_bot.services.importer import ImportReport, import_register, write_template
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import AuditEntry, Condition, Order, OrderEvent, Subject
from tests.conftest import both_databases

SUBJECT = ["Surname", "Forename(s)", "D.O.B.", "PNC No.", "Area", "Risk", "Custody"]
ORDER = ["Made", "Start", "Expiry", "Status", "Conditions"]
EPOCH = date(1899, 12, 30)


def serial(day: date) -> int:
    return (day - EPOCH).days


# Row numbers below are the file's: a title row, a two-row header, so data starts on row 4.
MESSY: list[list[Any]] = [
    [
        "FICTIONAL",
        "Darren",
        datetime(1984, 3, 29),
        "04/0123456K",
        "Leeds",
        "High",
        "Community",
        date(2023, 5, 2),
        date(2023, 6, 10),
        "09/06/2028",
        "Active",
        "1. Not to possess more than one mobile phone\n2. Not to travel abroad",
    ],  # row 4
    [
        "Madeup",
        "Kayleigh",
        "30-07-90",
        "09/0234567M",
        "bradford",
        "M",
        "Custody",
        "15 Jan 2026",
        None,
        None,
        "Awaiting release",
        "Not to associate with named persons",
    ],  # 5
    [],  # row 6: blank
    [
        "Notreal",
        "Wayne",
        "1979-11-30",
        "98/0345678P",
        "Huddersfield",
        "High",
        "Community",
        None,
        None,
        None,
        "Proposed",
        None,
    ],  # row 7: unknown district
    [
        "Pretend",
        "Shaun",
        serial(date(1988, 1, 29)),
        "07/0456789R",
        "Kirklees",
        "High",
        "Community",
        "01/03/2024",
        "01/03/2024",
        "01/03/2030",
        "Active",
        None,
    ],  # 8: too long
    [
        "Nobody",
        "Jordan",
        "14/05/2010",
        None,
        "Bradford",
        "Medium",
        "Community",
        None,
        None,
        None,
        "Proposed",
        None,
    ],  # row 9: 16 years old
    [
        "Fictional",
        "Darren",
        "29/03/1984",
        "04/0123456K",
        "Leeds",
        "High",
        "Community",
        None,
        None,
        None,
        None,
        None,
    ],  # row 10: the same person as row 4
    [
        "UNREAL",
        "Dean",
        "16/06/1975",
        "95/0100185F",
        "Leeds",
        "High",
        "Community",
        None,
        None,
        None,
        None,
        None,
    ],  # row 11: demo subject LOM-0005, already held
    [
        "Example",
        "Kayleigh",
        "31/02/1985",
        "05/0767778Q",
        "Leeds",
        "Low",
        "Community",
        None,
        None,
        None,
        None,
        None,
    ],  # row 12: impossible date
]


def messy_xlsx(path: Path, rows: list[list[Any]] = MESSY) -> Path:
    """A title row, then 'Subject' and 'Order' merged across a two-row header."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["LOM SCPO register (fictional)"])
    sheet.append(["Subject"] + [None] * (len(SUBJECT) - 1) + ["Order"] + [None] * 4)
    sheet.append(SUBJECT + ORDER)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(SUBJECT))
    sheet.merge_cells(
        start_row=2, start_column=len(SUBJECT) + 1, end_row=2, end_column=len(SUBJECT) + len(ORDER)
    )
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


CLEAN = [row for row in MESSY[:2]]


def count(rt: Runtime, table: Any) -> int:
    with rt.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(table)) or 0)


def run(rt: Runtime, actor: Actor, path: Path, **kwargs: Any) -> ImportReport:
    return import_register(rt.uow(), actor, path, **kwargs)


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    return messy_xlsx(tmp_path / "register.xlsx")


def test_a_file_with_errors_imports_nothing_and_names_each_row_column_and_reason(
    demo: Runtime, supervisor: Actor, messy: Path
) -> None:
    before = (count(demo, Subject), count(demo, Order), count(demo, AuditEntry))
    report = run(demo, supervisor, messy)
    assert not report.written
    assert (count(demo, Subject), count(demo, Order), count(demo, AuditEntry)) == before
    assert report.rows_read == 8 and report.blank_rows == 1
    found = {(p.row, p.column) for p in report.problems}
    assert found == {
        (7, "Area"),
        (8, "Order Expiry"),
        (9, "D.O.B."),
        (10, "PNC No."),
        (12, "D.O.B."),
    }
    reasons = {p.row: p.reason for p in report.problems}
    assert "Bradford, Calderdale, Kirklees, Leeds, Wakefield" in reasons[7]
    assert "at most 5 years" in reasons[8] and "28/02/2029" in reasons[8]
    assert "18 or over" in reasons[9]
    assert "same person as row 4" in reasons[10]
    assert "not a real date" in reasons[12]
    assert [(s.row, s.ref) for s in report.present] == [(11, "LOM-0005")]
    assert [i.row for i in report.imported] == [4, 5]
    text = report.render()
    assert "Nothing imported: 5 rows have errors" in text and "--skip-invalid" in text


def test_skip_invalid_imports_the_valid_rows_only_each_audited_with_the_file_name(
    demo: Runtime, supervisor: Actor, messy: Path
) -> None:
    report = run(demo, supervisor, messy, skip_invalid=True)
    assert report.written and [i.ref for i in report.imported] == ["LOM-0041", "LOM-0042"]
    with demo.uow() as uow:
        s = uow.session
        darren = s.scalars(select(Subject).where(Subject.ref == "LOM-0041")).one()
        assert (darren.given_names, darren.family_name) == ("Darren", "Fictional")
        assert darren.born_on == date(1984, 3, 29) and darren.pnc_id == "04/0123456K"
        orders = {o.subject_id: o for o in s.scalars(select(Order).where(Order.id > 40))}
        active = orders[darren.id]
        assert active.status is OrderStatus.ACTIVE
        assert (active.activated_on, active.expires_on) == (date(2023, 6, 10), date(2028, 6, 9))
        wording = s.scalars(select(Condition.wording).where(Condition.order_id == active.id))
        assert list(wording) == [
            "Not to possess more than one mobile phone",
            "Not to travel abroad",
        ]
        kayleigh = s.scalars(select(Subject).where(Subject.ref == "LOM-0042")).one()
        assert kayleigh.district == "Bradford"
        assert orders[kayleigh.id].status is OrderStatus.AWAITING_ACTIVATION
        events = s.scalars(select(OrderEvent).where(OrderEvent.kind == "imported")).all()
        assert len(events) == 2 and "register.xlsx, row 4" in (events[0].note or "")
        audit = s.scalars(select(AuditEntry).where(AuditEntry.what == "subject.imported")).all()
        assert {(a.subject_ref, a.action, a.actor) for a in audit} == {
            ("LOM-0041", "collection", "U0SUPER"),
            ("LOM-0042", "collection", "U0SUPER"),
        }
        assert all(a.detail and a.detail["file"] == "register.xlsx" for a in audit)
        assert {a.detail["row"] for a in audit if a.detail} == {4, 5}


def test_a_dry_run_writes_nothing_even_for_a_clean_file(
    runtime: Runtime, supervisor: Actor, tmp_path: Path
) -> None:
    path = messy_xlsx(tmp_path / "clean.xlsx", CLEAN)
    before = (count(runtime, Subject), count(runtime, AuditEntry))
    report = run(runtime, supervisor, path, dry_run=True)
    assert not report.problems and len(report.imported) == 2 and report.orders == 2
    assert (count(runtime, Subject), count(runtime, AuditEntry)) == before
    assert "Dry run: nothing was written" in report.render()


@both_databases
def test_running_the_same_file_again_creates_no_duplicates(
    runtime: Runtime, supervisor: Actor, tmp_path: Path
) -> None:
    path = messy_xlsx(tmp_path / "clean.xlsx", CLEAN)
    assert len(run(runtime, supervisor, path).imported) == 2
    again = run(runtime, supervisor, path)
    assert again.imported == [] and not again.problems
    assert [(s.row, s.ref, s.why) for s in again.present] == [
        (4, "LOM-0001", "same PNC ID"),
        (5, "LOM-0002", "same PNC ID"),
    ]
    assert count(runtime, Subject) == 2 and count(runtime, Order) == 2
    assert "Already present (not imported again): 2" in again.render()


def test_a_person_held_without_a_pnc_is_matched_on_name_and_date_of_birth(
    runtime: Runtime, supervisor: Actor, tmp_path: Path
) -> None:
    row = ["Example", "Dean", "30/10/1986", None, "Leeds", "Medium", "Community"]
    path = messy_xlsx(tmp_path / "a.xlsx", [row + [None] * 5])
    run(runtime, supervisor, path)
    again = run(runtime, supervisor, messy_xlsx(tmp_path / "b.xlsx", [row + [None] * 5]))
    assert [s.why for s in again.present] == ["same name and date of birth"]
    assert count(runtime, Subject) == 1


def test_a_similar_name_with_the_same_birth_date_is_held_back_as_a_possible_duplicate(
    demo: Runtime, supervisor: Actor, tmp_path: Path
) -> None:
    # The demo holds LOM-0003 Shaun Madeup, born 10/04/1973.
    row = ["Madeup", "Shaune", "10/04/1973", None, "Leeds", "Medium", "Community"] + [None] * 5
    path = messy_xlsx(tmp_path / "possible.xlsx", [row])
    report = run(demo, supervisor, path)
    assert [(s.ref, s.why) for s in report.possible] == [
        ("LOM-0003", "similar name, same date of birth")
    ]
    assert report.imported == [] and count(demo, Subject) == 40
    forced = run(demo, supervisor, path, include_possible_duplicates=True)
    assert [i.name for i in forced.imported] == ["Shaune Madeup"]


def test_a_pnc_id_already_held_by_someone_else_is_a_rejection(
    demo: Runtime, supervisor: Actor, tmp_path: Path
) -> None:
    row = ["Other", "Person", "01/01/1990", "95/0100185F", "Leeds", "Low", "Community"]
    report = run(demo, supervisor, messy_xlsx(tmp_path / "c.xlsx", [row + [None] * 5]))
    assert [p.reason.split(":")[0] for p in report.problems] == [
        "PNC ID 95/0100185F already belongs to LOM-0005 Dean Unreal, born 16/06/1975"
    ]


def test_a_csv_with_one_name_column_and_semicolons_imports(
    runtime: Runtime, supervisor: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "register.csv"
    with path.open("w", newline="", encoding="cp1252") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Name", "DOB", "NPT", "Risk rating", "In custody", "Address"])
        writer.writerow(
            [
                "FICTIONAL, Darren",
                "29/03/1984",
                "Leeds",
                "VH",
                "in prison",
                "1 Fictional Road, £-street",
            ]
        )
        writer.writerow(["Kayleigh Madeup", "1990-07-30", "Wakefield", "low", "released", ""])
    report = run(runtime, supervisor, path)
    assert [i.name for i in report.imported] == ["Darren Fictional", "Kayleigh Madeup"]
    with runtime.uow() as uow:
        darren = uow.session.scalars(select(Subject).where(Subject.ref == "LOM-0001")).one()
        assert darren.address == "1 Fictional Road, £-street"


def test_an_officer_may_not_import_but_an_admin_may(
    runtime: Runtime, officer: Actor, admin: Actor, tmp_path: Path
) -> None:
    path = messy_xlsx(tmp_path / "clean.xlsx", CLEAN)
    with pytest.raises(NotAuthorised):
        run(runtime, officer, path)
    assert len(run(runtime, admin, path).imported) == 2


def test_a_file_that_is_not_a_register_is_refused_in_one_sentence(
    runtime: Runtime, supervisor: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "shopping.csv"
    path.write_text("Item,Price\nMilk,1.20\n")
    with pytest.raises(Exception, match="no header row found"):
        run(runtime, supervisor, path)


def test_the_template_example_row_imports_cleanly(
    runtime: Runtime, supervisor: Actor, tmp_path: Path
) -> None:
    path = write_template(tmp_path / "template.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Register", "Notes"]
    report = run(runtime, supervisor, path, dry_run=True)
    assert not report.problems and not report.ignored_columns
    assert len(report.imported) == 1 and report.orders == 1
    csv_path = write_template(tmp_path / "template.csv")
    assert not run(runtime, supervisor, csv_path, dry_run=True).problems


def test_a_five_thousand_row_file_imports(
    runtime: Runtime, supervisor: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "big.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            "Family name",
            "Given names",
            "Date of birth",
            "PNC ID",
            "District",
            "Risk level",
            "Custody status",
            "Order start",
            "Order made",
            "Order expiry",
            "Conditions",
        ]
    )
    districts = ["Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"]
    for n in range(5000):
        start = date(2023, 1, 1) + timedelta(days=n % 900)
        sheet.append(
            [
                f"Fictional{n}",
                "Test",
                date(1960, 1, 1) + timedelta(days=n * 3),
                f"{n % 90 + 10:02d}/{n:07d}{'ABCDEFGHJK'[n % 10]}",
                districts[n % 5],
                "high",
                "in community",
                start,
                start,
                start + timedelta(days=1000),
                "Not to possess more than one phone; Not to travel abroad",
            ]
        )
    book.save(path)
    report = run(runtime, supervisor, path)
    print(f"\n5,000-row import: {report.seconds:.1f} s")  # measured, never asserted
    assert len(report.imported) == 5000 and report.orders == 5000 and not report.problems
    assert count(runtime, Subject) == 5000 and count(runtime, Condition) == 10000
    assert report.imported[-1].ref == "LOM-5000"


def test_the_command_line_prints_the_report_and_fails_when_rows_are_rejected(
    demo: Runtime, messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = click.Group()  # not lom-bot's own group: it binds a log context for the process
    importer_cli.register(cli)

    monkeypatch.setenv("DATABASE_URL", str(demo.engine.url))
    monkeypatch.setenv("LOM_CONFIG", str(Path(__file__).resolve().parents[1] / "app.yaml"))
    result = CliRunner().invoke(cli, ["import", "register", str(messy), "--dry-run"])
    assert result.exit_code == 1
    assert "Rejected: 5 rows" in result.output
    assert "row 7, Area 'Huddersfield'" in result.output
    ok = CliRunner().invoke(
        cli, ["import", "register", str(messy), "--skip-invalid", "--as", "U0ADMIN"]
    )
    assert ok.exit_code == 0 and "Imported: 2 subjects, 2 orders" in ok.output
    refused = CliRunner().invoke(cli, ["import", "register", str(messy), "--as", "U0OFF1"])
    assert refused.exit_code != 0 and "may not import" in refused.output


def test_the_lom_officer_column_assigns_by_slack_id_or_name_and_warns_on_strangers(
    runtime: Runtime, admin: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "officers.csv"
    path.write_text(
        "Name,DOB,District,Risk,Custody,OIC\n"
        "Darren Fictional,29/03/1984,Leeds,high,community,U0OFF2\n"
        "Kayleigh Madeup,30/07/1990,Leeds,high,community,dc olu officer\n"
        "Wayne Notreal,30/11/1979,Leeds,high,community,DC Nobody\n"
    )
    report = run(runtime, admin, path)
    assert report.warnings == [
        "row 4: LOM officer 'DC Nobody' is not a lom-bot user; the subject goes to the "
        "importing officer (unassigned if an admin imports)"
    ]
    with runtime.uow() as uow:
        from lom_bot.store.tables import User

        names = dict(uow.session.execute(select(User.id, User.name)).all())
        held = {
            s.family_name: names.get(s.officer_id) if s.officer_id else None
            for s in uow.session.scalars(select(Subject))
        }
    assert held == {"Fictional": "DC Priya Patel", "Madeup": "DC Olu Officer", "Notreal": None}
