"""Export: make a subject's transfer pack for another force, audited as a disclosure to it."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from sqlalchemy import select

from lom_bot.domain.enums import AuditAction
from lom_bot.domain.errors import InvalidInput
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.subjects import access_subject
from lom_bot.services.transfer_pack import model as m
from lom_bot.services.transfer_pack.bundle import build_zip, new_bundle_id, sha256
from lom_bot.services.transfer_pack.collect import collect
from lom_bot.services.transfer_pack.summary import build_summary
from lom_bot.services.validation import text
from lom_bot.store.classification import Classification
from lom_bot.store.tables import Document, Transfer, TransferPack
from lom_bot.store.uow import UnitOfWork


@dataclass(frozen=True)
class ExportTransfer:
    subject: str
    to_force: str | None  # None: the force of the subject's transfer out under way
    upload_to: str | None = None  # a channel: the pack is also uploaded there after commit


@dataclass(frozen=True)
class PackMade:
    subject_ref: str
    to_force: str
    filename: str
    content: bytes
    manifest: m.Manifest
    fingerprint: str
    withheld: list[str]

    def render(self) -> str:
        files = len(self.manifest.files) + 1
        line = (
            f"Transfer pack for {self.subject_ref} to {self.to_force}: {self.filename}, "
            f"{files} files, {len(self.content):,} bytes, bundle {self.manifest.bundle_id}.\n"
            f"Fingerprint (SHA-256 of manifest.json): {self.fingerprint}. Give it to the "
            "receiving force by another route (phone, email) so they can check the pack."
        )
        if self.withheld:
            line += "\nWithheld under their handling codes: " + ", ".join(self.withheld) + "."
        return line + "\nAudited as a disclosure to " + self.to_force + "."


def make_pack(uow: UnitOfWork, actor: Actor, cmd: ExportTransfer) -> PackMade:
    """Collect the record, build the zip, keep it with the record and audit the disclosure."""
    with uow:
        require(actor, Action.EXPORT_SENSITIVE)
        subject = access_subject(uow, actor, cmd.subject, purpose="transfer pack")
        transfer = uow.session.scalars(
            select(Transfer)
            .where(Transfer.subject_id == subject.id, Transfer.direction == "out")
            .where(Transfer.accepted_on.is_(None))
            .order_by(Transfer.id.desc())
        ).first()
        if cmd.to_force is not None:
            _force(text(cmd.to_force, "force") or "", uow.config.force)
        if transfer is None:  # a whole record goes to another force only when it is moving
            raise InvalidInput(
                f"{subject.ref} has no transfer out under way, so no pack was made: record it "
                f'first (`/lom order {subject.ref} transfer_out force="<force>"`).',
                field="subject",
            )
        wanted = cmd.to_force if cmd.to_force is not None else transfer.other_force
        force = _force(text(wanted, "force") or "", uow.config.force)
        if transfer.other_force.strip().lower() != force.lower():
            raise InvalidInput(
                f"{subject.ref} is transferring out to {transfer.other_force}, not {force}.",
                field="force",
                example=transfer.other_force,
            )
        now = uow.clock.now()
        officer = m.Officer(name=actor.name, slack_id=actor.slack_id, role=actor.role.value)
        bundle_id = new_bundle_id()
        collected = collect(uow, subject)
        head = m.Manifest(
            format=m.FORMAT,
            schema_version=m.SCHEMA_VERSION,
            bundle_id=bundle_id,
            created_at=now,
            sending_force=uow.config.force,
            receiving_force=force,
            officer=officer,
            subject=m.SubjectRef(ref=subject.ref, name=subject.name),
            producer="",
            marking=m.MARKING,
            files=[],
        )
        content, manifest = build_zip(
            collected,
            build_summary(collected, head),
            bundle_id=bundle_id,
            created_at=now,
            sending_force=uow.config.force,
            receiving_force=force,
            officer=officer,
        )
        manifest_json = manifest.model_dump(mode="json")
        fingerprint = sha256((manifest.model_dump_json(indent=2) + "\n").encode())
        filename = f"{subject.ref}-transfer-pack-{now:%Y%m%d-%H%M}.zip"
        document = Document(
            subject_id=subject.id,
            kind="transfer_pack_out",
            filename=filename,
            content=content,
            created_by=actor.user_id,
            created_at=now,
        )
        uow.session.add(document)
        uow.session.flush()
        uow.session.add(
            TransferPack(
                bundle_id=bundle_id,
                direction="out",
                fingerprint=fingerprint,
                subject_id=subject.id,
                other_force=force,
                transfer_id=transfer.id,
                checklist_id=transfer.checklist_id,
                document_id=document.id,
                created_at=now,
                created_by=actor.user_id,
                manifest=manifest_json,
            )
        )
        withheld = [w.ref for w in collected.intelligence.withheld]
        uow.audit(
            actor.slack_id,
            AuditAction.DISCLOSURE,
            "transfer_pack.exported",
            entity="document",
            entity_id=document.id,
            subject_ref=subject.ref,
            recipient=force[:80],
            purpose="transfer of management to another force",
            detail={
                "bundle_id": bundle_id,
                "fingerprint": fingerprint,
                "files": [f.path for f in manifest.files],
                "withheld": withheld,
            },
        )
        if cmd.upload_to:
            _upload(uow, actor, cmd.upload_to, subject.ref, filename, content, fingerprint, force)
        uow.commit()
        return PackMade(subject.ref, force, filename, content, manifest, fingerprint, withheld)


def _force(force: str, ours: str) -> str:
    if not force:
        raise InvalidInput("Which force is the pack for?", field="force")
    if len(force) > 80:
        raise InvalidInput("A force's name is at most 80 characters.", field="force")
    if force.lower() == ours.strip().lower():
        raise InvalidInput(
            f"{force} is this force: a transfer pack goes to another force.",
            field="force",
            example="Greater Manchester Police",
        )
    return force


def _upload(
    uow: UnitOfWork,
    actor: Actor,
    channel: str,
    ref: str,
    filename: str,
    content: bytes,
    fingerprint: str,
    force: str,
) -> None:
    title = f"Transfer pack {ref} for {force}"
    uow.send(
        "upload",
        channel,
        {
            "filename": filename,
            "title": title,
            "initial_comment": (
                f"{title} ({m.MARKING}), made by {actor.name}. Fingerprint (SHA-256 of "
                f"manifest.json): {fingerprint}. Send it to {force} and give them the "
                "fingerprint by another route."
            ),
            "content": base64.b64encode(content).decode(),
        },
        actor=actor.slack_id,
        classification=Classification.INTELLIGENCE,
        subjects=[ref],
        purpose="transfer pack to the LOM team",
    )
