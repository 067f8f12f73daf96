"""lom-bot export transfer, import transfer: a subject's transfer pack between forces."""

from __future__ import annotations

import os
from pathlib import Path

import click

from lom_bot.cli.common import runtime
from lom_bot.cli.importer import AS_HELP, acting_user
from lom_bot.services.permissions import Action
from lom_bot.services.transfer_pack import (
    ExportTransfer,
    ImportTransfer,
    import_pack,
    make_pack,
)
from lom_bot.services.transfer_pack.verify import MAX_PACK_BYTES


def register(cli: click.Group) -> None:
    export_group = cli.commands["export"]
    import_group = cli.commands["import"]
    assert isinstance(export_group, click.Group) and isinstance(import_group, click.Group)

    @export_group.command("transfer")
    @click.argument("subject")
    @click.option("--to", "to_force", required=True, metavar="FORCE", help="The receiving force.")
    @click.option(
        "--out",
        type=click.Path(dir_okay=False, path_type=Path),
        help="File to write. Default: <ref>-transfer-pack-<time>.zip here.",
    )
    @click.option(
        "--as",
        "as_user",
        metavar="SLACK_ID",
        help=AS_HELP.format(what="export sensitive data (a LOM supervisor)"),
    )
    def export_transfer(subject: str, to_force: str, out: Path | None, as_user: str | None) -> None:
        """Write SUBJECT's transfer pack for the force --to (a zip; see docs/transfer-pack.md).

        The pack holds the subject's identity, every order with its versions and verbatim
        conditions, visits, contacts, checks, intelligence its handling codes let go (the rest
        listed as withheld), breach reports, the enforcement ladder, court outcomes, letters
        and a summary.docx, with a manifest of every file's SHA-256. It is audited as a
        disclosure to the receiving force. Supervisors only.
        """
        rt = runtime()
        actor = acting_user(rt, as_user, Action.EXPORT_SENSITIVE)
        made = make_pack(rt.uow(), actor, ExportTransfer(subject, to_force))
        target = out or Path(made.filename)
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(made.content)
        os.replace(partial, target)
        click.echo(f"Wrote {target}.")
        click.echo(made.render())

    @import_group.command("transfer")
    @click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
    @click.option("--apply", is_flag=True, help="Create the records. Default: a dry run.")
    @click.option(
        "--district",
        metavar="NAME",
        help="Where the subject lives here. Default: the pack's district, if it is one of ours.",
    )
    @click.option(
        "--as",
        "as_user",
        metavar="SLACK_ID",
        help=AS_HELP.format(what="import and manage orders (a LOM supervisor)"),
    )
    def import_transfer(file: Path, apply: bool, district: str | None, as_user: str | None) -> None:
        """Verify FILE, a transfer pack from another force, and show what it would create.

        The manifest, schema version and every file's SHA-256 are checked first; a changed or
        unknown pack is refused with the reason. With --apply the subject and orders are
        created as transferring in, with the full history marked as received from the
        sending force; the education visit, activation and officer are left open. Importing
        the same pack again creates nothing.
        """
        if file.stat().st_size > MAX_PACK_BYTES:
            raise click.ClickException(f"{file.name} is too big to be a transfer pack.")
        rt = runtime()
        actor = acting_user(rt, as_user, Action.IMPORT, prefer=Action.MANAGE_ORDER)
        done = import_pack(
            rt.uow(), actor, ImportTransfer(file.read_bytes(), district=district, apply=apply)
        )
        click.echo(done.render())
