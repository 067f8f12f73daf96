"""`/lom due` reads one officer's caseload only, and shows the same lines as the team digest."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lom_bot.domain.enums import Role
from lom_bot.runtime import Runtime
from lom_bot.services.digest import build_daily_digest
from lom_bot.services.due_load import Scope
from lom_bot.store.tables import User

DAY = date(2026, 11, 25)


def test_an_officers_scoped_digest_has_exactly_their_lines_of_the_team_digest(
    demo: Runtime,
) -> None:
    with demo.uow() as uow:
        team = build_daily_digest(uow, DAY)
        officers = list(
            uow.session.scalars(
                select(User.id).where(User.role.in_([Role.LOM_OFFICER, Role.LOM_SUPERVISOR]))
            )
        )
        assert officers
        for officer_id in officers:
            mine = build_daily_digest(uow, DAY, Scope(officer_id)).only(officer_id)
            expected = team.only(officer_id)
            assert mine.lines, officer_id
            assert [repr(x) for x in mine.lines] == [repr(x) for x in expected.lines]
