"""All tables; importing this module registers every one on Base.metadata."""

from lom_bot.store.tables.base import Base
from lom_bot.store.tables.charges import OrderCharge
from lom_bot.store.tables.history import Correction, Notification, Vehicle, VisitEvidence
from lom_bot.store.tables.infra import (
    AuditEntry,
    AuditHead,
    InboundRequest,
    JobRun,
    OutboxMessage,
    SeenEvent,
)
from lom_bot.store.tables.orders import (
    Checklist,
    ChecklistStep,
    Condition,
    EducationVisit,
    Order,
    OrderEvent,
    Transfer,
)
from lom_bot.store.tables.packs import TransferPack
from lom_bot.store.tables.people import (
    Alias,
    Associate,
    Handover,
    ReleaseDate,
    Subject,
    User,
)
from lom_bot.store.tables.records import (
    Assessment,
    BreachEdit,
    BreachReport,
    Check,
    Contact,
    CourtOutcome,
    Dissemination,
    Document,
    Draft,
    FollowUp,
    Intelligence,
    Task,
)

__all__ = [
    "Alias",
    "Assessment",
    "Associate",
    "AuditEntry",
    "AuditHead",
    "Base",
    "BreachEdit",
    "BreachReport",
    "Check",
    "Checklist",
    "ChecklistStep",
    "Condition",
    "Contact",
    "Correction",
    "CourtOutcome",
    "Dissemination",
    "Document",
    "Draft",
    "EducationVisit",
    "FollowUp",
    "Handover",
    "InboundRequest",
    "Intelligence",
    "JobRun",
    "Notification",
    "Order",
    "OrderCharge",
    "OrderEvent",
    "OutboxMessage",
    "ReleaseDate",
    "SeenEvent",
    "Subject",
    "Task",
    "Transfer",
    "TransferPack",
    "User",
    "Vehicle",
    "VisitEvidence",
]
