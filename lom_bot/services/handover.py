"""Handing a caseload over: for a period (cover that ends by itself) or for good.

Cover is an effective-dated row read by store/holders.py, the one answer to "who holds this
subject on day D" that the digest, App Home, caseload lists, the card and tasks all use; so
nothing has to run when cover ends. A handover for good changes the subject's officer and
keeps a row saying who moved it, when and from whom.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AuditAction, Role
from lom_bot.domain.errors import InvalidInput, NotFound
from lom_bot.services.cover import covered_by_others
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.record_history import keep
from lom_bot.services.validation import text
from lom_bot.store.classification import Classification
from lom_bot.store.holders import covers_on, held_by
from lom_bot.store.tables import Handover, Subject, User
from lom_bot.store.uow import UnitOfWork

EXAMPLE = "/lom admin handover @dc.olu @dc.priya all until 11/12/2026"
MAX_COVER_DAYS = 366  # longer than a year is a permanent move, said as one
OFFICER_ROLES = (Role.LOM_OFFICER, Role.LOM_SUPERVISOR)


@dataclass(frozen=True)
class HandOver:
    giver: str  # Slack id or name of the officer whose caseload moves
    taker: str
    subjects: tuple[str, ...] = ()  # LOM references; none: all the giver holds today
    until: date | None = None  # last day of cover; None: for good
    reason: str | None = None
    only_cover: bool = False  # only the subjects the giver holds as cover for someone else


@dataclass(frozen=True)
class HandedOver:
    giver: str
    taker: str
    refs: tuple[str, ...]
    starts_on: date
    until: date | None
    returned: bool = False  # every subject went back to its own officer: cover ended early
    # subjects the giver held as cover, handed on "for good": the cover passes on, with its end
    passed_on: tuple[tuple[str, date], ...] = ()

    @property
    def message(self) -> str:
        if self.returned:
            what = _what(self.refs)
            return f"{what} back with {self.taker}, their own officer, from today: cover ended."
        if self.until is None:
            covered = {ref for ref, _ in self.passed_on}
            lines = []
            if kept := tuple(r for r in self.refs if r not in covered):
                lines.append(
                    f"{_what(kept)} handed over from {self.giver} to {self.taker} for good."
                )
            for end, refs in _by_end(self.passed_on).items():
                lines.append(
                    f"{_what(refs)} held by {self.giver} as cover, not for good: {self.taker} "
                    f"covers until {format_date(end)} inclusive; then they go back to their "
                    "own officer by themselves."
                )
            return "\n".join(lines)
        back = format_date(self.until + timedelta(days=1))
        return (
            f"{_what(self.refs)}: {self.taker} covers for {self.giver} "
            f"from {format_date(self.starts_on)} "
            f"to {format_date(self.until)} inclusive; they go back to {self.giver} on {back} "
            "by themselves."
        )


def _what(refs: tuple[str, ...]) -> str:
    n = len(refs)
    return f"{n} subject{'s' if n != 1 else ''} ({', '.join(refs)})"


def _by_end(passed_on: tuple[tuple[str, date], ...]) -> dict[date, tuple[str, ...]]:
    ends: dict[date, tuple[str, ...]] = {}
    for ref, end in passed_on:
        ends[end] = (*ends.get(end, ()), ref)
    return ends


def find_officer(uow: UnitOfWork, who: str, field: str) -> User:
    """A LOM officer or supervisor by Slack id or by name (one match, case-insensitive)."""
    word = who.strip().lstrip("@")
    users = list(
        uow.session.scalars(
            select(User).where(
                or_(User.slack_id == word.upper(), func.lower(User.name) == word.lower())
            )
        )
    )
    if not users and len(word) >= 3:
        users = list(
            uow.session.scalars(
                select(User).where(func.lower(User.name).contains(word.lower().replace(".", " ")))
            )
        )
    users = [u for u in users if u.role in OFFICER_ROLES and u.active]
    if len(users) != 1:
        problem = "is not a LOM officer" if not users else "matches more than one officer"
        raise NotFound(f"'{who[:40]}' {problem}.", field=field, example=EXAMPLE)
    return users[0]


def _chosen(uow: UnitOfWork, giver: User, cmd: HandOver, today: date) -> list[Subject]:
    refs = cmd.subjects
    held = list(
        uow.session.scalars(select(Subject).where(held_by(today, giver.id)).order_by(Subject.ref))
    )
    if cmd.only_cover:
        held = [s for s in held if s.officer_id != giver.id]
        if not held:
            raise InvalidInput(f"{giver.name} is covering for nobody today.", field="subjects")
    if not refs:
        if not held:
            others = covered_by_others(uow.session, giver, today)
            raise InvalidInput(
                f"{giver.name} holds no subjects today{others}.",
                field="subjects",
            )
        return held
    by_ref = {s.ref: s for s in held}
    chosen = []
    for ref in dict.fromkeys(r.strip().upper() for r in refs):
        if ref not in by_ref:
            raise InvalidInput(
                f"{giver.name} does not hold {ref[:20]} today, so cannot hand it over.",
                field="subjects",
                example=EXAMPLE,
            )
        chosen.append(by_ref[ref])
    return chosen


def hand_over(uow: UnitOfWork, actor: Actor, cmd: HandOver) -> HandedOver:
    """Move subjects from one officer to another, audited; both officers are told by DM."""
    with uow:
        require(actor, Action.HANDOVER_CASELOAD)
        today = uow.clock.today()
        giver = find_officer(uow, cmd.giver, "from")
        taker = find_officer(uow, cmd.taker, "to")
        if giver.id == taker.id:
            raise InvalidInput("Hand over to a different officer.", field="to", example=EXAMPLE)
        if cmd.until is not None and cmd.until < today:
            raise InvalidInput(
                f"Cover cannot end before today ({format_date(cmd.until)} is past).",
                field="until",
                example=EXAMPLE,
            )
        if cmd.until is not None and (cmd.until - today).days > MAX_COVER_DAYS:
            raise InvalidInput(
                "Cover lasts at most a year; for longer, hand over for good (no `until`).",
                field="until",
            )
        reason = text(cmd.reason, "reason")
        subjects = _chosen(uow, giver, cmd, today)
        covers = covers_on(uow.session, today, [s.id for s in subjects])
        owners = {s.id: s.officer_id for s in subjects}  # before anything moves
        passed_on: list[tuple[str, date]] = []
        for subject in subjects:
            until = cmd.until
            if until is None and subject.id in covers:
                until = covers[subject.id].until  # the giver was covering: the cover passes on
                if owners[subject.id] != taker.id and until is not None:
                    passed_on.append((subject.ref, until))
            elif until is None:  # for good: the subject's officer changes, kept in its history
                subject.officer_id = taker.id
                subject.version += 1
                keep(
                    uow,
                    actor,
                    subject,
                    entity="subject",
                    entity_id=subject.id,
                    record_ref=subject.ref,
                    field="officer",
                    before=giver.name if owners[subject.id] == giver.id else None,
                    after=taker.name,
                    reason=reason or "caseload handover",
                    correction=False,
                )
            uow.session.add(
                Handover(
                    subject_id=subject.id,
                    from_officer_id=giver.id,
                    to_officer_id=taker.id,
                    starts_on=today,
                    until=until,
                    made_by=actor.user_id,
                    made_at=uow.clock.now(),
                    reason=(reason or "")[:200] or None,
                )
            )
            uow.audit(
                actor.slack_id,
                AuditAction.ALTERATION,
                "caseload.handover",
                entity="subject",
                entity_id=subject.id,
                subject_ref=subject.ref,
                detail={
                    "from": giver.slack_id,
                    "to": taker.slack_id,
                    "until": until.isoformat() if until else None,
                    "reason": reason,
                },
            )
        returned = cmd.until is None and all(owners[s.id] == taker.id for s in subjects)
        refs = tuple(s.ref for s in subjects)
        done = HandedOver(
            giver.name, taker.name, refs, today, cmd.until, returned, tuple(passed_on)
        )
        _tell(uow, actor, giver, taker, subjects, done)
        uow.commit()
        return done


def _tell(
    uow: UnitOfWork,
    actor: Actor,
    giver: User,
    taker: User,
    subjects: list[Subject],
    done: HandedOver,
) -> None:
    """The new officer gets the list by DM (their digest and App Home follow); the officer
    handing over is told too."""
    ends = dict(done.passed_on)
    names = "\n".join(
        f"• {s.ref} {s.name} ({s.district})"
        + (f": as cover, until {format_date(ends[s.ref])} inclusive" if s.ref in ends else "")
        for s in subjects
    )
    span = f"until {format_date(done.until)} inclusive" if done.until else "for good"
    if done.returned:
        told = (
            (
                taker,
                f"{actor.name} has ended {giver.name}'s cover: these subjects are back "
                f"with you from today:\n{names}\nThey are in your daily due list and App Home.",
            ),
            (
                giver,
                f"{actor.name} has ended your cover: these subjects are back with "
                f"{taker.name} from today:\n{names}",
            ),
        )
    else:
        if ends and len(ends) == len(subjects):
            span = "as cover (each until the date shown)"
        elif ends:
            span = "for good, or as cover until the date shown"
        told = (
            (
                taker,
                f"{actor.name} has handed you {giver.name}'s subjects {span}:\n{names}\n"
                "They are in your daily due list and App Home from today.",
            ),
            (
                giver,
                f"{actor.name} has handed {'the subjects you held' if ends else 'your subjects'}"
                f" to {taker.name} {span}:\n{names}",
            ),
        )
    for user, text_ in told:
        uow.send(
            "dm",
            user.slack_id,
            {"text": text_},
            actor=actor.slack_id,
            classification=Classification.DETAIL,
            subjects=[s.ref for s in subjects],
            purpose="caseload handover",
        )
