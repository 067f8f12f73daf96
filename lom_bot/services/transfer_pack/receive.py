"""Import: verify a pack and create the subject transferring in, or show what would be created.

A dry run does everything an import does inside a transaction that is then rolled back, so
what it shows is exactly what --apply would write (and it writes nothing, audit included)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AuditAction, ChecklistKind, OrderStatus
from lom_bot.domain.errors import InvalidInput
from lom_bot.services.orders.checklists import open_checklist, steps_of
from lom_bot.services.orders.common import record_event
from lom_bot.services.orders.transfers import PACK
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.transfer_pack.receive_orders import (
    People,
    write_orders,
    write_subject,
)
from lom_bot.services.transfer_pack.receive_records import write_records
from lom_bot.services.transfer_pack.receive_report import Imported, created_lines
from lom_bot.services.transfer_pack.verify import Pack, PackRefused, open_pack
from lom_bot.store import queries
from lom_bot.store.tables import Document, EducationVisit, Subject, Transfer, TransferPack
from lom_bot.store.uow import UnitOfWork

# the transfer-in checklist items a pack made by lom-bot carries
COVERED = ("Order and variations", "Subject profile", "Contact log extract")
LETTER_KINDS = ("warning_letter", "final_warning_letter")


@dataclass(frozen=True)
class ImportTransfer:
    data: bytes
    district: str | None = None  # where the subject lives here; default: the pack's, if ours
    apply: bool = False


def import_pack(uow: UnitOfWork, actor: Actor, cmd: ImportTransfer) -> Imported:
    """Verify the pack; create the subject transferring in (or, by default, only show it)."""
    with uow:
        require(actor, Action.IMPORT)
        require(actor, Action.MANAGE_ORDER)
        require(actor, Action.EDIT_SUBJECT)
        pack = open_pack(cmd.data)
        man = pack.manifest
        earlier = uow.session.scalars(
            select(TransferPack).where(
                TransferPack.bundle_id == man.bundle_id, TransferPack.direction == "in"
            )
        ).first()
        if earlier is not None:
            if earlier.fingerprint != pack.fingerprint:
                raise PackRefused(
                    f"Refused: a different pack with bundle id {man.bundle_id} was imported "
                    f"here on {format_date(earlier.created_at.date())}."
                )
            ref = uow.session.get_one(Subject, earlier.subject_id).ref
            return Imported(cmd.apply, True, pack, ref)
        _not_already_held(uow, pack)
        district = _district(uow, pack, cmd.district, dry_run=not cmd.apply)
        done = _write(uow, actor, pack, district or uow.config.districts[0].name)
        done.applied, done.district = cmd.apply, district
        if district is None:  # a dry run: shown in the first district, said to be a choice
            done.district_needed = pack.subject.district
            done.created[0] = done.created[0].replace(
                f" in {uow.config.districts[0].name},", " in a district to choose,", 1
            )
        if cmd.apply:
            uow.commit()
        return done


def _not_already_held(uow: UnitOfWork, pack: Pack) -> None:
    """Another pack for the same subject from the same force (a later one) is not merged."""
    man = pack.manifest
    if pack.subject.pnc_id:
        held = queries.by_pnc(uow.session, pack.subject.pnc_id)
        if held is not None:
            raise PackRefused(
                f"Refused: PNC ID {pack.subject.pnc_id} is already {held.ref} here; adding a "
                "pack to an existing record is not built. Record the transfer with "
                f"`/lom order {held.ref} transfer_in`."
            )
    earlier = uow.session.scalars(
        select(TransferPack).where(
            TransferPack.direction == "in", TransferPack.other_force == man.sending_force[:80]
        )
    ).all()
    for row in earlier:
        if (row.manifest.get("subject") or {}).get("ref") == man.subject.ref:
            ref = uow.session.get_one(Subject, row.subject_id).ref
            raise PackRefused(
                f"Refused: {man.sending_force}'s {man.subject.ref} was imported here as {ref} "
                f"from pack {row.bundle_id[:8]}; adding a later pack to that record is not built."
            )


def _district(uow: UnitOfWork, pack: Pack, wanted: str | None, *, dry_run: bool) -> str | None:
    """The district here: the one asked for, else the pack's if ours; a dry run may leave it
    to choose (None), an import may not."""
    names = ", ".join(d.name for d in uow.config.districts)
    chosen = uow.config.district(wanted or pack.subject.district)
    if chosen is None:
        if wanted:
            raise InvalidInput(f"'{wanted}' is not a district here; use one of {names}.")
        if dry_run:
            return None
        raise InvalidInput(
            f"The pack's district {pack.subject.district} is not one of ours: say where the "
            f"subject lives here with --district (one of {names})."
        )
    return chosen.name


def _write(uow: UnitOfWork, actor: Actor, pack: Pack, district: str) -> Imported:
    man = pack.manifest
    force = man.sending_force[:80]
    today = uow.clock.today()
    people = People(uow, force)
    subject = write_subject(uow, actor, pack.subject, district, force, people)
    orders = write_orders(uow, pack.orders, subject, people, force)
    records = write_records(uow, pack, subject, people, orders)
    checklist = open_checklist(
        uow,
        ChecklistKind.TRANSFER_IN,
        subject,
        orders.live,
        PACK,
        requested_on=man.created_at.date(),
    )
    transfer = Transfer(
        subject_id=subject.id,
        direction="in",
        other_force=force,
        checklist_id=checklist.id,
        started_on=today,
    )
    uow.session.add(transfer)
    short = man.bundle_id[:8]
    letters = any(d.kind in LETTER_KINDS for d in pack.documents.documents)
    covered = [*COVERED, *(("Warning letters",) if letters else ())]
    steps = steps_of(uow, checklist)
    for step in steps:
        if step.name in covered and (step.name != "Order and variations" or orders.refs):
            step.received_on = step.done_on = today
            step.done_by = actor.user_id
            step.reference = f"transfer pack {short}"
    kept = Document(
        subject_id=subject.id,
        kind="transfer_pack_in",
        filename=f"transfer-pack-{man.bundle_id}.zip",
        content=pack.raw,
        created_by=actor.user_id,
        created_at=uow.clock.now(),
    )
    uow.session.add(kept)
    uow.session.flush()
    withheld = [w.ref for w in pack.intelligence.withheld]
    open_items = ["Assign the responsible officer (none is set: the sender's was theirs)."]
    if orders.live is not None:
        uow.session.add(EducationVisit(order_id=orders.live.id))
        note = (
            f"Transfer pack {short} received from {force}: the full record, each earlier "
            "entry marked as received. Open here: the local education visit"
            + (", activation" if orders.live.status is OrderStatus.AWAITING_ACTIVATION else "")
            + ", the responsible officer."
        )
        record_event(
            uow,
            actor,
            subject,
            orders.live,
            "transfer_pack_received",
            note=note,
            status_from=orders.live_was,
            action=AuditAction.COLLECTION,
        )
        open_items.insert(
            0,
            f"Book and record the local education visit for {orders.live.ref}: `/lom order "
            f"{subject.ref} visit book <date>`.",
        )
        if orders.live.status is OrderStatus.AWAITING_ACTIVATION:
            open_items.insert(1, f"Activate {orders.live.ref} here on release (after the visit).")
    left = [s.name for s in steps if s.done_on is None]
    uow.session.flush()
    open_items.append("Transfer-in checklist still to do: " + ", ".join(left) + ".")
    uow.session.add(
        TransferPack(
            bundle_id=man.bundle_id,
            direction="in",
            fingerprint=pack.fingerprint,
            subject_id=subject.id,
            other_force=force,
            transfer_id=transfer.id,
            checklist_id=checklist.id,
            document_id=kept.id,
            created_at=uow.clock.now(),
            created_by=actor.user_id,
            manifest=man.model_dump(mode="json"),
            received={
                "orders": orders.refs,
                "not_created": orders.not_created,
                "withheld_intelligence": withheld,
                **records.refs,
            },
        )
    )
    counts = records.counts
    uow.audit(
        actor.slack_id,
        AuditAction.COLLECTION,
        "transfer_pack.imported",
        entity="subject",
        entity_id=subject.id,
        subject_ref=subject.ref,
        purpose=f"transfer of management from {force}"[:200],
        detail={
            "bundle_id": man.bundle_id,
            "fingerprint": pack.fingerprint,
            "from": force,
            "orders": orders.refs,
            "counts": counts,
        },
    )
    created = created_lines(pack, subject, district, orders, counts, withheld, covered, short)
    return Imported(True, False, pack, subject.ref, created, open_items)
