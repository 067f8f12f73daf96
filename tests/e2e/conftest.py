"""The `slack` fixture: an end-to-end harness on the demo data (see tests/e2e/harness.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lom_bot.bootstrap import Runtime
from tests.e2e.harness import SlackHarness, harness


@pytest.fixture
def slack(demo: Runtime) -> Iterator[SlackHarness]:
    yield from harness(demo)


@pytest.fixture
def slack_empty(runtime: Runtime) -> Iterator[SlackHarness]:
    """The harness on a database with only the app.yaml users (no demo subjects)."""
    yield from harness(runtime)
