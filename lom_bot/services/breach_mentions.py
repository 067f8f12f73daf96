"""A report's words as the triage channel reads them: Slack's `<@U…>` and `<#C…>` mentions as
the names of the people and channels they point at (a raw id says nothing to the LOM team,
and a live mention would notify someone who is not meant to see the post)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select

from lom_bot.store.tables import User
from lom_bot.store.uow import UnitOfWork

USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>")


def with_names(uow: UnitOfWork, texts: Iterable[str]) -> list[str]:
    """The texts with every user and channel mention written as "@name" and "#name", in one
    query for all of them."""
    texts = list(texts)
    ids = {m[1] for text in texts for m in USER.finditer(text)}
    names: dict[str, str] = {}
    if ids:
        rows = uow.session.execute(select(User.slack_id, User.name).where(User.slack_id.in_(ids)))
        names = {slack_id: name for slack_id, name in rows}

    def user(m: re.Match[str]) -> str:
        return "@" + (names.get(m[1]) or m[2] or "someone not known to lom-bot")

    def channel(m: re.Match[str]) -> str:
        known = uow.config.channel_by_id(m[1])
        return "#" + (known.name if known else m[2] or "a channel")

    return [CHANNEL.sub(channel, USER.sub(user, text)) for text in texts]
