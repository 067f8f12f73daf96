"""Modals in the terminal: each input asked in turn, submitted, errors asked again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from lom_bot.console.modal import BadAnswer, Question, questions, state_values
from lom_bot.console.render import Renderer, plain
from lom_bot.console.screen import Screen
from lom_bot.console.session import ConsoleSession

View = dict[str, Any]
CANCEL = {"cancel", ":cancel", "/cancel"}
MAX_ROUNDS = 10  # a modal that keeps answering with new views is a bug, not a conversation


class Lines(Protocol):
    """Where answers come from: a terminal with a prompt, or piped lines."""

    interactive: bool

    def read(self, prompt: str) -> str | None: ...


class ModalFiller:
    """Fills one modal (and any it leads to) from the officer's answers."""

    def __init__(
        self,
        session: ConsoleSession,
        screen: Screen,
        lines: Lines,
        *,
        today: Callable[[], date],
        echo: bool,
    ) -> None:
        self.session = session
        self.screen = screen
        self.lines = lines
        self.today = today
        self.echo = echo

    def fill(self, view: View, channel: str) -> None:
        """Ask, submit, and follow what the app answers until the modal closes."""
        answers: dict[str, tuple[Question, dict[str, Any]]] = {}
        ask = questions(view)
        self._show(view)
        for _ in range(MAX_ROUNDS):
            if not self._ask_all(ask, answers):
                self.screen.note("modal closed; nothing was submitted")
                return
            step = self.session.submit(view, state_values(answers))
            ack = step.ack() or {}
            action = ack.get("response_action")
            if action == "errors":
                errors: dict[str, str] = ack.get("errors") or {}
                ask = [q for q in questions(view) if q.block_id in errors]
                for q in ask:
                    self.screen.print(f"  ✗ {q.label}: {errors[q.block_id]}")
                if not ask:  # an error on a block the console cannot ask: show and stop
                    self.screen.print(f"  ✗ {'; '.join(errors.values())}")
                    return
                continue
            if action in ("update", "push") and isinstance(ack.get("view"), dict):
                view = {**ack["view"], "id": view.get("id") if action == "update" else "V0PUSH"}
                self.screen.step(step, channel, answer_in_ack=False)
                answers, ask = {}, questions(view)
                self._show(view)
                continue
            self.screen.print(self.screen.style.dim("  (submitted)"))
            self.screen.step(step, channel, answer_in_ack=False)
            if step.modal is not None and step.modal.get("id") != view.get("id"):
                view, answers, ask = step.modal, {}, questions(step.modal)
                self._show(view)
                continue
            return
        self.screen.note("the modal kept coming back; stopped")

    def _show(self, view: View) -> None:
        title = plain(view.get("title")) or "Form"
        submit = plain(view.get("submit")) or "Submit"
        kept = ("type", "title", "submit", "close", "blocks")
        self.screen.last_payload = {k: view[k] for k in kept if view.get(k)}
        self.screen.print(self.screen.style.bold(f"  ┌─ {title} " + "─" * max(0, 60 - len(title))))
        blocks = [b for b in view.get("blocks") or [] if b.get("type") != "input"]
        shown = {**view, "blocks": blocks}
        for line in Renderer(names=self.screen.names, color=self.screen.style.color).view(shown):
            self.screen.print("  │ " + line)
        hint = f"Enter keeps [the value shown]; `cancel` closes. Then: {submit}."
        self.screen.print(self.screen.style.dim(f"  │ {hint}"))

    def _ask_all(
        self, ask: list[Question], answers: dict[str, tuple[Question, dict[str, Any]]]
    ) -> bool:
        for question in ask:
            state = self._ask(question)
            if state is None:
                return False
            answers[question.block_id + "/" + question.action_id] = (question, state)
        return True

    def _ask(self, question: Question) -> dict[str, Any] | None:
        """One field, asked until it gets an answer it can take; None to cancel."""
        for line in question.choices():
            self.screen.print(f"  │   {line}")
        if question.hint:
            self.screen.print(self.screen.style.dim(f"  │   {question.hint}"))
        default = question.default()
        prompt = f"  │ {question.label}{' (optional)' if question.optional else ''}"
        prompt += f" [{default}]: " if default else ": "
        while True:
            answer = self.lines.read(prompt)
            if answer is None or answer.strip().lower() in CANCEL:
                return None
            if self.echo and not self.lines.interactive:
                self.screen.print(prompt + answer)
            try:
                return question.state(answer, self.today())
            except BadAnswer as exc:
                self.screen.print(f"  │   ✗ {exc}")
