"""Who a plain message to the bot is about, when it names the subject by name or alias rather
than by reference: the district matcher (services/matching) asked, its answer permission-checked.
A name match is a guess, and is shown as one on the Confirm card."""

from __future__ import annotations

from dataclasses import dataclass

from lom_bot.domain.errors import DomainError
from lom_bot.services.matching import cached_directory, match_message
from lom_bot.services.permissions import Actor
from lom_bot.services.subjects import access_subject
from lom_bot.store.tables import Subject
from lom_bot.store.uow import UnitOfWork


@dataclass(frozen=True)
class Recognised:
    subject: Subject | None
    guess: str | None = None  # how it was recognised, when not by reference
    question: str | None = None  # several possible subjects: which?


def recognise(uow: UnitOfWork, actor: Actor, text: str) -> Recognised | None:
    """The subject the message names (call inside `with uow`); None when it names none."""
    rules = uow.config.matching.model_copy(update={"require_keyword_for_name_only": False})
    match = match_message(text, cached_directory(uow.session), rules)
    if match is None:
        return None
    if match.status == "matched" and match.subject_id is not None:
        found = uow.session.get(Subject, match.subject_id)
        ref = found.ref if found else None
    elif len(match.candidates) == 1:
        ref = match.candidates[0]
    elif match.candidates:
        listed = ", ".join(match.candidates[:5])
        return Recognised(None, question=f"Which subject: {listed}? Edit to choose one.")
    else:
        return None
    if ref is None:
        return None
    try:
        subject = access_subject(uow, actor, ref, purpose="plain message record")
    except DomainError:
        return None  # not one this officer may see: treated as naming no one
    how = match.reason if match.reason != "reference" else None
    return Recognised(subject, guess=f"matched by {how}" if how else None)
