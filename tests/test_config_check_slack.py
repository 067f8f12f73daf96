"""lom-bot config check --slack asks Slack whose workspace the bot token belongs to and compares
it with workspace_team_id, so a mismatch is found before the bot refuses every request."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from lom_bot.cli import cli
from lom_bot.config import load_app_config
from lom_bot.slack_standin.standin import SlackStandIn

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = load_app_config(ROOT / "app.yaml").workspace_team_id


def check(monkeypatch: pytest.MonkeyPatch, api_url: str) -> tuple[int, str]:
    for name, value in {
        "SLACK_BOT_TOKEN": "xoxb-check",
        "SLACK_APP_TOKEN": "xapp-check",
        "SLACK_API_URL": api_url,
        "LOM_CONFIG": str(ROOT / "app.yaml"),
    }.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli, ["config", "check", "--slack"])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("team", "status", "says"),
    [
        (EXPECTED, 0, f"belongs to workspace {EXPECTED} (LOM Demo), as app.yaml says"),
        (
            "T0ELSEWHERE",
            1,
            f"belongs to workspace T0ELSEWHERE (LOM Demo) but app.yaml says "
            f"workspace_team_id: {EXPECTED}",
        ),
    ],
    ids=["same-workspace", "another-workspace"],
)
def test_config_check_slack_compares_the_tokens_workspace_with_app_yaml(
    monkeypatch: pytest.MonkeyPatch, team: str, status: int, says: str
) -> None:
    with SlackStandIn(team_id=team or "T0X") as standin:
        code, out = check(monkeypatch, standin.url)
        assert [c.token for c in standin.calls_to("auth.test")] == ["xoxb-check"]
    assert code == status and says in out, out
    assert out.strip().splitlines()[-1].startswith("Error: " if status else "Slack: ")


def test_config_check_slack_says_in_one_line_when_the_token_is_refused_or_slack_unreachable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with SlackStandIn() as standin:
        standin.fail_next("auth.test", error="invalid_auth")
        code, out = check(monkeypatch, standin.url)
    assert code == 1 and "Slack refused the bot token (auth.test: invalid_auth)" in out
    code, out = check(monkeypatch, "http://127.0.0.1:9/api/")
    assert code == 1 and "could not reach Slack to check the bot token" in out
    assert "Traceback" not in out
