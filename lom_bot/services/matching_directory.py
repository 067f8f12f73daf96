"""The subjects the matcher knows: their names and aliases prepared once for every message, read
from the database in two queries and rebuilt only when subjects or aliases change."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lom_bot.domain.pnc import parse_pnc
from lom_bot.services.matching_words import clean, zipf
from lom_bot.store.tables import Alias, Subject

# a single word naming more subjects than this (first names, surnames, one-word aliases
# together) says nothing about who
MANY_SUBJECTS = 3


@dataclass(frozen=True)
class Known:
    """One subject as the matcher sees it."""

    subject_id: int
    ref: str
    pnc: str | None
    given: str
    family: str
    district: str
    aliases: tuple[str, ...] = ()


class Directory:
    """The known subjects, with the look-ups the matcher needs prepared once (not per message)."""

    def __init__(self, subjects: Sequence[Known]) -> None:
        self.known = list(subjects)
        self.by_ref = {k.ref: k for k in self.known}
        self.by_pnc: dict[str, Known] = {}
        self.by_pnc_number: dict[str, Known] = {}
        for k in self.known:
            pnc = parse_pnc(k.pnc or "")
            if pnc is not None:
                self.by_pnc[str(pnc)] = k
                self.by_pnc_number[pnc.number] = k
        # Each distinct last word of a surname or alias (cleaned) once, with whose names it
        # ends: a national caseload has thousands of subjects but a few hundred such words.
        owners: dict[str, dict[int, Known]] = {}
        self.given: dict[str, list[Known]] = {}
        # per single word: who has it as surname or one-word alias, and which
        self.single: dict[str, list[tuple[Known, str]]] = {}
        # per subject: its full name and aliases as cleaned words, with which kind each is
        self.forms: dict[int, list[tuple[list[str], str]]] = {}
        named_by: dict[str, set[int]] = {}
        for known in self.known:
            for form, kind in [(known.family, "surname")] + [(a, "alias") for a in known.aliases]:
                words = clean(form).split()
                if words:
                    owners.setdefault(words[-1], {}).setdefault(known.subject_id, known)
                if len(words) == 1:
                    named_by.setdefault(words[0], set()).add(known.subject_id)
                    self.single.setdefault(words[0], []).append((known, kind))
            named_by.setdefault(known.given.lower(), set()).add(known.subject_id)
            self.given.setdefault(known.given.lower(), []).append(known)
            forms = [(f"{known.given} {known.family}", "full name")]
            forms += [(alias, "alias") for alias in known.aliases]
            self.forms[known.subject_id] = [(clean(form).split(), kind) for form, kind in forms]
        self.lasts = list(owners)
        self.owners = [list(by_id.values()) for by_id in owners.values()]
        self.single_words = list(self.single)
        # the words that by themselves name nobody in particular
        self.common = {word for word, ids in named_by.items() if len(ids) > MANY_SUBJECTS}

    def single_subjects(self, word: str) -> set[int]:
        return {k.subject_id for k, _ in self.single.get(word, [])}


_CACHE: dict[str, tuple[tuple[object, ...], Directory]] = {}
_CACHE_LOCK = threading.Lock()
# What tells whether the directory changed (a new subject or alias, an edited or erased
# subject): the columns of one aggregate query over subjects, which a caller may read in its
# own statement and pass to cached_directory.
STAMP = (
    func.count(Subject.id),
    func.max(Subject.updated_at),
    select(func.count(Alias.id)).scalar_subquery(),
    select(func.max(Alias.id)).scalar_subquery(),
)
_STAMP = select(*STAMP)


def cached_directory(session: Session, stamp: Sequence[object] | None = None) -> Directory:
    """The prepared directory, rebuilt only when subjects or aliases have changed.

    Building it for a national caseload takes a few hundred milliseconds, which would otherwise
    sit in front of every district message's acknowledgement; one aggregate query (STAMP) tells
    whether anything changed. `stamp`: its values, when the caller read them already in this
    transaction."""
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    now = tuple(stamp if stamp is not None else session.execute(_STAMP).one())
    held = _CACHE.get(key)
    if held is not None and held[0] == now:
        return held[1]
    directory = Directory(load_directory(session))
    with _CACHE_LOCK:
        _CACHE[key] = (now, directory)
    return directory


def warm_up(session: Session) -> None:
    """Load the English word list and build the directory now, so the first district message
    after a start does not wait for them (about a second at national scale)."""
    zipf("the")
    cached_directory(session)


def load_directory(session: Session) -> list[Known]:
    """Every subject with its aliases, in two queries."""
    aliases: dict[int, list[str]] = {}
    for subject_id, name in session.execute(select(Alias.subject_id, Alias.name)):
        aliases.setdefault(subject_id, []).append(name)
    rows = session.execute(
        select(
            Subject.id,
            Subject.ref,
            Subject.pnc_id,
            Subject.given_names,
            Subject.family_name,
            Subject.district,
        ).order_by(Subject.ref)
    )
    return [
        Known(i, ref, pnc, given, family, district, tuple(aliases.get(i, ())))
        for i, ref, pnc, given, family, district in rows
    ]
