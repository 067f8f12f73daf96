"""The console's verbs for a person's own messages: multi-line `say <<`, `edit` and `delete`
of the last one (sent to the app as Slack's edit and deletion events), and `link`."""

from __future__ import annotations

from collections.abc import Callable

from lom_bot.blocks.builder import builder_url
from lom_bot.console.forms import Lines
from lom_bot.console.screen import Screen
from lom_bot.console.session import ConsoleSession, Step
from lom_bot.slack_standin.records import Message

END = "."
MORE = "<<"


class PostingVerbs:
    """Mixed into the console: what it needs is its session, screen, input and echo."""

    session: ConsoleSession
    screen: Screen
    lines: Lines
    echo: bool
    show_step: Callable[[Step], None]  # the console's own: prints what the app answered

    def text_of(self, rest: str) -> str | None:
        """The text after a verb; `<<` reads the following lines up to a line with only `.`."""
        if rest != MORE:
            return rest
        typed: list[str] = []
        while True:
            line = self.lines.read("... ")
            if line is None:
                self.screen.print(f"No closing `{END}` line before the end: nothing was sent.")
                return None
            if self.echo and not self.lines.interactive:
                self.screen.print("... " + line)
            if line.strip() == END:
                return "\n".join(typed).strip("\n")
            typed.append(line)

    def last_own(self) -> Message | None:
        """The acting person's newest message in this channel, if any."""
        mine = [
            m
            for m in self.session.standin.messages_in(self.session.channel)
            if m.user == self.session.user and not m.bot_id and m.ephemeral_to is None
        ]
        return mine[-1] if mine else None

    def edit(self, rest: str) -> None:
        text = self.text_of(rest)
        if text is None:
            return
        last = self.last_own()
        if last is None or not text.strip():
            self.screen.print(
                "Edit to what? e.g. `edit LOM-0001 seen in a silver van`."
                if last
                else "You have posted nothing here to edit."
            )
            return
        was = _when(last)
        self.show_step(self.session.change(last, text))
        self.screen.print(f"Edited your message {was}.")

    def delete(self, rest: str) -> None:
        last = self.last_own()
        if last is None:
            self.screen.print("You have posted nothing here to delete.")
            return
        was = _when(last)
        self.show_step(self.session.change(last))
        self.screen.print(f"Deleted your message {was}.")

    def link(self, rest: str) -> None:
        shown = self.screen.last_payload
        if shown is None:
            self.screen.print("No card shown yet: `link` gives the last card's builder link.")
            return
        self.screen.print("Slack's Block Kit Builder, showing the last card (sign in to Slack):")
        self.screen.print(builder_url(shown))
        self.screen.note("the link carries the card's content: use it on demo data only")


def _when(message: Message) -> str:
    preview = message.text.replace("\n", " ")
    return f"“{preview[:40]}{'…' if len(preview) > 40 else ''}”"
