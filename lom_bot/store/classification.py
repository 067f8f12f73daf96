"""What may be posted where: the last check before anything leaves for Slack."""

from __future__ import annotations

from enum import IntEnum

from lom_bot.config import AppConfig
from lom_bot.domain.errors import DomainError


class Classification(IntEnum):
    """How much a message says; a channel must be cleared for it."""

    REFERENCE = 1  # references and public facts: fine for a district channel
    DETAIL = 2  # subject detail: sensitive channels, DMs and ephemeral replies only
    INTELLIGENCE = 3  # graded intelligence: sensitive channels and DMs only


class DisclosureRefused(DomainError):
    """A message was about to go to a channel not cleared for what it says."""


PRIVATE_METHODS = frozenset({"ephemeral", "dm"})


def check_destination(
    config: AppConfig, method: str, channel: str, classification: Classification
) -> None:
    if classification is Classification.REFERENCE:
        return
    if method in PRIVATE_METHODS and classification is Classification.DETAIL:
        return  # only the asking officer sees it
    if channel.startswith(("D", "U", "W")):
        return  # a direct message to one officer
    configured = config.channel_by_id(channel)
    if configured is not None and configured.sensitive:
        return
    raise DisclosureRefused(
        f"Refused to send {classification.name.lower()} to channel {channel}: it is not "
        "marked sensitive in app.yaml."
    )
