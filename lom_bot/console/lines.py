"""Where the console's lines come from: a terminal (with a prompt) or a pipe."""

from __future__ import annotations

import contextlib
import sys
from typing import TextIO


class TerminalLines:
    """Lines from a terminal (readline prompt) or from a pipe (no prompt, ends at EOF)."""

    def __init__(self, stream: TextIO | None = None, *, interactive: bool | None = None) -> None:
        self.stream = stream or sys.stdin
        self.interactive = self.stream.isatty() if interactive is None else interactive
        if self.interactive:
            with contextlib.suppress(ImportError):  # not on every platform
                import readline  # noqa: F401  (line editing and history for input())

    def read(self, prompt: str) -> str | None:
        if self.interactive:
            try:
                return input(prompt)
            except EOFError:
                return None
        line = self.stream.readline()
        return line.rstrip("\r\n") if line else None
