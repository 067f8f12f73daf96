"""The next steps an order allows from its state, each with the permission it needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lom_bot.domain.enums import ChecklistKind, Commencement, OrderStatus
from lom_bot.domain.lifecycle import ENDED, GRANTED_NOT_ENDED, IN_FORCE
from lom_bot.services.permissions import Action
from lom_bot.store.tables import Order


@dataclass(frozen=True)
class Step:
    """A next step the order allows: its key (for commands and buttons), label and permission."""

    key: str
    label: str
    permission: Action


M, A, OG = Action.MANAGE_ORDER, Action.APPROVE_APPLICATION, Action.OVERRIDE_GATE
PRE_ACTIVE = frozenset(
    {OrderStatus.RECORDED, OrderStatus.AWAITING_ACTIVATION, OrderStatus.EDUCATED}
)


def next_steps(
    order: Order,
    open_checklists: set[ChecklistKind],
    transfer_out_open: bool,
    read_only: bool,
    today: date,
) -> list[Step]:
    """The steps the state machine allows from here, each with the permission it needs."""
    s = order.status
    if read_only or s is OrderStatus.TRANSFERRED_OUT:
        return []
    if s is OrderStatus.CLOSED:
        return [Step("propose", "Propose a new order", M)]
    steps: list[Step] = []
    if s in ENDED:
        steps.append(Step("propose", "Propose a new order", M))
    if s in (OrderStatus.PROPOSED, OrderStatus.DRAFTED):
        steps.append(
            Step(
                "draft",
                "Draft application" if s is OrderStatus.PROPOSED else "Redraft application",
                M,
            )
        )
    if s is OrderStatus.DRAFTED:
        steps += [Step("approve", "Approve", A), Step("return", "Return with comments", A)]
    if s is OrderStatus.APPROVED:
        steps += [Step("submit", "Submitted to CPS", M), Step("return", "Return with comments", A)]
    if s is OrderStatus.SUBMITTED:
        steps += [Step("grant", "Granted", M), Step("refuse", "Refused", M)]
    if ChecklistKind.SYSTEMS in open_checklists:
        steps.append(Step("systems", "Record on a system", M))
    if s in GRANTED_NOT_ENDED and s not in IN_FORCE and s is not OrderStatus.EDUCATED:
        steps += [
            Step("visit_book", "Book education visit", M),
            Step("visit_record", "Record education visit", M),
        ]
    if s in PRE_ACTIVE:
        steps.append(Step("activate", "Activate on release", M))
        if s is not OrderStatus.EDUCATED:
            steps.append(Step("override", "Activate (override gate)", OG))
    if (
        s in GRANTED_NOT_ENDED
        and order.commencement is Commencement.ON_RELEASE
        and order.activated_on is None
    ):
        steps.append(Step("release", "Release date changed", M))
    if ChecklistKind.TRANSFER_IN in open_checklists:
        steps.append(Step("pack_in", "Pack item received", M))
    if s in GRANTED_NOT_ENDED:
        steps += [Step("vary", "Variation", M), Step("pending", "Court event pending", M)]
    if s in IN_FORCE:
        steps.append(Step("extend", "Extension (s.22E)", M))
        if order.expires_on and order.expires_on < today:
            steps.insert(0, Step("expire", "Record expiry", M))
    if s in GRANTED_NOT_ENDED:
        steps.append(Step("discharge", "Discharged (s.18)", M))
        if transfer_out_open:
            steps += [
                Step("transfer_pack", "Make transfer pack", Action.EXPORT_SENSITIVE),
                Step("pack_out", "Pack item sent", M),
                Step("accept", "Transfer accepted", M),
            ]
        else:
            steps.append(Step("transfer_out", "Transfer out", M))
    if s is OrderStatus.EXPIRED:
        steps += [
            Step("closure", "Closure step", M),
            Step("expiry_letter", "Confirmation of expiry", Action.GENERATE_LETTER),
            Step("close", "Close", M),
            Step("propose", "Propose a new order", M),
        ]
    return steps
