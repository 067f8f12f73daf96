"""Finding, creating and viewing subjects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz, process
from sqlalchemy import select

from lom_bot.domain.dates import add_years
from lom_bot.domain.enums import AuditAction, CustodyStatus, ReleaseDateKind, RiskLevel
from lom_bot.domain.errors import (
    Ambiguous,
    InvalidInput,
    NotAuthorised,
    NotFound,
    ReadOnlyRecord,
)
from lom_bot.services.permissions import Action, Actor, require, require_district
from lom_bot.store import queries
from lom_bot.store.tables import Alias, ReleaseDate, Subject, User
from lom_bot.store.uow import UnitOfWork

FIND_EXAMPLE = "LOM-0042, a PNC ID such as 19/0012345X, or a name"


def _no_match(text: str) -> str:
    return f"No subject matches '{text[:80]}'."


def access_subject(uow: UnitOfWork, actor: Actor, query: str, *, purpose: str) -> Subject:
    """Find one subject the actor may see, by reference, PNC ID, or name/alias."""
    session = uow.session
    text = (query or "").strip()
    if not text:
        raise InvalidInput("Which subject?", field="subject", example=FIND_EXAMPLE)
    subject = queries.by_ref(session, text) or queries.by_pnc(session, text)
    if subject is None:
        district = actor.district if actor.is_district else None
        matches = queries.by_name(session, text, district)
        if not matches:
            matches = _fuzzy(uow, text, district)
        if not matches:
            raise NotFound(_no_match(text), field="subject", example=FIND_EXAMPLE)
        if len(matches) > 1:
            raise Ambiguous(
                f"'{text[:80]}' matches {len(matches)} subjects: which one?",
                [(s.ref, f"{s.ref} {s.name} ({s.district})") for s in matches[:25]],
                who=actor.slack_id,
                query=text[:80],
            )
        subject = matches[0]
    try:
        require_district(actor, subject.district, subject.ref)
    except NotAuthorised as refusal:
        # Refused and audited, but in the words of a miss: the answer must not tell a district
        # officer that another district's reference or PNC ID exists.
        refusal.message, refusal.field, refusal.example = _no_match(text), "subject", FIND_EXAMPLE
        refusal.args = (refusal.message,)
        raise
    uow.audit(
        actor.slack_id,
        AuditAction.CONSULTATION,
        "subject.looked_up",
        entity="subject",
        entity_id=subject.id,
        subject_ref=subject.ref,
        purpose=purpose,
        detail={"query": text[:80]},
    )
    return subject


def _fuzzy(uow: UnitOfWork, text: str, district: str | None) -> list[Subject]:
    names = queries.all_names(uow.session)
    hits = process.extract(
        text,
        [n for _, _, n in names],
        scorer=fuzz.WRatio,
        limit=10,
        score_cutoff=uow.config.matching.name_threshold,
    )
    ids = list(dict.fromkeys(names[index][0] for _, _, index in hits))
    if not ids:
        return []
    query = select(Subject).where(Subject.id.in_(ids))
    if district:
        query = query.where(Subject.district == district)
    return list(uow.session.scalars(query.order_by(Subject.ref)))


def writable(subject: Subject) -> None:
    if subject.read_only:
        raise ReadOnlyRecord(f"{subject.ref} was transferred out and is read-only for this force.")


@dataclass(frozen=True)
class NewSubject:
    given_names: str
    family_name: str
    district: str
    risk_level: RiskLevel
    custody_status: CustodyStatus
    born_on: date | None = None
    pnc_id: str | None = None
    niche_id: str | None = None
    visor_ref: str | None = None
    prison_number: str | None = None
    address: str | None = None
    description: str | None = None
    aliases: tuple[str, ...] = ()
    officer_slack_id: str | None = None
    release_dates: dict[ReleaseDateKind, date] = field(default_factory=dict)


def create_subject(
    uow: UnitOfWork, actor: Actor, new: NewSubject, *, source: str = "chat", commit: bool = True
) -> Subject:
    """Record a new subject; returns it with its LOM reference."""
    require(actor, Action.EDIT_SUBJECT)
    session = uow.session
    district = uow.config.district(new.district)
    if district is None:
        names = ", ".join(d.name for d in uow.config.districts)
        raise InvalidInput(
            f"'{new.district}' is not a district here; use one of {names}.",
            field="district",
            example="Leeds",
        )
    if not new.given_names.strip() or not new.family_name.strip():
        raise InvalidInput(
            "A subject needs a given name and a family name.",
            field="name",
            example="Darren Fictional",
        )
    pnc = None
    if new.pnc_id:
        pnc = queries.normalise_pnc(new.pnc_id)
        if pnc is None:
            raise InvalidInput(
                f"'{new.pnc_id}' is not a PNC ID.", field="pnc_id", example="19/0012345X"
            )
        if session.scalars(select(Subject.id).where(Subject.pnc_id == pnc)).first():
            raise InvalidInput(f"A subject with PNC ID {pnc} already exists.", field="pnc_id")
    officer_id = None
    if new.officer_slack_id:
        officer_id = session.scalars(
            select(User.id).where(User.slack_id == new.officer_slack_id)
        ).first()
    today = uow.clock.today()
    if new.born_on and new.born_on >= today:
        raise InvalidInput("The date of birth must be in the past.", field="born_on")
    subject = Subject(
        ref="pending",
        given_names=new.given_names.strip(),
        family_name=new.family_name.strip(),
        born_on=new.born_on,
        pnc_id=pnc,
        niche_id=new.niche_id,
        visor_ref=new.visor_ref,
        prison_number=new.prison_number,
        address=new.address,
        district=district.name,
        description=new.description,
        risk_level=new.risk_level,
        custody_status=new.custody_status,
        officer_id=officer_id or actor.user_id,
        review_on=add_years(today, uow.config.retention.review_after_years.get("subject", 6)),
    )
    session.add(subject)
    session.flush()
    subject.ref = queries.subject_ref(subject.id)
    for alias in dict.fromkeys(a.strip() for a in new.aliases if a.strip()):
        session.add(Alias(subject_id=subject.id, name=alias))
    for kind, on in new.release_dates.items():
        session.add(
            ReleaseDate(
                subject_id=subject.id,
                kind=kind,
                on=on,
                recorded_at=uow.clock.now(),
                recorded_by=actor.user_id,
            )
        )
    uow.audit(
        actor.slack_id,
        AuditAction.COLLECTION,
        "subject.created",
        entity="subject",
        entity_id=subject.id,
        subject_ref=subject.ref,
        detail={"source": source},
    )
    if commit:
        uow.commit()
    return subject


def update_subject(
    uow: UnitOfWork,
    actor: Actor,
    query: str,
    *,
    risk_level: RiskLevel | None = None,
    custody_status: CustodyStatus | None = None,
    address: str | None = None,
) -> str:
    """Risk, custody or address changed: the one path (subject_edits), history kept."""
    from lom_bot.domain.errors import InvalidInput as Unchanged
    from lom_bot.services.subject_edits import edit_subject

    wanted = {"risk": risk_level, "custody": custody_status, "address": address}
    changes: dict[str, object] = {k: v for k, v in wanted.items() if v is not None}
    try:
        done = edit_subject(uow, actor, query, changes)
    except Unchanged as exc:
        if "nothing changed" in exc.message or "is already" in exc.message:
            return f"{query}: nothing to change."
        raise
    return " ".join(done)
