"""The proposer is told: when a supervisor approves or returns an application, whoever
proposed or drafted it gets a direct message with the decision and the comment."""

from __future__ import annotations

from sqlalchemy import select

from lom_bot.services.permissions import Actor
from lom_bot.store.classification import Classification
from lom_bot.store.tables import Order, OrderEvent, Subject, User
from lom_bot.store.uow import UnitOfWork

AUTHORED = ("proposed", "drafted", "redrafted")


def tell_authors(
    uow: UnitOfWork,
    actor: Actor,
    subject: Subject,
    order: Order,
    decision: str,
    comments: str | None,
) -> list[str]:
    """Queue a DM to each author of the application (not the reviewer); their Slack ids."""
    authors = uow.session.scalars(
        select(User.slack_id)
        .join(OrderEvent, OrderEvent.recorded_by == User.id)
        .where(OrderEvent.order_id == order.id, OrderEvent.kind.in_(AUTHORED))
        .distinct()
    ).all()
    said = f"\n>{comments}" if comments else ""
    text = (
        f"{order.ref} ({subject.ref}) was {decision} by {actor.name}.{said}\n"
        f"Open it: `/lom order {subject.ref}`"
    )
    told = []
    for slack_id in authors:
        if slack_id == actor.slack_id:
            continue
        uow.send(
            "post",
            slack_id,
            {"text": text},
            actor=actor.slack_id,
            classification=Classification.DETAIL,
            subjects=[subject.ref],
            purpose=f"application {decision}: the proposer told",
        )
        told.append(slack_id)
    return told
