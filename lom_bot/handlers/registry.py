"""The /lom subcommand registry: one declaration per subcommand, from which the dispatcher,
`/lom help` and the manifest's usage hint are all generated."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lom_bot.services.permissions import Action, Actor, can

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from lom_bot.runtime import Runtime


@dataclass
class Reply:
    """What a subcommand answers. Ephemeral unless in_channel; a modal opens with trigger_id."""

    text: str
    blocks: list[dict[str, Any]] | None = None
    in_channel: bool = False
    modal: dict[str, Any] | None = None
    # Further messages when one is not enough (e.g. a long list continues in a thread).
    more: list[Reply] = field(default_factory=list)


@dataclass
class CommandContext:
    rt: Runtime
    actor: Actor
    user_id: str
    channel_id: str
    trigger_id: str | None
    client: WebClient
    # Sensitive channel, DM or private: may this reply show subject detail in the channel?
    detail_allowed_in_channel: bool = False


Handler = Callable[[CommandContext, str], Reply]


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str  # e.g. "contact <subject> <kind> <outcome> [date] [notes]"
    summary: str
    examples: tuple[str, ...]
    permission: Action | None  # None: anyone with a role
    handler: Handler
    aliases: tuple[str, ...] = ()
    details: tuple[str, ...] = ()  # further lines for `/lom help <name>` (e.g. order's steps)
    # Other actions that also open the subcommand, whose verbs then check their own (admin:
    # roles for admins, handover for supervisors).
    also: tuple[Action, ...] = ()

    def allows(self, actor: Actor) -> bool:
        if self.permission is None:
            return True
        return any(can(actor, a) for a in (self.permission, *self.also))


REGISTRY: dict[str, Subcommand] = {}


def subcommand(
    name: str,
    *,
    usage: str,
    summary: str,
    examples: tuple[str, ...] = (),
    permission: Action | None = None,
    aliases: tuple[str, ...] = (),
    details: tuple[str, ...] = (),
    also: tuple[Action, ...] = (),
) -> Callable[[Handler], Handler]:
    """Declare a subcommand of /lom; a second declaration of the same name is a bug."""

    def register(handler: Handler) -> Handler:
        for key in (name, *aliases):
            if key in REGISTRY:
                raise RuntimeError(f"/lom {key} is declared twice")
        spec = Subcommand(
            name, usage, summary, examples, permission, handler, aliases, details, also
        )
        for key in (name, *aliases):
            REGISTRY[key] = spec
        return handler

    return register


def declared() -> list[Subcommand]:
    """Each subcommand once, in name order."""
    import lom_bot.handlers.commands  # noqa: F401  (importing registers every subcommand)

    return sorted({id(s): s for s in REGISTRY.values()}.values(), key=lambda s: s.name)
