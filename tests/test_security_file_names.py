"""A shared file's name, read from Slack's files.info, is echoed only without control or
bidirectional override characters."""

from __future__ import annotations

from typing import Any, cast

from lom_bot.handlers.transfer_files import file_info


class _Client:
    def __init__(self, name: str) -> None:
        self.name = name

    def files_info(self, file: str) -> dict[str, Any]:
        return {"file": {"name": self.name, "size": 10, "url_private": "https://files.slack.com/x"}}


def test_a_file_name_loses_control_and_bidi_override_characters() -> None:
    planted = "pack\x00\x1b[31m\u202egpj.zip"
    shared = file_info(cast(Any, None), cast(Any, _Client(planted)), "F1")
    assert shared.name == "pack[31mgpj.zip"


def test_a_file_name_of_nothing_but_controls_falls_back_to_its_id() -> None:
    assert file_info(cast(Any, None), cast(Any, _Client("\x00\u202e")), "F1").name == "F1"
