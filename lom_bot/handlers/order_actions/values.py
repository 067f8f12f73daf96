"""Reading a step's field values (from command text or a modal) into typed values."""

from __future__ import annotations

import re
from datetime import date

from lom_bot.domain.dates import DATE_EXAMPLE, parse_date
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.forms import Values
from lom_bot.services import orders as o


def a_date(values: Values, name: str, today: date, *, default: str | None = None) -> date:
    text = (values.get(name) or default or "").strip()
    if not text:
        raise InvalidInput(f"The {name} date is missing.", field=name, example=DATE_EXAMPLE)
    return parse_date(text, today, field=name)


def opt_date(values: Values, name: str, today: date) -> date | None:
    return a_date(values, name, today) if (values.get(name) or "").strip() else None


def whole(values: Values, name: str) -> int:
    text = (values.get(name) or "").strip().lower().removesuffix("m").removesuffix(" months")
    if not text.isdigit():
        raise InvalidInput(f"The {name} must be a whole number.", field=name, example="60")
    return int(text)


def numbers(values: Values, name: str) -> tuple[int, ...]:
    words = [w for w in re.split(r"[,\s]+", values.get(name) or "") if w]
    if not all(w.isdigit() for w in words):
        raise InvalidInput(f"The {name} are condition numbers.", field=name, example="1,3")
    return tuple(int(w) for w in words)


def templates(values: Values, name: str = "conditions") -> tuple[o.ConditionDraft, ...]:
    keys = [w for w in re.split(r"[,\s]+", values.get(name) or "") if w]
    return tuple(o.ConditionDraft(k) for k in keys)


def reworded(values: Values, name: str = "wording") -> dict[int, str | None]:
    out: dict[int, str | None] = {}
    for line in (values.get(name) or "").splitlines():
        if not line.strip():
            continue
        number, sep, text = line.partition(":")
        if not sep or not number.strip().isdigit():
            raise InvalidInput(
                f"Each line is 'number: wording', not '{line[:40]}'.",
                field=name,
                example="2: Not to possess more than one phone.",
            )
        wording = text.strip()
        if not wording:
            raise InvalidInput(
                f"Line '{line.strip()[:40]}' gives condition {int(number)} no words: give the "
                "court's exact words (or `remove` on a variation).",
                field=name,
                example=f"{int(number)}: Not to possess more than one phone.",
            )
        out[int(number)] = None if wording.lower() == "remove" else wording
    return out


def drafts(values: Values) -> tuple[o.ConditionDraft, ...]:
    """Templates, with any edited wording by position ('2: ...' edits the second)."""
    found = list(templates(values))
    for number, wording in reworded(values).items():
        if not 1 <= number <= len(found):
            raise InvalidInput(f"There is no condition {number} in the draft.", field="wording")
        found[number - 1] = o.ConditionDraft(found[number - 1].template, wording)
    return tuple(found)


def verbatim(values: Values) -> tuple[o.ConditionDraft, ...]:
    """Conditions as the court worded them ('1: ...' per line), typed by the template keys in
    the same order where given ('other' where not); a key without words stays without."""
    keys = [d.template for d in templates(values)]
    words = reworded(values)
    count = max([len(keys), *words])
    return tuple(
        o.ConditionDraft(keys[n - 1] if n <= len(keys) else "other", words.get(n))
        for n in range(1, count + 1)
    )


def choice(values: Values, name: str, allowed: dict[str, str], default: str) -> str:
    text = (values.get(name) or default).strip().lower().replace(" ", "_")
    if text not in allowed:
        raise InvalidInput(
            f"The {name} is one of: {', '.join(allowed)}.", field=name, example=next(iter(allowed))
        )
    return text


def opt(values: Values, name: str) -> str | None:
    return (values.get(name) or "").strip() or None
