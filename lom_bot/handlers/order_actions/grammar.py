"""How `/lom order` reads its text: subject, step, fields; and the step list `/lom help order`
shows. Nothing here writes: a word that is not a step is refused, never guessed."""

from __future__ import annotations

import re
import shlex

from lom_bot.domain.errors import InvalidInput
from lom_bot.domain.order_dates import EXPIRY_MEANING
from lom_bot.handlers.forms import Form, Values
from lom_bot.handlers.order_actions.forms import STEP_FORMS

# Where words that are not field=value go, per step.
FREE_TEXT = {
    "propose": "grounds",
    "draft": "grounds",
    "approve": "comments",
    "return": "comments",
    "submit": "note",
    "refuse": "reason",
    "override": "reason",
    "close": "note",
    "letter": "failure",
    "extend": "charge",
    "pending": "note",
    "discharge": "reason",
    "activate": "released",
    "visit_book": "date",
    "accept": "date",
    "systems": "step",
    "closure": "step",
    "pack_in": "step",
    "pack_out": "step",
    "transfer_out": "force",
    "transfer_in": "force",
    "visit_record": "notes",
    "disposal": "outcome",
    "governs": "choice",
}
# `visit` is not a step by itself: `visit book <date>` and `visit record ...` are.
VISIT = {"book": "visit_book", "record": "visit_record"}
VISIT_HOW = (
    "`visit book <date>` books the education visit; `visit record date=<date> "
    "outcome=acknowledged acknowledged=all` (or `outcome=refused service=in_person`) records "
    "one that took place."
)
# Words an officer may try to move the end date with.
END_DATE_WORDS = frozenset(
    {"expires", "expiry", "expires_on", "expiry_date", "end", "ends", "end_date", "term", "until"}
)
# A first word that is a reference: what follows it must be a step.
_REFERENCE = re.compile(r"^(lom|scpo)-?\d{1,7}$|^\d{2}/\d{1,7}[a-z]$", re.IGNORECASE)

EXAMPLES = {
    "propose": "propose Leading role in a supply network",
    "draft": "draft conditions=phone,bank,travel Role in an organised supply network",
    "approve": "approve Grounds are well evidenced",
    "return": "return Add the financial evidence",
    "submit": "submit Sent to CPS Leeds",
    "grant": 'grant court="Leeds Crown Court" reference=T20267001 made=02/11/2026 term=60',
    "refuse": "refuse Insufficient evidence",
    "systems": "systems PNC reference=PNC-123",
    "visit_book": "visit book 10/12/2026",
    "visit_record": "visit record date=today outcome=acknowledged acknowledged=all",
    "activate": "activate today",
    "override": 'override released=today reason="Released early; visit booked"',
    "release": "release kind=crd date=01/03/2027",
    "vary": 'vary section=s17 court="Leeds Crown Court" made=today expires=01/01/2030',
    "extend": 'extend court="Leeds Crown Court" charged=20/11/2026 Possession with intent to '
    "supply",
    "governs": "governs both",
    "disposal": "disposal date=today convicted, 2 years custody",
    "pending": "pending kind=variation",
    "discharge": 'discharge court="High Court (KBD)" made=today',
    "transfer_in": 'transfer_in force=merseyside court="Liverpool Crown Court" made=01/03/2025 '
    'activated=01/06/2025 expires=31/05/2028 conditions=cash wording="1: Not to possess cash '
    'exceeding £1,000 other than in a regulated bank account."',
    "pack_in": 'pack_in "Order and variations"',
    "transfer_out": "transfer_out force=police_scotland",
    "pack_out": 'pack_out "Order and variations"',
    "accept": "accept today",
    "closure": "closure 1 reference=done",
    "expire": "expire",
    "close": "close All steps done",
    "letter": "letter conditions=1 failure=... response=+7d",
    "expiry_letter": "expiry_letter",
}


def step_list() -> str:
    return ", ".join(f"`{s.replace('visit_', 'visit ')}`" for s in STEP_FORMS)


def _names(form: Form) -> set[str]:
    return {x.name for x in form.fields} - {"subject"}


def not_a_step(word: str) -> InvalidInput:
    """The refusal for a word (or `key=value`) where a step should be."""
    name = word.partition("=")[0].strip().lower()[:30] or word[:30]
    text = f"`{name}` is not a step"
    owners = [s.replace("visit_", "visit ") for s, f in STEP_FORMS.items() if name in _names(f)]
    if name in END_DATE_WORDS:
        text += "; the end date changes only through `vary` (s.17) or `extend` (s.22E)"
    elif owners:
        text += f"; `{name}=` is a field of " + ", ".join(f"`{o}`" for o in owners[:6])
        text += ": give it after its step"
    elif "=" in word:
        text += "; a `field=value` goes after its step"
    return InvalidInput(
        f"{text}. Steps: {step_list()}. `/lom help order` shows each step's fields.",
        field="step",
        example="/lom order LOM-0042 vary section=s17 court=... expires=01/01/2030",
    )


def split(text: str) -> tuple[str, str, str]:
    """(subject, step, rest): the subject is every word before the first step word."""
    words = text.split()
    for i, word in enumerate(words):
        key = word.lower().replace("-", "_")
        if i and (key in STEP_FORMS or key in ("history", "visit")):
            if key == "visit":
                return " ".join(words[:i]), *_visit(words[i + 1 :])
            return " ".join(words[:i]), key, " ".join(words[i + 1 :])
        if i and "=" in word:
            raise not_a_step(word)
    if len(words) > 1 and _REFERENCE.match(words[0]):
        raise not_a_step(words[1])
    return text.strip(), "", ""


def _visit(words: list[str]) -> tuple[str, str]:
    """`visit book ...` / `visit record ...`; anything else records nothing and says how."""
    if not words:
        raise InvalidInput("Nothing recorded. " + VISIT_HOW, field="step")
    step = VISIT.get(words[0].lower())
    if step is None:
        raise InvalidInput(
            f"Nothing recorded: `visit {words[0][:30]}` is not a visit step. " + VISIT_HOW,
            field="step",
        )
    return step, " ".join(words[1:])


def fields(step: str, rest: str) -> Values:
    """`court="Leeds Crown Court" made=02/11/2026 ...` plus free words into the step's text."""
    try:
        words = shlex.split(rest)
    except ValueError:
        raise InvalidInput("A quote is not closed.", example='court="Leeds Crown Court"') from None
    values: Values = {}
    free = []
    known = {f.name for f in STEP_FORMS[step].fields}
    for word in words:
        name, sep, value = word.partition("=")
        if sep and name.isidentifier():
            if name.lower() not in known:
                raise InvalidInput(
                    f"`{step.replace('_', ' ')}` has no field `{name[:30]}`; its fields: "
                    + ", ".join(f for f in sorted(known) if f != "subject")
                    + ".",
                    field=name,
                    example=EXAMPLES.get(step),
                )
            values[name.lower()] = value
        else:
            free.append(word)
    if free:
        target = FREE_TEXT.get(step)
        if target is None:
            raise InvalidInput(
                f"'{' '.join(free)[:60]}': give each value as field=value.",
                example="made=02/11/2026",
            )
        values.setdefault(target, " ".join(free))
    return values


def help_details() -> tuple[str, ...]:
    """`/lom help order`: what expiry means, then every step with its fields and an example."""
    lines = [f"*Expiry:* {EXPIRY_MEANING}", "*Steps* (`/lom order <subject> <step> ...`):"]
    for step, form in STEP_FORMS.items():
        names = [
            f if not optional else f"[{f}]"
            for f, optional in ((x.name, x.optional) for x in form.fields)
            if f != "subject"
        ]
        word = step.replace("visit_", "visit ")
        shown = " ".join(f"{n}=" if not n.startswith("[") else n for n in names) or "(no fields)"
        lines.append(f"• `{word}` {shown}: e.g. `{EXAMPLES.get(step, step)}`")
    lines.append(
        "`visit` alone records nothing; an unknown step or a `field=value` with no step is "
        "refused. The end date changes only through `vary` (s.17) or `extend` (s.22E)."
    )
    return tuple(lines)
