"""auth.test, chat.* and response URLs: the methods that post, change and look up messages."""

from __future__ import annotations

from lom_bot.slack_standin.ids import BOT_ID, BOT_USER_ID, DEMO_TEAM_DOMAIN
from lom_bot.slack_standin.records import (
    Params,
    SlackError,
    apply_edit,
    message_json,
    permalink,
    require_content,
)
from lom_bot.slack_standin.state import StandInState
from lom_bot.slack_standin.wire import Reply


class MessageMethods(StandInState):
    """The stand-in's auth.test, chat.* and response URL handling."""

    def _auth_test(self, params: Params) -> Params:
        return {
            "url": f"https://{DEMO_TEAM_DOMAIN}.slack.com/",
            "team": "LOM Demo",
            "user": "lom-bot",
            "team_id": self.team_id,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, params: Params) -> Params:
        require_content(params)
        message = self._store(self._bot_message(params, self._channel(params)))
        return {"channel": message.channel, "ts": message.ts, "message": message_json(message)}

    def _chat_post_ephemeral(self, params: Params) -> Params:
        require_content(params)
        if not params.get("user"):
            raise SlackError("user_not_found")
        channel = self._channel(params)
        message = self._store(self._bot_message(params, channel, ephemeral_to=params["user"]))
        return {"message_ts": message.ts}

    def _chat_update(self, params: Params) -> Params:
        channel = self._channel(params)
        message = self._find(channel, params.get("ts"))
        if message is None:
            raise SlackError("message_not_found")
        apply_edit(message, params)
        return {
            "channel": channel,
            "ts": message.ts,
            "text": message.text,
            "message": message_json(message),
        }

    def _chat_delete(self, params: Params) -> Params:
        channel = self._channel(params)
        message = self._find(channel, params.get("ts"))
        if message is None:
            raise SlackError("message_not_found")
        message.deleted = True
        return {"channel": channel, "ts": message.ts}

    def _chat_get_permalink(self, params: Params) -> Params:
        channel = self._channel(params)
        ts = str(params.get("message_ts") or "")
        if self._find(channel, ts) is None:
            raise SlackError("message_not_found")
        return {"channel": channel, "permalink": permalink(channel, ts)}

    # -- response URLs ---------------------------------------------------------------------

    def _respond(self, key: str, params: Params) -> Reply:
        """Act on a POST to a response URL the way Slack does for Bolt's respond()."""
        responder = self._responders.get(key)
        if responder is None:
            return Reply(404, b"expired_url", "text/plain")
        target = self._find(responder.channel, responder.last_ts)
        if params.get("delete_original"):
            if target is not None:
                target.deleted = True
        elif params.get("replace_original") and target is not None:
            apply_edit(target, params)
        else:
            in_channel = params.get("response_type") == "in_channel"
            ephemeral_to = None if in_channel else responder.user
            message = self._bot_message(params, responder.channel, ephemeral_to=ephemeral_to)
            responder.last_ts = self._store(message).ts
        return Reply(200, b"ok", "text/plain")
