"""Recognising subjects in what districts write: by reference, PNC ID, name or alias.

The matcher itself is pure (text and a directory of known subjects in, a verdict out) so it can
be tested on realistic messages without a database; `load_directory` reads the directory.
How eager it is comes from app.yaml `matching` (thresholds, breach words).

How references, PNC IDs and names combine:

- The words of a reference ("LOM-0042", "lom 42") or a PNC ID are never name words, whether or
  not the reference exists, and a name is never read across one: in "Seen LOM-0001 Dummington"
  the "LOM" is not a first name, and in "Liam LOM-0001 Dummington" there is no "Liam Dummington".
- A reference or PNC ID that exists names its subject for certain. Names in the same message
  then only matter when they clearly name a different subject: a full name or alias matched at
  `name_threshold` or better that the referenced subject's own names do not fit as well, on the
  same words. Such a message names two subjects and is possible, with both as candidates
  ("LOM-0001 seen with Liam Dummington"). A name that fits the referenced subject at least as
  well supports it (so a reference tells namesakes apart); a first name, surname or weaker
  spelling alone never outweighs a reference.
- A reference that does not exist names nobody, so it contradicts nothing: the rest of the
  message is matched on its names as if it were not there, and with no name at all it is kept as
  a possible report citing the unknown reference.

Single words, since district teams chat in these channels all day ("Anyone fancy a brew?" is
not about the subject whose alias is 'Fancy'):

- A word that is the first name, surname or one-word alias of more than MANY_SUBJECTS subjects
  at once is never by itself evidence of any of them: it says nothing about who. Only a fuller
  name or a reference can name them ("Fancy seen with a phone", where fifty subjects are 'Fancy',
  is no report; "Seen Shaun Madeup with Fancy" is Shaun Madeup).
- A one-word alias counts only when written as a name: capitalised and not the first word of a
  sentence, or next to a breach word in the same sentence ("seen fancy at the services",
  "Fancy's van outside"). "Fancy dress on Friday" and "a dummy run" are chat. A surname alone
  counts only capitalised and not first in a sentence, a first name alone only capitalised, and
  both only as possible reports.
- A word that is a referenced subject's own first name or surname supports the reference even
  when it is another subject's alias ("Seen LOM-0011 Dummy ..." where 'Dummy' is someone's
  alias is LOM-0011 Dummy).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lom_bot.config import Matching
from lom_bot.store import queries
from lom_bot.store.tables import Alias, Subject

REF_IN_TEXT = re.compile(r"\blom[-\s]?0*(\d{1,7})\b", re.IGNORECASE)
PNC_IN_TEXT = re.compile(r"\b(\d{2,4}/\d{1,7}[A-Za-z])\b")
WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
SENTENCE_END = re.compile(r"[.!?\n]\s*$")
MAX_CANDIDATES = 25
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


@dataclass(frozen=True)
class Match:
    """The verdict: one subject, or a report a person must confirm (with its candidates)."""

    status: Literal["matched", "possible"]
    subject_id: int | None
    candidates: tuple[str, ...]
    score: int
    reason: str


class Directory:
    """The known subjects, with the look-ups the matcher needs prepared once (not per message)."""

    def __init__(self, subjects: Sequence[Known]) -> None:
        self.known = list(subjects)
        self.by_ref = {k.ref: k for k in self.known}
        self.by_pnc = {k.pnc: k for k in self.known if k.pnc}
        # Each distinct last word of a surname or alias (cleaned) once, with whose names it
        # ends: a national caseload has thousands of subjects but a few hundred such words.
        owners: dict[str, dict[int, Known]] = {}
        self.given: dict[str, list[Known]] = {}
        self.family: dict[str, list[Known]] = {}
        # per subject: its full name and aliases as cleaned words, with which kind each is
        self.forms: dict[int, list[tuple[list[str], str]]] = {}
        # per single word: the subjects it is the first name, surname or one-word alias of
        named_by: dict[str, set[int]] = {}
        for known in self.known:
            for form in (known.family, *known.aliases):
                words = _clean(form).split()
                if words:
                    owners.setdefault(words[-1], {}).setdefault(known.subject_id, known)
                if len(words) == 1:
                    named_by.setdefault(words[0], set()).add(known.subject_id)
            named_by.setdefault(known.given.lower(), set()).add(known.subject_id)
            self.given.setdefault(known.given.lower(), []).append(known)
            self.family.setdefault(known.family.lower(), []).append(known)
            forms = [(f"{known.given} {known.family}", "name")]
            forms += [(alias, "alias") for alias in known.aliases]
            self.forms[known.subject_id] = [(_clean(form).split(), kind) for form, kind in forms]
        self.lasts = list(owners)
        self.owners = [list(by_id.values()) for by_id in owners.values()]
        # the words that by themselves name nobody in particular
        self.common = {word for word, ids in named_by.items() if len(ids) > MANY_SUBJECTS}


@dataclass
class _Hit:
    known: Known
    score: int
    strength: Literal["certain", "strong", "weak"]
    reason: str
    words: range = range(0)  # a name's: the indexes of the tokens it was read from


@dataclass
class _Token:
    text: str
    start: int
    initial: bool  # first word of a sentence: capitalised for grammar, not as a name
    run: int  # words with the same run have no reference or PNC ID between them
    breach: bool  # is (or is part of) a breach word
    as_name: bool = field(default=False)  # written as a name (see _mark_names)
    used: bool = field(default=False)


def _clean(name: str) -> str:
    return re.sub(r"[\"'’‘]", "", name).strip().lower()


def _tokens(text: str, skip: list[tuple[int, int]], breach: list[tuple[int, int]]) -> list[_Token]:
    """The words of the text that may be names: none inside a span of `skip` (references and
    PNC IDs, in order), and each such span starts a new run of words. `breach`: where the
    breach words are, in order."""
    out: list[_Token] = []
    run = 0
    spans = iter(skip)
    span = next(spans, None)
    for m in WORD.finditer(text):
        start = m.start()
        while span is not None and span[1] <= start:
            span, run = next(spans, None), run + 1
        if span is not None and span[0] <= start:
            continue
        word = re.sub(r"['’]s$", "", m.group()).strip("'’-")
        if not word:
            continue
        before = text[:start]
        initial = not before.strip() or bool(SENTENCE_END.search(before))
        flagged = any(b < m.end() and start < e for b, e in breach)
        out.append(_Token(word, start, initial, run, flagged))
    _mark_names(out)
    return out


def _mark_names(tokens: list[_Token]) -> None:
    """Which words are written as a name: capitalised and not the first word of a sentence, or
    next to a breach word in the same sentence with no reference or PNC ID between."""
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i > 0 and not token.initial else None
        after = tokens[i + 1] if i + 1 < len(tokens) and not tokens[i + 1].initial else None
        token.as_name = (
            (token.text[:1].isupper() and not token.initial)
            or (before is not None and before.breach and before.run == token.run)
            or (after is not None and after.breach and after.run == token.run)
        )


@functools.lru_cache(maxsize=8)
def _breach_words(keywords: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the breach words, each at the start of a word (so "associat" finds
    "associates"); the longest first, so a match covers as much as it can."""
    if not keywords:
        return re.compile(r"(?!)")
    words = sorted({k.lower() for k in keywords}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + ")", re.IGNORECASE)


def _breach_spans(text: str, rules: Matching) -> list[tuple[int, int]]:
    return [m.span() for m in _breach_words(tuple(rules.keywords)).finditer(text)]


def _certain_hits(
    text: str, by_ref: dict[str, Known], by_pnc: dict[str, Known]
) -> tuple[list[_Hit], list[str], list[tuple[int, int]]]:
    """Subjects named by reference or PNC ID, references that name nobody, and where in the
    text every reference and PNC ID is (known or not), in order."""
    hits: list[_Hit] = []
    unknown: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in REF_IN_TEXT.finditer(text):
        spans.append(m.span())
        ref = queries.subject_ref(int(m[1]))
        if ref in by_ref:
            hits.append(_Hit(by_ref[ref], 100, "certain", "reference"))
        else:
            unknown.append(ref)
    for m in PNC_IN_TEXT.finditer(text):
        spans.append(m.span())
        pnc = queries.normalise_pnc(m[1])
        if pnc and pnc in by_pnc:
            hits.append(_Hit(by_pnc[pnc], 100, "certain", "PNC ID"))
    return hits, unknown, sorted(spans)


def _with_close_last_word(lowered: list[str], directory: Directory, rules: Matching) -> list[Known]:
    """Only subjects whose surname (or an alias's last word) is close to a word of the text:
    one vectorised pass per word instead of every name against every run of words."""
    chosen: dict[int, Known] = {}
    for word in set(lowered):
        for _, _, index in process.extract(
            word,
            directory.lasts,
            scorer=fuzz.ratio,
            score_cutoff=rules.possible_threshold,
            limit=None,
        ):
            for owner in directory.owners[index]:
                chosen.setdefault(owner.subject_id, owner)
    return sorted(chosen.values(), key=lambda k: k.ref)


def _name_hits(tokens: list[_Token], directory: Directory, rules: Matching) -> list[_Hit]:
    """Full names and aliases, exact or misspelt, compared with runs of words of the same length."""
    hits: list[_Hit] = []
    lowered = [t.text.lower() for t in tokens]
    # per number of words: each run of that many words (start, words, last word), built once
    # per message, none across a reference or PNC ID
    windows: dict[int, list[tuple[int, str, str]]] = {}
    for known in _with_close_last_word(lowered, directory, rules):
        best: tuple[int, str, range] | None = None
        for words, kind in directory.forms[known.subject_id]:
            k = len(words)
            if k == 0:
                continue
            runs = windows.get(k)
            if runs is None and k == 1:
                # a one-word alias: only a word written as a name that names few subjects
                runs = windows[k] = [
                    (i, word, word)
                    for i, word in enumerate(lowered)
                    if tokens[i].as_name and len(word) >= 3 and word not in directory.common
                ]
            elif runs is None:
                runs = windows[k] = [
                    (i, " ".join(lowered[i : i + k]), lowered[i + k - 1])
                    for i in range(len(tokens) - k + 1)
                    if tokens[i].run == tokens[i + k - 1].run
                ]
            target = " ".join(words)
            for i, window, last in runs:
                if k == 1:
                    score = 100 if window == target else 0
                elif fuzz.ratio(last, words[-1]) < rules.possible_threshold:
                    # the family name itself must be close, so "Dean Unreal" is not "clean deal"
                    score = 0
                else:
                    score = int(fuzz.ratio(window, target))
                if score >= rules.possible_threshold and (best is None or score > best[0]):
                    best = (score, kind, range(i, i + k))
        if best is None:
            continue
        score, kind, span = best
        strong = score >= rules.name_threshold
        for index in span:
            tokens[index].used = True
        reason = kind if score == 100 else f"{kind} spelt differently ({score}%)"
        hits.append(_Hit(known, score, "strong" if strong else "weak", reason, span))
    return hits


def _single_name_hits(tokens: list[_Token], directory: Directory) -> list[_Hit]:
    """A capitalised first name or surname alone, of few subjects: only ever a possible match."""
    given, family = directory.given, directory.family
    hits: list[_Hit] = []
    for token in tokens:
        if token.used or not token.text[:1].isupper() or len(token.text) < 3:
            continue
        word = token.text.lower()
        if word in directory.common:
            continue
        hits += [_Hit(k, 60, "weak", "first name only") for k in given.get(word, [])]
        if not token.initial:
            named = {k.subject_id for k in given.get(word, [])}
            hits += [
                _Hit(k, 60, "weak", "surname only")
                for k in family.get(word, [])
                if k.subject_id not in named
            ]
    return hits


def _supports(name: _Hit, certain: list[_Hit], named: list[_Hit], said: str) -> bool:
    """Whether a name's words (`said`, lowercase) fit a subject named by reference or PNC ID at
    least as well as they fit the name's own subject (always so when it is that subject, or
    when they are its own first name or surname)."""
    for sure in certain:
        if said in (sure.known.family.lower(), sure.known.given.lower()):
            return True
        for other in named:
            if (
                other.known.subject_id == sure.known.subject_id
                and other.score >= name.score
                and set(other.words) & set(name.words)
            ):
                return True
    return False


def match_message(
    text: str,
    directory: Directory | Sequence[Known],
    rules: Matching,
    *,
    district: str | None = None,
) -> Match | None:
    """Which subject a message concerns; None when it concerns none (chat is left alone)."""
    if not isinstance(directory, Directory):
        directory = Directory(directory)
    certain, unknown_refs, spans = _certain_hits(text, directory.by_ref, directory.by_pnc)
    breach = _breach_spans(text, rules)
    tokens = _tokens(text, spans, breach)
    named = _name_hits(tokens, directory, rules)
    weak = [h for h in named if h.strength == "weak"] + _single_name_hits(tokens, directory)
    definite: dict[str, _Hit] = {}
    for hit in certain:
        definite.setdefault(hit.known.ref, hit)
    for hit in named:
        said = " ".join(tokens[i].text.lower() for i in hit.words)
        if hit.strength == "strong" and not _supports(hit, certain, named, said):
            definite.setdefault(hit.known.ref, hit)
    keyword = bool(breach)
    if len(definite) > 1:
        refs = tuple(sorted(definite))
        return Match("possible", None, refs, 100, f"names {len(refs)} subjects")
    if len(definite) == 1:
        hit = next(iter(definite.values()))
        if hit.strength == "certain" or keyword or not rules.require_keyword_for_name_only:
            return Match("matched", hit.known.subject_id, (), hit.score, hit.reason)
        return Match("possible", None, (hit.known.ref,), hit.score, f"{hit.reason}, no breach word")
    if weak and (keyword or not rules.require_keyword_for_name_only):
        ranked = sorted(
            {h.known.ref: h for h in sorted(weak, key=lambda h: h.score)}.values(),
            key=lambda h: (-h.score, h.known.district != district, h.known.ref),
        )
        refs = tuple(h.known.ref for h in ranked[:MAX_CANDIDATES])
        reasons = sorted({h.reason.split(" (")[0] for h in ranked})
        return Match("possible", None, refs, ranked[0].score, ", ".join(reasons))
    if unknown_refs:
        return Match("possible", None, (), 0, f"unknown reference {unknown_refs[0]}")
    return None


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
