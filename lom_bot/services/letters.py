"""Generating letters (warning, final warning, confirmation of expiry) from the stored facts."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AuditAction, ChecklistKind, FollowUpKind, OrderStatus
from lom_bot.domain.errors import IllegalTransition, InvalidInput, NotFound
from lom_bot.domain.wording import check_final_wording
from lom_bot.letters.docx_builder import TITLES, LetterFacts, build_letter
from lom_bot.services.letter_service import letter_ref
from lom_bot.services.orders.checklists import latest_checklist, steps_of
from lom_bot.services.orders.common import conditions_of, find_order
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.subjects import access_subject
from lom_bot.services.validation import text
from lom_bot.store.classification import Classification
from lom_bot.store.tables import (
    Assessment,
    BreachReport,
    Condition,
    Document,
    FollowUp,
    Order,
    Subject,
)
from lom_bot.store.uow import UnitOfWork

KINDS = {
    FollowUpKind.WARNING_LETTER: "warning_letter",
    FollowUpKind.FINAL_WARNING_LETTER: "final_warning_letter",
}
EXPIRY = "expiry_confirmation"
EXPIRY_STEP = "Written confirmation of expiry issued"


@dataclass(frozen=True)
class GenerateLetter:
    """A letter for a subject, or for an assessment's FollowUp (which supplies the facts)."""

    kind: str  # warning_letter | final_warning_letter | expiry_confirmation
    subject: str | None = None
    follow_up_id: int | None = None
    conditions: tuple[int, ...] = ()  # condition numbers; default: the breach's condition
    failure: str | None = None
    response_on: date | None = None  # a date; default: the follow-up's due date or +7 days


@dataclass(frozen=True)
class Letter:
    document_id: int
    filename: str
    title: str
    subject_ref: str
    content: bytes


def generate_letter(uow: UnitOfWork, actor: Actor, cmd: GenerateLetter) -> Letter:
    """Write the letter, keep it with the record, DM it to the officer; audited."""
    with uow:
        require(actor, Action.GENERATE_LETTER)
        kind = cmd.kind
        follow_up = _follow_up(uow, cmd)
        if follow_up is not None:
            kind = KINDS.get(follow_up.kind, "")
            if not kind:
                raise InvalidInput(
                    f"Follow-up {follow_up.id} is a {follow_up.kind.value}, not a letter.",
                    field="follow_up",
                )
            ref = uow.session.get_one(Subject, follow_up.subject_id).ref
            subject = access_subject(uow, actor, ref, purpose="generate letter")
        elif cmd.subject:
            subject = access_subject(uow, actor, cmd.subject, purpose="generate letter")
        else:
            raise InvalidInput(
                "Which subject is the letter for?", field="subject", example="LOM-0001"
            )
        if kind not in TITLES:
            raise InvalidInput(
                f"There is no letter '{kind}'. Letters: {', '.join(TITLES)}.",
                field="kind",
                example="warning_letter",
            )
        _, order = find_order(uow, actor, subject.ref, purpose="generate letter")
        today = uow.clock.today()
        if kind == EXPIRY:
            quoted: tuple[tuple[int, str], ...] = ()
            failure = None
            response_on: date | None = None
            if order.status not in (OrderStatus.EXPIRED, OrderStatus.CLOSED):
                raise IllegalTransition(
                    f"{order.ref} has not expired: no confirmation of expiry yet."
                )
            # its closure step is ticked when the letter is served (services/letter_service.py)
        else:
            quoted = _quoted(uow, order, cmd, follow_up)
            # A letter quotes the conditions "exactly as the court made them": never a template.
            check_final_wording(
                quoted,
                step="A warning letter",
                remedy="Record the court's wording first (a `vary` with the certified copy).",
            )
            failure = text(cmd.failure, "failure") or _assessed_failure(uow, follow_up, quoted)
            if not failure:
                raise InvalidInput(
                    "Say what the failure was, as it will appear in the letter.",
                    field="failure",
                    example="'did not notify a new phone'",
                )
            # Seven days from the letter's own date, never fewer (a letter drafted days after
            # the assessment still gives the full time); a later date may be given.
            earliest = today + timedelta(days=uow.config.due.warning_letter_response_days)
            response_on = max(cmd.response_on or earliest, earliest)
        officer = actor.name
        signer = next((u for u in uow.config.users if u.slack_id == actor.slack_id), None)
        breach = _breach(uow, follow_up)
        facts = LetterFacts(
            kind=kind,
            force=uow.config.force,
            dated=today,
            subject_name=subject.name,
            subject_ref=subject.ref,
            address=subject.address,
            order_ref=order.ref,
            court=order.court,
            made_on=order.made_on,
            expires_on=order.expires_on,
            conditions=quoted,
            failure=failure,
            response_on=response_on,
            officer=officer,
            salutation=f"{subject.title} {subject.family_name}" if subject.title else "",
            number=_number(uow, subject.id) if kind in KINDS.values() else None,
            breach_ref=breach.ref if breach is not None else None,
            collar_number=signer.collar_number if signer else None,
            contact=signer.contact if signer else None,
        )
        content = build_letter(facts)
        filename = f"{subject.ref}-{kind.replace('_', '-')}-{today.isoformat()}.docx"
        document = Document(
            subject_id=subject.id,
            kind=kind,
            filename=filename,
            content=content,
            follow_up_id=follow_up.id if follow_up else None,
            created_by=actor.user_id,
            created_at=uow.clock.now(),
        )
        uow.session.add(document)
        uow.session.flush()
        uow.audit(
            actor.slack_id,
            AuditAction.COLLECTION,
            "letter.generated",
            entity="document",
            entity_id=document.id,
            subject_ref=subject.ref,
            detail={
                "kind": kind,
                "order": order.ref,
                "follow_up": document.follow_up_id,
                "conditions": [n for n, _ in quoted],
            },
        )
        title = f"{TITLES[kind]} ({subject.ref})"
        uow.send(
            "upload",
            actor.slack_id,
            {
                "filename": filename,
                "title": title,
                "initial_comment": f"{title}, {letter_ref(document.id)}: check it, print it and "
                f"serve it, then `/lom letter served {letter_ref(document.id)} in person`. "
                "OFFICIAL-SENSITIVE.",
                "content": base64.b64encode(content).decode(),
            },
            actor=actor.slack_id,
            classification=Classification.DETAIL,
            subjects=[subject.ref],
            purpose="letter to the officer",
            link=("documents", document.id),
        )
        uow.commit()
        return Letter(document.id, filename, title, subject.ref, content)


def _follow_up(uow: UnitOfWork, cmd: GenerateLetter) -> FollowUp | None:
    if cmd.follow_up_id is None:
        return None
    found = uow.session.get(FollowUp, cmd.follow_up_id)
    if found is None:
        raise NotFound(f"No follow-up {cmd.follow_up_id}.", field="follow_up")
    return found


def _breach(uow: UnitOfWork, follow_up: FollowUp | None) -> BreachReport | None:
    if follow_up is None or follow_up.breach_id is None:
        return None
    return uow.session.get(BreachReport, follow_up.breach_id)


def _assessed_failure(
    uow: UnitOfWork, follow_up: FollowUp | None, quoted: tuple[tuple[int, str], ...]
) -> str | None:
    """The failure from the assessment's own fields (what, when, where), never the reporter's
    words: a district's message may name associates or sources the subject must not learn."""
    breach = _breach(uow, follow_up)
    if breach is None:
        return None
    assessment = uow.session.scalars(
        select(Assessment).where(Assessment.breach_id == breach.id)
    ).one_or_none()
    numbers = ", ".join(str(n) for n, _ in quoted)
    when = (breach.seen_at or "").strip()
    if not when:
        when = format_date(breach.received_at.astimezone(uow.clock.tz).date())
    place = (breach.seen_where or "").strip()
    where = f" at {place}" if place else ""
    decided = ""
    if assessment is not None:
        on = assessment.decided_at.astimezone(uow.clock.tz).date()
        decided = f" This was assessed on {format_date(on)} (our reference {breach.ref})."
    return (
        f"On or about {when}{where}, you failed to comply with condition {numbers} of the "
        f"order quoted above.{decided}"
    )


def _number(uow: UnitOfWork, subject_id: int) -> int:
    """This warning letter's number among the subject's warning letters (first, second...)."""
    earlier = uow.session.scalars(
        select(Document.id).where(
            Document.subject_id == subject_id, Document.kind.in_(tuple(KINDS.values()))
        )
    ).all()
    return len(earlier) + 1


def _quoted(
    uow: UnitOfWork, order: Order, cmd: GenerateLetter, follow_up: FollowUp | None
) -> tuple[tuple[int, str], ...]:
    """The condition(s) concerned, verbatim as in force."""
    in_force = {c.number: c for c in conditions_of(uow, order) if c.active}
    if cmd.conditions:
        missing = [n for n in cmd.conditions if n not in in_force]
        if missing:
            raise InvalidInput(
                f"{order.ref} has no condition {missing[0]} in force; it has "
                f"{', '.join(map(str, sorted(in_force)))}.",
                field="conditions",
            )
        return tuple((n, in_force[n].wording) for n in sorted(set(cmd.conditions)))
    breach = _breach(uow, follow_up)
    if breach is not None and breach.condition_id is not None:
        condition = uow.session.get_one(Condition, breach.condition_id)
        return ((condition.number, condition.wording),)
    raise InvalidInput(
        "Which condition(s) does the letter concern?", field="conditions", example="1,3"
    )


def tick_expiry_step(
    uow: UnitOfWork, actor: Actor, subject: Subject, served_on: date, reference: str
) -> None:
    """Serving the confirmation of expiry ticks that closure step of the subject's order."""
    _, order = find_order(uow, actor, subject.ref, purpose="record a letter's service")
    checklist = latest_checklist(uow, order, ChecklistKind.CLOSURE)
    if checklist is None:
        return
    for step in steps_of(uow, checklist):
        if step.name == EXPIRY_STEP and step.done_on is None:
            step.done_on = served_on
            step.done_by = actor.user_id
            step.reference = f"{reference} served"


def documents_for(uow: UnitOfWork, subject_id: int) -> list[Document]:
    return list(
        uow.session.scalars(
            select(Document).where(Document.subject_id == subject_id).order_by(Document.id)
        )
    )
