"""What `lom-bot preview` shows: one screen of the demo, produced by the real app through the
console's stand-in for Slack, as the payload Slack's Block Kit Builder takes."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from lom_bot.blocks.builder import builder_payload
from lom_bot.console.jobs import run_job
from lom_bot.console.session import ConsoleSession, Step
from lom_bot.domain.enums import AssessmentOutcome
from lom_bot.services.actors import load_actor
from lom_bot.services.breach_assess import AssessBreach, assess_breach
from lom_bot.slack_standin.records import Message

Payload = dict[str, Any]
SIGHTING = "{ref} seen driving a white hire van on the ring road with two men"


class NothingToShow(Exception):
    """The demo did not produce that screen (the message says what happened instead)."""


def preview(session: ConsoleSession, what: str, subject: str) -> Payload:
    """The Block Kit payload of screen `what` for `subject`, as an officer would see it."""
    makers: dict[str, Callable[[ConsoleSession, str], Payload]] = {
        "card": lambda s, ref: _reply(s.command("/lom", f"subject {ref}")),
        "order": lambda s, ref: _reply(s.command("/lom", f"order {ref}")),
        "digest": _digest,
        "triage": lambda s, ref: _message(_report(s, ref).new, s.rt.config.channels.triage.id),
        "letter-list": _letters,
        "home": _home,
    }
    return makers[what](session, subject)


WHAT = ("card", "digest", "triage", "home", "order", "letter-list")


def _reply(step: Step) -> Payload:
    """A command's answer: in its ack, or sent privately after it."""
    ack = step.ack() or {}
    if ack.get("blocks"):
        return builder_payload(list(ack["blocks"]), attachments=ack.get("attachments"))
    answers = [m for m in step.new if m.blocks]
    if answers:
        return builder_payload(list(answers[-1].blocks), attachments=answers[-1].attachments)
    said = str(ack.get("text") or next((m.text for m in step.new if m.text), "no reply"))
    raise NothingToShow(html.unescape(said).replace(":warning:", "").strip().splitlines()[0])


def _message(messages: list[Message], channel: str) -> Payload:
    posted = [m for m in messages if m.channel == channel and m.blocks]
    if not posted:
        raise NothingToShow(f"nothing was posted in {channel}")
    last = posted[-1]
    return builder_payload(list(last.blocks), attachments=last.attachments or None)


def _digest(session: ConsoleSession, _ref: str) -> Payload:
    said: list[str] = []
    step = run_job(session, "daily-due", session.rt.clock.today(), said.append)
    team = session.rt.config.channels.lom_team.id
    try:
        return _message(step.new, team)
    except NothingToShow:
        raise NothingToShow("; ".join(said) or "the daily digest posted nothing") from None


def _report(session: ConsoleSession, ref: str) -> Step:
    """A district officer's sighting of `ref` in their channel, captured and routed."""
    leeds = session.rt.config.district("Leeds")
    session.user, session.channel = "U0LEEDS", leeds.channel.id if leeds else "C0LEEDS"
    try:
        return session.say(SIGHTING.format(ref=ref))
    finally:
        session.user, session.channel = "U0OFF1", session.rt.config.channels.lom_team.id


def _letters(session: ConsoleSession, ref: str) -> Payload:
    """The triage post once assessed as a first warning letter: its follow-ups, each with its
    button to draft the letter."""
    triage = session.rt.config.channels.triage.id
    reported = _report(session, ref)
    _message(reported.new, triage)
    report = session.standin.messages_in(triage)[-1]
    breach = next(
        str(e.get("value"))
        for b in report.blocks
        if b.get("type") == "actions"
        for e in b.get("elements") or []
        if e.get("value")
    )
    actor = load_actor(session.rt.uow(), "U0OFF1")
    command = AssessBreach(
        breach=int(breach),
        outcome=AssessmentOutcome.FIRST_WARNING,
        rationale="Vehicle not notified; first occasion (demo).",
    )

    def assess() -> None:
        assess_breach(session.rt.uow(), actor, command)

    step = session.run(assess)
    return _message(step.changed or step.new, triage)


def _home(session: ConsoleSession, _ref: str) -> Payload:
    home = session.open_home().home
    if home is None:
        raise NothingToShow("no Home tab was published")
    return builder_payload(list(home.get("blocks") or []), surface="home")
