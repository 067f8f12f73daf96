"""How `/lom order` reads a step: `visit` books or records only when told which, an unknown step
or a bare `field=value` is refused with the step list, and `/lom help order` lists every step."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lom_bot.domain.enums import OrderStatus
from lom_bot.handlers.commands_listener import dispatch
from lom_bot.handlers.order_actions import STEP_FORMS
from lom_bot.runtime import Runtime
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import Condition, EducationVisit, Order, OrderEvent
from tests.test_handlers_dispatch import context
from tests.test_order_support import new_subject, walk_to


def written(rt: Runtime) -> tuple[int, ...]:
    """Rows of every kind a step could write."""
    with rt.uow() as uow:
        return tuple(
            int(uow.session.scalar(select(func.count()).select_from(t)) or 0)
            for t in (Order, OrderEvent, EducationVisit, Condition)
        )


def visits(rt: Runtime) -> list[EducationVisit]:
    with rt.uow() as uow:
        return list(uow.session.scalars(select(EducationVisit)))


@pytest.fixture
def awaiting(runtime: Runtime, officer: Actor, supervisor: Actor) -> str:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, OrderStatus.AWAITING_ACTIVATION)
    return ref


def test_visit_book_books_the_visit_and_records_nothing_as_done(
    runtime: Runtime, officer: Actor, awaiting: str
) -> None:
    reply = dispatch(context(runtime, officer), f"order {awaiting} visit book 10/12/2026")
    assert "booked for 10/12/2026" in reply.text
    (visit,) = visits(runtime)
    assert visit.done_on is None and visit.outcome is None and visit.acknowledged in (None, [])
    with runtime.uow() as uow:
        status = uow.session.scalars(select(Order.status)).one()
    assert status is OrderStatus.AWAITING_ACTIVATION  # the activation gate stays shut


@pytest.mark.parametrize("words", ["visit", "visit done", "visit 10/12/2026", "visit book"])
def test_visit_without_book_or_record_records_nothing(
    runtime: Runtime, officer: Actor, awaiting: str, words: str
) -> None:
    before = written(runtime)
    reply = dispatch(context(runtime, officer), f"order {awaiting} {words}")
    assert written(runtime) == before
    assert "recorded" not in reply.text.lower().replace("nothing recorded", "")
    assert "acknowledged" not in reply.text or "visit record" in reply.text


def test_recording_a_visit_needs_the_date_outcome_and_acknowledgements_said_explicitly(
    runtime: Runtime, officer: Actor, awaiting: str
) -> None:
    before = written(runtime)
    asked = dispatch(context(runtime, officer), f"order {awaiting} visit record date=today")
    assert "I need the outcome, conditions acknowledged" in asked.text
    assert written(runtime) == before
    refused = dispatch(
        context(runtime, officer), f"order {awaiting} visit record date=today outcome=refused"
    )
    assert "served how" in refused.text and written(runtime) == before
    done = dispatch(
        context(runtime, officer),
        f"order {awaiting} visit record date=today outcome=acknowledged acknowledged=all",
    )
    assert "explained and acknowledged" in done.text
    (visit,) = visits(runtime)
    assert visit.done_on is not None and visit.outcome == "acknowledged"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("order {ref} expires=01/01/2031", "expires"),
        ("order {ref} expires 01/01/2031", "expires"),
        ("order {ref} term=72", "term"),
    ],
)
def test_an_end_date_on_the_bare_command_says_only_vary_or_extend_move_it(
    runtime: Runtime, officer: Actor, awaiting: str, text: str, word: str
) -> None:
    before = written(runtime)
    reply = dispatch(context(runtime, officer), text.format(ref=awaiting))
    assert (
        f"`{word}` is not a step; the end date changes only through `vary` (s.17) or "
        "`extend` (s.22E)" in reply.text
    )
    assert "`grant`" in reply.text and "`visit book`" in reply.text  # the step list
    assert "No subject matches" not in reply.text
    assert written(runtime) == before


def test_an_unknown_step_is_refused_with_the_step_list(
    runtime: Runtime, officer: Actor, awaiting: str
) -> None:
    before = written(runtime)
    reply = dispatch(context(runtime, officer), f"order {awaiting} frobnicate now")
    assert "`frobnicate` is not a step" in reply.text and "`vary`" in reply.text
    assert written(runtime) == before


def test_a_field_the_step_does_not_have_is_refused_not_ignored(
    runtime: Runtime, officer: Actor, awaiting: str
) -> None:
    before = written(runtime)
    reply = dispatch(context(runtime, officer), f"order {awaiting} activate today expires=+1d")
    assert "`activate` has no field `expires`" in reply.text
    assert written(runtime) == before


def test_a_subject_named_in_words_still_opens_its_card(
    runtime: Runtime, officer: Actor, awaiting: str
) -> None:
    reply = dispatch(context(runtime, officer), "order Darren Fictional")
    assert "SCPO-" in reply.text


def test_help_order_lists_every_step_with_its_fields_an_example_and_what_expiry_means(
    runtime: Runtime, officer: Actor
) -> None:
    text = dispatch(context(runtime, officer), "help order").text
    assert "last day it is in force" in text
    for step in STEP_FORMS:
        assert f"`{step.replace('visit_', 'visit ')}`" in text, step
    assert "`grant` court= reference= made= term=" in text
    assert "e.g. `visit book 10/12/2026`" in text


def test_a_field_given_where_a_step_should_be_names_the_steps_it_belongs_to(
    runtime: Runtime, officer: Actor, awaiting: str
) -> None:
    before = written(runtime)
    reply = dispatch(context(runtime, officer), f"order {awaiting} made=01/01/2020")
    assert "`made` is not a step; `made=` is a field of `grant`" in reply.text
    assert "end date" not in reply.text.split("Steps:")[0]  # `made` does not move the end date
    odd = dispatch(context(runtime, officer), f"order {awaiting} colour=blue")
    assert "`colour` is not a step; a `field=value` goes after its step" in odd.text
    assert written(runtime) == before
