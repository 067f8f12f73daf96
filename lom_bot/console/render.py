"""Block Kit as readable terminal text: messages, cards with numbered buttons, views."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Block = dict[str, Any]
WIDTH = 78
RULE = "─"
CLICKABLE_TYPES = frozenset({"button", "static_select", "overflow", "radio_buttons"})


@dataclass(frozen=True)
class Clickable:
    """A button (or menu) shown with a number; what `click N` sends back to the app."""

    label: str
    kind: str
    action_id: str
    block_id: str
    value: str = ""
    url: str | None = None
    options: tuple[tuple[str, str], ...] = ()  # (label, value) for menus
    channel: str | None = None  # on a message ...
    ts: str | None = None
    ephemeral: bool = False
    view: Block | None = None  # ... or inside a view (Home tab or modal)


@dataclass
class Renderer:
    """Turns blocks into lines, numbering every clickable element it meets from `start`."""

    names: Callable[[str], str] = str
    start: int = 1
    color: bool = False
    clickables: list[Clickable] = field(default_factory=list)

    def message(
        self,
        message: Block,
        *,
        channel: str,
        ts: str,
        ephemeral: bool = False,
    ) -> list[str]:
        """A message's blocks, or its text when it has none, plus any files and attachments."""
        where: Block = {"channel": channel, "ts": ts, "ephemeral": ephemeral}
        blocks = list(message.get("blocks") or [])
        lines = self.blocks(blocks, where) if blocks else self.mrkdwn(message.get("text") or "")
        for attachment in message.get("attachments") or []:
            lines += ["│ " + line for line in self.blocks(attachment.get("blocks") or [], where)]
            if attachment.get("text"):
                lines += ["│ " + line for line in self.mrkdwn(attachment["text"])]
        return lines

    def view(self, view: Block) -> list[str]:
        """A Home tab or a modal's non-input blocks (inputs are asked as questions)."""
        return self.blocks(list(view.get("blocks") or []), {"view": view})

    def blocks(self, blocks: list[Block], where: Block) -> list[str]:
        lines: list[str] = []
        for block in blocks:
            lines += self.block(block, where)
        return lines

    def block(self, block: Block, where: Block) -> list[str]:
        kind = block.get("type")
        block_id = str(block.get("block_id") or "")
        if kind == "header":
            title = plain(block.get("text"))
            return [self.emphasis(title, bold=True), RULE * min(len(title), WIDTH)]
        if kind == "divider":
            return [RULE * 40]
        if kind == "section":
            return self.section(block, block_id, where)
        if kind == "context":
            parts = [self.text_of(e) for e in block.get("elements") or []]
            return ["  " + line for line in wrap(" · ".join(p for p in parts if p), WIDTH - 2)]
        if kind == "actions":
            items = [self.element(e, block_id, where) for e in block.get("elements") or []]
            return wrap("  ".join(items), WIDTH, keep_words=True)
        if kind == "image":
            return [f"[image: {block.get('alt_text') or block.get('title') or 'picture'}]"]
        if kind == "rich_text":
            return self.mrkdwn(rich_text(block))
        if kind == "input":
            return [f"{plain(block.get('label'))}: (a form field)"]
        return [f"[{kind} block]"]

    def section(self, block: Block, block_id: str, where: Block) -> list[str]:
        text = self.text_of(block.get("text")) if block.get("text") else ""
        lines = self.mrkdwn(text, hang=True) if text else []
        for item in block.get("fields") or []:
            label, _, value = self.text_of(item).partition("\n")
            label = label.strip("*").strip()
            value = value.replace("\n", "; ")
            lines += wrap(f"{label}: {value}" if value else label, WIDTH, indent="    ")
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and accessory.get("type") in CLICKABLE_TYPES:
            control = self.element(accessory, block_id, where)
            if lines and len(lines[-1]) + len(control) < WIDTH:
                lines[-1] = f"{lines[-1]}  {control}"
            else:
                lines.append("    " + control)
        return lines

    def element(self, element: Block, block_id: str, where: Block) -> str:
        """An interactive element as `[N Label]`, registered for `click N`."""
        kind = str(element.get("type"))
        if kind not in CLICKABLE_TYPES:
            return f"[{plain(element.get('placeholder')) or kind}]"
        label = plain(element.get("text")) or plain(element.get("placeholder")) or "…"
        options = tuple(
            (plain(o.get("text")), str(o.get("value") or "")) for o in _options(element)
        )
        if kind == "overflow":
            label = "more…"
        clickable = Clickable(
            label=label,
            kind=kind,
            action_id=str(element.get("action_id") or ""),
            block_id=block_id,
            value=str(element.get("value") or ""),
            url=element.get("url"),
            options=options,
            channel=where.get("channel"),
            ts=where.get("ts"),
            ephemeral=bool(where.get("ephemeral")),
            view=where.get("view"),
        )
        self.clickables.append(clickable)
        number = self.start + len(self.clickables) - 1
        suffix = " ▾" if options else ""
        return f"[{number} {label}{suffix}]"

    def text_of(self, obj: Any) -> str:
        if isinstance(obj, dict):
            if obj.get("type") == "image":
                return f"[{obj.get('alt_text') or 'image'}]"
            return self.resolve(str(obj.get("text") or ""))
        return self.resolve(str(obj or ""))

    def mrkdwn(self, text: str, *, hang: bool = False) -> list[str]:
        """Wrapped prose; ```preformatted``` kept as it is; with `hang`, lines after the
        first are indented so that consecutive sections read as separate items."""
        lines: list[str] = []
        parts = self.resolve(text).split("```")
        for n, part in enumerate(parts):
            if n % 2:  # inside a code fence: tables and aligned text stay aligned
                lines += [("  " if hang else "") + row for row in part.strip("\n").split("\n")]
                continue
            if n > 0:  # the line breaks around a fence belong to the fence
                part = part.removeprefix("\n")
            if n < len(parts) - 1:
                part = part.removesuffix("\n")
            if not part:
                continue
            for paragraph in part.split("\n"):
                indent = "  " if hang and lines else ""
                wrapped = wrap(_plain_marks(paragraph), WIDTH - len(indent), indent=indent)
                lines += [self.emphasis(line) for line in wrapped] or [""]
        return lines

    def emphasis(self, text: str, *, bold: bool = False) -> str:
        """Bold (as marked by _plain_marks) in ANSI on a colour terminal, else plain text."""
        if self.color:
            text = re.sub(r"\x01(.*?)(\x02|$)", "\033[1m\\1\033[0m", text)
            text = f"\033[1m{text}\033[0m" if bold else text
        return text.replace("\x01", "").replace("\x02", "")

    def resolve(self, text: str) -> str:
        """Slack's markup in plain words: mentions, channel links, links, escapes."""

        def link(match: re.Match[str]) -> str:
            target, _, label = match[1].partition("|")
            if target.startswith("@"):
                return "@" + self.names(target[1:])
            if target.startswith("#"):
                return "#" + (label or self.names(target[1:]))
            if target.startswith("!"):
                return "@" + (label or target[1:].split("^")[0])
            return f"{label} ({target})" if label and label != target else target

        return html.unescape(_LINK.sub(link, text))


_LINK = re.compile(r"<([^<>]+)>")


_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])")


def _plain_marks(text: str) -> str:
    """Slack's *bold*, _italic_ and ~strike~ without their marks (bold kept for a terminal)."""
    text = _BOLD.sub("\x01\\1\x02", text)
    return _STRIKE.sub("\\1", _ITALIC.sub("\\1", text))


def plain(obj: Any) -> str:
    """The text of a text object (or a string), without markup."""
    if isinstance(obj, dict):
        return html.unescape(str(obj.get("text") or ""))
    return html.unescape(str(obj or ""))


def wrap(text: str, width: int, *, indent: str = "", keep_words: bool = False) -> list[str]:
    """Wrap to the terminal width; bullets and indents keep their hanging indent."""
    if not text:
        return []
    lead = re.match(r"^(\s*(?:[•\-*>]\s|\d+\.\s)?\s*)", text)
    hang = " " * len(lead[1]) if lead else ""
    return textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=indent + hang,
        break_long_words=not keep_words,
        break_on_hyphens=False,
    )


def rich_text(block: Block) -> str:
    """The words of a rich_text block."""
    out: list[str] = []
    for section in block.get("elements") or []:
        for element in section.get("elements") or []:
            out.append(str(element.get("text") or element.get("url") or ""))
        out.append("\n")
    return "".join(out).strip()


def _options(element: Block) -> list[Block]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += list(group.get("options") or [])
    return options
