"""Is this row someone we already hold, or someone earlier in the same file?"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from lom_bot.domain.dates import format_date
from lom_bot.services.importer.rows import ValidRow
from lom_bot.store.tables import Alias, Subject


@dataclass(frozen=True)
class Known:
    ref: str
    name: str
    born_on: date | None
    pnc_id: str | None

    @property
    def label(self) -> str:
        return f"{self.ref} {self.name}, born {format_date(self.born_on)}"


@dataclass(frozen=True)
class Match:
    """kind: present (skip, already held), possible (held back), conflict (an error)."""

    kind: str
    known: Known | None
    why: str


def key(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").replace("'", "").split())


class SubjectIndex:
    """Every subject already held, by PNC ID, by name and birth date, and by birth date."""

    def __init__(self, session: Session, threshold: int) -> None:
        self.threshold = threshold
        self.by_pnc: dict[str, Known] = {}
        self.by_name_born: dict[tuple[str, date | None], Known] = {}
        self.by_born: dict[date, list[tuple[str, Known]]] = defaultdict(list)
        held: dict[int, Known] = {}
        for sid, ref, given, family, born, pnc in session.execute(
            select(
                Subject.id,
                Subject.ref,
                Subject.given_names,
                Subject.family_name,
                Subject.born_on,
                Subject.pnc_id,
            )
        ):
            known = Known(ref, f"{given} {family}", born, pnc)
            held[sid] = known
            self._add(known.name, known)
        for sid, alias in session.execute(select(Alias.subject_id, Alias.name)):
            if sid in held:
                self._add(alias.strip("'\""), held[sid])

    def _add(self, name: str, known: Known) -> None:
        if known.pnc_id:
            self.by_pnc.setdefault(known.pnc_id, known)
        self.by_name_born.setdefault((key(name), known.born_on), known)
        if known.born_on is not None:
            self.by_born[known.born_on].append((key(name), known))

    def match(self, row: ValidRow) -> Match | None:
        s = row.subject
        name = key(f"{s.given_names} {s.family_name}")
        if s.pnc_id and (known := self.by_pnc.get(s.pnc_id)):
            if known.born_on == s.born_on or self._similar(name, key(known.name)):
                return Match("present", known, "same PNC ID")
            return Match(
                "conflict",
                known,
                f"PNC ID {s.pnc_id} already belongs to {known.label}: a different name and "
                "date of birth",
            )
        known = self.by_name_born.get((name, s.born_on))
        if known is not None and not _different_pnc(s.pnc_id, known.pnc_id):
            return Match("present", known, "same name and date of birth")
        if s.born_on is None:
            return None
        for other, candidate in self.by_born.get(s.born_on, []):
            if _different_pnc(s.pnc_id, candidate.pnc_id):
                continue  # a PNC ID is one person's: both known and different, not the same
            if self._similar(name, other):
                return Match("possible", candidate, "similar name, same date of birth")
        return None

    def _similar(self, a: str, b: str) -> bool:
        return bool(fuzz.WRatio(a, b) >= self.threshold)


def _different_pnc(a: str | None, b: str | None) -> bool:
    return bool(a and b and a != b)


class FileSeen:
    """Rows already accepted from this file, so a repeated person is caught."""

    def __init__(self) -> None:
        self.pnc: dict[str, int] = {}
        self.name_born: dict[tuple[str, date | None], int] = {}

    def earlier(self, row: ValidRow) -> tuple[int, str] | None:
        s = row.subject
        if s.pnc_id and s.pnc_id in self.pnc:
            return self.pnc[s.pnc_id], "same PNC ID"
        name = (key(f"{s.given_names} {s.family_name}"), s.born_on)
        if name in self.name_born:
            return self.name_born[name], "same name and date of birth"
        return None

    def add(self, row: ValidRow) -> None:
        s = row.subject
        if s.pnc_id:
            self.pnc[s.pnc_id] = row.row
        self.name_born[(key(f"{s.given_names} {s.family_name}"), s.born_on)] = row.row
