"""The order's whole life, one service per step (see docs/domain.md, "The life of an order")."""

from lom_bot.services.orders.activation import (
    Activate,
    ChangeReleaseDate,
    activate,
    change_release_date,
)
from lom_bot.services.orders.application import (
    ConditionDraft,
    DraftApplication,
    ProposeOrder,
    Review,
    Submit,
    approve,
    draft,
    propose,
    return_application,
    submit,
)
from lom_bot.services.orders.arriving import DecideGoverning, decide_governing
from lom_bot.services.orders.charges import DisposeCharge, Extend, dispose_charge, extend
from lom_bot.services.orders.checklists import CompleteStep, complete_step
from lom_bot.services.orders.closure import (
    CloseOrder,
    ExpiryReport,
    RecordExpiry,
    close_order,
    expire_due_orders,
    record_expiry,
)
from lom_bot.services.orders.common import StepDone
from lom_bot.services.orders.court import (
    Discharge,
    NotePending,
    Vary,
    discharge,
    note_pending,
    vary,
)
from lom_bot.services.orders.decision import GrantOrder, RefuseOrder, grant, refuse
from lom_bot.services.orders.history import AsOf, order_as_of, view_order
from lom_bot.services.orders.next_steps import Step
from lom_bot.services.orders.transfers import (
    AcceptTransfer,
    TransferIn,
    TransferOut,
    accept_transfer,
    transfer_in,
    transfer_out,
)
from lom_bot.services.orders.view import OrderView
from lom_bot.services.orders.visit import BookVisit, RecordVisit, book_visit, record_visit

__all__ = [
    "AcceptTransfer",
    "Activate",
    "AsOf",
    "BookVisit",
    "ChangeReleaseDate",
    "CloseOrder",
    "CompleteStep",
    "ConditionDraft",
    "DecideGoverning",
    "Discharge",
    "DisposeCharge",
    "DraftApplication",
    "ExpiryReport",
    "Extend",
    "GrantOrder",
    "NotePending",
    "OrderView",
    "ProposeOrder",
    "RecordExpiry",
    "RecordVisit",
    "RefuseOrder",
    "Review",
    "Step",
    "StepDone",
    "Submit",
    "TransferIn",
    "TransferOut",
    "Vary",
    "accept_transfer",
    "activate",
    "approve",
    "book_visit",
    "change_release_date",
    "close_order",
    "complete_step",
    "decide_governing",
    "discharge",
    "dispose_charge",
    "draft",
    "expire_due_orders",
    "extend",
    "grant",
    "note_pending",
    "order_as_of",
    "propose",
    "record_expiry",
    "record_visit",
    "refuse",
    "return_application",
    "submit",
    "transfer_in",
    "transfer_out",
    "vary",
    "view_order",
]
