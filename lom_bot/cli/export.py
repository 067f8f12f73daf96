"""lom-bot export caseload|contacts|breaches|orders|sentencing: figures for governance returns.

(`lom-bot export transfer`, a subject's transfer pack, is in cli/transfer.py.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from lom_bot.cli.common import runtime
from lom_bot.cli.importer import AS_HELP, acting_user
from lom_bot.domain.dates import DATE_EXAMPLE, parse_date
from lom_bot.domain.errors import InvalidDate
from lom_bot.services.exporter import ExportKind, export
from lom_bot.services.permissions import Action


def register(cli: click.Group) -> None:
    @cli.group("export")
    def export_group() -> None:
        """Export governance figures (CSV/XLSX), or a subject's transfer pack for another force."""

    for kind in ExportKind:
        _governance(export_group, kind)


def _governance(group: click.Group, kind_of: ExportKind) -> None:
    @group.command(kind_of.value, short_help=f"Export {kind_of.value} for a period as CSV or XLSX.")
    @click.option(
        "--from",
        "start",
        required=True,
        metavar="DATE",
        help=f"First day of the period ({DATE_EXAMPLE}).",
    )
    @click.option(
        "--to", "end", required=True, metavar="DATE", help="Last day of the period, included."
    )
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["csv", "xlsx"]),
        help="csv or xlsx. Default: from --out's extension, else xlsx.",
    )
    @click.option(
        "--out",
        type=click.Path(dir_okay=False, path_type=Path),
        help="File to write. Default: lom-KIND-FROM-to-TO.FORMAT here.",
    )
    @click.option(
        "--as",
        "as_user",
        metavar="SLACK_ID",
        help=AS_HELP.format(what="export sensitive columns (a LOM supervisor)"),
    )
    def export_cmd(
        start: str, end: str, fmt: str | None, out: Path | None, as_user: str | None
    ) -> None:
        """Export this for the period as CSV or XLSX, with dates as dates in London time.

        caseload: every subject with their current order and the period's contacts and breach
        reports. contacts: contacts in the period. breaches: reports received in the period
        with their assessment. orders: orders live at any time in the period. sentencing:
        each sentence passed in the period for a breach (offence, court, plea, disposal,
        term or penalty, new order). Addresses,
        notes, report text and rationale are included only for supervisors; officers get the
        rest. Every export is audited as a disclosure of each subject named, to the file.
        """
        kind = kind_of.value
        rt = runtime()
        actor = acting_user(rt, as_user, Action.EXPORT, prefer=Action.EXPORT_SENSITIVE)
        today = rt.clock.today()
        first, last = _day(start, today, "from"), _day(end, today, "to")
        suffix = out.suffix.lower().lstrip(".") if out else ""
        if fmt and out and suffix != fmt:
            raise click.UsageError(f"--out {out.name} does not end in .{fmt}.")
        fmt = fmt or (suffix if suffix in ("csv", "xlsx") else "xlsx")
        if out is None:
            out = Path(f"lom-{kind}-{first.isoformat()}-to-{last.isoformat()}.{fmt}")
        result = export(rt.uow(), actor, ExportKind(kind), first, last, out)
        click.echo(
            f"Wrote {result.path}: {result.rows} rows naming {result.subjects} subjects, "
            f"audited as disclosed by {actor.name}."
        )
        if result.withheld:
            click.echo("Withheld (supervisors only): " + ", ".join(result.withheld) + ".")


def _day(text: str, today: date, field: str) -> date:
    try:
        return parse_date(text, today, field=field)
    except InvalidDate as exc:
        raise click.BadParameter(str(exc), param_hint=f"--{field}") from None
