"""/lom admin handover: a caseload moves for a period (and comes back by itself) or for good;
the digest, App Home, caseload list and card follow; refusals write nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lom_bot.domain.enums import AuditAction
from lom_bot.domain.errors import DomainError, InvalidInput, NotAuthorised, NotFound
from lom_bot.handlers.commands_listener import dispatch
from lom_bot.runtime import Runtime
from lom_bot.services.digest import build_daily_digest, due_for
from lom_bot.services.handover import HandOver, hand_over
from lom_bot.services.home_data import officer_home
from lom_bot.services.permissions import Actor
from lom_bot.services.readmodels.caseload import load_caseload
from lom_bot.store.holders import holder_on
from lom_bot.store.tables import AuditEntry, Handover, OutboxMessage, Subject, User
from tests.test_breach_support import db_url, seeded_template  # noqa: F401  (fixtures)
from tests.test_breach_support import demo as demo
from tests.test_handlers_dispatch import context

TODAY = date(2026, 11, 25)
WEEK = TODAY + timedelta(days=6)


def user_id(rt: Runtime, slack_id: str) -> int:
    with rt.uow() as uow:
        found = uow.session.scalar(select(User.id).where(User.slack_id == slack_id))
        assert found is not None
        return found


def owned(rt: Runtime, slack_id: str) -> list[str]:
    with rt.uow() as uow:
        query = select(Subject.ref).join(User, User.id == Subject.officer_id)
        return list(uow.session.scalars(query.where(User.slack_id == slack_id)))


def subject_refs(rt: Runtime, day: date, officer: int) -> set[str]:
    with rt.uow() as uow:
        digest = build_daily_digest(uow, day)
    return {line.subject_ref or "" for line in digest.only(officer).lines} - {""}


def written(rt: Runtime) -> tuple[int, int, int]:
    """Handover rows, audit entries other than refusals, and queued messages."""
    with rt.uow() as uow:
        s = uow.session
        not_refusal = AuditEntry.action != AuditAction.REFUSAL.value
        return (
            s.scalar(select(func.count(Handover.id))) or 0,
            s.scalar(select(func.count(AuditEntry.id)).where(not_refusal)) or 0,
            s.scalar(select(func.count(OutboxMessage.id))) or 0,
        )


def test_cover_for_a_week_moves_the_caseload_and_it_comes_back_by_itself(
    demo: Runtime, supervisor: Actor, officer: Actor
) -> None:
    olu, priya = user_id(demo, "U0OFF1"), user_id(demo, "U0OFF2")
    mine = set(owned(demo, "U0OFF1"))
    before = subject_refs(demo, TODAY, olu)
    assert before and before <= mine
    done = hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "dc.priya", (), WEEK))
    assert set(done.refs) == mine and "go back to DC Olu Officer on 02/12/2026" in done.message
    # today and on the last day of cover Priya holds them; Olu's list has none of them
    for day in (TODAY, WEEK):
        assert subject_refs(demo, day, olu) == set()
        assert before <= subject_refs(demo, day, priya)
    # the day after, they are Olu's again, with nothing run
    back = WEEK + timedelta(days=1)
    assert subject_refs(demo, back, olu) and subject_refs(demo, back, olu) <= mine
    assert not subject_refs(demo, back, priya) & mine
    with demo.uow() as uow:
        some = uow.session.scalar(select(Subject.id).where(Subject.ref == sorted(mine)[0]))
        assert some is not None
        assert holder_on(uow.session, some, TODAY) == priya
        assert holder_on(uow.session, some, back) == olu
    assert set(owned(demo, "U0OFF1")) == mine  # cover does not change whose subjects they are


def test_the_covering_officers_due_list_home_and_caseload_follow(
    demo: Runtime, supervisor: Actor, officer: Actor
) -> None:
    from tests.conftest import actor_for

    priya = actor_for(demo, "U0OFF2")
    mine = set(owned(demo, "U0OFF1"))
    hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "U0OFF2", (), WEEK))
    assert not {x.subject_ref for x in due_for(demo.uow(), officer).lines} & mine
    assert mine & {x.subject_ref for x in due_for(demo.uow(), priya).lines}
    with demo.uow() as uow:
        home = officer_home(uow, priya)
        caseload = load_caseload(uow, priya, "mine")
        olu_home = officer_home(uow, officer)
    assert mine <= {s.ref for s in home.subjects}
    assert mine <= {row.subject.ref for row in caseload.rows}
    assert {row.officer for row in caseload.rows} == {"DC Priya Patel"}
    assert not {s.ref for s in olu_home.subjects} & mine


def test_a_handover_is_audited_per_subject_and_both_officers_are_told_by_dm(
    demo: Runtime, supervisor: Actor
) -> None:
    mine = owned(demo, "U0OFF1")
    hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "U0OFF2", (), WEEK, "annual leave"))
    with demo.uow() as uow:
        audits = list(
            uow.session.scalars(select(AuditEntry).where(AuditEntry.what == "caseload.handover"))
        )
        dms = list(uow.session.scalars(select(OutboxMessage).where(OutboxMessage.method == "dm")))
        rows = list(uow.session.scalars(select(Handover)))
    assert sorted(a.subject_ref or "" for a in audits) == sorted(mine)
    assert {a.actor for a in audits} == {"U0SUPER"}
    assert {m.channel for m in dms} == {"U0OFF1", "U0OFF2"}
    told = next(m for m in dms if m.channel == "U0OFF2").payload["text"]
    assert "until 01/12/2026 inclusive" in told and all(ref in told for ref in mine)
    assert {(r.starts_on, r.until, r.reason) for r in rows} == {(TODAY, WEEK, "annual leave")}


def test_a_handover_for_good_changes_the_officer_and_keeps_the_record(
    demo: Runtime, supervisor: Actor
) -> None:
    ref = owned(demo, "U0OFF1")[0]
    done = hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "U0OFF2", (ref.lower(),)))
    assert done.refs == (ref,) and "for good" in done.message
    assert ref in owned(demo, "U0OFF2") and ref not in owned(demo, "U0OFF1")
    with demo.uow() as uow:
        row = uow.session.scalars(select(Handover)).one()
    assert (row.until, row.from_officer_id) == (None, user_id(demo, "U0OFF1"))
    assert ref in subject_refs(demo, TODAY + timedelta(days=400), user_id(demo, "U0OFF2"))


def test_handing_on_a_subject_held_as_cover_passes_the_cover_not_the_subject(
    demo: Runtime, supervisor: Actor
) -> None:
    ref = owned(demo, "U0OFF1")[0]
    hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "U0OFF2", (ref,), WEEK))
    hand_over(demo.uow(), supervisor, HandOver("U0OFF2", "U0SUPER", (ref,)))
    assert ref in owned(demo, "U0OFF1")  # still Olu's own subject
    sam, olu = user_id(demo, "U0SUPER"), user_id(demo, "U0OFF1")
    with demo.uow() as uow:
        sid = uow.session.scalar(select(Subject.id).where(Subject.ref == ref))
        assert sid is not None
        assert holder_on(uow.session, sid, WEEK) == sam
        assert holder_on(uow.session, sid, WEEK + timedelta(days=1)) == olu


@pytest.mark.parametrize(
    ("cmd", "error", "says"),
    [
        (HandOver("U0OFF1", "U0NOBODY", (), WEEK), NotFound, "is not a LOM officer"),
        (HandOver("nobody at all", "U0OFF2", (), WEEK), NotFound, "is not a LOM officer"),
        (HandOver("U0OFF1", "U0LEEDS", (), WEEK), NotFound, "is not a LOM officer"),
        (HandOver("U0OFF1", "dc.", (), WEEK), NotFound, "more than one officer"),
        (HandOver("U0OFF1", "U0OFF1", (), WEEK), InvalidInput, "different officer"),
        (HandOver("U0OFF1", "U0OFF2", (), TODAY - timedelta(days=1)), InvalidInput, "is past"),
        (HandOver("U0OFF1", "U0OFF2", (), TODAY + timedelta(days=400)), InvalidInput, "a year"),
        (HandOver("U0OFF1", "U0OFF2", ("LOM-9999",), WEEK), InvalidInput, "does not hold"),
    ],
)
def test_a_refused_handover_writes_nothing(
    demo: Runtime, supervisor: Actor, cmd: HandOver, error: type[DomainError], says: str
) -> None:
    before = written(demo)
    with pytest.raises(error, match=says):
        hand_over(demo.uow(), supervisor, cmd)
    assert written(demo) == before


@pytest.mark.parametrize("who", ["U0OFF1", "U0ADMIN"])
def test_only_a_supervisor_may_hand_over(demo: Runtime, who: str) -> None:
    from tests.conftest import actor_for

    before = written(demo)
    with pytest.raises(NotAuthorised):
        hand_over(demo.uow(), actor_for(demo, who), HandOver("U0OFF1", "U0OFF2", (), WEEK))
    assert written(demo) == before


@pytest.mark.parametrize(
    ("who", "text", "says"),
    [
        ("U0OFF1", "admin handover U0OFF1 U0OFF2 all", "may not use `/lom admin`"),
        ("U0LEEDS", "admin handover U0OFF1 U0OFF2 all", "may not use `/lom admin`"),
        ("U0ADMIN", "admin handover U0OFF1 U0OFF2 all", "may not handover caseload"),
        ("U0SUPER", "admin list", "may not grant, revoke or list roles"),
        ("U0SUPER", "admin handover U0OFF1", "Say who hands over to whom"),
        ("U0SUPER", "admin handover U0OFF1 U0OFF2 until 31/02/2026", "not a real date"),
        ("U0SUPER", "admin handover U0OFF1 U0OFF2 until", "one date after `until`"),
        ("U0SUPER", "admin handover U0OFF1 <@U0GHOST> all", "is not a LOM officer"),
        ("U0SUPER", "admin handover U0OFF1 U0OFF2 until 01/11/2026", "is past"),
    ],
)
def test_lom_admin_handover_refuses_clearly_and_writes_nothing(
    demo: Runtime, who: str, text: str, says: str
) -> None:
    from tests.conftest import actor_for

    before = written(demo)
    reply = dispatch(context(demo, actor_for(demo, who)), text)
    assert says in reply.text
    assert written(demo) == before


def test_lom_admin_handover_answers_the_supervisor(demo: Runtime, supervisor: Actor) -> None:
    reply = dispatch(context(demo, supervisor), "admin handover <@U0OFF1> dc.priya all until +6d")
    assert reply.text.startswith(":handshake:") and "DC Priya Patel covers for DC Olu" in reply.text
    assert written(demo)[0] == len(owned(demo, "U0OFF1"))


def test_help_shows_admin_to_supervisors_and_admins_only(demo: Runtime) -> None:
    from tests.conftest import actor_for

    def listed(who: str) -> bool:
        return "/lom admin" in dispatch(context(demo, actor_for(demo, who)), "help").text

    assert listed("U0SUPER") and listed("U0ADMIN")
    assert not listed("U0OFF1") and not listed("U0LEEDS")


def test_cover_ends_early_by_handing_back_only_what_is_held_as_cover(
    demo: Runtime, supervisor: Actor
) -> None:
    olu_own, priya_own = set(owned(demo, "U0OFF1")), set(owned(demo, "U0OFF2"))
    olu, priya = user_id(demo, "U0OFF1"), user_id(demo, "U0OFF2")
    hand_over(demo.uow(), supervisor, HandOver("U0OFF1", "U0OFF2", (), WEEK))
    reply = dispatch(context(demo, supervisor), "admin handover dc.priya dc.olu cover")
    assert reply.text.startswith(":handshake:") and "their own officer" in reply.text
    assert subject_refs(demo, TODAY, olu) and subject_refs(demo, TODAY, olu) <= olu_own
    assert not subject_refs(demo, TODAY, priya) & olu_own
    assert set(owned(demo, "U0OFF2")) == priya_own and set(owned(demo, "U0OFF1")) == olu_own
    before = written(demo)
    again = dispatch(context(demo, supervisor), "admin handover dc.priya dc.olu cover")
    assert "covering for nobody" in again.text and written(demo) == before
