"""Forms: one declaration per record type, filled from command text or from a modal.

A subcommand parses what it can from its text into a dict of field values; if something
required is missing it opens the form's modal pre-filled, else it runs the form. A modal
submission runs the same function, and a DomainError naming a field goes back to Slack as
`response_action: errors` on that field.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lom_bot.blocks.modals import FieldSpec, form_modal
from lom_bot.handlers.registry import CommandContext, Reply

FormField = FieldSpec
CALLBACK_PREFIX = "lom_form:"
Values = dict[str, str]


@dataclass(frozen=True)
class Form:
    name: str
    title: str  # at most 24 characters
    submit: str
    fields: tuple[FormField, ...]
    run: Callable[[CommandContext, Values], Reply]
    # Error fields as services name them -> the form field that shows the error.
    error_fields: dict[str, str] = field(default_factory=dict)
    # Fields required only in some cases (e.g. handling conditions for handling code C).
    also_required: Callable[[Values], list[str]] | None = None

    @property
    def callback_id(self) -> str:
        return CALLBACK_PREFIX + self.name

    def missing(self, values: Values) -> list[str]:
        # A blank or whitespace-only answer is no answer.
        given = {k for k, v in values.items() if (v or "").strip()}
        needed = [f.name for f in self.fields if not f.optional and f.name not in given]
        if self.also_required is not None:
            extra = self.also_required(values)
            needed += [n for n in extra if n not in needed and n not in given]
        return needed

    def field_for(self, error_field: str | None) -> str:
        """Which field shows an error: the one it names, else the first field."""
        names = [f.name for f in self.fields]
        name = self.error_fields.get(error_field or "", error_field or "")
        return name if name in names else names[0]

    def modal(
        self, values: Values, metadata: dict[str, Any], note: str | None = None
    ) -> dict[str, Any]:
        return form_modal(
            self.callback_id,
            self.title,
            self.submit,
            self.fields,
            values,
            json.dumps(metadata),
            note=note,
        )


FORMS: dict[str, Form] = {}


def form(f: Form) -> Form:
    if f.name in FORMS:
        raise RuntimeError(f"form {f.name} is declared twice")
    FORMS[f.name] = f
    return f


def fill_or_run(ctx: CommandContext, f: Form, values: Values, usage: str) -> Reply:
    """Run the form when complete; otherwise open its modal with what was given."""
    missing = f.missing(values)
    if not missing:
        return f.run(ctx, values)
    labels = ", ".join(next(x.label for x in f.fields if x.name == n).lower() for n in missing)
    text = f"I need the {labels}. Usage: `/lom {usage}`"
    if ctx.trigger_id:
        metadata = {"channel": ctx.channel_id}
        given = {k: v for k, v in values.items() if v}
        return Reply(text, modal=f.modal(given, metadata, note=text))
    return Reply(text)


def state_values(state: dict[str, Any]) -> Values:
    """A view's state.values as field -> text (inputs, selects and date pickers alike)."""
    out: Values = {}
    for block_id, elements in (state or {}).items():
        for element in (elements or {}).values():
            kind = element.get("type")
            if kind == "static_select":
                selected = element.get("selected_option") or {}
                out[block_id] = str(selected.get("value") or "")
            elif kind == "datepicker":
                out[block_id] = str(element.get("selected_date") or "")
            else:
                out[block_id] = str(element.get("value") or "")
    return out
