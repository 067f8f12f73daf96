"""lom-bot config check."""

from __future__ import annotations

import click

from lom_bot.config import AppConfig, Settings, load_app_config, load_settings


def register(cli: click.Group) -> None:
    @cli.group("config")
    def config() -> None:
        """Inspect the configuration."""

    @config.command("check")
    @click.option(
        "--slack",
        is_flag=True,
        help="Also require the Slack secrets, and ask Slack (auth.test) whose workspace the "
        "bot token belongs to.",
    )
    @click.option("--http", is_flag=True, help="With --slack: check for HTTP mode, not Socket.")
    def check(slack: bool, http: bool) -> None:
        """Validate app.yaml and the environment without starting anything."""
        settings = load_settings()
        app = load_app_config(settings.lom_config)
        if slack:
            settings.require_slack(http)
        sensitive = [c.name for c in app.all_channels() if c.sensitive]
        click.echo(
            f"{settings.lom_config}: OK - {len(app.districts)} districts, "
            f"{len(app.users)} bootstrap users, sensitive channels: {', '.join(sensitive)}"
        )
        if not slack:
            click.echo(f"Slack: {'configured' if settings.slack_configured else 'not configured'}")
            return
        click.echo(check_workspace(settings, app))


def check_workspace(settings: Settings, app: AppConfig) -> str:
    """auth.test with the bot token: the workspace it belongs to must be workspace_team_id
    (else the running bot refuses every request); one clear line either way."""
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    from lom_bot.bootstrap import DEFAULT_SLACK_API

    token = settings.slack_bot_token
    assert token is not None  # require_slack checked it
    base = settings.slack_api_url or DEFAULT_SLACK_API
    client = WebClient(
        token=token.get_secret_value(), base_url=base if base.endswith("/") else base + "/"
    )
    try:
        answer = client.auth_test()
    except SlackApiError as exc:
        raise click.ClickException(
            f"Slack refused the bot token (auth.test: {exc.response.get('error', 'unknown')}): "
            "check SLACK_BOT_TOKEN"
        ) from None
    except Exception as exc:
        raise click.ClickException(
            f"could not reach Slack to check the bot token ({exc.__class__.__name__}); "
            "check the network or SLACK_API_URL"
        ) from None
    team, name = str(answer.get("team_id") or ""), str(answer.get("team") or "")
    expected = app.workspace_team_id
    if expected is None:
        return (
            f"Slack: the bot token belongs to workspace {team} ({name}); workspace_team_id is "
            "not set, so requests from any workspace are accepted"
        )
    if team != expected and answer.get("enterprise_id") != expected:
        raise click.ClickException(
            f"the bot token belongs to workspace {team} ({name}) but app.yaml says "
            f"workspace_team_id: {expected}: the bot would refuse every request; put {team} "
            "in app.yaml (or use this workspace's token)"
        )
    return f"Slack: the bot token belongs to workspace {team} ({name}), as app.yaml says"
