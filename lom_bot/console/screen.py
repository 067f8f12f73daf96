"""What the officer sees: each step as text, numbered buttons, and unread posts per channel."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from lom_bot.blocks.builder import builder_payload
from lom_bot.console.emoji import emojize
from lom_bot.console.render import WIDTH, Clickable, Renderer
from lom_bot.console.session import Step
from lom_bot.slack_standin.ids import BOT_USER_ID
from lom_bot.slack_standin.records import Message


@dataclass(frozen=True)
class Style:
    """Bold and dim on a colour terminal; plain text when piped."""

    color: bool = False

    def bold(self, text: str) -> str:
        return f"\033[1m{text}\033[0m" if self.color else text

    def dim(self, text: str) -> str:
        return f"\033[2m{text}\033[0m" if self.color else text


class Screen:
    """Prints steps and keeps what `click N` and `in #channel` need."""

    def __init__(
        self,
        out: TextIO,
        *,
        user: Callable[[], str],
        names: Callable[[str], str],
        files_dir: Path,
        style: Style | None = None,
        find: Callable[[str, str], Message | None] = lambda channel, ts: None,
    ) -> None:
        self.find = find
        self.out = out
        self.user = user
        self.names = names
        self.files_dir = files_dir
        self.style = style or Style()
        self.clickables: list[Clickable] = []
        self.seen: set[tuple[str, str]] = set()
        self.last_payload: dict[str, Any] | None = None  # the last card shown, for `link`

    def print(self, text: str = "") -> None:
        self.out.write(emojize(text) + "\n")
        self.out.flush()

    def note(self, text: str) -> None:
        self.print(self.style.dim(f"  ({text})"))

    def label(self, channel: str) -> str:
        """How a channel is named to the officer."""
        if channel.startswith("D"):
            who = channel[1:]
            return "your DM with lom-bot" if who == self.user() else f"{self.names(who)}'s DM"
        return "#" + self.names(channel)

    # -- steps --------------------------------------------------------------------------------

    def step(self, step: Step, channel: str, *, answer_in_ack: bool = True) -> None:
        """Everything one step showed the acting officer, and notes for what it sent elsewhere."""
        renderer = self._renderer()
        if step.status == 401:
            self.note("the app refused the request's signature: the console is misconfigured")
        elif step.status == 404:
            self.note("lom-bot has no listener for this yet")
        elif step.status >= 500:
            self.note("lom-bot failed while answering; details are in var/console.log")
        ack = step.ack()
        if answer_in_ack and ack and (ack.get("text") or ack.get("blocks")):
            self._show(renderer, ack, channel, "", "only visible to you")
        for message in step.new:
            self._message(renderer, message, channel, updated=False)
        for message in step.changed:
            self._message(renderer, message, channel, updated=True)
        for text in step.notes:
            self.note(text)
        if step.home is not None and step.modal is None:
            self.home(step.home, renderer)
        self._keep(renderer)

    def history(self, channel: str, messages: Iterable[Message], *, title: str) -> None:
        """Messages of a channel in full, thread replies under their parent."""
        renderer = self._renderer()
        shown = [m for m in messages if self._visible(m)]
        if not shown:
            self.note(f"nothing {title}")
        stamps = {m.ts for m in shown}
        for message in _threaded(shown):
            self._full(renderer, message, channel, threaded=message.thread_ts in stamps)
        self._keep(renderer)

    def home(self, view: dict[str, Any], renderer: Renderer | None = None) -> None:
        own = renderer is None
        renderer = renderer or self._renderer()
        self.print(self.style.bold(_rule(f"App Home · {self.names(self.user())}", "═")))
        self.last_payload = builder_payload(list(view.get("blocks") or []), surface="home")
        for line in renderer.view(view):
            self.print("  " + line)
        if own:
            self._keep(renderer)

    # -- messages -----------------------------------------------------------------------------

    def _message(
        self, renderer: Renderer, message: Message, channel: str, *, updated: bool
    ) -> None:
        me = self.user()
        if message.ephemeral_to not in (None, me):
            self.note(f"lom-bot showed {self.names(str(message.ephemeral_to))} a private reply")
        elif message.channel.startswith("D") and message.channel != f"D{me}":
            self.note(f"lom-bot sent {self.label(message.channel)}: “{self.preview(message)}”")
        elif message.channel in (channel, f"D{me}") or message.ephemeral_to == me:
            self._full(renderer, message, channel, updated=updated)
        else:
            verb = "updated a message" if updated else "posted"
            self.seen.discard((message.channel, message.ts))
            where = self.label(message.channel)
            self.note(
                f"lom-bot {verb} in {where}: “{self.preview(message)}” (`in {where}` to read)"
            )

    def _full(
        self,
        renderer: Renderer,
        message: Message,
        channel: str,
        *,
        updated: bool = False,
        threaded: bool = False,
    ) -> None:
        tags = []
        if message.channel != channel:
            tags.append(self.label(message.channel))
        if message.thread_ts and message.thread_ts != message.ts:
            parent = None if threaded else self.find(message.channel, message.thread_ts)
            tags.append(f"reply to “{self.preview(parent, 40)}”" if parent else "in thread")
        if message.ephemeral_to:
            tags.append("only visible to you")
        if updated:
            tags.append("updated")
        if message.deleted:
            tags.append("deleted")
        body: dict[str, Any] = {
            "text": message.text,
            "blocks": message.blocks,
            "attachments": message.attachments,
        }
        self._show(renderer, body, message.channel, message.ts, " · ".join(tags), message)
        self.seen.add((message.channel, message.ts))

    def _show(
        self,
        renderer: Renderer,
        body: dict[str, Any],
        channel: str,
        ts: str,
        tags: str,
        message: Message | None = None,
    ) -> None:
        author = "lom-bot"
        if message is not None and message.user and not message.bot_id:
            author = self.names(message.user)
        indent = "      " if message and message.thread_ts not in (None, message.ts) else "  "
        self.print(self.style.bold(_rule(f"{author}{' · ' + tags if tags else ''}", "─", indent)))
        ephemeral = message is None or message.ephemeral_to is not None
        if body.get("blocks") and (message is None or not message.deleted):
            attachments = list(body.get("attachments") or [])
            self.last_payload = builder_payload(list(body["blocks"]), attachments=attachments)
        if message is None or not message.deleted:
            for line in renderer.message(body, channel=channel, ts=ts, ephemeral=ephemeral):
                self.print(indent + line)
        for file in message.files if message else []:
            self.print(indent + self._save(file.id, file.name, file.content))

    def _save(self, file_id: str, name: str, content: bytes) -> str:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name) or "file"
        path = self.files_dir / f"{file_id}-{safe}"
        path.write_bytes(content)
        return f"File: {name} ({len(content):,} bytes), saved to {_relative(path)}"

    def preview(self, message: Message, limit: int = 60) -> str:
        """The start of a message's text, in plain words, on one line."""
        return _preview_text(self._renderer(), message, limit)

    def _visible(self, message: Message) -> bool:
        return not message.deleted and message.ephemeral_to in (None, self.user())

    def _renderer(self) -> Renderer:
        return Renderer(names=self._name_or_channel, color=self.style.color)

    def _name_or_channel(self, key: str) -> str:
        return "lom-bot" if key == BOT_USER_ID else self.names(key)

    def _keep(self, renderer: Renderer) -> None:
        """New buttons replace the old numbering; a step without buttons keeps it."""
        if renderer.clickables:
            self.clickables = renderer.clickables


def _rule(title: str, char: str, indent: str = "  ") -> str:
    return f"{indent}{char * 2} {title} ".ljust(WIDTH, char)


def _preview_text(renderer: Renderer, message: Message, limit: int = 60) -> str:
    text = " ".join(renderer.mrkdwn(message.text)).strip()
    if not text and message.files:
        text = ", ".join(f.name for f in message.files)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _threaded(messages: list[Message]) -> list[Message]:
    """Top-level messages in order, each followed by its thread replies."""
    tops = [m for m in messages if m.thread_ts in (None, m.ts)]
    replies = [m for m in messages if m.thread_ts not in (None, m.ts)]
    ordered: list[Message] = []
    for top in tops:
        ordered.append(top)
        ordered += [r for r in replies if r.thread_ts == top.ts]
    ordered += [r for r in replies if r not in ordered]
    return ordered


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
