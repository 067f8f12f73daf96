"""Argument models: what a command or a modal gave, validated with pydantic into typed values.

Free words ("home visit", "seen", "+7d") are read by vocab/parse_date; a failure becomes an
InvalidInput naming the field, so a modal can show it on that field.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from lom_bot.domain import vocab
from lom_bot.domain.dates import DATE_EXAMPLE, parse_date
from lom_bot.domain.enums import CheckKind, CheckResult, ContactKind, ContactOutcome, TaskKind
from lom_bot.domain.errors import DomainError, InvalidInput
from lom_bot.domain.grading import GRADING_EXAMPLE, Grading, parse_grading

M = TypeVar("M", bound=BaseModel)


def choose(text: object, synonyms: vocab.Synonyms, what: str) -> StrEnum:
    value = vocab.lookup(str(text or ""), synonyms)
    if value is None:
        options = ", ".join(vocab.label(v) for v in synonyms)
        shown = str(text or "")[:40]
        raise ValueError(f"'{shown}' is not a {what} I know; use one of: {options}.")
    return value


def _date(value: object, info: ValidationInfo, default: str | None) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip() or default
    if not text:
        raise ValueError(f"Give a date, such as {DATE_EXAMPLE}.")
    try:
        return parse_date(text, (info.context or {})["today"], field=info.field_name or "date")
    except DomainError as exc:
        raise ValueError(f"{exc.message} Use {DATE_EXAMPLE}.") from None


class Args(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")
    # Fields whose validator supplies a default (a date defaulting to today).
    defaulted: ClassVar[tuple[str, ...]] = ()

    subject: str
    request_key: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name in cls.defaulted:
                data.setdefault(name, None)
        return data

    @field_validator("subject")
    @classmethod
    def _subject(cls, value: str) -> str:
        if not value:
            raise ValueError(
                "Which subject? Give LOM-0042, a PNC ID such as 19/0012345X, or a name."
            )
        return value[:200]


class ContactArgs(Args):
    defaulted = ("date",)
    kind: ContactKind
    outcome: ContactOutcome
    date: dt.date
    notes: str | None = None

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> StrEnum:
        return choose(value, vocab.CONTACT_KINDS, "kind of contact")

    @field_validator("outcome", mode="before")
    @classmethod
    def _outcome(cls, value: object) -> StrEnum:
        return choose(value, vocab.CONTACT_OUTCOMES, "contact outcome")

    @field_validator("date", mode="before")
    @classmethod
    def _on(cls, value: object, info: ValidationInfo) -> dt.date:
        return _date(value, info, "today")


class CheckArgs(Args):
    defaulted = ("date",)
    kind: CheckKind
    result: CheckResult
    date: dt.date
    notes: str | None = None

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> StrEnum:
        return choose(value, vocab.CHECK_KINDS, "kind of check")

    @field_validator("result", mode="before")
    @classmethod
    def _result(cls, value: object) -> StrEnum:
        return choose(value, vocab.CHECK_RESULTS, "check result")

    @field_validator("date", mode="before")
    @classmethod
    def _on(cls, value: object, info: ValidationInfo) -> dt.date:
        return _date(value, info, "today")


class IntelArgs(Args):
    grading: Grading
    text: str
    conditions: str | None = None

    model_config = ConfigDict(arbitrary_types_allowed=True, str_strip_whitespace=True)

    @field_validator("grading", mode="before")
    @classmethod
    def _grading(cls, value: object) -> Grading:
        if isinstance(value, Grading):
            return value
        try:
            return parse_grading(str(value or ""))
        except DomainError as exc:
            raise ValueError(f"{exc.message} Use {GRADING_EXAMPLE}.") from None

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        if not value:
            raise ValueError("Write the intelligence itself after the grading.")
        return value


class TaskArgs(Args):
    kind: TaskKind
    due: dt.date
    instructions: str | None = None
    district: str | None = None

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> StrEnum:
        return choose(value, vocab.TASK_KINDS, "kind of task")

    @field_validator("due", mode="before")
    @classmethod
    def _due(cls, value: object, info: ValidationInfo) -> dt.date:
        return _date(value, info, None)


def parse_args(model: type[M], values: dict[str, Any], today: dt.date) -> M:
    """Validate into `model`; the first problem becomes an InvalidInput on its field."""
    data = {k: (v if v != "" else None) for k, v in values.items()}
    try:
        return model.model_validate(data, context={"today": today})
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else None
        message = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] in ("missing", "string_type", "none_required") or err["input"] is None:
            message = f"The {name or 'value'} is missing."
        raise InvalidInput(message, field=name) from None
