"""Who is in which channel, as a workspace set up from app.yaml would have it, and what each
role may do: the console keeps a district officer out of #triage as Slack would."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from lom_bot.config import AppConfig
from lom_bot.domain.enums import Role
from lom_bot.services.permissions import ACTION_WORDS, MATRIX, Action

WIDTH = 78
ROLE_NAMES = {
    Role.LOM_OFFICER: "LOM officer",
    Role.LOM_SUPERVISOR: "LOM supervisor",
    Role.DISTRICT_OFFICER: "District officer",
    Role.ADMIN: "Admin",
}


def channels_of(config: AppConfig, role: Role | None, district: str | None) -> set[str]:
    """The configured channels a person with this role (and district) is a member of."""
    c = config.channels
    districts = {d.channel.id for d in config.districts}
    if role is Role.LOM_SUPERVISOR:
        return {c.lom_team.id, c.triage.id, c.supervisors.id, *districts}
    if role is Role.LOM_OFFICER:
        return {c.lom_team.id, c.triage.id, *districts}
    if role is Role.ADMIN:
        return {c.lom_team.id, c.supervisors.id}
    if role is Role.DISTRICT_OFFICER and district is not None:
        found = config.district(district)
        return {found.channel.id} if found is not None else set()
    return set()


def is_member(config: AppConfig, channel: str, role: Role | None, district: str | None) -> bool:
    """A channel app.yaml does not know is open to all; a DM to its owner only (checked by
    the caller); a configured channel to the roles that work in it."""
    if config.channel_by_id(channel) is None:
        return True
    return channel in channels_of(config, role, district)


def members_line(config: AppConfig, channel: str) -> str:
    """Who is in a configured channel, in words."""
    roles = [
        ROLE_NAMES[r] + "s"
        for r in ROLE_NAMES
        if r is not Role.DISTRICT_OFFICER and channel in channels_of(config, r, None)
    ]
    district = config.district_of_channel(channel)
    if district is not None:
        roles.append(f"{district} district officers")
    return ", ".join(roles) if roles else "everyone"


def role_lines(config: AppConfig, users: Iterable[tuple[str, str, Role | None]]) -> list[str]:
    """Each role: who has it here, what they may do, and the channels they are in."""
    people = list(users)
    lines = ["Roles (who may do what; the bot refuses anything else and audits the refusal):"]
    for role, name in ROLE_NAMES.items():
        allowed = [ACTION_WORDS[a] for a in Action if a in MATRIX.get(role, frozenset())]
        who = ", ".join(f"{n} ({s})" for s, n, r in people if r is role) or "nobody here"
        if role is Role.DISTRICT_OFFICER:
            where = ["their own district's channel"]
        else:
            ids = channels_of(config, role, None)
            where = ["#" + ch.name for ch in config.all_channels() if ch.id in ids]
        lines.append(f"  {name}: {who}")
        lines += textwrap.wrap(
            f"may {'; '.join(allowed)}", WIDTH, initial_indent="    ", subsequent_indent="      "
        )
        lines += textwrap.wrap(
            f"is in {', '.join(where)} and a DM with lom-bot",
            WIDTH,
            initial_indent="    ",
            subsequent_indent="      ",
        )
    return lines
