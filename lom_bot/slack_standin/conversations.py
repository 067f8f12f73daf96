"""conversations.*, users.info and reactions.add: channels, people and reactions."""

from __future__ import annotations

from lom_bot.slack_standin.ids import BOT_USER_ID
from lom_bot.slack_standin.records import Params, SlackError, dm_for, is_public, message_json
from lom_bot.slack_standin.state import StandInState


class ConversationMethods(StandInState):
    """The stand-in's conversations.*, users.info and reactions.add."""

    def _conversations_open(self, params: Params) -> Params:
        if params.get("channel"):
            return {"channel": {"id": params["channel"]}, "no_op": True, "already_open": True}
        users = [user for user in str(params.get("users") or "").split(",") if user]
        if not users:
            raise SlackError("users_list_not_supplied")
        # Group DMs get a G id so they stay distinct from one-to-one DMs.
        channel = dm_for(users[0]) if len(users) == 1 else "G" + "".join(sorted(users))
        return {"channel": {"id": channel}, "no_op": False, "already_open": False}

    def _conversations_info(self, params: Params) -> Params:
        channel = self._channel(params)
        info: Params = {
            "id": channel,
            "name": self.channels.get(channel, channel.lower()),
            "is_channel": channel.startswith("C"),
            "is_group": channel.startswith("G"),
            "is_im": channel.startswith("D"),
            "is_private": not channel.startswith("C"),
            "is_archived": False,
            "is_member": True,
        }
        if channel.startswith("D"):
            info["user"] = channel[1:]
        return {"channel": info}

    def _conversations_history(self, params: Params) -> Params:
        channel = self._channel(params)
        visible = [
            message_json(message)
            for message in self.messages.get(channel, [])
            if is_public(message) and message.thread_ts in (None, message.ts)
        ]
        limit = int(params.get("limit") or 100)
        return {"messages": visible[::-1][:limit], "has_more": len(visible) > limit}

    def _conversations_replies(self, params: Params) -> Params:
        channel = self._channel(params)
        ts = params.get("ts")
        thread = [
            message_json(message)
            for message in self.messages.get(channel, [])
            if is_public(message) and ts in (message.ts, message.thread_ts)
        ]
        if not thread:
            raise SlackError("thread_not_found")
        return {"messages": thread, "has_more": False}

    def _reactions_add(self, params: Params) -> Params:
        """A reaction on a stored message; one the bot already added is refused, as Slack does."""
        message = self._find(self._channel(params), params.get("timestamp"))
        if message is None:
            raise SlackError("message_not_found")
        name = str(params.get("name") or "")
        if name in message.reactions:
            raise SlackError("already_reacted")
        message.reactions.append(name)
        return {}

    def _users_info(self, params: Params) -> Params:
        user_id = str(params.get("user") or "")
        if user_id == BOT_USER_ID:
            return {"user": _user_json(user_id, "lom-bot", self.team_id, is_bot=True)}
        if user_id not in self.users:
            raise SlackError("user_not_found")
        return {"user": _user_json(user_id, self.users[user_id], self.team_id, is_bot=False)}


def _user_json(user_id: str, name: str, team_id: str, *, is_bot: bool) -> Params:
    """A user object as users.info returns it."""
    return {
        "id": user_id,
        "team_id": team_id,
        "name": name.lower().replace(" ", "."),
        "real_name": name,
        "is_bot": is_bot,
        "deleted": False,
        "tz": "Europe/London",
        "profile": {"display_name": name, "real_name": name},
    }
