"""views.open, views.push, views.update and views.publish: modals and Home tabs per user."""

from __future__ import annotations

from lom_bot.slack_standin.ids import APP_ID, BOT_ID
from lom_bot.slack_standin.records import Params, SlackError
from lom_bot.slack_standin.state import StandInState


class ViewMethods(StandInState):
    """The stand-in's views.* methods."""

    def _views_open(self, params: Params) -> Params:
        user = self._trigger_user(params.get("trigger_id"))
        view_id = self._next_id("V")
        view = self._save_view(user, _build_view(params, view_id, self.team_id, view_id, None))
        self.modals.append(view)
        return {"view": view}

    def _views_push(self, params: Params) -> Params:
        user = self._trigger_user(params.get("trigger_id"))
        top = self.views.get(user)
        if top is None or top["type"] != "modal":
            raise SlackError("not_found")
        view_id = self._next_id("V")
        view = _build_view(params, view_id, self.team_id, top["root_view_id"], top["id"])
        self.modals.append(self._save_view(user, view))
        return {"view": view}

    def _views_update(self, params: Params) -> Params:
        view_id = params.get("view_id") or self._view_by_external_id(params.get("external_id"))
        old = self._views_by_id.get(str(view_id))
        if old is None:
            raise SlackError("not_found")
        view = _build_view(
            params, old["id"], self.team_id, old["root_view_id"], old["previous_view_id"]
        )
        self._save_view(self._view_owner[old["id"]], view)
        self.modals[:] = [view if modal["id"] == view["id"] else modal for modal in self.modals]
        return {"view": view}

    def _views_publish(self, params: Params) -> Params:
        user = str(params.get("user_id") or "")
        if not user:
            raise SlackError("invalid_arguments")
        view_id = self._next_id("V")
        view = self._save_view(user, _build_view(params, view_id, self.team_id, view_id, None))
        self.homes[user] = view
        return {"view": view}

    def _save_view(self, user: str, view: Params) -> Params:
        """Remember `view` as `user`'s latest and under its id."""
        self.views[user] = view
        self._views_by_id[view["id"]] = view
        self._view_owner[view["id"]] = user
        return view

    def _view_by_external_id(self, external_id: str | None) -> str | None:
        """The id of the stored view with this external id."""
        for view in self._views_by_id.values():
            if external_id and view.get("external_id") == external_id:
                return str(view["id"])
        return None


def _build_view(
    params: Params, view_id: str, team_id: str, root_view_id: str, previous_view_id: str | None
) -> Params:
    """The full view Slack echoes back for the `view` argument of a views.* call."""
    submitted = params.get("view")
    if not isinstance(submitted, dict):
        raise SlackError("invalid_arguments")
    defaults = {"blocks": [], "private_metadata": "", "callback_id": "", "external_id": ""}
    return {
        **defaults,
        **submitted,
        "id": view_id,
        "team_id": team_id,
        "type": submitted.get("type", "modal"),
        "state": {"values": {}},
        "hash": f"{view_id}.hash",
        "root_view_id": root_view_id,
        "previous_view_id": previous_view_id,
        "app_id": APP_ID,
        "bot_id": BOT_ID,
    }
