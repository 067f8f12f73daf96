"""Bolt listeners, one module per Slack surface; each exposes register(app, rt)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.runtime import Runtime


def register_all(app: App, rt: Runtime) -> None:
    """Register every surface's listeners. Order matters: Bolt runs the first match."""
    from lom_bot.handlers import (
        actions,
        breach_actions,
        breach_events,
        commands_listener,
        correct_actions,
        digest_actions,
        guard,
        home,
        messages,
        replay_guard,
        sanitise,
        transfer_files,
        views,
    )

    # guard first: requests from other workspaces are refused before any listener runs
    # sanitise next: control characters leave the text before anything reads or stores it
    # breach_events right after: its middleware stores district reports before the ack
    for module in (
        guard,
        sanitise,
        breach_events,
        replay_guard,
        commands_listener,
        actions,
        breach_actions,
        views,
        messages,
        home,
        digest_actions,
        transfer_files,
        correct_actions,
    ):
        module.register(app, rt)
