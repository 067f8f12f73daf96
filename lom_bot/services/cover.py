"""Cover as officers see it: the card's "covering for X until D", and the DMs when it ends.

Cover ends by itself (store/holders.py reads the subject's own officer again the day after
`until`); this module only says so to the people concerned."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lom_bot.domain.dates import format_date
from lom_bot.store.holders import covers_on, holder_column
from lom_bot.store.tables import Handover, Subject, User


def cover_note(owner: str | None, until: date) -> str:
    """What the card says after the holder's name while they hold a subject as cover."""
    return f"covering for {owner or 'no officer'} until {format_date(until)}"


def cover_ended_dms(session: Session, day: date) -> list[tuple[str, str, tuple[str, ...]]]:
    """(Slack id, text, subject refs) for each officer whose cover ended yesterday, and each
    officer the subjects went back to today. A subject already handed back early (its holder
    is the same yesterday and today) is not mentioned again."""
    yesterday = day - timedelta(days=1)
    ended = select(Handover.subject_id).where(Handover.until == yesterday)
    rows = session.execute(
        select(
            Subject,
            holder_column(yesterday).label("was"),
            holder_column(day).label("now"),
        )
        .where(Subject.id.in_(ended))
        .order_by(Subject.ref)
    ).all()
    moves: dict[tuple[int, int | None], list[str]] = defaultdict(list)
    refs: dict[tuple[int, int | None], list[str]] = defaultdict(list)
    for subject, was, now in rows:
        if was is None or was == now:
            continue
        moves[(was, now)].append(f"• {subject.ref} {subject.name} ({subject.district})")
        refs[(was, now)].append(subject.ref)
    ids = {i for pair in moves for i in pair if i is not None}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}
    out: list[tuple[str, str, tuple[str, ...]]] = []
    last = format_date(yesterday)
    for (was, now), lines in moves.items():
        names = "\n".join(lines)
        covering, back_to = users[was], users.get(now) if now is not None else None
        subjects = tuple(refs[(was, now)])
        if back_to is None:
            out.append(
                (
                    covering.slack_id,
                    f"Your cover ended on {last}. These subjects have no officer from today: "
                    f"ask a LOM supervisor to assign one.\n{names}",
                    subjects,
                )
            )
            continue
        out.append(
            (
                covering.slack_id,
                f"Your cover for {back_to.name} ended on {last}: these subjects are back "
                f"with {back_to.name} from today.\n{names}",
                subjects,
            )
        )
        out.append(
            (
                back_to.slack_id,
                f"{covering.name}'s cover ended on {last}: these subjects are back with you "
                f"from today, in your daily due list and App Home.\n{names}",
                subjects,
            )
        )
    return out


def covered_by_others(session: Session, giver: User, today: date) -> str:
    """': their 14 subjects are held as cover by DC Priya Patel until 10/12/2026', or ''."""
    mine = list(session.scalars(select(Subject.id).where(Subject.officer_id == giver.id)))
    covers = covers_on(session, today, mine)
    if not covers:
        return ""
    ids = {c.to_officer_id for c in covers.values()}
    names = {u.id: u.name for u in session.scalars(select(User).where(User.id.in_(ids)))}
    by = sorted({f"{names.get(c.to_officer_id)} until {format_date(c.until)}"
                 for c in covers.values() if c.until is not None})  # fmt: skip
    return (
        f": their {len(covers)} subject{'s' if len(covers) != 1 else ''} are held as cover by "
        + "; ".join(by)
        + ", who can hand them on"
    )
