"""The register template: each column, the headers teams already use for it, and header mapping."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lom_bot.domain.errors import InvalidInput


@dataclass(frozen=True)
class Column:
    """One template column: its key, the header the template writes, synonyms, help."""

    key: str
    header: str
    synonyms: tuple[str, ...]
    help: str
    example: str
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(
        "given_names",
        "Given names",
        ("first name", "first names", "forename", "forenames", "given name", "christian name"),
        "The subject's given name(s).",
        "Darren",
        required=True,
    ),
    Column(
        "family_name",
        "Family name",
        ("surname", "last name", "family names"),
        "The subject's family name.",
        "Fictional",
        required=True,
    ),
    Column(
        "born_on",
        "Date of birth",
        ("dob", "birth date", "date of birth dd mm yyyy", "born"),
        "A date: 25/11/1990, 25-11-90, 1990-11-25, 25 Nov 1990 or an Excel date. "
        "Subjects must be 18 or over.",
        "14/03/1988",
        required=True,
    ),
    Column(
        "pnc_id",
        "PNC ID",
        ("pnc", "pnc no", "pnc number", "pncid", "pnc ref", "cro pnc"),
        "Police National Computer ID, e.g. 19/0012345X. Strongly advised: it is how a re-run "
        "and later look-ups find the same person.",
        "88/0123456K",
    ),
    Column(
        "district",
        "District",
        ("area", "npt", "policing district", "division", "home district"),
        "The district the subject lives in: one of the districts in app.yaml.",
        "Leeds",
        required=True,
    ),
    Column(
        "risk_level",
        "Risk level",
        ("risk", "risk rating", "risk category", "level of risk"),
        "very high, high, medium or low (VH, H, M, L accepted).",
        "high",
        required=True,
    ),
    Column(
        "custody_status",
        "Custody status",
        ("custody", "in custody", "location status", "custody community"),
        "in custody, in community, recalled, deceased or moved out.",
        "in community",
        required=True,
    ),
    Column(
        "aliases",
        "Aliases",
        ("alias", "aka", "also known as", "nicknames", "other names"),
        "Other names, separated by ';'.",
        "Daz; Big D",
    ),
    Column(
        "address",
        "Address",
        ("home address", "current address", "residence"),
        "Home address (sensitive).",
        "1 Fictional Road, Leeds LS1 1AA",
    ),
    Column(
        "niche_id",
        "Niche ID",
        ("niche", "niche nominal", "niche ref", "nominal"),
        "Niche nominal reference.",
        "NICHE-501234",
    ),
    Column(
        "visor_ref",
        "ViSOR ref",
        ("visor", "visor no", "visor number", "visor id"),
        "ViSOR reference.",
        "VSR70123",
    ),
    Column(
        "prison_number",
        "Prison number",
        ("prison no", "prisoner number", "noms", "noms no"),
        "Prison (NOMIS) number while in custody.",
        "A1234BC",
    ),
    Column(
        "release_on",
        "Expected release date",
        ("release date", "crd", "edr", "release"),
        "Conditional release date, if in custody.",
        "01/02/2027",
    ),
    Column(
        "officer",
        "LOM officer",
        ("officer", "oic", "responsible officer", "lead officer", "lom oic", "case officer"),
        "The responsible LOM officer: Slack ID or name as known to lom-bot.",
        "U0OFF1",
    ),
    Column(
        "description",
        "Description",
        ("physical description", "descr"),
        "A photo-free description for district officers.",
        "Male, slim build, short dark hair",
    ),
    Column(
        "order_status",
        "Order status",
        ("scpo status", "status of order", "order stage"),
        "proposed, drafted, approved, submitted, granted, awaiting activation, active, "
        "expiring or expired. Empty: worked out from the dates.",
        "active",
    ),
    Column(
        "order_court",
        "Court",
        ("order court", "issuing court", "court name", "scpo court"),
        "The court that made the order.",
        "Leeds Crown Court",
    ),
    Column(
        "order_route",
        "Route",
        ("order route", "order type", "scpo type"),
        "s19 (Crown Court on conviction) or s1 (High Court).",
        "s19",
    ),
    Column(
        "order_made_on",
        "Order made",
        ("date made", "order date", "order made on", "date of order", "scpo made", "made"),
        "The date the court made the order.",
        "02/05/2024",
    ),
    Column(
        "order_starts_on",
        "Order start",
        (
            "start date",
            "order started",
            "commenced",
            "activation date",
            "order commenced",
            "start",
            "order active from",
        ),
        "The date the order came into force (activation); empty while in custody.",
        "10/06/2024",
    ),
    Column(
        "order_expires_on",
        "Order expiry",
        ("expiry", "expiry date", "end date", "order end", "expires", "order expires"),
        "The date the order ends: at most 5 years after it came into force (s.16).",
        "09/06/2029",
    ),
    Column(
        "order_term",
        "Order length",
        ("length", "term", "duration", "order term", "length months"),
        "The length the court set: '5 years', '36 months' or a number of months (max 60).",
        "5 years",
    ),
    Column(
        "order_reference",
        "Register reference",
        ("your ref", "order ref", "scpo ref", "reference", "court ref", "case ref"),
        "Your own reference for the order; kept in the order's history.",
        "SCPO/2024/017",
    ),
    Column(
        "conditions",
        "Conditions",
        ("order conditions", "terms", "prohibitions", "requirements", "scpo conditions"),
        "The order's terms, one per line or separated by ';'.",
        "Not to possess more than one mobile phone; Not to travel abroad without notice",
    ),
)

BY_KEY = {c.key: c for c in COLUMNS}
ORDER_KEYS = tuple(c.key for c in COLUMNS if c.key.startswith("order_") or c.key == "conditions")
# One "Name" column instead of two is common in existing registers.
FULL_NAME = ("name", "full name", "subject", "subject name", "nominal name")


def normalise(header: object) -> str:
    """Lower-case words only: 'D.O.B.' -> 'dob', 'PNC No.' -> 'pnc no'."""
    text = str(header or "").lower().replace("&", " and ").replace("(s)", "s")
    text = re.sub(r"[.']", "", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.header, _column.key.replace("_", " "), *_column.synonyms):
        _LOOKUP.setdefault(normalise(_name), _column.key)
for _name in FULL_NAME:
    _LOOKUP.setdefault(normalise(_name), "full_name")


def match_header(text: object) -> str | None:
    return _LOOKUP.get(normalise(text))


@dataclass(frozen=True)
class Mapping:
    """Which spreadsheet column (0-based index) holds each template key, and what was ignored."""

    columns: dict[str, int]
    headers: dict[str, str]  # key -> the header as written in the file
    ignored: tuple[str, ...]


def map_headers(cells: list[tuple[str, str]]) -> Mapping:
    """Map (group title, header) pairs, one per column, to template keys."""
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for index, (group, header) in enumerate(cells):
        key, shown = _key_for(group, header)
        if key is None:
            if shown:
                ignored.append(shown)
            continue
        if key in columns:
            raise InvalidInput(
                f"Two columns both look like '{_label(key)}': '{headers[key]}' and '{shown}'. "
                "Rename or delete one.",
                field="header",
            )
        columns[key] = index
        headers[key] = shown
    _check_required(columns)
    return Mapping(columns, headers, tuple(ignored))


def _key_for(group: str, header: str) -> tuple[str | None, str]:
    """A two-row header reads as 'Order' + 'Expiry'; try that, then each part alone."""
    group, header = group.strip(), header.strip()
    if group == header:  # one cell merged down over both header rows
        group = ""
    combined = f"{group} {header}".strip()
    if group and header and (key := match_header(combined)):
        return key, combined
    if header and (key := match_header(header)):
        return key, header
    if not header and group and (key := match_header(group)):
        return key, group
    return None, combined if group and header else (header or group)


def _check_required(columns: dict[str, int]) -> None:
    missing = [
        c.header
        for c in COLUMNS
        if c.required
        and c.key not in columns
        and not (c.key in ("given_names", "family_name") and "full_name" in columns)
    ]
    if missing:
        raise InvalidInput(
            "The file has no column for: " + ", ".join(missing) + ". Headers are matched by "
            "name (see `lom-bot import template` and docs/import.md).",
            field="header",
        )


def _label(key: str) -> str:
    return BY_KEY[key].header if key in BY_KEY else "Name"


def looks_like_header(cells: list[object]) -> int:
    """How many cells of a row are known headers (to find the header row)."""
    return sum(1 for cell in cells if match_header(cell))
