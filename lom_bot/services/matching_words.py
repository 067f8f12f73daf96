"""The words of a district message as the matcher reads them: which may be names, which are
written as names, which are ordinary English words, and which name a place or business.

Pure functions of text and the matching rules (app.yaml `matching`)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from lom_bot.config import Matching

WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
SENTENCE_END = re.compile(r"[.!?\n]\s*$")
QUOTES = "'\"‘’“”"


@dataclass
class Token:
    text: str
    start: int
    initial: bool  # first word of a sentence: capitalised for grammar, not as a name
    run: int  # words with the same run have no reference or PNC ID between them
    breach: bool  # is (or is part of) a breach word
    sighting: bool = False  # is a breach word that says someone was seen (rules.sighting_words)
    quoted: bool = False  # written in quotes, as aliases are ('Story')
    possessive: bool = False  # "Dummy's car"
    place: bool = False  # followed by a place or business word ("Kelly Street")
    as_name: bool = field(default=False)  # written as a name (see mark_names)
    used: bool = field(default=False)

    @property
    def upper(self) -> bool:
        return self.text[:1].isupper()


def clean(name: str) -> str:
    """A name as compared: no quotes, lower case."""
    return re.sub(r"[\"'’‘]", "", name).strip().lower()


@functools.lru_cache(maxsize=8)
def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the words, each at the start of a word (so "associat" finds "associates"); the
    longest first, so a match covers as much as it can."""
    if not words:
        return re.compile(r"(?!)")
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, ordered)) + ")", re.IGNORECASE)


def breach_spans(text: str, rules: Matching) -> list[tuple[int, int]]:
    """Where the breach words are, in order."""
    return [m.span() for m in _any_of(tuple(rules.keywords)).finditer(text)]


@functools.lru_cache(maxsize=8)
def _place_after(words: tuple[str, ...]) -> re.Pattern[str]:
    """A place or business word straight after a name word (not after "Dummy's")."""
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) or "(?!)"
    return re.compile(r"\s+(?:" + alternatives + r")\b", re.IGNORECASE)


def tokens(
    text: str, skip: list[tuple[int, int]], breach: list[tuple[int, int]], rules: Matching
) -> list[Token]:
    """The words of the text that may be names: none inside a span of `skip` (references and
    PNC IDs, in order), and each such span starts a new run of words."""
    out: list[Token] = []
    run = 0
    spans = iter(skip)
    span = next(spans, None)
    place = _place_after(tuple(rules.place_words))
    sightings = {w.lower() for w in rules.sighting_words} & {w.lower() for w in rules.keywords}
    for m in WORD.finditer(text):
        start = m.start()
        while span is not None and span[1] <= start:
            span, run = next(spans, None), run + 1
        if span is not None and span[0] <= start:
            continue
        raw = m.group()
        word = re.sub(r"['’]s$", "", raw).strip("'’-")
        if not word:
            continue
        before = text[:start]
        initial = not before.strip() or bool(SENTENCE_END.search(before))
        flagged = any(b < m.end() and start < e for b, e in breach)
        token = Token(word, start, initial, run, flagged)
        token.sighting = flagged and word.lower() in sightings
        token.quoted = start > 0 and text[start - 1] in QUOTES and raw.rstrip("s")[-1:] in QUOTES
        token.possessive = raw != word and bool(re.search(r"['’]s$", raw))
        token.place = not token.possessive and place.match(text, m.end()) is not None
        out.append(token)
    mark_names(out)
    return out


def mark_names(words: list[Token]) -> None:
    """Which words are written as a name: capitalised and not the first word of a sentence, in
    quotes, or next to a breach word in the same sentence with no reference or PNC ID between."""
    for i, token in enumerate(words):
        before = words[i - 1] if i > 0 and not token.initial else None
        after = words[i + 1] if i + 1 < len(words) and not words[i + 1].initial else None
        token.as_name = (
            (token.upper and not token.initial)
            or token.quoted
            or (before is not None and before.breach and before.run == token.run)
            or (after is not None and after.breach and after.run == token.run)
        )


@functools.lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common the word is in English: wordfreq's Zipf scale (0 unknown, 7 'the')."""
    from wordfreq import zipf_frequency  # loads its word list on first use

    return float(zipf_frequency(word, "en"))


def ordinary(word: str, rules: Matching) -> bool:
    """A word common enough in English that, alone, it is the word and not a name."""
    return zipf(word.lower()) >= rules.ordinary_word_zipf


def may_be_name(words: list[Token], i: int, rules: Matching, *, alias: bool) -> bool:
    """Whether word i alone may be a surname (or, `alias`, a one-word alias).

    Written as a name (capitalised mid-sentence, in quotes, or "Fancy's"), it may. Otherwise, when
    it is not an ordinary English word ('Imagy'), capitalised at the start of a sentence or next
    to a breach word; when it is one, only an alias straight next to a sighting word ("seen
    fancy"). Never when it names a place or business ("Kelly Street")."""
    token = words[i]
    if token.place or len(token.text) < 3:
        return False
    if (token.upper and (not token.initial or token.possessive)) or token.quoted:
        return True
    if not ordinary(token.text, rules):
        return token.upper or token.as_name
    if not alias:
        return False
    before = words[i - 1] if i > 0 and not token.initial else None
    after = words[i + 1] if i + 1 < len(words) and not words[i + 1].initial else None
    return any(w is not None and w.sighting and w.run == token.run for w in (before, after))


def first_name(words: list[Token], i: int, rules: Matching) -> bool:
    """Whether word i alone may be a first name: capitalised, and at the start of a sentence only
    when it is no ordinary English word or the next word is a breach word or another name
    ("Kelly seen in a van", "Shaun Madup seen", not "Mark the van as off road"); never when it
    names a place ("Kelly Street")."""
    token = words[i]
    if not token.upper or token.place:
        return False
    if not token.initial or token.possessive or not ordinary(token.text, rules):
        return True
    after = words[i + 1] if i + 1 < len(words) and not words[i + 1].initial else None
    return after is not None and after.run == token.run and (after.breach or after.upper)
