"""The fields a pack record and its table row share by name and type: one list drives both
collecting (row to record) and receiving (record to row); the rest are mapped by hand."""

from __future__ import annotations

from typing import Any

ORDER = (
    "court",
    "made_on",
    "commencement",
    "starts_on",
    "activated_on",
    "expires_on",
    "term_months",
    "grounds",
    "bound_how",
    "served_on",
    "served_by",
    "proposed_at",
    "decided_at",
    "decision_note",
    "pending_court_event",
    "education_override",
    "review_on",
    "version",
)
RELEASE_DATE = ("kind", "on", "recorded_at", "actual")
ORDER_EVENT = ("kind", "status_from", "status_to", "effective_on", "snapshot", "recorded_at")
CONDITION = (
    "number",
    "category",
    "wording",
    "starts_on",
    "ends_on",
    "duty",
    "duty_days",
    "duty_description",
    "watch_for",
    "active",
)
CONTACT = (
    "kind",
    "occurred_on",
    "location",
    "outcome",
    "absence_reason",
    "notes",
    "evidence_due_on",
    "recorded_at",
    "corrected_at",
)
CHECK = ("kind", "done_on", "result", "notes", "recorded_at")
COURT_OUTCOME = (
    "kind",
    "detail",
    "on",
    "court",
    "offence",
    "section",
    "plea",
    "disposal",
    "custody_months",
    "fine_pounds",
    "penalty",
    "new_order",
)
BREACH = (
    "status",
    "source",
    "reporter_slack_id",
    "district",
    "text",
    "seen_at",
    "seen_where",
    "match_score",
    "match_reason",
    "deleted",
    "received_at",
)
BREACH_EDIT = ("kind", "text", "by_slack_id", "at")
ASSESSMENT = ("outcome", "rationale", "excuse_accepted", "decided_at")
FOLLOW_UP = ("kind", "due_on", "done_on", "note")


def shared(source: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of a row or a record, as keyword arguments to build the other."""
    return {name: getattr(source, name) for name in names}
