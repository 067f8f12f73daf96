"""Who the words of a message could mean: references and PNC IDs, full names and aliases, and
single words (surname, first name, one-word alias), exact or misspelt. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rapidfuzz import fuzz, process

from lom_bot.config import Matching
from lom_bot.domain.pnc import pncs_in
from lom_bot.services.matching_words import Token, first_name, may_be_name, ordinary
from lom_bot.store import queries

if TYPE_CHECKING:
    from lom_bot.services.matching_directory import Directory, Known

import re

REF_IN_TEXT = re.compile(r"\blom[-\s]?0*(\d{1,7})\b", re.IGNORECASE)


@dataclass
class Hit:
    known: Known
    score: int
    strength: Literal["certain", "strong", "weak"]
    kind: str  # in words: "reference", "full name", "surname", "misspelt alias", ...
    words: range = range(0)  # a name's: the indexes of the tokens it was read from


@dataclass(frozen=True)
class Unknown:
    """A reference or valid PNC ID that names no subject on file."""

    what: str  # "reference LOM-0099", "PNC ID 04/0123456B"


def certain_hits(
    text: str, directory: Directory
) -> tuple[list[Hit], list[Hit], list[Unknown], list[tuple[int, int]]]:
    """Subjects named by reference or PNC ID (certain); a PNC ID on file with another check
    letter (weak); references and valid PNC IDs naming nobody; where in the text every
    reference and PNC ID is (known or not), in order."""
    hits: list[Hit] = []
    weak: list[Hit] = []
    unknown: list[Unknown] = []
    spans: list[tuple[int, int]] = []
    for m in REF_IN_TEXT.finditer(text):
        spans.append(m.span())
        ref = queries.subject_ref(int(m[1]))
        if ref in directory.by_ref:
            hits.append(Hit(directory.by_ref[ref], 100, "certain", "reference"))
        else:
            unknown.append(Unknown(f"reference {ref}"))
    for pnc, span in pncs_in(text):
        if any(s < span[1] and span[0] < e for s, e in spans):
            continue
        spans.append(span)
        if str(pnc) in directory.by_pnc:
            hits.append(Hit(directory.by_pnc[str(pnc)], 100, "certain", "PNC ID"))
        elif pnc.number in directory.by_pnc_number:
            known = directory.by_pnc_number[pnc.number]
            weak.append(Hit(known, 80, "weak", "PNC ID with another check letter"))
        elif pnc.valid:
            unknown.append(Unknown(f"PNC ID {pnc} (not on file)"))
    return hits, weak, unknown, sorted(spans)


def _close_subjects(lowered: list[str], directory: Directory, rules: Matching) -> list[Known]:
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


def name_hits(words: list[Token], directory: Directory, rules: Matching) -> list[Hit]:
    """Full names and aliases of two or more words, exact or misspelt, compared with runs of
    words of the same length; every word must be close, so "Is Inventive" is no "Dean
    Inventive". Also a one-word alias of one subject, exact and written as a name."""
    hits: list[Hit] = []
    lowered = [t.text.lower() for t in words]
    threshold = rules.possible_threshold
    ratios: dict[tuple[str, str], float] = {}  # word pairs compared once per message
    ends: dict[str, list[int]] = {}  # per last word of a name: the words close to it

    def close(a: str, b: str) -> bool:
        found = ratios.get((a, b))
        if found is None:
            found = ratios[(a, b)] = fuzz.ratio(a, b)
        return found >= threshold

    for known in _close_subjects(lowered, directory, rules):
        best: tuple[int, str, range] | None = None
        for form, kind in directory.forms[known.subject_id]:
            k = len(form)
            if k < 2:
                continue  # one-word aliases: single_hits
            last = form[-1]
            if last not in ends:
                ends[last] = [j for j, word in enumerate(lowered) if close(word, last)]
            for j in ends[last]:
                i = j - k + 1
                if i < 0 or words[i].run != words[j].run:
                    continue
                window = lowered[i : j + 1]
                if not all(close(a, b) for a, b in zip(window[:-1], form[:-1], strict=True)):
                    continue
                score = int(fuzz.ratio(" ".join(window), " ".join(form)))
                if score >= threshold and (best is None or score > best[0]):
                    best = (score, kind, range(i, j + 1))
        if best is None:
            continue
        score, kind, span = best
        strong = score >= rules.name_threshold
        if strong:
            for index in span:
                words[index].used = True
        said = kind if score == 100 else f"misspelt {kind}"
        hits.append(Hit(known, score, "strong" if strong else "weak", said, span))
    return hits


def single_hits(words: list[Token], directory: Directory, rules: Matching) -> list[Hit]:
    """Single words: a surname or one-word alias (exact, or misspelt when no name is exactly that
    word and it is no ordinary English word), or a first name (see first_name). A one-word alias
    of one subject, exact, is strong; anything else only possible. A word naming more than
    MANY_SUBJECTS subjects says nothing about who."""
    hits: list[Hit] = []
    for i, token in enumerate(words):
        word = token.text.lower()
        if token.used or word in directory.common or len(word) < 3:
            continue
        here = range(i, i + 1)
        exact = directory.single.get(word, [])
        for known, kind in exact:
            if may_be_name(words, i, rules, alias=kind == "alias"):
                alone = kind == "alias" and len(directory.single_subjects(word)) == 1
                strength: Literal["strong", "weak"] = "strong" if alone else "weak"
                hits.append(Hit(known, 100 if alone else 60, strength, kind, here))
        if first_name(words, i, rules):
            hits += [Hit(k, 60, "weak", "first name", here) for k in directory.given.get(word, [])]
        if exact or directory.given.get(word) or len(word) < 4 or ordinary(word, rules):
            continue
        if not may_be_name(words, i, rules, alias=True):
            continue
        for _, score, index in process.extract(
            word,
            directory.single_words,
            scorer=fuzz.ratio,
            score_cutoff=rules.name_threshold,
            limit=None,
        ):
            for known, kind in directory.single[directory.single_words[index]]:
                hits.append(Hit(known, int(score) - 20, "weak", f"misspelt {kind}", here))
    return hits
