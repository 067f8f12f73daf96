"""Plain-language records: what the bot understood from a message, kept as a draft until the
officer confirms it. Nothing is guessed: what is not understood becomes a question."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from lom_bot.domain import vocab
from lom_bot.domain.dates import format_date
from lom_bot.domain.errors import AlreadyDone, Ambiguous, DomainError, NotAuthorised, NotFound
from lom_bot.domain.grading import parse_grading
from lom_bot.handlers.forms import FORMS
from lom_bot.handlers.parsing import is_reference
from lom_bot.handlers.registry import CommandContext, Reply
from lom_bot.services.draft_subjects import recognise
from lom_bot.services.permissions import Action, Actor, can
from lom_bot.services.subjects import access_subject
from lom_bot.store.tables import Draft, SeenEvent
from lom_bot.store.uow import UnitOfWork

_MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")
_DATE_WORD = re.compile(r"^(today|yesterday|tomorrow|\d{1,4}[/.-]\d{1,2}([/.-]\d{1,4})?)$")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# words for a day that are a reading, not a date: shown on the Confirm card as a guess
_SPOKEN = {("last", "night"): 1, ("this", "morning"): 0, ("this", "afternoon"): 0, ("tonight",): 0}
POINTER = (
    "I can log a contact or a check if you name the subject (LOM-0042, a PNC ID or their "
    "name) and say what happened, e.g. `LOM-0042 home visit, seen at home, no concerns`. "
    "For anything else, `/lom help` lists what I can do."
)


@dataclass
class Understood:
    form: str  # contact | check | intel
    values: dict[str, str]
    subject_label: str | None = None
    date_assumed: bool = False
    questions: list[str] = field(default_factory=list)
    describes: bool = True  # it names a kind of contact, an outcome, a check or a grading
    guesses: list[str] = field(default_factory=list)  # what was read, not said outright
    text: str = ""


def spoken_day(words: list[str], i: int, today: date) -> tuple[date, int, str] | None:
    """'Monday', 'last night', 'this morning' at word i: (the day, words used, as said)."""
    for phrase, back in _SPOKEN.items():
        if tuple(vocab.norm(w) for w in words[i : i + len(phrase)]) == phrase:
            return today - timedelta(days=back), len(phrase), " ".join(phrase)
    word = vocab.norm(words[i]) if i < len(words) else ""
    start = 0
    if word == "last" and i + 1 < len(words):
        word, start = vocab.norm(words[i + 1]), 1
    if word in WEEKDAYS:
        weekday = WEEKDAYS.index(word)
        back = (today.weekday() - weekday) % 7 or (7 if start else 0)
        said = " ".join(vocab.norm(w) for w in words[i : i + start + 1])
        return today - timedelta(days=back), start + 1, said
    return None


def _free(used: list[tuple[int, int]], hit: vocab.Hit) -> bool:
    return all(hit.end <= a or hit.start >= b for a, b in used)


def _find_free(
    words: list[str], synonyms: vocab.Synonyms, used: list[tuple[int, int]]
) -> vocab.Hit | None:
    for i in range(len(words)):
        hit = vocab.match_at(words, i, synonyms)
        if hit is not None and _free(used, hit):
            return hit
    return None


def _grading(words: list[str]) -> tuple[int, int] | None:
    for i, word in enumerate(words):
        try:
            parse_grading(word)
        except DomainError:
            continue
        return i, i + 1
    return None


def _rest(words: list[str], used: list[tuple[int, int]]) -> str:
    kept = [w for i, w in enumerate(words) if all(not (a <= i < b) for a, b in used)]
    text = " ".join(kept)
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    text = re.sub(r"([,.;:])(\s*[,.;:])+", r"\1", text)
    return text.strip(" ,.;:-")


def understand(text: str, today: date) -> Understood:
    """Read a message such as 'LOM-0042 home visit, seen at home, new white van on the drive'."""
    words = _MENTION.sub(" ", text).split()
    used: list[tuple[int, int]] = []
    values: dict[str, str] = {}
    questions: list[str] = []
    ref_at = next((i for i, w in enumerate(words) if is_reference(w)), None)
    if ref_at is not None:
        values["subject"] = vocab.norm(words[ref_at]).upper()
        used.append((ref_at, ref_at + 1))
    else:
        questions.append("Which subject? Start the message with the LOM reference, e.g. LOM-0042.")
    graded = _grading(words)
    check_kind = _find_free(words, vocab.CHECK_KINDS, used)
    if graded is not None:
        form = "intel"
        used.append(graded)
        values["grading"] = words[graded[0]]
    elif check_kind is not None and "check" in {vocab.norm(w) for w in words}:
        form = "check"
        used.append((check_kind.start, check_kind.end))
        values["kind"] = check_kind.value.value
        result = _find_free(words, vocab.CHECK_RESULTS, used)
        if result is None:
            questions.append("What was the result: no concerns, or a concern?")
        else:
            used.append((result.start, result.end))
            values["result"] = result.value.value
    else:
        form = "contact"
        kind = _find_free(words, vocab.CONTACT_KINDS, used)
        if kind is None:
            known = ", ".join(vocab.label(k) for k in vocab.CONTACT_KINDS)
            questions.append(f"What kind of contact was it? ({known})")
        else:
            used.append((kind.start, kind.end))
            values["kind"] = kind.value.value
        outcome = _find_free(words, vocab.CONTACT_OUTCOMES, used)
        if outcome is None:
            questions.append("What was the outcome? (complied, no answer, failed to comply...)")
        else:
            used.append((outcome.start, outcome.end))
            values["outcome"] = outcome.value.value
    assumed = form != "intel"
    guesses: list[str] = []
    for i, word in enumerate(words):
        if form == "intel" or any(a <= i < b for a, b in used):
            continue
        if _DATE_WORD.match(vocab.norm(word)):
            used.append((i, i + 1))
            on = vocab.date_at(words, i, today)
            if on is None:
                questions.append(f"'{vocab.norm(word)}' is not a real date: which day was it?")
            values["date"] = format_date(on) if on else vocab.norm(word)
            assumed = False
            break
        spoken = spoken_day(words, i, today)
        if spoken is not None:
            on, size, said = spoken
            used.append((i, i + size))
            values["date"] = format_date(on)
            guesses.append(f"date: '{said}' read as {format_date(on)}")
            assumed = False
            break
    if assumed:
        values["date"] = format_date(today)
    rest = _rest(words, used)
    if rest:
        values["text" if form == "intel" else "notes"] = rest
    elif form == "intel":
        questions.append("What is the intelligence itself?")
    describes = form != "contact" or any(k in values for k in ("kind", "outcome"))
    return Understood(
        form,
        values,
        date_assumed=assumed,
        questions=questions,
        describes=describes,
        guesses=guesses,
        text=" ".join(words),
    )


WHICH = "Which subject?"


def describe_subject(uow: UnitOfWork, actor: Actor, found: Understood) -> None:
    """Name the subject in the reply, or turn a failed look-up into a question. A subject named
    by name or alias, not reference, is found by the matcher and shown as a guess."""
    ref = found.values.get("subject")
    if not ref:
        recognised = recognise(uow, actor, found.text)
        if recognised is None:
            return
        found.questions = [q for q in found.questions if not q.startswith(WHICH)]
        if recognised.subject is None:
            found.questions.insert(0, recognised.question or WHICH)
            found.values["subject"] = "?"
            return
        found.values["subject"] = recognised.subject.ref
        found.subject_label = f"{recognised.subject.ref} {recognised.subject.name}"
        if recognised.guess:
            found.guesses.insert(0, f"subject: {recognised.subject.ref} {recognised.guess}")
        _drop_name(found, recognised.subject.name)
        return
    try:
        subject = access_subject(uow, actor, ref, purpose="plain message record")
    except (NotFound, Ambiguous, NotAuthorised) as exc:
        found.questions.insert(0, exc.message)
        return
    found.values["subject"] = subject.ref
    found.subject_label = f"{subject.ref} {subject.name}"


def save_draft(
    uow: UnitOfWork, actor: Actor, event_id: str | None, found: Understood
) -> int | None:
    """Keep the draft (once per Slack event); None when this event was already handled."""
    with uow:
        if event_id:
            if uow.session.get(SeenEvent, event_id) is not None:
                return None
            uow.session.add(SeenEvent(event_id=event_id, seen_at=uow.clock.now()))
        describe_subject(uow, actor, found)
        if not found.values.get("subject") or not found.describes:
            uow.commit()  # the event is remembered, so a redelivery gets no second pointer
            return NOT_A_RECORD
        draft = Draft(
            user_slack_id=actor.slack_id,
            kind=found.form,
            data=found.values,
            created_at=uow.clock.now(),
        )
        uow.session.add(draft)
        uow.session.flush()
        uow.commit()
        return draft.id


NOT_A_RECORD = 0  # save_draft's answer for a message that names no subject or no contact


def _drop_name(found: Understood, name: str) -> None:
    """The subject's name is not part of the notes."""
    notes = found.values.get("notes")
    if notes:
        for part in (name, *name.split()):
            notes = re.sub(rf"\b{re.escape(part)}\b", "", notes, flags=re.IGNORECASE)
        found.values["notes"] = _rest(notes.split(), []) or ""
        if not found.values["notes"]:
            del found.values["notes"]


def may_record(actor: Actor, form: str) -> bool:
    needed = {"contact": Action.LOG_CONTACT, "check": Action.LOG_CHECK, "intel": Action.LOG_INTEL}
    return can(actor, needed[form])


def load_draft(uow: UnitOfWork, actor: Actor, draft_id: int) -> Draft:
    with uow:
        draft = uow.session.get(Draft, draft_id)
        if draft is None or draft.user_slack_id != actor.slack_id:
            raise NotFound("That draft is not yours or no longer exists.")
        return draft


def confirm_draft(ctx: CommandContext, draft_id: int) -> Reply:
    """Save the draft through the same form as the command; a second click saves nothing."""
    draft = load_draft(ctx.rt.uow(), ctx.actor, draft_id)
    if draft.used_at is not None:
        raise AlreadyDone("That record was already saved (a double click?). Nothing was added.")
    values = {**draft.data, "request_key": f"draft:{draft.id}"}
    reply = FORMS[draft.kind].run(ctx, values)
    uow = ctx.rt.uow()
    with uow:
        saved = uow.session.scalars(select(Draft).where(Draft.id == draft.id)).one()
        saved.used_at = uow.clock.now()
        uow.commit()
    return reply
