"""The prepared subject directory is reused between messages and rebuilt when subjects change."""

from __future__ import annotations

from lom_bot.domain.enums import CustodyStatus, RiskLevel
from lom_bot.runtime import Runtime
from lom_bot.services.matching import cached_directory, match_message
from lom_bot.services.permissions import Actor
from lom_bot.services.subjects import NewSubject, create_subject, update_subject


def test_the_directory_is_reused_until_a_subject_is_added_or_changed(
    demo: Runtime, officer: Actor
) -> None:
    with demo.uow() as uow:
        first = cached_directory(uow.session)
        assert cached_directory(uow.session) is first
        assert (
            match_message("seen Zebedee Newperson with cash", first, demo.config.matching) is None
        )
    with demo.uow() as uow:
        create_subject(
            uow,
            officer,
            NewSubject("Zebedee", "Newperson", "Leeds", RiskLevel.HIGH, CustodyStatus.IN_COMMUNITY),
        )
    with demo.uow() as uow:
        second = cached_directory(uow.session)
    assert second is not first
    found = match_message("seen Zebedee Newperson with cash", second, demo.config.matching)
    assert found is not None and found.status == "matched"
    update_subject(demo.uow(), officer, "LOM-0001", risk_level=RiskLevel.LOW)
    with demo.uow() as uow:
        assert cached_directory(uow.session) is not second
