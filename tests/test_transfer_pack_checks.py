"""A pack's live order meets the rules an order entered by hand meets: the court's final
wording, an age of 18 when made, and a sending force on the UK list; a refusal writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from lom_bot.bootstrap import Runtime
from lom_bot.domain.lifecycle import GRANTED_NOT_ENDED
from lom_bot.services.permissions import Actor
from lom_bot.services.transfer_pack import (
    ExportTransfer,
    ImportTransfer,
    PackRefused,
    import_pack,
    make_pack,
)
from lom_bot.services.transfer_pack.receive_checks import check_sending_force
from lom_bot.store.tables import Condition, Order, Subject
from tests.conftest import actor_for
from tests.transfer_pack_support import RECEIVING, enrich, receiving, table_counts

__all__ = ["receiving"]  # the fixture


def _live_order_id(demo: Runtime, ref: str) -> int:
    with demo.sessions() as s:
        subject = s.scalars(select(Subject).where(Subject.ref == ref)).one()
        return s.scalars(
            select(Order.id).where(
                Order.subject_id == subject.id, Order.status.in_(GRANTED_NOT_ENDED)
            )
        ).one()


def _import(rt: Runtime, data: bytes) -> object:
    supervisor = actor_for(rt, "U0SUPER")
    return import_pack(
        rt.uow(), supervisor, ImportTransfer(data, district="Manchester", apply=True)
    )


def test_a_live_order_whose_wording_holds_a_placeholder_is_refused_writing_nothing(
    demo: Runtime, receiving: Runtime, supervisor: Actor
) -> None:
    ref = enrich(demo)
    order_id = _live_order_id(demo, ref)
    with demo.sessions() as s:
        s.execute(
            update(Condition)
            .where(Condition.order_id == order_id, Condition.number == 1)
            .values(wording="Not to hold more than £xxx in cash.")
        )
        s.commit()
    pack = make_pack(demo.uow(), supervisor, ExportTransfer(ref, RECEIVING))
    before = table_counts(receiving)
    with pytest.raises(PackRefused, match=r"Refused: order SCPO-\d+ in the pack: Condition 1 "):
        _import(receiving, pack.content)
    assert table_counts(receiving) == before


def test_a_live_order_made_before_the_subject_was_18_is_refused_writing_nothing(
    demo: Runtime, receiving: Runtime, supervisor: Actor
) -> None:
    ref = enrich(demo)
    order_id = _live_order_id(demo, ref)
    with demo.sessions() as s:
        made = s.get_one(Order, order_id).made_on
        assert made is not None
        s.execute(
            update(Subject)
            .where(Subject.ref == ref)
            .values(born_on=date(made.year - 17, made.month, 1))
        )
        s.commit()
    pack = make_pack(demo.uow(), supervisor, ExportTransfer(ref, RECEIVING))
    before = table_counts(receiving)
    with pytest.raises(PackRefused, match="aged 18 or over"):
        _import(receiving, pack.content)
    assert table_counts(receiving) == before


def test_a_sending_force_not_on_the_uk_list_is_refused_and_a_known_one_is_named_canonically() -> (
    None
):
    with pytest.raises(PackRefused, match="not a UK police force"):
        check_sending_force("Garda Siochana")
    assert check_sending_force("Dyfed Powys").name == "Dyfed-Powys Police"
