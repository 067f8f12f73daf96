"""Bolt listeners, one module per Slack surface; each exposes register(app, rt)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.bootstrap import Runtime


def register_all(app: App, rt: Runtime) -> None:
    """Register every surface's listeners. Order matters: Bolt runs the first match."""
    from lom_bot.handlers import actions, commands_listener, guard, views

    # guard first: requests from other workspaces are refused before any listener runs
    for module in (guard, commands_listener, actions, views):
        module.register(app, rt)
