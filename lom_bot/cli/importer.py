"""lom-bot import register|template: bring a team's existing spreadsheet into the bot."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from lom_bot.cli.common import runtime
from lom_bot.runtime import Runtime
from lom_bot.services.actors import load_actor
from lom_bot.services.importer import import_register, write_template
from lom_bot.services.permissions import MATRIX, Action, Actor, can

AS_HELP = (
    "Slack user ID of the person doing this (it is recorded in the audit log as theirs). "
    "Default: the first user in app.yaml whose role may {what}."
)
PROGRESS_FROM = 500  # rows; smaller files finish before a bar is worth drawing


def acting_user(
    rt: Runtime, slack_id: str | None, action: Action, *, prefer: Action | None = None
) -> Actor:
    """The --as user, or the first configured user whose role allows `prefer` (if given),
    else the first whose role allows the action."""
    if slack_id is None:
        for wanted in (prefer, action):
            if wanted is None:
                continue
            allowed = (u for u in rt.config.users if wanted in MATRIX.get(u.role, frozenset()))
            if (entry := next(allowed, None)) is not None:
                slack_id = entry.slack_id
                break
        else:
            raise click.UsageError(f"No user in app.yaml may {action.value}; pass --as SLACK_ID.")
    actor = load_actor(rt.uow(), slack_id)
    if not can(actor, action):
        role = actor.role.value.replace("_", " ")
        raise click.ClickException(f"{slack_id} ({role}) may not {action.value.replace('_', ' ')}.")
    return actor


def tqdm_progress(items: Iterable[Any], total: int, label: str) -> Iterable[Any]:
    from tqdm import tqdm

    # Batches (the writing step) are few but slow; rows are many: draw either on big files.
    big = total >= PROGRESS_FROM or (label == "importing" and total > 1)
    return tqdm(
        items, total=total, desc=label, unit="", file=sys.stderr, disable=not big, leave=False
    )


def register(cli: click.Group) -> None:
    @cli.group("import")
    def import_group() -> None:
        """Import the team's existing register of SCPO subjects (xlsx or csv)."""

    @import_group.command("register")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
    @click.option(
        "--skip-invalid",
        is_flag=True,
        help="Import the valid rows even though other rows have errors.",
    )
    @click.option(
        "--include-possible-duplicates",
        is_flag=True,
        help="Also import rows that look like an existing subject (similar name, "
        "same date of birth) once you have checked they are different people.",
    )
    @click.option(
        "--as",
        "as_user",
        metavar="SLACK_ID",
        help=AS_HELP.format(what="import (a LOM supervisor or admin)"),
    )
    def register_cmd(
        file: Path,
        dry_run: bool,
        skip_invalid: bool,
        include_possible_duplicates: bool,
        as_user: str | None,
    ) -> None:
        """Import FILE (.xlsx or .csv), matching columns by their headers.

        Every row is checked against the rules (dates, district, risk level, custody status,
        PNC ID, 18 or over, order at most 5 years). The report lists rows imported, rows
        rejected with row number, column and reason, and people already held. Nothing is
        imported from a file with errors unless --skip-invalid is given. Running the same
        file again imports nobody twice (matched on PNC ID, or name and date of birth).
        `lom-bot import template` writes a file with the expected columns.
        """
        rt = runtime()
        actor = acting_user(rt, as_user, Action.IMPORT)
        report = import_register(
            rt.uow(),
            actor,
            file,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            include_possible_duplicates=include_possible_duplicates,
            progress=tqdm_progress,
        )
        click.echo(report.render())
        if report.problems and not report.written:
            rows = len(report.rejected_rows)
            raise click.ClickException(f"{rows} rows rejected: see the report above.")

    @import_group.command("template")
    @click.argument(
        "file",
        required=False,
        type=click.Path(dir_okay=False, path_type=Path),
        default="register-template.xlsx",
    )
    def template_cmd(file: Path) -> None:
        """Write the register template (default register-template.xlsx; .csv also works).

        The .xlsx has a header row, one example row and a Notes sheet describing each column
        and the other header names it recognises.
        """
        write_template(file)
        notes = " with a Notes sheet" if file.suffix.lower() == ".xlsx" else ""
        click.echo(f"Template written to {file}{notes}. See docs/import.md for the columns.")
