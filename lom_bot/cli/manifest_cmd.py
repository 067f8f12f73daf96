"""lom-bot manifest: the Slack app manifest to create or update the app from."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    @cli.command("manifest")
    @click.option(
        "--http-url",
        metavar="URL",
        help="Public base URL for HTTP mode (e.g. https://lom.example.org); "
        "without it the manifest uses Socket Mode.",
    )
    def manifest(http_url: str | None) -> None:
        """Print the Slack app manifest (YAML) for this version of the bot."""
        from lom_bot.manifest import manifest_yaml

        if http_url is not None and not http_url.startswith(("https://", "http://")):
            raise click.BadParameter(
                f"{http_url!r} is not a URL; give e.g. https://lom.example.org",
                param_hint="--http-url",
            )
        click.echo(manifest_yaml(http_url), nl=False)
