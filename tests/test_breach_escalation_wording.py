"""The escalation prompt's one wording (follow.escalation_wording), shared by the triage card and
the assessment's reply: a prompt, never a decision."""

from __future__ import annotations

from datetime import date

from lom_bot.config import DueRules
from lom_bot.domain.enums import AssessmentOutcome
from lom_bot.services.breach_followup import Failure, escalation_wording

RULES = DueRules()  # two failures in twelve months
BEYOND = "consider escalation beyond letters (interview, arrest, CPS file, recall referral)"
ONE = [Failure(date(2026, 8, 27), "27/08/2026 failed to comply")]


def failures(n: int) -> list[Failure]:
    return [Failure(date(2026, month, 1), f"01/{month:02d}/2026 failed to comply") for month in
            range(1, n + 1)]  # fmt: skip


def test_before_a_decision_the_prompt_counts_this_report_as_the_next_failure() -> None:
    assert escalation_wording(RULES, [], None) is None
    assert escalation_wording(RULES, ONE, None) == (
        "1 unacceptable failure(s) in the last 12 months (27/08/2026 failed to comply). "
        f"If this is a breach it makes 2: {BEYOND}. A prompt, not a decision."
    )


def test_after_a_decision_of_letters_or_less_the_prompt_counts_this_one_if_it_was_a_breach() -> (
    None
):
    warned = (AssessmentOutcome.FIRST_WARNING, False)
    assert escalation_wording(RULES, ONE, warned) == (
        "2 unacceptable failures in the last 12 months (27/08/2026 failed to comply, and this "
        f"one): {BEYOND}."
    )
    # no breach, or an excuse accepted: this one does not count
    assert escalation_wording(RULES, ONE, (AssessmentOutcome.NO_BREACH, False)) is None
    assert escalation_wording(RULES, ONE, (AssessmentOutcome.FINAL_WARNING, True)) is None


def test_no_prompt_after_a_decision_beyond_letters() -> None:
    assert escalation_wording(RULES, failures(3), (AssessmentOutcome.ARREST, False)) is None


def test_the_configured_window_and_number_are_used_and_the_last_four_failures_listed() -> None:
    rules = DueRules(escalation_failures=6, escalation_window_months=24)
    assert escalation_wording(rules, failures(4), None) is None
    prompt = escalation_wording(rules, failures(5), None)
    assert prompt is not None and prompt.startswith(
        "5 unacceptable failure(s) in the last 24 months (01/02/2026 failed to comply; "
        "01/03/2026 failed to comply; 01/04/2026 failed to comply; 01/05/2026 failed to comply)."
    )
