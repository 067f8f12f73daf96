"""The caseload list: an officer's, the team's or a district's subjects, loaded in a fixed
number of queries whatever the caseload size (no N+1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lom_bot.domain.enums import AuditAction
from lom_bot.domain.errors import InvalidInput
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.store import queries
from lom_bot.store.holders import held_by, holder_column
from lom_bot.store.tables import Order, Subject, User
from lom_bot.store.uow import UnitOfWork


@dataclass
class CaseloadRow:
    subject: Subject
    order: Order | None
    release: date | None
    officer: str | None


@dataclass
class Caseload:
    title: str
    rows: list[CaseloadRow]
    limited: bool = False  # a district officer's list: no risk, officer or dates


def load_caseload(uow: UnitOfWork, actor: Actor, scope: str) -> Caseload:
    """`mine` (default), `all`, or a district's subjects; district officers see only theirs."""
    require(actor, Action.LIST_CASELOAD)
    query = select(Subject).order_by(Subject.ref)
    word = scope.strip().lower()
    if actor.is_district:
        district = actor.district or ""
        title = f"{district} subjects"
        query = query.where(Subject.district == district)
    elif word in ("", "mine", "me", "my"):
        title = "Your caseload"
        query = query.where(held_by(uow.clock.today(), actor.user_id))
    elif word in ("all", "team", "everyone"):
        title = "All subjects"
    else:
        chosen = uow.config.district(word)
        if chosen is None:
            known = ", ".join(d.name for d in uow.config.districts)
            raise InvalidInput(
                f"'{scope[:40]}' is not a district; use mine, all or one of {known}.",
                field="scope",
                example="/lom subjects Leeds",
            )
        title = f"{chosen.name} subjects"
        query = query.where(Subject.district == chosen.name)
    held = list(uow.session.execute(query.add_columns(holder_column(uow.clock.today()))))
    subjects = [s for s, _ in held]
    holder = {s.id: officer_id for s, officer_id in held}
    ids = [s.id for s in subjects]
    orders = queries.current_orders(uow.session, ids)
    releases = queries.release_dates(uow.session, ids)
    officer_ids = {o for o in holder.values() if o is not None}
    names: dict[int, str] = {
        user_id: name
        for user_id, name in uow.session.execute(
            select(User.id, User.name).where(User.id.in_(officer_ids))
        )
    }
    rows = [
        CaseloadRow(
            s,
            orders.get(s.id),
            queries.expected_release(releases.get(s.id, {})),
            names.get(holder[s.id]) if holder[s.id] is not None else None,
        )
        for s in subjects
    ]
    uow.audit(
        actor.slack_id,
        AuditAction.CONSULTATION,
        "caseload.listed",
        purpose="caseload list",
        detail={"scope": title, "subjects": len(rows)},
    )
    return Caseload(title, rows, limited=actor.is_district)
