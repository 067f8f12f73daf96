"""Write examples/register.xlsx and examples/register.csv: a plausible, plainly fictional team
register with deliberate errors, for trying `lom-bot import register`.

Run: .venv/bin/python examples/make_register.py   (rewrites both files in place)

Deliberate problems (the import report should name each by row and column):
  * an impossible date of birth (31/02/1985)
  * an unknown district (Huddersfield: a town, not one of the configured districts)
  * a duplicated row (the same person twice)
  * an order longer than five years
  * a bad PNC ID (no check letter)
  * a 16-year-old
and, against the demo database (`lom-bot demo seed`), one person already held (same PNC ID as
demo subject LOM-0005) and one possible duplicate (a similar name with the same date of birth as
LOM-0003). Also: a title row, a two-row header with merged group cells, team-style header names,
dates in several formats (date cells, 25/11/2026, 25-11-26, 2026-11-25, 25 Nov 2026, Excel serial
numbers), blank rows, and a Notes column the template does not have (reported, not imported).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
EXCEL_EPOCH = date(1899, 12, 30)

SUBJECT = ["Surname", "Forename(s)", "DOB", "PNC No.", "District", "Risk", "Custody", "AKA"]
ORDER = ["Court", "Made", "Start", "Expiry", "Status", "Conditions", "Ref"]
OTHER = ["OIC", "Notes"]

PHONE = "Not to possess more than one mobile phone; notify any new device within 3 days"
CASH = "Not to possess cash over £1,000; produce bank statements monthly by the 5th"
TRAVEL = "Not to travel outside England and Wales without 7 days' notice"
VEHICLE = "Not to drive any vehicle not registered in his name and notified to police"
ASSOC = "Not to associate with persons named in Schedule 1"

# surname, forenames, dob, pnc, district, risk, custody, aka, court, made, start, expiry,
# status, conditions, ref, oic, notes.  Dates are ISO here; the writer varies their format.
# fmt: off
ROWS: list[tuple[str, ...]] = [
    ("FICTIONAL", "Darren", "1984-03-29", "04/0123456K", "Leeds", "High", "Community", "Daz",
     "Leeds Crown Court", "2023-05-02", "2023-06-10", "2028-06-09", "Active", PHONE,
     "SCPO/2023/011", "U0OFF1", "Lives with partner"),
    ("MADEUP", "Kayleigh", "1990-07-30", "09/0234567M", "Bradford", "Medium", "Community", "",
     "Bradford Crown Court", "2024-01-15", "2024-01-15", "2027-01-14", "Active", CASH,
     "SCPO/2024/002", "DC Olu Officer", ""),
    ("NOTREAL", "Wayne", "1979-11-30", "98/0345678P", "Wakefield", "Very high", "Custody",
     "Big W", "Leeds Crown Court", "2025-09-19", "", "", "Awaiting release", f"{PHONE}; {ASSOC}",
     "SCPO/2025/031", "U0OFF2", "CRD early 2027"),
    ("PRETEND", "Shaun", "1988-01-29", "07/0456789R", "Kirklees", "High", "Community", "",
     "Leeds Crown Court", "2022-02-01", "2022-03-01", "2027-02-28", "Active",
     f"{VEHICLE}; {TRAVEL}", "SCPO/2022/007", "U0OFF1", ""),
    ("IMAGINARY", "Leanne", "1993-05-29", "12/0567890T", "Calderdale", "Low", "Community", "",
     "Bradford Crown Court", "2023-09-12", "2023-09-12", "2026-09-11", "Expired", CASH,
     "SCPO/2023/019", "U0OFF2", "Closure checklist pending"),
    ("EXAMPLE", "Dean", "1986-10-30", "05/0678901V", "Leeds", "Medium", "Community", "",
     "High Court", "2024-06-20", "2024-07-01", "2029-06-30", "Active", ASSOC, "SCPO/2024/015",
     "U0OFF1", ""),
    ("SAMPLE", "Jordan", "1995-08-29", "14/0789012W", "Bradford", "High", "Custody", "Jordy",
     "Bradford Crown Court", "2026-03-03", "", "", "Awaiting release", PHONE, "SCPO/2026/004",
     "U0OFF2", ""),
    ("INVENTED", "Tyler", "1982-12-30", "01/0890123X", "Wakefield", "Medium", "Community", "",
     "", "", "", "", "Proposed", "", "", "U0OFF1", "Application being drafted"),
    ("STORYBOOK", "Kelly", "1989-04-29", "08/0901234Y", "Kirklees", "Low", "Community", "",
     "Leeds Crown Court", "2025-02-14", "2025-02-14", "2028-02-13", "Active", TRAVEL,
     "SCPO/2025/006", "U0OFF2", ""),
    ("PLACEHOLDER", "Craig", "1977-06-30", "96/0112233Z", "Leeds", "Very high", "Community", "",
     "Leeds Crown Court", "2023-11-20", "2023-12-04", "2028-12-03", "Active",
     f"{PHONE}; {CASH}; {ASSOC}", "SCPO/2023/027", "U0OFF1", "Lead for the Leeds OCG"),
    ("MAKEBELIEVE", "Mark", "1985-09-29", "06/0223344A", "Calderdale", "High", "Recalled", "",
     "Bradford Crown Court", "2024-04-08", "2024-05-01", "2029-04-30", "Active", VEHICLE,
     "SCPO/2024/009", "U0OFF2", "Recalled 10/2026"),
    ("DUMMY", "Gemma", "1991-02-28", "10/0334455B", "Bradford", "Medium", "Community", "",
     "Bradford Crown Court", "2025-07-07", "2025-07-07", "2030-07-06", "Active", CASH,
     "SCPO/2025/018", "U0OFF1", ""),
    ("TESTCASE", "Lee", "1980-08-30", "99/0445566C", "Wakefield", "Low", "Community", "",
     "Leeds Crown Court", "2022-10-03", "2022-10-03", "2027-10-02", "Active", TRAVEL,
     "SCPO/2022/021", "U0OFF2", ""),
    ("FAKENAME", "Ryan", "1997-03-29", "16/0556677D", "Leeds", "High", "Custody", "",
     "Leeds Crown Court", "2026-07-22", "", "", "Awaiting release", f"{PHONE}; {VEHICLE}",
     "SCPO/2026/012", "U0OFF1", ""),
    ("NOBODY", "Zara", "1992-12-29", "11/0667788E", "Kirklees", "Medium", "Community", "",
     "High Court", "2024-09-30", "2024-10-01", "2029-09-30", "Active", CASH, "SCPO/2024/022",
     "U0OFF2", ""),
    ("UNREAL", "Imran", "1983-07-30", "03/0778899F", "Bradford", "High", "Community", "Immy",
     "Bradford Crown Court", "2023-03-13", "2023-04-01", "2028-03-31", "Active",
     f"{PHONE}; {ASSOC}", "SCPO/2023/005", "U0OFF1", ""),
    ("INVENTIVE", "Callum", "1994-10-29", "13/0889900G", "Calderdale", "Low", "Community", "",
     "", "", "", "", "Proposed", "", "", "U0OFF2", ""),
    ("FABLE", "Stacey", "1987-05-30", "06/0990011H", "Wakefield", "Medium", "Community", "",
     "Leeds Crown Court", "2025-11-03", "2025-11-03", "2028-11-02", "Active", CASH,
     "SCPO/2025/029", "U0OFF1", ""),
    ("LEGEND", "Nathan", "1981-01-29", "00/0101112J", "Leeds", "Very high", "Community", "",
     "Leeds Crown Court", "2021-12-06", "2022-01-10", "2027-01-09", "Active",
     f"{PHONE}; {CASH}; {TRAVEL}", "SCPO/2021/033", "U0OFF2", "Expiry soon: new application?"),
    ("MYTHICAL", "Aaron", "1996-06-29", "15/0212223K", "Kirklees", "High", "Community", "",
     "Bradford Crown Court", "2025-05-19", "2025-05-19", "2030-05-18", "Active", VEHICLE,
     "SCPO/2025/014", "U0OFF1", ""),
    ("FICTIONAL", "Gemma", "1989-09-30", "08/0323334L", "Bradford", "Low", "Community", "",
     "Bradford Crown Court", "2024-02-26", "2024-02-26", "2027-02-25", "Active", TRAVEL,
     "SCPO/2024/004", "U0OFF2", "Sister of another subject"),
    ("MADEUP", "Callum", "1990-03-29", "09/0434445M", "Wakefield", "Medium", "Custody", "", "",
     "", "", "", "Proposed", "", "", "U0OFF1", ""),
    ("PRETEND", "Leanne", "1985-11-29", "04/0545556N", "Calderdale", "High", "Community", "",
     "High Court", "2026-01-12", "2026-01-12", "2031-01-11", "Active", f"{PHONE}; {ASSOC}",
     "SCPO/2026/001", "U0OFF2", ""),
    ("IMAGINARY", "Wayne", "1978-04-29", "97/0656667P", "Leeds", "Medium", "Community", "",
     "Leeds Crown Court", "2024-11-11", "2024-11-11", "2027-11-10", "Active", CASH,
     "SCPO/2024/030", "U0OFF1", ""),
    # --- deliberate errors from here on (the writer interleaves them with the rows above) ---
    ("EXAMPLE", "Kayleigh", "31/02/1985", "05/0767778Q", "Leeds", "Medium", "Community", "",
     "Leeds Crown Court", "2024-03-04", "2024-03-04", "2027-03-03", "Active", CASH,
     "SCPO/2024/005", "U0OFF1", "impossible date of birth"),
    ("SAMPLE", "Dean", "1983-02-28", "02/0878889R", "Huddersfield", "High", "Community", "",
     "Leeds Crown Court", "2025-06-02", "2025-06-02", "2030-06-01", "Active", PHONE,
     "SCPO/2025/016", "U0OFF2", "unknown district"),
    ("STORYBOOK", "Tyler", "1988-08-29", "07/0989990S", "Kirklees", "High", "Community", "",
     "Leeds Crown Court", "2024-03-01", "2024-03-01", "2030-03-01", "Active", TRAVEL,
     "SCPO/2024/003", "U0OFF1", "order over five years"),
    ("TESTCASE", "Zara", "1994-01-30", "12/34567", "Wakefield", "Low", "Community", "",
     "Bradford Crown Court", "2025-10-06", "2025-10-06", "2028-10-05", "Active", CASH,
     "SCPO/2025/025", "U0OFF2", "bad PNC"),
    ("NOBODY", "Jordan", "2010-05-14", "", "Bradford", "Medium", "Community", "", "", "", "", "",
     "Proposed", "", "", "U0OFF1", "16 years old"),
    # Against the demo database: LOM-0005 Dean Unreal (same PNC ID) and LOM-0003 Shaun Madeup.
    ("UNREAL", "Dean", "1975-06-16", "95/0100185F", "Leeds", "High", "Community", "", "", "", "",
     "", "", "", "", "U0OFF1", "already held (demo LOM-0005)"),
    ("MADEUP", "Shaune", "1973-04-10", "", "Leeds", "Medium", "Community", "", "", "", "", "",
     "", "", "", "U0OFF2", "similar to demo LOM-0003"),
]
# fmt: on
DUPLICATE_OF = 5  # ROWS[5] (Dean Example) appears twice
BLANK_AFTER = (8, 19)  # blank rows in the middle, as real registers have


def ordered() -> list[tuple[str, ...]]:
    """The rows as written: errors spread through the file, a duplicate and blank rows."""
    good, bad = ROWS[:24], ROWS[24:]
    out: list[tuple[str, ...]] = []
    for i, row in enumerate(good):
        out.append(row)
        if i % 4 == 3 and bad:
            out.append(bad.pop(0))
        if i == 15:
            out.append(ROWS[DUPLICATE_OF])
        if i in BLANK_AFTER:
            out.append(())
    return out + bad


def as_cell(value: str, n: int) -> object:
    """Vary how dates are held, as in a register typed by several people over years."""
    if len(value) != 10 or value[4] != "-":
        return value  # not an ISO date: keep the text (e.g. the impossible 31/02/1985)
    day = date.fromisoformat(value)
    style = n % 6
    if style in (0, 1):
        return day  # a proper date cell
    if style == 2:
        return day.strftime("%d/%m/%Y")
    if style == 3:
        return day.strftime("%d-%m-%y")
    if style == 4:
        return day.strftime("%d %b %Y")
    return (day - EXCEL_EPOCH).days  # a date cell that lost its format: a serial number


def as_text(value: str, n: int) -> str:
    cell = as_cell(value, n)
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


DATE_COLUMNS = {2, 9, 10, 11}  # dob, made, start, expiry


def write_xlsx(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "SCPO register"
    sheet.append(["West Yorkshire Police LOM: SCPO subjects (FICTIONAL SAMPLE, not real people)"])
    sheet.append([])
    width_subject, width_order = len(SUBJECT), len(ORDER)
    sheet.append(
        ["Subject"] + [None] * (width_subject - 1) + ["Order"] + [None] * (width_order - 1) + OTHER
    )
    sheet.append(SUBJECT + ORDER + [None, None])
    sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width_subject)
    first_order = width_subject + 1
    sheet.merge_cells(
        start_row=3, start_column=first_order, end_row=3, end_column=first_order + width_order - 1
    )
    for offset in range(len(OTHER)):  # OIC and Notes span both header rows
        column = first_order + width_order + offset
        sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    for row in (3, 4):
        for cell in sheet[row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
    for n, row in enumerate(ordered()):
        if not row:
            sheet.append([])
            continue
        cells = [
            as_cell(value, n + i) if i in DATE_COLUMNS else value for i, value in enumerate(row)
        ]
        sheet.append([c if c != "" else None for c in cells])
        for i in DATE_COLUMNS:
            cell = sheet.cell(sheet.max_row, i + 1)
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    book.save(path)


def write_csv(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            SUBJECT
            + ["Order " + h if h in ("Made", "Start", "Status", "Ref") else h for h in ORDER]
            + OTHER
        )
        for n, row in enumerate(ordered()):
            writer.writerow(
                [as_text(v, n + i) if i in DATE_COLUMNS else v for i, v in enumerate(row)]
            )


if __name__ == "__main__":
    write_xlsx(HERE / "register.xlsx")
    write_csv(HERE / "register.csv")
    print(f"Wrote {HERE / 'register.xlsx'} and {HERE / 'register.csv'} ({len(ROWS)} people).")
