"""Who may do what: the one permission matrix, enforced here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lom_bot.domain.enums import Role
from lom_bot.domain.errors import NotAuthorised


class Action(StrEnum):
    VIEW_SUBJECT = "view_subject"  # the full card
    VIEW_SUBJECT_LIMITED = "view_subject_limited"  # identity, description, conditions, tasks
    LIST_CASELOAD = "list_caseload"
    EDIT_SUBJECT = "edit_subject"
    LOG_CONTACT = "log_contact"
    LOG_CHECK = "log_check"
    LOG_INTEL = "log_intel"
    VIEW_INTEL = "view_intel"
    REPORT_BREACH = "report_breach"
    ASSESS_BREACH = "assess_breach"
    CREATE_TASK = "create_task"
    COMPLETE_TASK = "complete_task"
    VIEW_DUE = "view_due"
    MANAGE_ORDER = "manage_order"
    APPROVE_APPLICATION = "approve_application"
    OVERRIDE_GATE = "override_gate"
    GENERATE_LETTER = "generate_letter"
    VIEW_STATS = "view_stats"
    VIEW_AUDIT = "view_audit"
    EXPORT = "export"
    EXPORT_SENSITIVE = "export_sensitive"
    IMPORT = "import"
    MANAGE_ROLES = "manage_roles"
    HANDOVER_CASELOAD = "handover_caseload"
    RETENTION_DECISION = "retention_decision"


# What each permission lets a person do, in words (the console's help lists them by role).
ACTION_WORDS = {
    Action.VIEW_SUBJECT: "read full subject cards",
    Action.VIEW_SUBJECT_LIMITED: "see their district's subjects (identity, conditions, tasks)",
    Action.LIST_CASELOAD: "list a caseload",
    Action.EDIT_SUBJECT: "edit subjects",
    Action.LOG_CONTACT: "log contacts",
    Action.LOG_CHECK: "log checks",
    Action.LOG_INTEL: "record intelligence",
    Action.VIEW_INTEL: "read intelligence",
    Action.REPORT_BREACH: "report breaches",
    Action.ASSESS_BREACH: "assess breach reports (the triage buttons)",
    Action.CREATE_TASK: "task districts",
    Action.COMPLETE_TASK: "complete tasks",
    Action.VIEW_DUE: "see what is due",
    Action.MANAGE_ORDER: "take orders through their steps (/lom order)",
    Action.APPROVE_APPLICATION: "approve applications",
    Action.OVERRIDE_GATE: "override the education visit gate",
    Action.GENERATE_LETTER: "draft letters",
    Action.VIEW_STATS: "read statistics (/lom stats)",
    Action.VIEW_AUDIT: "read the audit log (/lom audit)",
    Action.EXPORT: "export",
    Action.EXPORT_SENSITIVE: "export sensitive columns",
    Action.IMPORT: "import a register",
    Action.MANAGE_ROLES: "give and take roles (/lom admin)",
    Action.HANDOVER_CASELOAD: "hand caseloads over (/lom admin handover)",
    Action.RETENTION_DECISION: "decide retention reviews",
}


_OFFICER = frozenset(
    {
        Action.VIEW_SUBJECT,
        Action.VIEW_SUBJECT_LIMITED,
        Action.LIST_CASELOAD,
        Action.EDIT_SUBJECT,
        Action.LOG_CONTACT,
        Action.LOG_CHECK,
        Action.LOG_INTEL,
        Action.VIEW_INTEL,
        Action.REPORT_BREACH,
        Action.ASSESS_BREACH,
        Action.CREATE_TASK,
        Action.COMPLETE_TASK,
        Action.VIEW_DUE,
        Action.MANAGE_ORDER,
        Action.GENERATE_LETTER,
        Action.EXPORT,
    }
)

MATRIX: dict[Role, frozenset[Action]] = {
    Role.LOM_OFFICER: _OFFICER,
    Role.LOM_SUPERVISOR: _OFFICER
    | {
        Action.APPROVE_APPLICATION,
        Action.OVERRIDE_GATE,
        Action.VIEW_STATS,
        Action.VIEW_AUDIT,
        Action.EXPORT_SENSITIVE,
        Action.IMPORT,
        Action.RETENTION_DECISION,
        Action.HANDOVER_CASELOAD,
    },
    Role.DISTRICT_OFFICER: frozenset(
        {
            Action.VIEW_SUBJECT_LIMITED,
            Action.LIST_CASELOAD,
            Action.REPORT_BREACH,
            Action.COMPLETE_TASK,
        }
    ),
    Role.ADMIN: frozenset({Action.MANAGE_ROLES, Action.VIEW_AUDIT, Action.IMPORT}),
}


@dataclass(frozen=True)
class Actor:
    """The person acting, as the bot knows them."""

    slack_id: str
    name: str
    role: Role
    user_id: int | None = None
    district: str | None = None

    @property
    def is_district(self) -> bool:
        return self.role is Role.DISTRICT_OFFICER


SYSTEM = Actor(slack_id="system", name="lom-bot", role=Role.LOM_SUPERVISOR)


def can(actor: Actor, action: Action) -> bool:
    return action in MATRIX.get(actor.role, frozenset())


def require(actor: Actor, action: Action) -> None:
    if not can(actor, action):
        raise NotAuthorised(
            f"Your role ({actor.role.value.replace('_', ' ')}) may not "
            f"{action.value.replace('_', ' ')}.",
            who=actor.slack_id,
            asked=action.value,
        )


def require_district(actor: Actor, district: str, subject_ref: str | None = None) -> None:
    """District officers see only subjects resident in their own district."""
    if actor.is_district and (actor.district or "").lower() != district.lower():
        raise NotAuthorised(
            "That subject is not in your district.",
            who=actor.slack_id,
            asked="subject outside own district",
            subject_ref=subject_ref,
        )
