"""Refusals decided at the edge (a role without a command's permission, a button the role may
not press) are audited here; a refusal raised inside a service is audited by its unit of
work. Either way the refusal is its own transaction and writes nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lom_bot.domain.errors import DomainError, NotAuthorised
from lom_bot.services.permissions import Action, Actor

if TYPE_CHECKING:
    from lom_bot.runtime import Runtime


def refused(
    rt: Runtime,
    actor: Actor,
    message: str,
    *,
    needed: Action | None = None,
    channel: str | None = None,
) -> str:
    """Audit the refusal and give back the message to show."""
    rt.uow().record_refusal(
        actor.slack_id, message, needed=needed.value if needed else None, channel=channel
    )
    return message


def audit_if_refusal(rt: Runtime, exc: DomainError, channel: str | None = None) -> None:
    """A refusal raised outside any unit of work still leaves its trace (once)."""
    if isinstance(exc, NotAuthorised) and not exc.audited:
        rt.uow().record_refusal(
            exc.who, exc.message, needed=exc.asked, subject_ref=exc.subject_ref, channel=channel
        )
        exc.audited = True
