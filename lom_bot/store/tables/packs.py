"""Transfer packs sent and received: the bundle, its fingerprint and what it became here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lom_bot.store.tables.base import Base
from lom_bot.store.types import UTCDateTime


class TransferPack(Base):
    """One pack made here (out) or imported here (in); a bundle id is imported at most once."""

    __tablename__ = "transfer_packs"
    __table_args__ = (UniqueConstraint("bundle_id", "direction", name="uq_transfer_packs_bundle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[str] = mapped_column(String(36))
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of manifest.json
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    other_force: Mapped[str] = mapped_column(String(80))
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"))
    checklist_id: Mapped[int | None] = mapped_column(ForeignKey("checklists.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))  # the zip
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    manifest: Mapped[dict[str, Any]] = mapped_column(JSON)
    # imports: the sending force's refs/ids -> the records made here, and what was kept only in
    # the pack (their education visits, applications in progress)
    received: Mapped[dict[str, Any] | None] = mapped_column(JSON)
