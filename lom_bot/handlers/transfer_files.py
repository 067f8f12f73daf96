"""A transfer pack shared into the LOM team channel (e.g. over Slack Connect with the sending
force): a supervisor sees the verified dry run with Import buttons; pressing one imports it.

Both steps fetch the file from Slack again (files.info, then its url_private with the bot
token), so what is imported is what Slack holds, verified afresh."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse
from urllib.request import Request, urlopen

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from lom_bot.blocks.transfer import IMPORT_PACK, pack_offer_blocks, text_blocks
from lom_bot.domain.errors import DomainError
from lom_bot.domain.text import clean_text, without_bidi_controls
from lom_bot.handlers.middleware import actor_of
from lom_bot.handlers.payload import channel_of
from lom_bot.handlers.refusal import audit_if_refusal, refused
from lom_bot.services.permissions import Action, Actor, can
from lom_bot.services.transfer_pack import ImportTransfer, import_pack
from lom_bot.services.transfer_pack.verify import MAX_PACK_BYTES

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.runtime import Runtime

log = logging.getLogger(__name__)
SLACK_FILE_HOSTS = ("files.slack.com", "slack-files.com")


class FileUnavailable(DomainError):
    """The shared file cannot be fetched from Slack."""


@dataclass(frozen=True)
class SharedFile:
    id: str
    name: str
    size: int  # as Slack declares it
    url: str


def file_info(rt: Runtime, client: WebClient, file_id: str) -> SharedFile:
    """What Slack says of a file (files.info), checked before anything is downloaded."""
    try:
        info = client.files_info(file=file_id).get("file") or {}
    except SlackApiError as exc:
        reason = str(exc.response.get("error") or "error") if exc.response else "error"
        raise FileUnavailable(f"The file could not be read from Slack ({reason[:40]}).") from None
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    # The name comes from files.info, not the cleaned inbound payload: it is echoed in replies.
    name = without_bidi_controls(clean_text(str(info.get("name") or ""))).strip() or file_id
    return SharedFile(file_id, name, int(info.get("size") or 0), url)


def download(rt: Runtime, client: WebClient, file: SharedFile) -> bytes:
    """The file's bytes; the bot token goes only to Slack's own file hosts (or the configured
    stand-in for Slack)."""
    if file.size > MAX_PACK_BYTES:
        raise FileUnavailable(f"{file.name} is too big to be a transfer pack.")
    host = urlparse(file.url).hostname or ""
    allowed = {*SLACK_FILE_HOSTS, urlparse(rt.settings.slack_api_url or "").hostname}
    if not file.url or host not in allowed:
        raise FileUnavailable(f"{file.name} is not a file Slack serves; it was not fetched.")
    request = Request(file.url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with urlopen(request, timeout=30) as response:
            data: bytes = response.read(MAX_PACK_BYTES + 1)
    except (OSError, ValueError) as exc:  # URLError, HTTPError and timeouts are OSErrors
        reason = getattr(exc, "reason", None) or type(exc).__name__
        raise FileUnavailable(
            f"{file.name} could not be fetched from Slack ({str(reason)[:60]}); nothing was "
            "imported: try again."
        ) from None
    if len(data) > MAX_PACK_BYTES:
        raise FileUnavailable(f"{file.name} is too big to be a transfer pack.")
    return data


def fetch_file(rt: Runtime, client: WebClient, file_id: str) -> tuple[str, bytes]:
    """(name, bytes) of a Slack file; the token is sent only to Slack's own file hosts (or the
    configured stand-in for Slack)."""
    file = file_info(rt, client, file_id)
    return file.name, download(rt, client, file)


def _may_import(actor: Actor | None) -> bool:
    return actor is not None and can(actor, Action.IMPORT) and can(actor, Action.MANAGE_ORDER)


def register(app: App, rt: Runtime) -> None:
    @app.event("file_shared")
    def file_shared(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        channel = str(event.get("channel_id") or "")
        user = str(event.get("user_id") or "")
        if channel != rt.config.channels.lom_team.id:
            return  # packs are imported from the LOM team channel only
        file_id = str(event.get("file_id") or (event.get("file") or {}).get("id") or "")
        actor = actor_of(context)
        if not file_id or actor is None:
            return
        try:
            file = file_info(rt, client, file_id)
        except DomainError:
            return  # cannot tell if it is a pack: any file may be shared here, most are not
        if not file.name.lower().endswith(".zip"):
            return  # not a pack: other files shared in the channel need nothing, not even fetched
        name = file.name
        if not _may_import(actor):
            text = refused(
                rt, actor, "Only a LOM supervisor may import a transfer pack.", channel=channel
            )
            client.chat_postEphemeral(channel=channel, user=user, text=f":no_entry: {text}")
            return
        try:
            data = download(rt, client, file)
            done = import_pack(rt.uow(), actor, ImportTransfer(data))
        except DomainError as exc:
            audit_if_refusal(rt, exc, channel)
            client.chat_postEphemeral(channel=channel, user=user, text=f":warning: {name}: {exc}")
            return
        district = None if done.district_needed or done.already else done.district
        blocks = (
            text_blocks(done.render())
            if done.already
            else pack_offer_blocks(
                done.render(), file_id, district, [d.name for d in rt.config.districts]
            )
        )
        client.chat_postEphemeral(
            channel=channel, user=user, text=f"Transfer pack {name}: dry run", blocks=blocks
        )

    @app.action(re.compile(rf"^{IMPORT_PACK}(:\d+)?$"))
    def import_clicked(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        actor = actor_of(context)
        channel = channel_of(body)
        if actor is None or not _may_import(actor):
            text = "Only a LOM supervisor may import a transfer pack."
            if actor is not None:
                refused(rt, actor, text, channel=channel)
            respond(text=f":no_entry: {text}", replace_original=False)
            return
        try:
            chosen = json.loads(str(body["actions"][0].get("value") or "{}"))
        except ValueError:
            chosen = None
        if not isinstance(chosen, dict):
            chosen = {}
        try:
            _, data = fetch_file(rt, client, str(chosen.get("file") or ""))
            done = import_pack(
                rt.uow(),
                actor,
                ImportTransfer(data, district=chosen.get("district"), apply=True),
            )
        except DomainError as exc:
            audit_if_refusal(rt, exc, channel)
            respond(text=f":warning: {exc}", replace_original=False)
            return
        respond(text=done.render(), blocks=text_blocks(done.render()), replace_original=True)
