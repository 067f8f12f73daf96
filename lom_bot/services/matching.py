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
- A surname or one-word alias alone counts when written as a name: capitalised and not the
  first word of a sentence, in quotes, or possessive ("Fancy's van"). When it is not an ordinary
  English word ('Imagy'; app.yaml `matching.ordinary_word_zipf`) it also counts capitalised at
  the start of a sentence or next to a breach word; when it is one ('Story', 'Nobody') only an
  alias straight next to a sighting word does ("seen fancy"). "Same story with the pool car" and
  "a dummy run" are chat. A name word followed by a place or business word ("Kelly Street",
  "the Legend car wash"; `matching.place_words`) is no person. A surname or alias is also
  matched misspelt ("Invnetive") at `name_threshold`, unless the word is an ordinary word or
  exactly some subject's name. A first name alone counts capitalised; at the start of a sentence,
  when it is also an English word ('Mark'), only before a breach word or another name.
- Single words are only ever possible reports, with every subject they could mean as
  candidates, except a one-word alias of exactly one subject. A message naming several
  subjects gives each its own report (match_sighting), and whatever else its words could mean
  a possible report per person (words that could mean a same subject count as one).
- A word that is a referenced subject's own first name or surname supports the reference even
  when it is another subject's alias ("Seen LOM-0011 Dummy ..." where 'Dummy' is someone's
  alias is LOM-0011 Dummy).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from lom_bot.config import Matching
from lom_bot.services.matching_directory import (
    MANY_SUBJECTS,
    STAMP,
    Directory,
    Known,
    cached_directory,
    load_directory,
    warm_up,
)
from lom_bot.services.matching_hits import Hit, certain_hits, name_hits, single_hits
from lom_bot.services.matching_words import breach_spans, tokens

__all__ = [
    "MANY_SUBJECTS",
    "STAMP",
    "Directory",
    "Known",
    "Match",
    "cached_directory",
    "load_directory",
    "match_message",
    "match_sighting",
    "warm_up",
]

SLACK_MARKUP = re.compile(r"<[@#!][^>\s]*>|<(?:https?|mailto):[^>]*>")
MAX_CANDIDATES = 25


@dataclass(frozen=True)
class Match:
    """The verdict: one subject, or a report a person must confirm (with its candidates).

    `reason` says in words why: "reference", "full name", "surname shared by 2 subjects",
    "misspelt surname", "names 2 subjects"."""

    status: Literal["matched", "possible"]
    subject_id: int | None
    candidates: tuple[str, ...]
    score: int
    reason: str


@dataclass(frozen=True)
class _Analysis:
    definite: list[Hit]  # certain, or a strong name of a subject no reference contradicts
    weak: list[Hit]  # what is left that a person must choose from
    unknown: list[str]  # references and valid PNC IDs naming nobody
    keyword: bool  # a breach word is used


def _supports(name: Hit, certain: list[Hit], named: list[Hit], said: str) -> bool:
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


def _analyse(text: str, directory: Directory, rules: Matching) -> _Analysis:
    certain, pnc_weak, unknown, spans = certain_hits(text, directory)
    # Slack's markup (<@U0NOBODY|dave>, <#C0LEEDS>, <https://…>) is no one's name
    spans = _merged(spans + [m.span() for m in SLACK_MARKUP.finditer(text)])
    words = tokens(text, spans, breach_spans(text, rules), rules)
    named = name_hits(words, directory, rules)
    named += single_hits(words, directory, rules)
    definite: dict[str, Hit] = {}
    for hit in certain:
        definite.setdefault(hit.known.ref, hit)
    for hit in named:
        said = " ".join(words[i].text.lower() for i in hit.words)
        if hit.strength == "strong" and not _supports(hit, certain, named, said):
            definite.setdefault(hit.known.ref, hit)
    # words that could mean a subject already named for certain are explained by that subject
    explained = {i for h in named if h.known.ref in definite for i in h.words}
    explained |= {i for h in named if h.strength == "strong" for i in h.words}
    weak = [
        h
        for h in named + pnc_weak
        if h.strength == "weak" and h.known.ref not in definite and not explained & set(h.words)
    ]
    keyword = any(w.breach for w in words) or bool(breach_spans(text, rules))
    return _Analysis(list(definite.values()), weak, [u.what for u in unknown], keyword)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _weak_reason(weak: list[Hit]) -> str:
    """Why a person must choose, in words: "surname shared by 2 subjects", "misspelt alias"."""
    groups: dict[tuple[int, ...] | str, list[Hit]] = {}
    for hit in weak:
        groups.setdefault(tuple(hit.words) or hit.kind, []).append(hit)
    parts: list[str] = []
    for hits in groups.values():
        kinds = " or ".join(dict.fromkeys(h.kind for h in sorted(hits, key=lambda h: -h.score)))
        n = len({h.known.subject_id for h in hits})
        if kinds.startswith("misspelt") or kinds.startswith("PNC"):
            part = kinds if n == 1 else f"{kinds}, {n} subjects"
        else:
            part = f"{kinds} only" if n == 1 else f"{kinds} shared by {n} subjects"
        if part not in parts:
            parts.append(part)
    return "; ".join(parts)


def _clusters(weak: list[Hit]) -> list[list[Hit]]:
    """The weak hits by the words they were read from, words that could mean a same subject
    together ("Kelly ... Inventive"): each cluster is likely one person, so one report."""
    clusters: list[tuple[set[int], list[Hit]]] = []
    groups: dict[tuple[int, ...] | str, list[Hit]] = {}
    for hit in weak:
        groups.setdefault(tuple(hit.words) or hit.kind, []).append(hit)
    for hits in groups.values():
        ids = {h.known.subject_id for h in hits}
        joined = [c for c in clusters if c[0] & ids]
        for c in joined:
            clusters.remove(c)
            ids |= c[0]
            hits = c[1] + hits
        clusters.append((ids, hits))
    return [hits for _, hits in clusters]


def _possible(weak: list[Hit], district: str | None) -> Match:
    ranked = sorted(
        {h.known.ref: h for h in sorted(weak, key=lambda h: h.score)}.values(),
        key=lambda h: (-h.score, h.known.district != district, h.known.ref),
    )
    refs = tuple(h.known.ref for h in ranked[:MAX_CANDIDATES])
    return Match("possible", None, refs, ranked[0].score, _weak_reason(weak))


def _prepared(directory: Directory | Sequence[Known]) -> Directory:
    return directory if isinstance(directory, Directory) else Directory(directory)


def match_sighting(
    text: str,
    directory: Directory | Sequence[Known],
    rules: Matching,
    *,
    district: str | None = None,
) -> list[Match]:
    """One verdict per report the message should make: each subject it names for certain gets
    its own; whatever else it could mean is one possible report; [] when it concerns none."""
    found = _analyse(text, _prepared(directory), rules)
    eager = found.keyword or not rules.require_keyword_for_name_only
    out: list[Match] = []
    for hit in found.definite:
        if hit.strength == "certain" or eager:
            out.append(Match("matched", hit.known.subject_id, (), hit.score, hit.kind))
        else:
            reason = f"{hit.kind}, but no breach word"
            out.append(Match("possible", None, (hit.known.ref,), hit.score, reason))
    if found.weak and eager:
        out += [_possible(cluster, district) for cluster in _clusters(found.weak)]
    if not out and found.unknown:
        out.append(Match("possible", None, (), 0, found.unknown[0]))
    return out


def match_message(
    text: str,
    directory: Directory | Sequence[Known],
    rules: Matching,
    *,
    district: str | None = None,
) -> Match | None:
    """Which one subject a message concerns; None when it concerns none (chat is left alone).
    A message naming several subjects for certain is possible, with them all as candidates."""
    found = _analyse(text, _prepared(directory), rules)
    eager = found.keyword or not rules.require_keyword_for_name_only
    if len(found.definite) > 1:
        refs = tuple(sorted(h.known.ref for h in found.definite))
        return Match("possible", None, refs, 100, f"names {len(refs)} subjects")
    if len(found.definite) == 1:
        hit = found.definite[0]
        if hit.strength == "certain" or eager:
            return Match("matched", hit.known.subject_id, (), hit.score, hit.kind)
        return Match(
            "possible", None, (hit.known.ref,), hit.score, f"{hit.kind}, but no breach word"
        )
    if found.weak and eager:
        return _possible(found.weak, district)
    if found.unknown:
        return Match("possible", None, (), 0, found.unknown[0])
    return None
