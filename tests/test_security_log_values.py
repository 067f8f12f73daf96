"""Log lines never quote what a person typed: database errors carry no statement values, and a
district message's refusal is logged by its kind, not its words."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers import breach_events
from lom_bot.store.db import make_engine

TYPED = "Saw Shaun Madeup at 1 Acacia Avenue"


def test_a_database_error_logged_with_its_traceback_quotes_no_typed_value(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(SQLAlchemyError) as raised, engine.connect() as conn:
        conn.execute(text("INSERT INTO nowhere (text) VALUES (:text)"), {"text": TYPED})
    with caplog.at_level(logging.ERROR):
        logging.getLogger("lom_bot.test").error("not stored", exc_info=raised.value)
    assert "nowhere" in caplog.text  # the statement is still there to diagnose
    assert TYPED not in str(raised.value) and TYPED not in caplog.text


def test_a_refused_district_message_is_logged_by_its_kind_not_its_words() -> None:
    why = breach_events._why(InvalidInput(f"'{TYPED}' is not a date", field="seen_at"))
    assert why == "InvalidInput on seen_at" and "Madeup" not in why
