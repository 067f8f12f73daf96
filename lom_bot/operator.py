"""Who is at the keyboard of a command-line run: the operating-system login, recorded in every
audit entry the run writes (beside the `--as` user it acts as), so an export or import done
with the database's credentials is traceable to a person even when credited to another."""

from __future__ import annotations

import getpass

_LOGIN: str | None = None

# Serving processes act for Slack users; their OS account is the service's, not a person's.
SERVING = frozenset({"serve", "scheduler", "console", "answers", "run"})


def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def set_os_user(name: str | None) -> None:
    global _LOGIN
    _LOGIN = name[:64] if name else None


def os_user() -> str | None:
    """The login of whoever ran this command-line action; None in a serving process."""
    return _LOGIN
