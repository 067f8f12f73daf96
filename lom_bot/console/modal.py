"""A modal's input blocks as questions asked in turn, and the answers as Slack's view state."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from lom_bot.domain.dates import parse_date
from lom_bot.domain.errors import DomainError

Block = dict[str, Any]
TEXT_INPUTS = frozenset({"plain_text_input", "email_text_input", "url_text_input", "number_input"})
SINGLE_CHOICE = {"static_select": "selected_option", "radio_buttons": "selected_option"}
MULTI_CHOICE = {"checkboxes": "selected_options", "multi_static_select": "selected_options"}
PICKERS = {
    "users_select": "selected_user",
    "conversations_select": "selected_conversation",
    "channels_select": "selected_channel",
}


class BadAnswer(ValueError):
    """An answer the field cannot take; the message says what it can take."""


@dataclass(frozen=True)
class Question:
    """One input block of a modal."""

    block_id: str
    action_id: str
    label: str
    kind: str
    optional: bool
    hint: str
    element: Block

    @property
    def options(self) -> list[Block]:
        options = list(self.element.get("options") or [])
        for group in self.element.get("option_groups") or []:
            options += list(group.get("options") or [])
        return options

    def choices(self) -> list[str]:
        """The options as numbered lines, for select, radio and checkbox fields."""
        return [f"{n}. {_text(o.get('text'))}" for n, o in enumerate(self.options, 1)]

    def default(self) -> str:
        """What pressing Enter keeps: the initial value, shown in [brackets]."""
        e = self.element
        if self.kind in TEXT_INPUTS:
            return str(e.get("initial_value") or "")
        if self.kind in SINGLE_CHOICE:
            return _text((e.get("initial_option") or {}).get("text"))
        if self.kind in MULTI_CHOICE:
            return ", ".join(_text(o.get("text")) for o in e.get("initial_options") or [])
        if self.kind == "datepicker":
            return str(e.get("initial_date") or "")
        if self.kind == "timepicker":
            return str(e.get("initial_time") or "")
        key = PICKERS.get(self.kind, "")
        return str(e.get("initial_" + key.removeprefix("selected_")) or "")

    def state(self, answer: str, today: date) -> Block:
        """The element's state for `answer` (empty: the default, or nothing when optional)."""
        text = answer.strip() or self.default()
        if not text and not self.optional:
            raise BadAnswer("This field is required.")
        return {"type": self.kind, **self._value(text, today)}

    def _value(self, text: str, today: date) -> Block:
        kind, e = self.kind, self.element
        if kind in TEXT_INPUTS:
            return {"value": self._checked_text(text) if text else None}
        if kind in SINGLE_CHOICE:
            return {SINGLE_CHOICE[kind]: self._pick(text) if text else None}
        if kind in MULTI_CHOICE:
            parts = [p for p in re.split(r"\s*,\s*", text) if p]
            return {MULTI_CHOICE[kind]: [self._pick(p) for p in parts]}
        if kind == "datepicker":
            return {"selected_date": self._date(text, today) if text else None}
        if kind == "timepicker":
            if text and not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", text):
                raise BadAnswer("Give a time as HH:MM, e.g. 14:30.")
            return {"selected_time": text or None}
        if kind in PICKERS:
            return {PICKERS[kind]: text or None}
        raise BadAnswer(f"The console cannot fill a {kind} field{_hint(e)}.")

    def _checked_text(self, text: str) -> str:
        text = text.replace("\\n", "\n")  # one line in a terminal; \n for a new line
        low, high = self.element.get("min_length"), self.element.get("max_length")
        if low and len(text) < int(low):
            raise BadAnswer(f"At least {low} characters, please.")
        if high and len(text) > int(high):
            raise BadAnswer(f"At most {high} characters, please ({len(text)} given).")
        if self.kind == "number_input":
            pattern = r"-?\d+(\.\d+)?" if self.element.get("is_decimal_allowed") else r"-?\d+"
            if not re.fullmatch(pattern, text):
                raise BadAnswer("A number, please.")
        return text

    def _pick(self, text: str) -> Block:
        """An option by its number, its exact label or value, or a unique beginning."""
        options = self.options
        if text.isdigit() and 1 <= int(text) <= len(options):
            return _option(options[int(text) - 1])
        wanted = text.lower()
        exact = [o for o in options if wanted in (_text(o.get("text")).lower(), o.get("value"))]
        starts = [o for o in options if _text(o.get("text")).lower().startswith(wanted)]
        found = exact or starts
        if len(found) == 1:
            return _option(found[0])
        raise BadAnswer(f"Choose one of 1-{len(options)} (a number or the option's name).")

    def _date(self, text: str, today: date) -> str:
        try:
            return parse_date(text, today, field=self.label).isoformat()
        except DomainError as exc:
            raise BadAnswer(exc.message) from None


def questions(view: Block) -> list[Question]:
    """Each input block of the view, in order."""
    found = []
    for block in view.get("blocks") or []:
        if block.get("type") != "input" or not isinstance(block.get("element"), dict):
            continue
        element = block["element"]
        found.append(
            Question(
                block_id=str(block.get("block_id") or ""),
                action_id=str(element.get("action_id") or ""),
                label=_text(block.get("label")),
                kind=str(element.get("type")),
                optional=bool(block.get("optional")),
                hint=_text(block.get("hint")),
                element=element,
            )
        )
    return found


def state_values(answers: dict[str, tuple[Question, Block]]) -> Block:
    """Slack's view.state.values: block_id -> action_id -> element state."""
    values: Block = {}
    for question, state in answers.values():
        values.setdefault(question.block_id, {})[question.action_id] = state
    return values


def _option(option: Block) -> Block:
    return {"text": option.get("text"), "value": option.get("value")}


def _text(obj: Any) -> str:
    return str(obj.get("text") or "") if isinstance(obj, dict) else str(obj or "")


def _hint(element: Block) -> str:
    placeholder = _text(element.get("placeholder"))
    return f" ({placeholder})" if placeholder else ""
