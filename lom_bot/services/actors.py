"""Who is acting: Slack users resolved to roles, and role changes by admins."""

from __future__ import annotations

from sqlalchemy import select

from lom_bot.domain.enums import AuditAction, Role
from lom_bot.domain.errors import InvalidInput, NotAuthorised
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.store.tables import User
from lom_bot.store.uow import UnitOfWork


def actor_from_user(user: User) -> Actor:
    if user.role is None or not user.active:
        raise NotAuthorised("You are not authorised to use lom-bot. Ask a LOM admin for access.")
    return Actor(user.slack_id, user.name, user.role, user.id, user.district)


def resolve_actor(uow: UnitOfWork, slack_id: str) -> Actor:
    """The acting user; unknown or role-less users get 'not authorised' and no data."""
    user = uow.session.scalars(select(User).where(User.slack_id == slack_id)).one_or_none()
    if user is None:
        raise NotAuthorised("You are not authorised to use lom-bot. Ask a LOM admin for access.")
    return actor_from_user(user)


def load_actor(uow: UnitOfWork, slack_id: str) -> Actor:
    """resolve_actor in its own short transaction."""
    with uow:
        return resolve_actor(uow, slack_id)


def bootstrap_users(uow: UnitOfWork) -> int:
    """Create users named in app.yaml that the database does not know yet."""
    created = 0
    with uow:
        known = set(uow.session.scalars(select(User.slack_id)))
        for entry in uow.config.users:
            if entry.slack_id in known:
                continue
            uow.session.add(
                User(
                    slack_id=entry.slack_id,
                    name=entry.name,
                    role=entry.role,
                    district=entry.district,
                )
            )
            uow.audit(
                "system",
                AuditAction.COLLECTION,
                "user.bootstrapped",
                entity="user",
                entity_id=entry.slack_id,
                detail={"role": entry.role.value, "district": entry.district},
                purpose="role bootstrap from app.yaml",
            )
            created += 1
        uow.commit()
    return created


def set_role(
    uow: UnitOfWork,
    actor: Actor,
    slack_id: str,
    name: str | None,
    role: Role | None,
    district: str | None = None,
) -> str:
    """An admin grants, changes or removes a user's role."""
    with uow:
        require(actor, Action.MANAGE_ROLES)
        if role is Role.DISTRICT_OFFICER and (
            district is None or uow.config.district(district) is None
        ):
            names = ", ".join(d.name for d in uow.config.districts)
            raise InvalidInput(
                f"A district officer needs a district: one of {names}.",
                field="district",
                example="/lom admin grant @pc district Leeds",
            )
        if slack_id == actor.slack_id and role is not Role.ADMIN:
            raise InvalidInput("You cannot remove your own admin role.")
        user = uow.session.scalars(select(User).where(User.slack_id == slack_id)).one_or_none()
        before = None if user is None else (user.role.value if user.role else None)
        if user is None:
            user = User(slack_id=slack_id, name=name or slack_id)
            uow.session.add(user)
        user.role = role
        chosen = uow.config.district(district) if district else None
        user.district = chosen.name if role is Role.DISTRICT_OFFICER and chosen else None
        uow.audit(
            actor.slack_id,
            AuditAction.ALTERATION,
            "user.role_changed",
            entity="user",
            entity_id=slack_id,
            detail={"from": before, "to": role.value if role else None, "district": user.district},
        )
        uow.commit()
        label = role.value.replace("_", " ") if role else "no role"
        return f"<@{slack_id}> now has {label}" + (f" ({user.district})" if user.district else "")


def list_users(uow: UnitOfWork, actor: Actor) -> list[User]:
    """Everyone the bot knows and their role, for an admin (call inside `with uow`)."""
    require(actor, Action.MANAGE_ROLES)
    return list(uow.session.scalars(select(User).order_by(User.name)))
