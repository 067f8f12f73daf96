"""The vocabulary of SCPO management (see docs/domain.md)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    LOM_OFFICER = "lom_officer"
    LOM_SUPERVISOR = "lom_supervisor"
    DISTRICT_OFFICER = "district_officer"
    ADMIN = "admin"


class RiskLevel(StrEnum):
    VERY_HIGH = "very_high"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class CustodyStatus(StrEnum):
    IN_CUSTODY = "in_custody"
    IN_COMMUNITY = "in_community"
    RECALLED = "recalled"
    DECEASED = "deceased"
    MOVED_OUT = "moved_out"


class ReleaseDateKind(StrEnum):
    CRD = "crd"  # conditional release
    ARD = "ard"  # automatic release
    PED = "ped"  # parole eligibility
    HDCED = "hdced"  # home detention curfew eligibility
    LED = "led"  # licence expiry
    SED = "sed"  # sentence expiry
    PRRD = "prrd"  # post-recall release
    CONFIRMED = "confirmed"


class OrderStatus(StrEnum):
    PROPOSED = "proposed"
    DRAFTED = "application_drafted"
    APPROVED = "supervisor_approved"
    SUBMITTED = "submitted_to_cps"
    GRANTED = "granted"
    REFUSED = "refused"
    RECORDED = "recorded_on_systems"
    AWAITING_ACTIVATION = "awaiting_activation"
    EDUCATED = "education_visit_done"
    ACTIVE = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    CLOSED = "closed"
    DISCHARGED = "discharged"
    SUPERSEDED = "superseded"
    TRANSFERRED_OUT = "transferred_out"


class OrderRoute(StrEnum):
    HIGH_COURT_S1 = "high_court_s1"
    CROWN_COURT_S19 = "crown_court_s19"


class Commencement(StrEnum):
    ON_RELEASE = "on_release"
    FIXED_DATE = "fixed_date"


class ConditionCategory(StrEnum):
    FINANCIAL = "financial"
    WORK = "work"
    COMMUNICATIONS = "communications"
    ASSOCIATION = "association"
    PREMISES = "premises"
    ITEMS_VEHICLES = "items_vehicles"
    TRAVEL = "travel"
    INFORMATION = "information"
    RESIDENCE = "residence"
    OTHER = "other"


class DutyKind(StrEnum):
    NONE = "none"
    MONTHLY_BY_DAY = "monthly_by_day"  # e.g. bank statements monthly by the 5th
    WITHIN_DAYS_OF_EVENT = "within_days_of_event"  # e.g. notify a new device within 3 days


class ContactKind(StrEnum):
    CALL = "call"
    EMAIL = "email"
    LETTER = "letter"
    PROBATION = "probation_appointment"
    HOME_VISIT = "home_visit"
    PRISON_VISIT = "prison_visit"
    OFFICE_VISIT = "office_visit"


class ContactOutcome(StrEnum):
    COMPLIED = "attended_complied"
    FAILED_TO_COMPLY = "attended_failed_to_comply"
    ACCEPTABLE_ABSENCE = "acceptable_absence"
    UNACCEPTABLE_ABSENCE = "unacceptable_absence"
    NO_CONTACT = "no_contact_made"
    AWAITING_EVIDENCE = "waiting_for_evidence"


UNACCEPTABLE_FAILURES = frozenset(
    {ContactOutcome.FAILED_TO_COMPLY, ContactOutcome.UNACCEPTABLE_ABSENCE}
)


class CheckKind(StrEnum):
    ANPR = "anpr"
    TELECOMS = "telecoms"
    OPEN_SOURCE = "open_source"
    PRISON_INTEL = "prison_intel"
    FINANCIAL = "financial"
    PNC = "pnc"
    OTHER = "other"


class CheckResult(StrEnum):
    NO_CONCERNS = "no_concerns"
    CONCERN = "concern"


class SourceGrade(StrEnum):
    RELIABLE = "1"
    UNTESTED = "2"
    NOT_RELIABLE = "3"


class IntelGrade(StrEnum):
    KNOWN_DIRECTLY = "A"
    INDIRECT_CORROBORATED = "B"
    INDIRECT = "C"
    NOT_KNOWN = "D"
    SUSPECTED_FALSE = "E"


class HandlingCode(StrEnum):
    MAY_SHARE = "P"
    CONDITIONS = "C"


class BreachStatus(StrEnum):
    NEW = "new"  # matched, waiting for assessment
    POSSIBLE = "possible"  # ambiguous or unmatched: a person must confirm the subject
    NEED_INFO = "need_info"
    ASSESSED = "assessed"


class AssessmentOutcome(StrEnum):
    NO_BREACH = "no_breach"
    ADVICE = "advice"
    FIRST_WARNING = "first_warning_letter"
    FINAL_WARNING = "final_warning_letter"
    INTERVIEW = "interview_under_caution"
    ARREST = "arrest"
    CPS_FILE = "cps_file"
    RECALL_REFERRAL = "recall_referral"


class FollowUpKind(StrEnum):
    WARNING_LETTER = "warning_letter"
    FINAL_WARNING_LETTER = "final_warning_letter"
    INTERVIEW = "interview"
    ARREST = "arrest"
    CPS_FILE = "cps_file"
    RECALL_REFERRAL = "recall_referral"


class TaskKind(StrEnum):
    PASSING_ATTENTION = "passing_attention"
    CURFEW_CHECK = "curfew_check"
    STOP_CHECK = "stop_check"
    HOME_VISIT = "home_visit"
    OTHER = "other"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class TaskResult(StrEnum):
    """What a district officer found when doing a task."""

    DONE = "done"
    NOT_FOUND = "not_found"
    NEEDS_LOM = "needs_lom"


class ChecklistKind(StrEnum):
    SYSTEMS = "systems"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    CLOSURE = "closure"


class AuditAction(StrEnum):
    """The six kinds of processing that DPA 2018 s.62 requires to be logged."""

    COLLECTION = "collection"
    ALTERATION = "alteration"
    CONSULTATION = "consultation"
    DISCLOSURE = "disclosure"
    COMBINATION = "combination"
    ERASURE = "erasure"
    # Not one of the six: a request refused (who, what, which subject, where), kept in the
    # same chain because a professional-standards review needs the attempt as well.
    REFUSAL = "refusal"
