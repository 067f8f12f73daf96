"""Transfer packs through Slack: the supervisor's button on a transfer out uploads the pack to
the LOM team channel; the pack shared into another force's LOM team channel is dry-run, then
imported with a button."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from lom_bot.domain.enums import OrderStatus
from lom_bot.runtime import Runtime
from lom_bot.services.transfer_pack import open_pack
from lom_bot.slack_standin.records import UploadedFile
from lom_bot.store.tables import AuditEntry, Order, Subject, TransferPack
from tests.e2e.harness import Result, SlackHarness, check_blocks, harness
from tests.transfer_pack_support import receiving, table_counts

__all__ = ["receiving"]
OFFICER, SUPERVISOR, LOM_TEAM = "U0OFF1", "U0SUPER", "C0LOMTEAM"


@pytest.fixture
def other_force(receiving: Runtime) -> Iterator[SlackHarness]:
    yield from harness(receiving)


def _active_subject(slack: SlackHarness) -> str:
    with slack.rt.uow() as uow:
        return (
            uow.session.scalars(
                select(Subject.ref)
                .join(Order, Order.subject_id == Subject.id)
                .where(Order.status == OrderStatus.ACTIVE)
                .order_by(Subject.id)
            ).first()
            or ""
        )


def _steps(result: Result) -> dict[str, dict[str, str]]:
    return {
        e["value"].split()[-1]: e
        for b in result.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if str(e.get("value", "")).startswith("order ")
    }


def _pack_buttons(result: Result) -> list[dict[str, str]]:
    return [
        e
        for b in result.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("lom_transfer_import")
    ]


def _make_pack(slack: SlackHarness) -> tuple[str, bytes]:
    """A supervisor starts a transfer out and presses Make transfer pack; the pack's bytes."""
    ref = _active_subject(slack)
    card = slack.command(SUPERVISOR, f'order {ref} transfer_out force="Greater Manchester Police"')
    check_blocks(card.blocks)
    button = _steps(card)["transfer_pack"]
    assert button["text"]["text"] == "Make transfer pack"  # type: ignore[index]
    done = slack.click(SUPERVISOR, button["action_id"], button["value"])
    assert "made and uploaded to the LOM team channel" in done.text
    calls = slack.flush()
    methods = [c.method for c in calls]
    assert "files.getUploadURLExternal" in methods and "files.completeUploadExternal" in methods
    (complete,) = [c.params for c in calls if c.method == "files.completeUploadExternal"]
    assert LOM_TEAM in str(complete.get("channel_id") or complete.get("channels"))
    (file,) = [f for f in slack.standin.files.values() if f.name.endswith(".zip")]
    return ref, file.content


def test_the_supervisors_button_uploads_a_verified_pack_to_the_lom_team_channel(
    slack: SlackHarness,
) -> None:
    ref, content = _make_pack(slack)
    pack = open_pack(content)
    assert pack.manifest.subject.ref == ref
    assert pack.manifest.receiving_force == "Greater Manchester Police"
    with slack.rt.uow() as uow:
        audited = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.what == "transfer_pack.exported")
        ).one()
        assert audited.recipient == "Greater Manchester Police"


def test_an_officer_is_not_offered_the_button_and_is_refused_it(slack: SlackHarness) -> None:
    ref = _active_subject(slack)
    slack.command(SUPERVISOR, f'order {ref} transfer_out force="Greater Manchester Police"')
    card = slack.command(OFFICER, f"order {ref}")
    assert "transfer_pack" not in _steps(card) and "pack_out" in _steps(card)
    done = slack.click(OFFICER, "lom_rerun", f"order {ref} transfer_pack")
    assert "may not export sensitive" in done.text
    with slack.rt.uow() as uow:
        assert uow.session.scalar(select(func.count(TransferPack.id))) == 0
    assert [c for c in slack.flush() if c.method.startswith("files.")] == []


def _share(other: SlackHarness, content: bytes, user: str = SUPERVISOR) -> Result:
    file = UploadedFile("F0PACK0001", "LOM-pack.zip", "LOM-pack.zip", content, [LOM_TEAM])
    return other.share_file(file, user, "1764000100.000100")


def test_a_pack_shared_into_the_lom_team_channel_is_dry_run_then_imported_by_button(
    slack_inline: SlackHarness, other_force: SlackHarness
) -> None:
    _, content = _make_pack(slack_inline)
    before = table_counts(other_force.rt)
    shared = _share(other_force, content)
    (offer,) = shared.to("chat.postEphemeral")
    check_blocks(offer["blocks"])
    text = json.dumps(offer["blocks"])
    assert "Dry run, nothing written" in text and "in a district to choose" in text
    assert table_counts(other_force.rt) == before
    buttons = _pack_buttons(shared)
    assert [b["text"]["text"] for b in buttons] == [  # type: ignore[index]
        "Import into Bolton",
        "Import into Manchester",
        "Import into Salford",
    ]
    manchester = buttons[1]
    done = other_force.click(SUPERVISOR, manchester["action_id"], manchester["value"])
    check_blocks(done.blocks)
    assert (
        "Created:" in done.text
        and "in Manchester, transferring in from West Yorkshire" in done.text
    )
    again = other_force.click(SUPERVISOR, manchester["action_id"], manchester["value"])
    assert "nothing new created" in again.text
    with other_force.rt.uow() as uow:
        assert uow.session.scalar(select(func.count(Subject.id))) == 1
        assert uow.session.scalar(select(func.count(TransferPack.id))) == 1


def test_an_officer_sharing_a_pack_is_told_only_a_supervisor_imports_and_nothing_is_written(
    slack_inline: SlackHarness, other_force: SlackHarness
) -> None:
    _, content = _make_pack(slack_inline)
    before = table_counts(other_force.rt)
    shared = _share(other_force, content, user=OFFICER)
    assert "Only a LOM supervisor may import a transfer pack" in shared.text
    assert _pack_buttons(shared) == []
    clicked = other_force.click(
        OFFICER, "lom_transfer_import", json.dumps({"file": "F0PACK0001", "district": "Bolton"})
    )
    assert "Only a LOM supervisor" in clicked.text
    tampered = bytearray(content)
    tampered[len(tampered) // 2] ^= 0x01
    refused = _share(other_force, bytes(tampered))
    assert "Refused:" in refused.text and _pack_buttons(refused) == []
    assert table_counts(other_force.rt) == before
