"""The escalation rule, in one place: N unacceptable failures in M months within the current
order prompt escalation beyond letters. A prompt, never a decision."""

from __future__ import annotations

from datetime import date

from lom_bot.domain.dates import add_months

BEYOND = "consider escalation beyond letters (interview, arrest, CPS file, recall referral)"


def window_start(today: date, months: int, order_start: date | None) -> date:
    """Failures count from `months` ago, or from the current order's start if later: a
    failure before the order began breached nothing."""
    start = add_months(today, -months)
    return max(start, order_start) if order_start else start


def needs_escalation(failures: int, threshold: int) -> bool:
    return failures >= threshold
