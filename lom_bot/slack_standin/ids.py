"""The stand-in workspace's fixed identities, and trigger ids that name their user."""

from __future__ import annotations

import secrets

DEMO_TEAM_ID = "T0LOMDEMO"
DEMO_TEAM_DOMAIN = "lom-demo"
BOT_USER_ID = "U0LOMBOT"
BOT_ID = "B0LOMBOT"
APP_ID = "A0LOMBOT"
# Trigger ids are marked with this process's run, so a second console on the same database
# is not taken for a replay.
_RUN = secrets.token_hex(4)


def trigger_id_for(user_id: str, n: int = 1) -> str:
    """A trigger id naming its user, so the stand-in can tell whose modal it opens."""
    return f"{n}.{user_id}.lomtrigger{_RUN}"
