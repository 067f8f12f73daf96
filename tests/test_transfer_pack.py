"""Transfer packs: a round trip between two forces' databases, compared field by field, and
every refusal (tampered, unknown version, not a pack, twice, wrong role) writing nothing."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import jsonschema
import pytest
from docx import Document as Docx
from sqlalchemy import select, update

from lom_bot.bootstrap import Runtime
from lom_bot.domain.enums import AuditAction, ChecklistKind
from lom_bot.domain.errors import InvalidInput, NotAuthorised
from lom_bot.services.permissions import Actor
from lom_bot.services.transfer_pack import (
    ExportTransfer,
    ImportTransfer,
    PackMade,
    PackRefused,
    import_pack,
    make_pack,
)
from lom_bot.services.transfer_pack.receive_orders import received_note
from lom_bot.services.transfer_pack.schema import file_schema, pack_schema
from lom_bot.store.tables import (
    Alias,
    Assessment,
    Associate,
    AuditEntry,
    BreachEdit,
    BreachReport,
    Check,
    ChecklistStep,
    Condition,
    Contact,
    CourtOutcome,
    Dissemination,
    Document,
    FollowUp,
    Intelligence,
    Order,
    OrderEvent,
    ReleaseDate,
    Subject,
    Transfer,
    TransferPack,
    User,
)
from tests.conftest import ROOT, actor_for, both_databases
from tests.transfer_pack_support import RECEIVING, as_dicts, enrich, receiving, table_counts

__all__ = ["receiving"]  # the fixture


@pytest.fixture
def sent(demo: Runtime, supervisor: Actor) -> PackMade:
    ref = enrich(demo)
    return make_pack(demo.uow(), supervisor, ExportTransfer(ref, RECEIVING))


def _apply(rt: Runtime, data: bytes, district: str = "Manchester", apply: bool = True) -> Any:
    return import_pack(
        rt.uow(), actor_for(rt, "U0SUPER"), ImportTransfer(data, district=district, apply=apply)
    )


def _zip_with(data: bytes, path: str, content: bytes) -> bytes:
    """The pack with one file's content replaced and nothing else changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, content if info.filename == path else src.read(info.filename))
    return out.getvalue()


def _names(s: Any) -> dict[int, str]:
    """User ids to names, the receiving force's suffix ' (<force>)' taken off."""
    return {
        i: n.removesuffix(" (West Yorkshire Police)")
        for i, n in s.execute(select(User.id, User.name)).all()
    }


USERS = {
    "officer_id",
    "recorded_by",
    "shared_by",
    "decided_by",
    "owner_id",
    "created_by",
    "done_by",
}


def _rows(
    rt: Runtime, model: Any, where: Any, exclude: set[str], order: Any
) -> list[dict[str, Any]]:
    with rt.sessions() as s:
        names = _names(s)
        rows = as_dicts(s.scalars(select(model).where(where).order_by(order)), model, exclude)
        for row in rows:
            for key in USERS & row.keys():
                row[key] = names.get(row[key]) if row[key] else None
        return rows


def _subject_id(rt: Runtime, **by: Any) -> int:
    with rt.sessions() as s:
        return s.scalars(select(Subject.id).filter_by(**by)).one()


@both_databases  # the sending force on PostgreSQL too (the receiving one is SQLite)
def test_a_pack_imported_at_another_force_holds_every_record_field_by_field(
    demo: Runtime, receiving: Runtime, sent: PackMade
) -> None:
    done = _apply(receiving, sent.content)
    assert done.applied and not done.already
    with demo.sessions() as s:
        pnc = s.scalars(select(Subject.pnc_id).where(Subject.ref == sent.subject_ref)).one()
    a, b = _subject_id(demo, ref=sent.subject_ref), _subject_id(receiving, pnc_id=pnc)
    ids = {"id", "subject_id"}
    same = {
        Subject: (
            {"id", "ref", "officer_id", "district", "review_on", "created_at", "updated_at"},
            Subject.id,
        ),
        Alias: (ids, Alias.name),
        ReleaseDate: (ids, ReleaseDate.id),
        Associate: (ids | {"linked_subject_id"}, Associate.id),
        Contact: (ids | {"request_key"}, Contact.id),
        Check: (ids | {"request_key", "intelligence_id", "breach_id"}, Check.id),
        FollowUp: (ids | {"breach_id"}, FollowUp.id),
    }
    for model, (exclude, order) in same.items():
        key = Subject.id if model is Subject else model.subject_id
        mine = _rows(demo, model, key == a, exclude, order)
        theirs = _rows(receiving, model, key == b, exclude, order)
        assert mine == theirs, model.__name__
        assert mine or model is Associate, f"the test record has no {model.__name__}"
    # intelligence: what handling code P lets go, verbatim and graded; C withheld with its reason
    intel = ids | {"ref", "request_key"}
    shared = _rows(
        demo,
        Intelligence,
        (Intelligence.subject_id == a) & (Intelligence.handling == "P"),
        intel,
        Intelligence.id,
    )
    assert shared == _rows(
        receiving, Intelligence, Intelligence.subject_id == b, intel, Intelligence.id
    )
    assert "INT-90002" in sent.withheld and "INT-90001" not in sent.withheld
    # documents: the letter's bytes; the packs themselves kept on each side, not compared
    docs = ids | {"follow_up_id"}
    letters = Document.kind.not_in(["transfer_pack_in", "transfer_pack_out"])
    assert _rows(demo, Document, (Document.subject_id == a) & letters, docs, Document.id) == _rows(
        receiving, Document, (Document.subject_id == b) & letters, docs, Document.id
    )
    _orders_match(demo, receiving, a, b)
    _breaches_match(demo, receiving, a, b)


def _orders_match(demo: Runtime, receiving: Runtime, a: int, b: int) -> None:
    exclude = {
        "id",
        "ref",
        "subject_id",
        "supersedes_id",
        "managing_force",
        "created_at",
        "updated_at",
    }
    mine = _rows(demo, Order, Order.subject_id == a, exclude, Order.id)
    theirs = _rows(receiving, Order, Order.subject_id == b, exclude, Order.id)
    assert mine == theirs
    with demo.sessions() as s:
        order_a = s.scalars(select(Order.id).where(Order.subject_id == a)).all()
    with receiving.sessions() as s:
        order_b = s.scalars(select(Order.id).where(Order.subject_id == b)).all()
        assert s.scalars(select(Order.managing_force).where(Order.subject_id == b)).all() == [
            "Greater Manchester Police"
        ]
    for x, y in zip(order_a, order_b, strict=True):
        cond = {"id", "order_id"}
        assert _rows(demo, Condition, Condition.order_id == x, cond, Condition.id) == _rows(
            receiving, Condition, Condition.order_id == y, cond, Condition.id
        )
        versions = _rows(demo, OrderEvent, OrderEvent.order_id == x, cond, OrderEvent.id)
        received = _rows(receiving, OrderEvent, OrderEvent.order_id == y, cond, OrderEvent.id)
        last = received.pop()  # the import's own event, recorded here
        assert (
            last["kind"] == "transfer_pack_received" and last["recorded_by"] == "DS Sam Supervisor"
        )
        for v in versions:
            v["note"] = received_note("West Yorkshire Police", v["note"])
            v["recorded_by"] = v["recorded_by"] or "lom-bot"  # their bot, named with their force
        assert versions == received
        assert len(versions) >= 2 and any(
            not c["active"]
            for c in _rows(demo, Condition, Condition.order_id == x, cond, Condition.id)
        )


def _breaches_match(demo: Runtime, receiving: Runtime, a: int, b: int) -> None:
    exclude = {
        "id",
        "ref",
        "subject_id",
        "channel_id",
        "message_ts",
        "permalink",
        "condition_id",
        "candidates",
        "triage_ts",
        "sighting_id",
    }
    mine = _rows(demo, BreachReport, BreachReport.subject_id == a, exclude, BreachReport.id)
    assert mine == _rows(
        receiving, BreachReport, BreachReport.subject_id == b, exclude, BreachReport.id
    )
    for side, sid in ((demo, a), (receiving, b)):
        with side.sessions() as s:
            wording = s.scalars(
                select(Condition.wording)
                .join(BreachReport, BreachReport.condition_id == Condition.id)
                .where(BreachReport.subject_id == sid, BreachReport.ref.is_not(None))
            ).all()
            assert wording, "the breach's condition is linked on both sides"
    for model in (BreachEdit, Assessment, CourtOutcome):
        ex = {"id", "breach_id", "charge_id"}
        key = model.breach_id.in_(select(BreachReport.id).where(BreachReport.subject_id == a))
        key_b = model.breach_id.in_(select(BreachReport.id).where(BreachReport.subject_id == b))
        assert _rows(demo, model, key, ex, model.id) == _rows(receiving, model, key_b, ex, model.id)
    with receiving.sessions() as s:  # the sentence names its charge, as it did there
        sentence = s.scalars(select(CourtOutcome).where(CourtOutcome.kind == "sentence")).one()
        charge = s.get_one(CourtOutcome, sentence.charge_id)
        assert (charge.kind, charge.breach_id) == ("charge", sentence.breach_id)
    ex = {"id", "intelligence_id"}
    shared = Dissemination.intelligence_id.in_(
        select(Intelligence.id).where(Intelligence.subject_id == a, Intelligence.handling == "P")
    )
    mine = _rows(demo, Dissemination, shared, ex, Dissemination.id)
    assert mine and mine == _rows(
        receiving, Dissemination, Dissemination.id > 0, ex, Dissemination.id
    )


def test_the_import_is_a_transfer_in_with_open_items_and_the_pack_linked_to_its_checklist(
    receiving: Runtime, sent: PackMade
) -> None:
    done = _apply(receiving, sent.content)
    text = done.render()
    assert "Book and record the local education visit" in text
    assert "Assign the responsible officer" in text
    with receiving.sessions() as s:
        subject = s.scalars(select(Subject).where(Subject.ref == done.subject_ref)).one()
        assert subject.officer_id is None and subject.district == "Manchester"
        transfer = s.scalars(select(Transfer).where(Transfer.subject_id == subject.id)).one()
        assert (transfer.direction, transfer.other_force, transfer.accepted_on) == (
            "in",
            "West Yorkshire Police",
            None,
        )
        pack = s.scalars(select(TransferPack)).one()
        assert (pack.direction, pack.checklist_id, pack.fingerprint) == (
            "in",
            transfer.checklist_id,
            sent.fingerprint,
        )
        steps = {
            st.name: st.reference
            for st in s.scalars(
                select(ChecklistStep).where(ChecklistStep.checklist_id == transfer.checklist_id)
            )
        }
        short = f"transfer pack {sent.manifest.bundle_id[:8]}"
        assert (
            steps["Order and variations"]
            == steps["Subject profile"]
            == steps["Warning letters"]
            == short
        )
        assert steps["MG5 case summary"] is None and steps["ViSOR transfer"] is None
        notes = s.scalars(select(OrderEvent.note).order_by(OrderEvent.id)).all()
        assert all(n.startswith("Received from West Yorkshire Police") for n in notes[:-1])
        assert notes[-1].startswith(f"Transfer pack {sent.manifest.bundle_id[:8]} received")
        audit = s.scalars(
            select(AuditEntry).where(AuditEntry.what == "transfer_pack.imported")
        ).one()
        assert audit.action == AuditAction.COLLECTION and audit.subject_ref == done.subject_ref


def test_the_export_is_audited_as_a_disclosure_to_the_receiving_force_and_kept(
    demo: Runtime, sent: PackMade
) -> None:
    with demo.sessions() as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.what == "transfer_pack.exported")
        ).one()
        assert (entry.action, entry.recipient, entry.subject_ref) == (
            AuditAction.DISCLOSURE,
            RECEIVING,
            sent.subject_ref,
        )
        assert entry.detail and entry.detail["withheld"] == ["INT-90002"]
        kept = s.scalars(select(TransferPack).where(TransferPack.direction == "out")).one()
        assert kept.fingerprint == sent.fingerprint
        assert s.get_one(Document, kept.document_id).content == sent.content


def test_every_file_of_a_pack_validates_against_the_shipped_json_schema(sent: PackMade) -> None:
    shipped = json.loads((ROOT / "docs" / "transfer-pack.schema.json").read_text())
    assert shipped == pack_schema(), "regenerate docs/transfer-pack.schema.json (see schema.py)"
    with zipfile.ZipFile(io.BytesIO(sent.content)) as z:
        manifest = json.loads(z.read("manifest.json"))
        jsonschema.Draft202012Validator(shipped).validate(manifest)
        for path in shipped["x-files"]:
            jsonschema.Draft202012Validator(file_schema(path)).validate(json.loads(z.read(path)))
        summary = Docx(io.BytesIO(z.read("summary.docx")))
    assert summary.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    body = "\n".join(p.text for p in summary.paragraphs)
    assert "INT-90002 WITHHELD" in body and "Covert source" not in body
    broken = dict(manifest, schema_version=2)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(shipped).validate(broken)


def test_a_changed_byte_is_refused_and_nothing_is_written(
    receiving: Runtime, sent: PackMade
) -> None:
    before = table_counts(receiving)
    flipped = bytearray(sent.content)
    middle = len(flipped) // 2
    flipped[middle] ^= 0x01
    with pytest.raises(PackRefused) as caught:
        _apply(receiving, bytes(flipped))
    assert "\n" not in str(caught.value) and str(caught.value).startswith("Refused:")
    changed = _orders_json(sent).replace(b"Not to travel", b"Not to  travel", 1)
    assert changed != _orders_json(sent)
    orders = _zip_with(sent.content, "orders.json", changed)
    with pytest.raises(PackRefused, match=r"orders\.json does not match its SHA-256"):
        _apply(receiving, orders)
    assert table_counts(receiving) == before


def _orders_json(sent: PackMade) -> bytes:
    with zipfile.ZipFile(io.BytesIO(sent.content)) as z:
        return z.read("orders.json")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda m: m | {"schema_version": 2},
            "unknown transfer pack version 2 (this lom-bot reads version 1)",
        ),
        (lambda m: m | {"format": "something-else"}, "not a transfer pack"),
        (lambda m: m | {"files": m["files"][1:]}, "is in the zip but not in the manifest"),
        (lambda m: m | {"surprise": 1}, "manifest.json is not valid"),
    ],
)
def test_an_unknown_version_or_a_manifest_that_does_not_match_is_refused(
    receiving: Runtime, sent: PackMade, change: Any, reason: str
) -> None:
    before = table_counts(receiving)
    with zipfile.ZipFile(io.BytesIO(sent.content)) as z:
        manifest = json.loads(z.read("manifest.json"))
    bad = _zip_with(sent.content, "manifest.json", json.dumps(change(manifest)).encode())
    with pytest.raises(PackRefused, match=reason.replace("(", r"\(").replace(")", r"\)")):
        _apply(receiving, bad)
    with pytest.raises(PackRefused, match="not a zip"):
        _apply(receiving, b"just some text")
    assert table_counts(receiving) == before


def test_a_dry_run_shows_what_would_be_created_and_writes_nothing(
    receiving: Runtime, sent: PackMade
) -> None:
    before = table_counts(receiving)
    done = _apply(receiving, sent.content, apply=False)
    text = done.render()
    assert "Dry run, nothing written. --apply would create:" in text
    assert "Withheld by West Yorkshire Police under handling code C (ask them): INT-90002." in text
    with zipfile.ZipFile(io.BytesIO(sent.content)) as z:
        orders = json.loads(z.read("orders.json"))["orders"]
    versions = len(orders[0]["versions"])  # the order's whole recorded life
    assert versions > 2
    assert f"versions: {versions}, each marked received from West Yorkshire Police" in text
    assert table_counts(receiving) == before


def test_importing_the_same_pack_twice_creates_nothing_new(
    receiving: Runtime, sent: PackMade
) -> None:
    first = _apply(receiving, sent.content)
    before = table_counts(receiving)
    again = _apply(receiving, sent.content)
    assert again.already and again.subject_ref == first.subject_ref
    assert "nothing new created" in again.render()
    assert table_counts(receiving) == before


def test_a_later_pack_for_a_subject_already_imported_is_refused_writing_nothing(
    demo: Runtime, receiving: Runtime, sent: PackMade, supervisor: Actor
) -> None:
    first = _apply(receiving, sent.content)
    with demo.sessions() as s:  # without a PNC ID, only the sending force's reference says so
        s.execute(update(Subject).where(Subject.ref == sent.subject_ref).values(pnc_id=None))
        s.commit()
    later = make_pack(demo.uow(), supervisor, ExportTransfer(sent.subject_ref, RECEIVING))
    assert later.manifest.bundle_id != sent.manifest.bundle_id
    before = table_counts(receiving)
    with pytest.raises(PackRefused, match=f"was imported here as {first.subject_ref}"):
        _apply(receiving, later.content)
    assert table_counts(receiving) == before


def test_a_subject_already_held_or_a_district_not_ours_is_refused_writing_nothing(
    demo: Runtime, receiving: Runtime, sent: PackMade, supervisor: Actor
) -> None:
    before = table_counts(receiving)
    with pytest.raises(InvalidInput, match="not one of ours: say where the subject lives here"):
        _apply(receiving, sent.content, district="")
    with pytest.raises(InvalidInput, match="'Leeds' is not a district here"):
        _apply(receiving, sent.content, district="Leeds")
    assert table_counts(receiving) == before
    # the sending force itself already holds the subject (same PNC ID)
    with pytest.raises(PackRefused, match="is already LOM-"):
        import_pack(demo.uow(), supervisor, ImportTransfer(sent.content, apply=True))


def test_officers_may_not_export_or_import_a_pack_and_nothing_is_written(
    demo: Runtime, receiving: Runtime, sent: PackMade, officer: Actor
) -> None:
    before = table_counts(demo)
    with pytest.raises(NotAuthorised):
        make_pack(demo.uow(), officer, ExportTransfer(sent.subject_ref, RECEIVING))
    with pytest.raises(InvalidInput, match="is this force"):
        make_pack(
            demo.uow(),
            actor_for(demo, "U0SUPER"),
            ExportTransfer(sent.subject_ref, "west yorkshire police"),
        )
    assert table_counts(demo) == before
    counts = table_counts(receiving)
    with pytest.raises(NotAuthorised):
        import_pack(
            receiving.uow(),
            actor_for(receiving, "U0OFF1"),
            ImportTransfer(sent.content, district="Manchester", apply=True),
        )
    assert table_counts(receiving) == counts
    for side in (demo, receiving):
        with side.sessions() as s:
            refused = s.scalars(
                select(AuditEntry.actor).where(AuditEntry.what == "request.refused")
            ).all()
            assert refused == ["U0OFF1"]


def test_the_receiving_order_card_shows_the_history_marked_as_received(
    receiving: Runtime, sent: PackMade
) -> None:
    from slack_sdk.models.blocks import Block

    from lom_bot.blocks.order import history_blocks
    from lom_bot.services.orders.history import view_order

    done = _apply(receiving, sent.content)
    view = view_order(receiving.uow(), actor_for(receiving, "U0SUPER"), done.subject_ref)
    assert view.transfer and view.transfer.startswith("in from West Yorkshire Police")
    assert any(k == ChecklistKind.TRANSFER_IN.value for k, _ in view.checklists)
    blocks = history_blocks(view)
    for block in blocks:
        assert Block.parse(block) is not None
    text = json.dumps(blocks)
    assert (
        "Received from West Yorkshire Police" in text
        and "DC Olu Officer (West Yorkshire Police)" in text
    )
