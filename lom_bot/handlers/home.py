"""App Home: published when an officer opens the bot's Home tab."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from lom_bot.blocks.home import district_view, not_authorised_view, officer_view
from lom_bot.domain.enums import Role
from lom_bot.domain.errors import DomainError
from lom_bot.handlers.commands_listener import NOT_AUTHORISED
from lom_bot.handlers.middleware import actor_of
from lom_bot.services.home_data import district_home, officer_home
from lom_bot.services.permissions import Actor

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.runtime import Runtime


def home_view(rt: Runtime, actor: Actor | None) -> dict[str, Any]:
    if actor is None:
        return not_authorised_view(NOT_AUTHORISED)
    uow = rt.uow(reads=True)
    try:
        with uow:
            if actor.is_district:
                view = district_view(district_home(uow, actor))
            elif actor.role in (Role.LOM_OFFICER, Role.LOM_SUPERVISOR):
                view = officer_view(officer_home(uow, actor), uow.clock.today())
            else:
                return not_authorised_view("There is no caseload for your role. `/lom help`")
            uow.commit()
            return view
    except DomainError as exc:
        return not_authorised_view(exc.message)


def register(app: App, rt: Runtime) -> None:
    @app.event("app_home_opened")
    def opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if event.get("tab", "home") != "home":
            return
        client.views_publish(user_id=str(event["user"]), view=home_view(rt, actor_of(context)))
