"""The `slack` fixture: an end-to-end harness on the demo data (see tests/e2e/harness.py), and
`logged`, the JSON log lines the app writes during a test.

Every test using it runs twice: with Bolt answering in the web process ("inline": Socket Mode,
`serve --http --answer-workers 0`, the console) and as `lom-bot serve --http` runs by default
("answers": the web side stores the request and acks, an answer worker answers it)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from lom_bot.logging_setup import setup_logging
from lom_bot.runtime import Runtime
from tests.e2e.harness import SlackHarness, harness


@pytest.fixture(params=["inline", "answers"])
def slack(demo: Runtime, request: pytest.FixtureRequest) -> Iterator[SlackHarness]:
    yield from harness(demo, answers=request.param == "answers")


@pytest.fixture
def slack_inline(demo: Runtime) -> Iterator[SlackHarness]:
    """Bolt answering in the web process only (for behaviour that differs by design)."""
    yield from harness(demo)


@pytest.fixture
def slack_empty(runtime: Runtime) -> Iterator[SlackHarness]:
    """The harness on a database with only the app.yaml users (no demo subjects)."""
    yield from harness(runtime)


@pytest.fixture
def logged() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = setup_logging("json", "INFO", stream=stream)
    try:
        yield stream
    finally:
        logging.getLogger().removeHandler(handler)
