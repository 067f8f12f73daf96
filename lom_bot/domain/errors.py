"""Named domain errors: each carries a message an officer understands."""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules refuse; the message is shown to the user as it is."""

    def __init__(self, message: str, *, field: str | None = None, example: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.example = example

    def __str__(self) -> str:
        text = self.message
        if self.example:
            text += f" For example: {self.example}"
        return text


class NotAuthorised(DomainError):
    """A refusal. It carries who was refused, what they asked and which subject, so that the
    refusal can be audited (once: `audited` is set when it has been)."""

    def __init__(
        self,
        message: str = "You are not authorised to do that.",
        *,
        who: str | None = None,
        asked: str | None = None,
        subject_ref: str | None = None,
    ) -> None:
        super().__init__(message)
        self.who = who
        self.asked = asked
        self.subject_ref = subject_ref
        self.audited = False


class NotFound(DomainError):
    pass


class Ambiguous(DomainError):
    """More than one record matches; the caller offers a choice, never a guess."""

    def __init__(
        self,
        message: str,
        candidates: list[tuple[str, str]],
        *,
        who: str | None = None,
        query: str | None = None,
    ):
        super().__init__(message)
        self.candidates = candidates  # (reference, label)
        # Listing names is a consultation of each subject listed: audited once, when `who` is
        # known, by the unit of work the search ran in.
        self.who = who
        self.query = query
        self.audited = False


class InvalidInput(DomainError):
    pass


class InvalidDate(InvalidInput):
    pass


class InvalidGrading(InvalidInput):
    pass


class OrderTooLong(DomainError):
    pass


class SubjectTooYoung(DomainError):
    pass


class IllegalTransition(DomainError):
    pass


class GateClosed(DomainError):
    """A step needs something first (e.g. the education visit before activation)."""


class AlreadyDone(DomainError):
    """A second click or a stale card: the thing was already done."""


class ReadOnlyRecord(DomainError):
    pass


class Duplicate(DomainError):
    pass
