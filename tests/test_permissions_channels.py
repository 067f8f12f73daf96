"""Where data may go: every post is checked against the channel's classification in app.yaml
before it is queued, so no bug upstream can put detail or intelligence in a district channel;
each subject named is audited as disclosed to the channel."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lom_bot.config import AppConfig, load_app_config
from lom_bot.runtime import Runtime
from lom_bot.store.classification import Classification, DisclosureRefused, check_destination
from lom_bot.store.tables import AuditEntry, OutboxMessage
from tests.conftest import ROOT

CONFIG: AppConfig = load_app_config(ROOT / "app.yaml")
SENSITIVE = [c.id for c in CONFIG.all_channels() if c.sensitive]
DISTRICT = [d.channel.id for d in CONFIG.districts]
UNKNOWN = ["C0SOMEWHERE", "G0PRIVATE"]
DM = ["U0OFF1", "D0DIRECT"]


def allowed(channel: str, method: str, level: Classification) -> bool:
    """The rule, stated once more independently of the code under test."""
    if level is Classification.REFERENCE or channel in SENSITIVE or channel in DM:
        return True
    return method in ("ephemeral", "dm") and level is Classification.DETAIL


CASES = [
    (channel, method, level)
    for channel in SENSITIVE + DISTRICT + UNKNOWN + DM
    for method in ("post", "update", "upload", "ephemeral", "dm")
    for level in Classification
]


@pytest.mark.parametrize(("channel", "method", "level"), CASES)
def test_each_channel_takes_only_what_it_is_cleared_for(
    channel: str, method: str, level: Classification
) -> None:
    if allowed(channel, method, level):
        check_destination(CONFIG, method, channel, level)
    else:
        with pytest.raises(DisclosureRefused, match="not marked sensitive"):
            check_destination(CONFIG, method, channel, level)


def test_intelligence_never_reaches_a_district_channel_even_privately() -> None:
    for channel in DISTRICT:
        for method in ("post", "ephemeral", "update", "upload"):
            with pytest.raises(DisclosureRefused):
                check_destination(CONFIG, method, channel, Classification.INTELLIGENCE)


def test_a_refused_post_queues_nothing_and_audits_nothing(runtime: Runtime) -> None:
    with runtime.uow() as uow:
        before = (
            uow.session.scalar(select(func.count(AuditEntry.id))),
            uow.session.scalar(select(func.count(OutboxMessage.id))),
        )
    with runtime.uow() as uow, pytest.raises(DisclosureRefused):
        uow.send(
            "post",
            "C0LEEDS",
            {"text": "LOM-0001 intel"},
            subjects=["LOM-0001"],
            classification=Classification.INTELLIGENCE,
        )
    with runtime.uow() as uow:
        after = (
            uow.session.scalar(select(func.count(AuditEntry.id))),
            uow.session.scalar(select(func.count(OutboxMessage.id))),
        )
    assert after == before


def test_a_post_naming_subjects_is_a_disclosure_to_that_channel(runtime: Runtime) -> None:
    with runtime.uow() as uow:
        uow.send(
            "post",
            "C0LOMTEAM",
            {"text": "x"},
            actor="U0OFF1",
            subjects=["LOM-0001", "LOM-0002", "LOM-0001"],
            purpose="daily due list",
        )
        uow.commit()
    with runtime.uow() as uow:
        rows = list(uow.session.scalars(select(AuditEntry).where(AuditEntry.what == "chat.post")))
    assert sorted((r.subject_ref, r.recipient, r.action, r.purpose) for r in rows) == [
        ("LOM-0001", "C0LOMTEAM", "disclosure", "daily due list"),
        ("LOM-0002", "C0LOMTEAM", "disclosure", "daily due list"),
    ]
