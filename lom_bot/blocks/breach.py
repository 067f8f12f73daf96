"""Block Kit for breach reports: the triage post and its buttons, ids shared with the modals
(blocks/breach_modals.py), and what the reporter is told."""

from __future__ import annotations

from lom_bot.blocks.common import (
    MESSAGE_BLOCKS_MAX,
    SECTION_MAX,
    Block,
    actions,
    button,
    clip,
    context_note,
    divider,
    escape,
    fields,
    header,
    section,
)
from lom_bot.blocks.history import are_you_sure
from lom_bot.domain.enums import AssessmentOutcome, BreachStatus
from lom_bot.services.breach_model import OUTCOME_LABELS, TriageView

# action ids (handlers/breach_actions.py); every value is the breach report's id
OUTCOME_PREFIX = "breach_outcome_"  # + AssessmentOutcome value
MORE_INFO = "breach_more_info"
PICK_SUBJECT = "breach_pick_subject"  # static_select of candidates
PICK_OTHER = "breach_pick_other"  # opens a modal to type a reference or name
FOLLOW_UP_DONE = "breach_follow_up_done"  # value: the follow-up's id
PREPARE_LETTER = "breach_prepare_letter"  # value: the follow-up's id (services/letters.py)
# modal callback ids
ASSESS_VIEW = "breach_assess"
MORE_INFO_VIEW = "breach_more_info"
PICK_VIEW = "breach_pick"
REPORT_VIEW = "breach_report"
# modal inputs: block_id and action_id are the same
RATIONALE = "rationale"
EXCUSE = "excuse"
QUESTION = "question"
SUBJECT = "subject"
SUBJECTS = "subjects"  # the picker modal's multi-select of candidates
WHAT = "what"
WHEN = "when"
WHERE = "where"

CHUNK = SECTION_MAX - 100  # room for the heading on the first chunk
SELECT_MAX = 100


def outcome_action(outcome: AssessmentOutcome) -> str:
    return OUTCOME_PREFIX + outcome.value


def split_text(text: str, limit: int = CHUNK) -> list[str]:
    """Cut long text into pieces of at most `limit` characters, at spaces where possible;
    nothing is dropped (joining the pieces with the cut whitespace gives the text back)."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = max(rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit))
        if cut < limit // 2:
            cut = limit
            amp = rest.rfind("&", cut - 6, cut)  # never split an &amp; entity
            if amp > 0 and ";" not in rest[amp:cut]:
                cut = amp
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces


def _where(view: TriageView) -> str:
    if view.source == "dm":
        where = "a direct message to lom-bot"
    elif view.channel_id:
        where = f"<#{view.channel_id}>"
    else:
        where = f"`/lom breach` ({view.source})"
    parts = [f"From <@{view.reporter}> in {where}", f"received {view.received}"]
    if view.district:
        parts.append(view.district)
    if view.assess_by:
        parts.append(f"assess by {view.assess_by}")
    if view.permalink:
        parts.append(f"<{view.permalink}|original message>")
    return " · ".join(parts)


def _seen(view: TriageView) -> str | None:
    bits = []
    if view.seen_at:
        bits.append(f"*When:* {escape(view.seen_at)}")
    if view.seen_where:
        bits.append(f"*Where:* {escape(view.seen_where)}")
    return "   ".join(bits) or None


def _subject_blocks(view: TriageView) -> list[Block]:
    s = view.subject
    if s is None:
        return []
    blocks = [
        fields(
            [
                ("Subject", f"{s.ref} {escape(s.name)}"),
                ("District", s.district),
                ("Risk", s.risk),
                ("Custody", s.custody),
                ("Order", s.order),
                ("LOM officer", escape(s.officer)),
            ]
        )
    ]
    touched = [c for c in view.conditions if c.touched]
    others = [c for c in view.conditions if not c.touched]
    lines = [f"• *{c.number}* ({c.category}) {escape(clip(c.wording, 400))}" for c in touched] or [
        "• none recognised from the words used: check them all"
    ]
    if others:
        lines.append(
            "_Other conditions:_ " + ", ".join(f"{c.number} ({c.category})" for c in others)
        )
    blocks += [
        section(chunk) for chunk in split_text("*Conditions it may touch*\n" + "\n".join(lines))
    ]
    if view.history:
        blocks.append(section(clip("*Recent history*\n" + "\n".join(view.history), SECTION_MAX)))
    if view.escalation:
        blocks.append(section(f":warning: {view.escalation}"))
    return blocks


def _state_blocks(view: TriageView) -> list[Block]:
    notes = []
    if view.sighting:
        notes.append(f"{escape(view.sighting)} (one report per subject named).")
    if view.rematched:
        notes.append(escape(view.rematched))
    if view.edits:
        notes.append(f"Edited {view.edits} time(s) by the reporter; earlier text is kept.")
    if view.deleted:
        notes.append("The reporter deleted the message in the channel; the record is kept.")
    if view.question:
        notes.append(f"More information asked for: {escape(clip(view.question, 500))}")
    blocks = [context_note(" ".join(notes))] if notes else []
    if view.replies:
        text = "*Replies in the thread*\n" + "\n".join(view.replies)
        blocks += [section(chunk) for chunk in split_text(text)]
    if view.court:
        blocks.append(section(clip("*Court*\n" + "\n".join(view.court), SECTION_MAX)))
    return blocks


def _decision_blocks(view: TriageView) -> list[Block]:
    """The decision, what it set going, and a button for each follow-up still open."""
    a = view.assessment
    assert a is not None
    lines = [
        f":white_check_mark: *{OUTCOME_LABELS[a.outcome]}*, decided by {escape(a.by)} "
        f"at {a.at}. Reasonable excuse accepted: {'yes' if a.excuse_accepted else 'no'}.",
        f"Rationale: {escape(a.rationale)}",
    ]
    lines += [f"• {escape(f)}" for f in a.follow_ups]
    blocks = [section(chunk) for chunk in split_text("\n".join(lines))]
    buttons = []
    for f in a.open_follow_ups:
        if f.letter:
            buttons.append(button("Draft the letter", PREPARE_LETTER, str(f.id)))
        done = button(f.label, FOLLOW_UP_DONE, str(f.id))
        done["confirm"] = are_you_sure(
            f"*{escape(f.label)}* is recorded as done, with your name and today's date."
        )
        buttons.append(done)
    if buttons:
        blocks += actions(buttons, block_id=f"breach_follow_up:{view.breach_id}")
    return blocks


def _action_blocks(view: TriageView) -> list[Block]:
    rid = str(view.breach_id)
    if view.assessment is not None:
        return _decision_blocks(view)
    no_breach = button(
        OUTCOME_LABELS[AssessmentOutcome.NO_BREACH],
        outcome_action(AssessmentOutcome.NO_BREACH),
        rid,
    )
    if view.status is BreachStatus.POSSIBLE:
        prompt = "*Which subject is this about?* Pick one, or several if it names several."
        if view.match_reason:
            prompt += f" Why a person must choose: {escape(view.match_reason)}."
        blocks: list[Block] = []
        if view.candidates:
            options = [
                {
                    "text": {"type": "plain_text", "text": clip(label, 75)},
                    "value": f"{rid}:{ref}",
                }
                for ref, label in view.candidates[:SELECT_MAX]
            ]
            picker = {
                "type": "static_select",
                "action_id": PICK_SUBJECT,
                "placeholder": {"type": "plain_text", "text": "Choose the subject"},
                "options": options,
            }
            blocks.append(section(prompt, accessory=picker))
        else:
            blocks.append(section(prompt + " No candidate was recognised."))
        other = button("Several subjects or another…", PICK_OTHER, rid)
        return blocks + actions([other, no_breach], block_id=f"breach_pick:{rid}")
    buttons = [no_breach]
    buttons += [
        button(
            OUTCOME_LABELS[o],
            outcome_action(o),
            rid,
            style="danger" if o is AssessmentOutcome.ARREST else None,
        )
        for o in AssessmentOutcome
        if o is not AssessmentOutcome.NO_BREACH
    ]
    buttons.append(button("Need more information", MORE_INFO, rid))
    return actions(buttons, block_id=f"breach_assess:{rid}")


def triage_text(view: TriageView) -> str:
    """The notification text (and the fallback where blocks are not shown)."""
    about = view.subject.ref if view.subject else "subject to confirm"
    state = "assessed" if view.assessment else view.status.value.replace("_", " ")
    return f"Breach report {view.ref} ({about}): {state}"


def triage_messages(view: TriageView) -> list[list[Block]]:
    """The triage post's blocks; a report too long for one message continues in the thread."""
    title = "Possible breach report" if view.status is BreachStatus.POSSIBLE else "Breach report"
    blocks: list[Block] = [
        header(f":rotating_light: {title} {view.ref}"),
        context_note(_where(view)),
    ]
    seen = _seen(view)
    if seen:
        blocks.append(section(seen))
    body = split_text(escape(view.text) or "_(no text)_")
    blocks.append(section("*What was seen*\n" + body[0]))
    text_rest = [section(chunk) for chunk in body[1:]]
    tail = [divider(), *_subject_blocks(view), *_state_blocks(view), *_action_blocks(view)]
    room = MESSAGE_BLOCKS_MAX - len(blocks) - len(tail) - 1
    if len(text_rest) <= room:
        return [blocks + text_rest + tail]
    note = context_note(f"The report continues in the thread ({len(text_rest) - room} more parts).")
    first = blocks + text_rest[:room] + [note] + tail
    more = text_rest[room:]
    return [first] + [
        more[i : i + MESSAGE_BLOCKS_MAX] for i in range(0, len(more), MESSAGE_BLOCKS_MAX)
    ]


COMPACT_TEXT = 600  # characters of a report shown in a burst's shared triage post


def triage_compact(view: TriageView) -> list[Block]:
    """One report's entry in a shared triage post (a burst: several reports in one message,
    each with its own buttons): a few blocks, the text cut with a pointer to the original."""
    subject = view.subject
    about = f"{subject.ref} {escape(subject.name)}" if subject else "subject to confirm"
    text = escape(view.text) or "_(no text)_"
    if len(text) > COMPACT_TEXT:
        text = text[:COMPACT_TEXT].rstrip() + " … _(continues in the original message)_"
    return [
        section(f":rotating_light: *{view.ref}* ({about})\n{text}\n_{_where(view)}_"),
        *_action_blocks(view),
    ]


def reporter_ack_line(reporter: str, *refs: str) -> list[Block]:
    """A reporter's line in a burst's shared acknowledgement."""
    return [section(f"• <@{reporter}>: recorded as {_refs(refs)}")]


def reporter_ack(*refs: str) -> str:
    """The thread reply to the reporter: the references and nothing else about the subject."""
    return f":white_check_mark: Thank you. Recorded as {_refs(refs)} and sent to the LOM team."


def reported_text(*refs: str, to_confirm: bool = False) -> str:
    """What whoever reported it is told: the references, never who the bot thinks it is about."""
    many = " (one report per subject named)" if len(refs) > 1 else ""
    text = (
        f":white_check_mark: Recorded as breach report{'s' if many else ''} {_refs(refs)}{many} "
        "and sent to the LOM team."
    )
    return text + (" The LOM team will confirm which subject it is about." if to_confirm else "")


def _refs(refs: tuple[str, ...]) -> str:
    """*BR-00001*, or *BR-00001* and *BR-00002* (one report per subject named)."""
    marked = [f"*{ref}*" for ref in refs]
    return marked[0] if len(marked) == 1 else ", ".join(marked[:-1]) + " and " + marked[-1]


def reporter_assessed(ref: str, outcome: AssessmentOutcome | None) -> str:
    if outcome is None:
        return f"The LOM team has assessed *{ref}*. Thank you for reporting it."
    return f"The LOM team has assessed *{ref}*: {OUTCOME_LABELS[outcome].lower()}."


def reporter_question(ref: str, reporter: str, question: str) -> str:
    return (
        f"<@{reporter}> the LOM team asks for more about *{ref}*: {escape(question)}\n"
        "Reply in this thread and it is added to the report."
    )
