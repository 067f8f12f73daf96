"""Modals: a form's fields as input blocks, pre-filled with what the officer already gave."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from lom_bot.blocks.common import Block, clip, context_note

TITLE_MAX = 24
MODAL_BLOCKS_MAX = 100
OPTIONS_MAX = 100
METADATA_MAX = 3000


@dataclass(frozen=True)
class FieldSpec:
    """One input of a form; block_id and action_id are both its name."""

    name: str
    label: str
    kind: Literal["text", "multiline", "select"] = "text"
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for selects
    optional: bool = False
    hint: str | None = None
    placeholder: str | None = None


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit)}


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": _plain(label, 75), "value": value[:150]}


def input_block(spec: FieldSpec, value: str | None) -> Block:
    element: dict[str, Any]
    if spec.kind == "select":
        options = [_option(v, label) for v, label in spec.options[:OPTIONS_MAX]]
        element = {"type": "static_select", "action_id": spec.name, "options": options}
        chosen = next((o for o in options if o["value"] == value), None)
        if chosen is not None:
            element["initial_option"] = chosen
    else:
        element = {"type": "plain_text_input", "action_id": spec.name}
        if spec.kind == "multiline":
            element["multiline"] = True
        if value:
            element["initial_value"] = value[:3000]
    if spec.placeholder:
        element["placeholder"] = _plain(spec.placeholder, 150)
    block: Block = {
        "type": "input",
        "block_id": spec.name,
        "label": _plain(spec.label, 2000),
        "element": element,
        "optional": spec.optional,
    }
    if spec.hint:
        block["hint"] = _plain(spec.hint, 2000)
    return block


def form_modal(
    callback_id: str,
    title: str,
    submit: str,
    fields: Sequence[FieldSpec],
    values: dict[str, str],
    private_metadata: str,
    *,
    note: str | None = None,
) -> dict[str, Any]:
    """A modal view for the form, with `note` (e.g. what was missing) above the inputs."""
    blocks: list[Block] = [context_note(note)] if note else []
    blocks += [input_block(spec, values.get(spec.name)) for spec in fields]
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _plain(title, TITLE_MAX),
        "submit": _plain(submit, TITLE_MAX),
        "close": _plain("Cancel", TITLE_MAX),
        "private_metadata": private_metadata[:METADATA_MAX],
        "blocks": blocks[:MODAL_BLOCKS_MAX],
    }
