"""Who and where, for the console: users by id or part of a name, channels by name or id."""

from __future__ import annotations

from sqlalchemy import select

from lom_bot.console.membership import is_member, members_line, role_lines
from lom_bot.domain.enums import Role
from lom_bot.runtime import Runtime
from lom_bot.slack_standin.ids import BOT_USER_ID
from lom_bot.store.tables import User


class Unclear(ValueError):
    """A name that matches nothing, or more than one thing; the message says what to type."""


class Directory:
    """The workspace's people and channels as the console names them."""

    def __init__(self, rt: Runtime) -> None:
        self.config = rt.config
        self.users = _load_users(rt)
        self.roles = _load_roles(rt)
        self.extra_channels: dict[str, str] = {}

    def may_read(self, channel: str, user: str) -> bool:
        """Whether `user` is a member of `channel` (their own DM; app.yaml's channels by role)."""
        if channel.startswith("D"):
            return channel == f"D{user}"
        role, district = self.roles.get(user, (None, None))
        return is_member(self.config, channel, role, district)

    def not_a_member(self, channel: str, user: str) -> str:
        """Why `user` cannot go to `channel`, and who can."""
        name = self.users.get(user, (user, ""))[0]
        if channel.startswith("D"):
            return f"{name} cannot read someone else's DM."
        return (
            f"{name} is not a member of #{self.name(channel)} "
            f"(its members: {members_line(self.config, channel)}). `channels` lists them."
        )

    def home_channel(self, user: str) -> str:
        """Where a person starts: the LOM team channel, their district's, or their DM."""
        for channel in self.config.all_channels():
            if self.may_read(channel.id, user):
                return channel.id
        return f"D{user}"

    def roles_help(self) -> list[str]:
        people = [(s, n, self.roles.get(s, (None, None))[0]) for s, (n, _) in self.users.items()]
        return role_lines(self.config, sorted(people, key=lambda p: p[1]))

    def name(self, key: str) -> str:
        """A user's name or a channel's name (without #) for a Slack id."""
        if key in self.users:
            return self.users[key][0]
        if key == BOT_USER_ID:
            return "lom-bot"
        channel = self.config.channel_by_id(key)
        if channel is not None:
            return channel.name
        return self.extra_channels.get(key, key)

    def handle_of(self, slack_id: str) -> str:
        """The short form used in the prompt, e.g. dc.olu.officer."""
        return self.users.get(slack_id, (slack_id, ""))[0].lower().replace(" ", ".")

    def describe(self, slack_id: str) -> str:
        name, role = self.users.get(slack_id, (slack_id, "not a lom-bot user"))
        return f"{name} ({role})"

    def user(self, text: str) -> str:
        """A Slack id (any U0... id, known or not) or a unique part of a user's name."""
        wanted = text.strip().strip("'\"").lstrip("@")
        if not wanted:
            raise Unclear("As whom? e.g. `as U0LEEDS` or `as dee` (`users` lists them).")
        if wanted.upper() in self.users or wanted.upper().startswith(("U0", "W0")):
            return wanted.upper()
        found = [u for u, (name, _) in self.users.items() if wanted.lower() in name.lower()]
        if len(found) == 1:
            return found[0]
        if found:
            names = ", ".join(f"{self.users[u][0]} ({u})" for u in found)
            raise Unclear(f"`{wanted}` could be {names}. Give the Slack id.")
        raise Unclear(f"No user matches `{wanted}`; `users` lists them.")

    def channel(self, text: str, user: str) -> str:
        """A configured channel by name or id, `dm` for the user's DM with the bot, or any
        other plain name as an ordinary channel that app.yaml does not know."""
        wanted = text.strip()
        if wanted.lower() in ("dm", "@lom-bot", "lom-bot"):
            return f"D{user}"
        if not wanted:
            raise Unclear("Where? e.g. `in #leeds` (`channels` lists them).")
        found = self.config.channel_by_name(wanted.lower()) or self.config.channel_by_id(
            wanted.upper()
        )
        if found is not None:
            return found.id
        name = wanted.lstrip("#").lower()
        if not name.replace("-", "").replace("_", "").isalnum():
            raise Unclear(f"`{wanted}` is not a channel name; `channels` lists them.")
        channel_id = "C0" + name.upper().replace("-", "").replace("_", "")[:9]
        self.extra_channels[channel_id] = name
        return channel_id

    def kind_of(self, channel: str) -> str:
        """What a channel is, in the officer's words."""
        configured = self.config.channel_by_id(channel)
        if channel.startswith("D"):
            return "only you and lom-bot see this"
        if configured is None:
            return "not in app.yaml: an ordinary channel, not sensitive"
        district = self.config.district_of_channel(channel)
        if district is not None:
            return f"{district} district channel"
        return "sensitive" if configured.sensitive else "not sensitive"

    def user_lines(self, current: str) -> list[str]:
        return [
            f" {'*' if slack_id == current else ' '} {slack_id:<10} {self.describe(slack_id)}"
            for slack_id in sorted(self.users, key=lambda u: self.users[u][0])
        ]

    def channel_lines(self) -> list[str]:
        lines = []
        for channel in self.config.all_channels():
            district = self.config.district_of_channel(channel.id)
            kind = f"{district} district" if district else "sensitive" if channel.sensitive else ""
            members = members_line(self.config, channel.id)
            lines.append(f"   #{channel.name:<14} {channel.id:<12} {kind:<18} {members}")
        return [*lines, "   dm             (your DM with lom-bot)"]


def _load_users(rt: Runtime) -> dict[str, tuple[str, str]]:
    """Slack id -> (name, role as words) for everyone the bot knows."""
    users = {}
    with rt.uow() as uow:
        for user in uow.session.scalars(select(User)):
            role = user.role.value.replace("_", " ").replace("lom ", "LOM ") if user.role else ""
            role = role or "no role"
            if user.district:
                role += f", {user.district}"
            users[user.slack_id] = (user.name, role)
    return users


def _load_roles(rt: Runtime) -> dict[str, tuple[Role | None, str | None]]:
    """Slack id -> (role, district), for channel membership."""
    with rt.uow() as uow:
        return {u.slack_id: (u.role, u.district) for u in uow.session.scalars(select(User))}
