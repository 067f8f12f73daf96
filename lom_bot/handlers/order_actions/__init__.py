"""The order's steps as forms: each fills from `/lom order <subject> <step> ...` or its modal,
and a card button re-runs that command, so text, buttons and modals share one path."""

from lom_bot.handlers.order_actions.forms import STEP_FORMS

__all__ = ["STEP_FORMS"]
