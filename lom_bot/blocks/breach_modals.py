"""The breach modals: assess (rationale, reasonable excuse), ask for more, pick the subject,
and the report form; block ids and callback ids come from blocks/breach.py."""

from __future__ import annotations

import json
from typing import Any

from lom_bot.blocks.breach import (
    ASSESS_VIEW,
    EXCUSE,
    MORE_INFO_VIEW,
    PICK_VIEW,
    QUESTION,
    RATIONALE,
    REPORT_VIEW,
    SUBJECT,
    SUBJECTS,
    WHAT,
    WHEN,
    WHERE,
)
from lom_bot.blocks.common import Block, clip, context_note, section
from lom_bot.domain.enums import AssessmentOutcome
from lom_bot.services.breach_model import OUTCOME_LABELS

MODAL_TITLE_MAX = 24


def _title(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": clip(text, MODAL_TITLE_MAX)}


def _text_input(
    block_id: str,
    label: str,
    *,
    multiline: bool = False,
    optional: bool = False,
    initial: str | None = None,
    hint: str | None = None,
    max_length: int = 3000,
) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": block_id,
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": clip(hint, 2000)}
    return block


def _modal(
    callback_id: str, title: str, submit: str, blocks: list[Block], meta: dict[str, Any]
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _title(title),
        "submit": {"type": "plain_text", "text": clip(submit, MODAL_TITLE_MAX)},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(meta),
        "blocks": blocks,
    }


def assess_modal(
    breach_id: int, ref: str, outcome: AssessmentOutcome, subject: str | None, prompt: str | None
) -> dict[str, Any]:
    """Rationale and reasonable excuse for the chosen outcome."""
    label = OUTCOME_LABELS[outcome]
    about = f" about {subject}" if subject else ""
    blocks: list[Block] = [section(f"*{ref}*{about}: record the decision *{label}*.")]
    if prompt:
        blocks.append(context_note(f":warning: {prompt}"))
    blocks.append(
        _text_input(
            RATIONALE, "Rationale", multiline=True, hint="Why this outcome: what you weighed."
        )
    )
    blocks.append(
        {
            "type": "input",
            "block_id": EXCUSE,
            "label": {"type": "plain_text", "text": "Reasonable excuse accepted?"},
            "element": {
                "type": "radio_buttons",
                "action_id": EXCUSE,
                "initial_option": {"text": {"type": "plain_text", "text": "No"}, "value": "no"},
                "options": [
                    {"text": {"type": "plain_text", "text": "No"}, "value": "no"},
                    {
                        "text": {"type": "plain_text", "text": "Yes: no offence (s.25)"},
                        "value": "yes",
                    },
                ],
            },
        }
    )
    meta = {"breach_id": breach_id, "outcome": outcome.value}
    return _modal(ASSESS_VIEW, f"Assess {ref}", "Record decision", blocks, meta)


def more_info_modal(breach_id: int, ref: str, where: str) -> dict[str, Any]:
    blocks = [
        section(f"Ask the reporter of *{ref}* for more. Your question is posted in {where}."),
        context_note("Write nothing sensitive: no intelligence, no subject detail."),
        _text_input(QUESTION, "What do you need to know?", multiline=True, max_length=1000),
    ]
    return _modal(MORE_INFO_VIEW, f"More about {ref}", "Ask", blocks, {"breach_id": breach_id})


def pick_subject_modal(
    breach_id: int, ref: str, candidates: tuple[tuple[str, str], ...] = ()
) -> dict[str, Any]:
    """Which subject or subjects a possible report is about: any of its candidates, and any
    other typed; each subject after the first gets its own report of the same sighting."""
    blocks: list[Block] = [
        section(f"Which subject is *{ref}* about? Choose several if it names several.")
    ]
    if candidates:
        options = [
            {"text": {"type": "plain_text", "text": clip(label, 75)}, "value": value}
            for value, label in candidates[:100]
        ]
        element = {"type": "multi_static_select", "action_id": SUBJECTS, "options": options}
        blocks.append(
            {
                "type": "input",
                "block_id": SUBJECTS,
                "label": {"type": "plain_text", "text": "Candidates"},
                "element": element,
                "optional": True,
            }
        )
    hint = "One or more LOM references, PNC IDs or names, separated by commas"
    blocks.append(
        _text_input(
            SUBJECT,
            "Other subjects" if candidates else "Subject",
            hint=hint,
            optional=bool(candidates),
            max_length=300,
        )
    )
    return _modal(PICK_VIEW, f"Subject of {ref}", "Confirm", blocks, {"breach_id": breach_id})


def report_modal(values: dict[str, str], channel_id: str | None) -> dict[str, Any]:
    """The breach report form (from `/lom breach` without enough text)."""
    blocks = [
        _text_input(
            SUBJECT,
            "Subject",
            optional=True,
            initial=values.get(SUBJECT),
            max_length=300,
            hint="LOM reference, PNC ID or name (several: separated by commas); leave empty if "
            "you do not know",
        ),
        _text_input(WHAT, "What was seen", multiline=True, initial=values.get(WHAT)),
        _text_input(
            WHEN,
            "When",
            optional=True,
            initial=values.get(WHEN),
            max_length=120,
            hint="e.g. today 14:20",
        ),
        _text_input(WHERE, "Where", optional=True, initial=values.get(WHERE), max_length=200),
    ]
    return _modal(
        REPORT_VIEW, "Report SCPO breach", "Send to LOM team", blocks, {"channel": channel_id}
    )
