"""import_register: read, validate, de-duplicate and (unless told not to) write a register."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from lom_bot.domain.enums import AuditAction
from lom_bot.services.importer.dedupe import FileSeen, SubjectIndex
from lom_bot.services.importer.reader import read_table
from lom_bot.services.importer.report import Imported, ImportReport, Skipped
from lom_bot.services.importer.rows import Problem, RowContext, ValidRow, validate_row
from lom_bot.services.importer.writer import Progress, write_rows
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.store.tables import User
from lom_bot.store.uow import UnitOfWork


def no_progress(items: Iterable[Any], total: int, label: str) -> Iterable[Any]:
    return items


def import_register(
    uow: UnitOfWork,
    actor: Actor,
    path: Path,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    include_possible_duplicates: bool = False,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import a team's register in one transaction; nothing is written from a file with
    errors unless skip_invalid, nothing at all on a dry run."""
    started = time.perf_counter()
    report = ImportReport(file=path.name, dry_run=dry_run)
    with uow:
        require(actor, Action.IMPORT)
        table = read_table(path)
        report.sheet, report.blank_rows = table.sheet, table.blank_rows
        report.rows_read = len(table.rows)
        report.ignored_columns = table.mapping.ignored
        ctx = RowContext(uow.config, uow.clock.today(), _officers(uow))
        index = SubjectIndex(uow.session, uow.config.matching.name_threshold)
        seen = FileSeen()
        accepted: list[ValidRow] = []
        for number, cells in progress(table.rows, len(table.rows), "checking"):
            result = validate_row(number, cells, table.mapping, ctx)
            if isinstance(result, list):
                report.problems += result
                continue
            report.warnings += result.warnings
            headers = table.mapping.headers
            if _triage(result, index, seen, report, headers, include_possible_duplicates):
                accepted.append(result)
        if dry_run or (report.problems and not skip_invalid):
            report.imported = [
                Imported(r.row, "", _name(r), "" if r.order else None) for r in accepted
            ]
            report.seconds = time.perf_counter() - started
            return report  # leaving the unit of work uncommitted writes nothing
        report.imported = write_rows(uow, actor, accepted, path.name, progress)
        if accepted:
            uow.audit(
                actor.slack_id,
                AuditAction.COLLECTION,
                "register.imported",
                purpose="import of the team's existing register",
                detail={
                    "file": path.name,
                    "subjects": len(report.imported),
                    "orders": report.orders,
                    "rejected_rows": len(report.rejected_rows),
                    "already_present": len(report.present),
                },
            )
        uow.commit()
        report.written = True
    report.seconds = time.perf_counter() - started
    return report


def _triage(
    row: ValidRow,
    index: SubjectIndex,
    seen: FileSeen,
    report: ImportReport,
    headers: dict[str, str],
    include_possible: bool,
) -> bool:
    """True when the row should be imported; otherwise it is recorded in the report."""
    name = _name(row)
    earlier = seen.earlier(row)
    seen.add(row)
    pnc_column = headers.get("pnc_id", "PNC ID")
    if earlier is not None:
        by_pnc = earlier[1] == "same PNC ID"
        column = pnc_column if by_pnc else headers.get("family_name", "Name")
        value = (row.subject.pnc_id or "") if by_pnc else name
        reason = f"the same person as row {earlier[0]} ({earlier[1]})"
        report.problems.append(Problem(row.row, column, value, reason))
        return False
    match = index.match(row)
    if match is None or match.known is None:
        return True
    if match.kind == "conflict":
        report.problems.append(Problem(row.row, pnc_column, row.subject.pnc_id or "", match.why))
        return False
    skipped = Skipped(row.row, name, match.known.ref, match.known.label, match.why)
    if match.kind == "present":
        report.present.append(skipped)
        return False
    report.possible.append(skipped)
    return include_possible


def _name(row: ValidRow) -> str:
    return f"{row.subject.given_names} {row.subject.family_name}"


def _officers(uow: UnitOfWork) -> dict[str, str]:
    """Officers by Slack id and by name (lower case), for the LOM officer column."""
    found: dict[str, str] = {}
    for slack_id, name in uow.session.execute(select(User.slack_id, User.name)):
        found[slack_id.lower()] = slack_id
        found.setdefault(name.lower(), slack_id)
    return found
