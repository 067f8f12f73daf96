"""The import report: what was (or would be) imported, what was refused and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from lom_bot.services.importer.rows import Problem


@dataclass(frozen=True)
class Imported:
    row: int
    ref: str  # the new LOM reference, or "" on a dry run
    name: str
    order_ref: str | None = None


@dataclass(frozen=True)
class Skipped:
    """A row not imported because of someone we already hold (present) or may hold (possible)."""

    row: int
    name: str
    ref: str
    label: str
    why: str


@dataclass
class ImportReport:
    file: str
    sheet: str | None = None
    rows_read: int = 0
    blank_rows: int = 0
    imported: list[Imported] = field(default_factory=list)
    present: list[Skipped] = field(default_factory=list)
    possible: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()
    dry_run: bool = False
    written: bool = False
    seconds: float = 0.0

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems})

    @property
    def orders(self) -> int:
        return sum(1 for i in self.imported if i.order_ref is not None)

    @property
    def blocked(self) -> bool:
        """Rows had errors and --skip-invalid was not given, so nothing was imported."""
        return bool(self.problems) and not self.written and not self.dry_run

    def render(self, *, limit: int = 200) -> str:
        """Plain text for a terminal; every rejected row is listed up to `limit` lines."""
        sheet = f" (sheet {self.sheet})" if self.sheet else ""
        mode = (
            "Dry run: nothing was written."
            if self.dry_run
            else ("Imported." if self.written and self.imported else "Nothing was imported.")
        )
        lines = [f"Import of {self.file}{sheet}. {mode}"]
        blank = f" ({self.blank_rows} blank rows skipped)" if self.blank_rows else ""
        lines.append(f"Rows read: {self.rows_read}{blank}")
        verb = "Would import" if self.dry_run or not self.written else "Imported"
        if self.blocked:
            verb = "Valid, not imported"
        lines.append(f"{verb}: {len(self.imported)} subjects, {self.orders} orders")
        if self.written:
            lines += _listing(
                [
                    f"row {i.row}: {i.ref} {i.name}" + (f" ({i.order_ref})" if i.order_ref else "")
                    for i in self.imported
                ],
                limit,
            )
        lines.append(f"Already present (not imported again): {len(self.present)}")
        lines += _listing(
            [f"row {s.row}: {s.name} is {s.label} ({s.why})" for s in self.present], limit
        )
        lines.append(f"Possible duplicates of existing subjects, held back: {len(self.possible)}")
        lines += _listing(
            [f"row {s.row}: {s.name} may be {s.label} ({s.why})" for s in self.possible], limit
        )
        lines.append(f"Rejected: {len(self.rejected_rows)} rows, {len(self.problems)} problems")
        lines += _listing(
            [
                f"row {p.row}, {p.column}" + (f" '{p.value}'" if p.value else "") + f": {p.reason}"
                for p in self.problems
            ],
            limit,
        )
        if self.warnings:
            lines.append(f"Warnings: {len(self.warnings)}")
            lines += _listing(self.warnings, limit)
        if self.ignored_columns:
            lines.append(
                "Columns not imported (not in the template): " + ", ".join(self.ignored_columns)
            )
        lines.append(self._verdict())
        return "\n".join(lines)

    def _verdict(self) -> str:
        took = f" ({self.seconds:.1f} s)"
        if self.blocked:
            return (
                f"Nothing imported: {len(self.rejected_rows)} rows have errors. Fix them and run "
                f"again, or add --skip-invalid to import the {len(self.imported)} valid rows."
                + took
            )
        if self.dry_run:
            extra = (
                (" With errors present, a real run imports nothing unless --skip-invalid is given.")
                if self.problems
                else ""
            )
            return f"Dry run finished{took}.{extra}"
        return f"Done{took}: {len(self.imported)} subjects imported, each audited as collected."


def _listing(items: list[str], limit: int) -> list[str]:
    shown = [f"  {item}" for item in items[:limit]]
    if len(items) > limit:
        shown.append(f"  ... and {len(items) - limit} more")
    return shown
