"""The console's read-eval-print loop: officers' words in, what lom-bot sends out, as text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO

from lom_bot.console.directory import Directory, Unclear
from lom_bot.console.forms import Lines, ModalFiller
from lom_bot.console.help import HELP
from lom_bot.console.jobs import run_job
from lom_bot.console.posting import PostingVerbs
from lom_bot.console.render import Clickable
from lom_bot.console.screen import Screen, Style
from lom_bot.console.session import ConsoleSession, Step
from lom_bot.domain.dates import parse_date
from lom_bot.domain.errors import DomainError
from lom_bot.slack_standin.records import Message


class Console(PostingVerbs):
    """One officer's terminal onto the app."""

    def __init__(
        self,
        session: ConsoleSession,
        lines: Lines,
        out: TextIO,
        *,
        files_dir: Path = Path("var/console-files"),
        echo: bool = False,
    ) -> None:
        self.session = session
        self.rt = session.rt
        self.lines = lines
        self.echo = echo
        self.directory = Directory(session.rt)
        color = lines.interactive and out.isatty()
        self.screen = Screen(
            out,
            user=lambda: session.user,
            names=self.directory.name,
            files_dir=files_dir,
            style=Style(color),
            find=self._message_at,
        )
        self.forms = ModalFiller(session, self.screen, lines, today=self.today, echo=echo)
        self.verbs: dict[str, Callable[[str], None]] = {
            "say": self.say,
            "reply": self.reply,
            "click": self.click,
            "in": self.move,
            "as": self.become,
            "show": self.show,
            "home": lambda _: self.home(),
            "job": self.job,
            "users": lambda _: self.list_users(),
            "channels": lambda _: self.list_channels(),
            "help": lambda _: self.help(),
            "edit": self.edit,
            "delete": self.delete,
            "link": self.link,
        }

    # -- the loop ---------------------------------------------------------------------------

    def loop(self) -> int:
        if self.lines.interactive:
            self.screen.print(self._banner())
        while True:
            line = self.lines.read(self.prompt())
            if line is None:
                if self.lines.interactive:
                    self.screen.print()  # Ctrl-D: end the prompt's line
                break
            if self.echo and not self.lines.interactive and line.strip():
                self.screen.print(self.prompt() + line)
            if not self.handle(line):
                break
        return 0

    def prompt(self) -> str:
        channel = self.session.channel
        where = "dm" if channel.startswith("D") else "#" + self.directory.name(channel)
        return f"{self.directory.handle_of(self.session.user)}@{where}> "

    def handle(self, line: str) -> bool:
        """Run one line; False when the officer quits."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line.startswith("/"):
            command, _, text = line.partition(" ")
            if command != "/lom":
                self.screen.print(f"Only /lom is installed here; `{command}` is not a command.")
                return True
            self.show_step(self.session.command(command, text.strip()))
            return True
        verb, _, rest = line.partition(" ")
        if verb.lower() in ("quit", "exit", "q"):
            return False
        action = self.verbs.get(verb.lower())
        if action is None:
            self.screen.print(f"I don't know `{verb}`. Type `help` for the console's commands.")
            return True
        action(rest.strip())
        return True

    def show_step(self, step: Step) -> None:
        self.screen.step(step, self.session.channel)
        if step.modal is not None:
            self.forms.fill(step.modal, self.session.channel)

    # -- verbs ------------------------------------------------------------------------------

    def help(self) -> None:
        self.screen.print(HELP)
        self.screen.print()
        for line in self.directory.roles_help():
            self.screen.print(line)

    def say(self, rest: str) -> None:
        text = self.text_of(rest)
        if text is None:
            return
        if not text:
            self.screen.print("Say what? e.g. `say LOM-0001 seen driving a white van`")
            return
        self.show_step(self.session.say(text))
        self._seen_own_posts()

    def reply(self, rest: str) -> None:
        text = self.text_of(rest)
        if text is None:
            return
        here = [m for m in self.session.standin.messages_in(self.session.channel)]
        parents = [m for m in here if m.ephemeral_to is None]
        if not parents or not text:
            self.screen.print("Nothing to reply to here yet." if text else "Reply with what?")
            return
        last = parents[-1]
        self.show_step(self.session.say(text, thread_ts=last.thread_ts or last.ts))
        self._seen_own_posts()

    def _message_at(self, channel: str, ts: str) -> Message | None:
        found = [m for m in self.session.standin.messages_in(channel) if m.ts == ts]
        return found[0] if found else None

    def _seen_own_posts(self) -> None:
        """What the officer typed is not news to them when they come back to the channel."""
        for message in self.session.standin.messages_in(self.session.channel):
            if message.user == self.session.user and not message.bot_id:
                self.screen.seen.add((message.channel, message.ts))

    def click(self, text: str) -> None:
        buttons = self.screen.clickables
        if not text.isdigit() or not 1 <= int(text) <= len(buttons):
            shown = f"buttons 1-{len(buttons)}" if buttons else "no buttons yet"
            self.screen.print(f"Click which? The last card shown has {shown}, e.g. `click 1`.")
            return
        target = buttons[int(text) - 1]
        if target.url:
            self.screen.print(f"That button opens a link: {target.url}")
            return
        option = self._choose(target) if target.options else None
        if target.options and option is None:
            return
        self.show_step(self.session.click(target, option))

    def move(self, text: str) -> None:
        channel = self._channel(text)
        if channel is None:
            return
        if not self.directory.may_read(channel, self.session.user):
            self.screen.print(self.directory.not_a_member(channel, self.session.user))
            return
        self.session.channel = channel
        kind = self.directory.kind_of(channel)
        self.screen.print(f"You are in {self.screen.label(channel)} ({kind}).")
        unread = [
            m
            for m in self.session.standin.messages_in(channel)
            if (m.channel, m.ts) not in self.screen.seen and m.user != self.session.user
        ]
        if unread:
            self.screen.history(channel, unread, title="new")

    def become(self, text: str) -> None:
        user = self._user(text)
        if user is None:
            return
        was_dm = self.session.channel == f"D{self.session.user}"
        self.session.user = user
        if was_dm:
            self.session.channel = f"D{user}"
        elif not self.directory.may_read(self.session.channel, user):
            # As in Slack, a person is only where they are a member.
            self.session.channel = self.directory.home_channel(user)
        # Buttons on channel posts stay clickable; private replies and views were theirs.
        self.screen.clickables = [
            c for c in self.screen.clickables if not c.ephemeral and c.view is None
        ]
        where = self.screen.label(self.session.channel)
        self.screen.print(f"You are now {self.directory.describe(user)}, in {where}.")

    def show(self, text: str) -> None:
        channel = self._channel(text) if text else self.session.channel
        if channel is None:
            return
        if not self.directory.may_read(channel, self.session.user):
            self.screen.print(self.directory.not_a_member(channel, self.session.user))
            return
        messages = self.session.standin.messages_in(channel)[-30:]
        self.screen.print(f"In {self.screen.label(channel)}:")
        self.screen.history(channel, messages, title="posted there yet")

    def home(self) -> None:
        step = self.session.open_home()
        self.screen.step(step, self.session.channel)
        if step.home is None:
            self.screen.note("lom-bot has not published a Home tab for you")

    def job(self, text: str) -> None:
        words = text.split()
        if not words:
            self.screen.print("Which job? e.g. `job daily-due` or `job daily-due 2026-11-30`.")
            return
        try:
            on = parse_date(words[1], self.today()) if len(words) > 1 else self.today()
        except DomainError as exc:
            self.screen.print(exc.message)
            return
        self.show_step(run_job(self.session, words[0], on, self.screen.print))

    def list_users(self) -> None:
        for line in self.directory.user_lines(self.session.user):
            self.screen.print(line)

    def list_channels(self) -> None:
        for line in self.directory.channel_lines():
            self.screen.print(line)

    # -- helpers ----------------------------------------------------------------------------

    def today(self) -> date:
        return self.rt.clock.today()

    def _banner(self) -> str:
        db = self.rt.settings.database_url
        who = self.directory.describe(self.session.user)
        where = self.screen.label(self.session.channel)
        return (
            "lom-bot console: the Slack app, running here against a stand-in for Slack.\n"
            f"Database: {db}. Nothing is sent to Slack.\n"
            f"You are {who} in {where}. "
            "Type `help` for commands, `quit` to leave."
        )

    def _user(self, text: str) -> str | None:
        try:
            return self.directory.user(text)
        except Unclear as exc:
            self.screen.print(str(exc))
            return None

    def _channel(self, text: str) -> str | None:
        try:
            return self.directory.channel(text, self.session.user)
        except Unclear as exc:
            self.screen.print(str(exc))
            return None

    def _choose(self, target: Clickable) -> tuple[str, str] | None:
        for n, (label, _) in enumerate(target.options, 1):
            self.screen.print(f"    {n}. {label}")
        answer = self.lines.read("  Choose: ")
        if answer is None or not answer.strip():
            return None
        if answer.strip().isdigit() and 1 <= int(answer) <= len(target.options):
            return target.options[int(answer) - 1]
        matches = [o for o in target.options if o[0].lower().startswith(answer.strip().lower())]
        if len(matches) == 1:
            return matches[0]
        self.screen.print("  No such choice; nothing was sent.")
        return None
