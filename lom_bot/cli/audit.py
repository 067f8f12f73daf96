"""lom-bot audit verify | export: prove the log is whole, and produce it for an inquiry."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from lom_bot.cli.common import runtime
from lom_bot.domain.dates import parse_date
from lom_bot.domain.enums import Role
from lom_bot.domain.errors import InvalidInput
from lom_bot.domain.text import neutralise_cell
from lom_bot.operator import login_name
from lom_bot.services.actors import load_actor
from lom_bot.services.audit import EXPORT_COLUMNS, export_audit, verify_chain
from lom_bot.services.audit_anchor import Anchor, anchors_from, current_anchor, parse_anchor
from lom_bot.services.permissions import Actor


def operator() -> Actor:
    """Whoever runs the command line; they hold the database credentials, so act as admin."""
    name = login_name()
    return Actor(slack_id=f"cli:{name}"[:32], name=name, role=Role.ADMIN)


def parse_anchors(values: tuple[str, ...], files: tuple[Path, ...] = ()) -> list[Anchor]:
    """--anchor values and the lines of --anchors-file files, as anchors."""
    anchors: list[Anchor] = []
    try:
        for path in files:
            anchors += anchors_from(path.read_text(encoding="utf-8").splitlines())
        anchors += [parse_anchor(value) for value in values]
    except InvalidInput as exc:
        raise click.BadParameter(f"{exc.message} For example: {exc.example}") from None
    except OSError as exc:
        raise click.BadParameter(str(exc), param_hint="--anchors-file") from None
    return anchors


def register(cli: click.Group) -> None:
    @cli.group("audit")
    def audit() -> None:
        """The hash-chained audit log (Data Protection Act 2018 s.62)."""

    @audit.command("verify")
    @click.option(
        "--anchor",
        "anchors",
        multiple=True,
        metavar="SEQ:HASH",
        help="A tip printed by an earlier verify and kept elsewhere; it must still match.",
    )
    @click.option(
        "--anchors-file",
        "files",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="A file of anchors, one a line (as `lom-bot audit anchor` appends them).",
    )
    def verify(anchors: tuple[str, ...], files: tuple[Path, ...]) -> None:
        """Recompute every hash; exit 1 naming the first edited, deleted or reordered entry,
        or one dated before an anchor recorded earlier (back-dated)."""
        rt = runtime()
        given = parse_anchors(anchors, files)
        report = verify_chain(
            rt.uow(),
            anchors={a.seq: a.hash for a in given},
            anchored_at={a.seq: a.at for a in given if a.at is not None},
        )
        if report.intact:
            click.echo(report.summary())
            return
        click.echo(report.summary(), err=True)
        for problem in report.breaks[1:20]:
            click.echo(f"  also {problem}", err=True)
        sys.exit(1)

    @audit.command("anchor")
    def anchor() -> None:
        """Print the chain's tip and the time (SEQ:HASH@TIME) to keep outside the database,
        e.g. from cron: `lom-bot audit anchor >> /secure/lom-anchors.txt`."""
        click.echo(str(current_anchor(runtime().uow())))

    @audit.command("export")
    @click.option("--subject", "subject", help="Entries about this subject (e.g. LOM-0001).")
    @click.option("--user", "user", help="Entries by this Slack user id (e.g. U0OFF1).")
    @click.option("--from", "from_", help="First day (25/11/2026 or 2026-11-25).")
    @click.option("--to", "to", help="Last day, inclusive.")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="CSV file.")
    @click.option(
        "--purpose",
        default="audit export",
        show_default=True,
        help="Why: recorded in the audit log with the export.",
    )
    @click.option("--as", "as_user", help="Act as this Slack user (needs audit permission).")
    def export(
        subject: str | None,
        user: str | None,
        from_: str | None,
        to: str | None,
        out: Path | None,
        purpose: str,
        as_user: str | None,
    ) -> None:
        """Write entries as CSV (to --out or standard output); the export is itself audited."""
        rt = runtime()
        today = rt.clock.today()
        actor = load_actor(rt.uow(), as_user) if as_user else operator()
        rows = export_audit(
            rt.uow(),
            actor,
            subject_ref=subject,
            user=user,
            from_=parse_date(from_, today, field="from") if from_ else None,
            to=parse_date(to, today, field="to") if to else None,
            purpose=purpose,
            recipient=f"file:{out.name}" if out else "stdout",
        )
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            detail = json.dumps(row["detail"], sort_keys=True) if row["detail"] else ""
            # a purpose or recipient typed by someone must not open as a formula
            writer.writerow({k: neutralise_cell(v) for k, v in {**row, "detail": detail}.items()})
        if out is None:
            click.echo(buffer.getvalue(), nl=False)
            return
        out.write_text(buffer.getvalue(), encoding="utf-8")
        click.echo(f"{len(rows)} entries written to {out}.", err=True)
