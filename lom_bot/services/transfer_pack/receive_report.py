"""What an import did (or a dry run would do), in lines a person reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from lom_bot.domain.dates import format_date
from lom_bot.services.transfer_pack.receive_orders import OrdersWritten
from lom_bot.services.transfer_pack.verify import Pack
from lom_bot.store.tables import Subject


@dataclass
class Imported:
    """What the import did (or, in a dry run, would do), as lines to show."""

    applied: bool
    already: bool
    pack: Pack
    subject_ref: str | None = None
    created: list[str] = field(default_factory=list)
    open_items: list[str] = field(default_factory=list)
    district: str | None = None  # where the subject is (or would be) here
    district_needed: str | None = None  # the pack's district, not one of ours: choose one

    def render(self) -> str:
        man = self.pack.manifest
        lines = [
            f"Transfer pack {man.bundle_id} for {man.subject.ref} {man.subject.name}: from "
            f"{man.sending_force} to {man.receiving_force}, made "
            f"{man.created_at:%d/%m/%Y %H:%M} UTC by {man.officer.name}.",
            f"Verified: schema version {man.schema_version}, {len(man.files)} files, every "
            "SHA-256 matches the manifest.",
            f"Fingerprint (SHA-256 of manifest.json): {self.pack.fingerprint}: check it is the "
            "one the sending force gave you.",
        ]
        if self.already:
            lines.append(
                f"Already imported as {self.subject_ref}: nothing new created (same bundle)."
            )
            return "\n".join(lines)
        head = "Created:" if self.applied else "Dry run, nothing written. --apply would create:"
        lines.append(head)
        lines += [f"• {line}" for line in self.created]
        if self.district_needed:
            lines.append(
                f"The pack's district {self.district_needed} is not one of ours: choose where "
                "the subject lives here (--district) to import."
            )
        if self.open_items:
            lines.append("Open for the receiving team:")
            lines += [f"• {item}" for item in self.open_items]
        return "\n".join(lines)


def created_lines(
    pack: Pack,
    subject: Subject,
    district: str,
    orders: OrdersWritten,
    counts: dict[str, int],
    withheld: list[str],
    covered: list[str],
    short: str,
) -> list[str]:
    s = pack.subject
    force = pack.manifest.sending_force
    lines = [
        f"Subject {subject.ref} {s.given_names} {s.family_name} (born {format_date(s.born_on)}, "
        f"PNC {s.pnc_id or '—'}) in {district}, transferring in from {force}; "
        f"aliases: {len(s.aliases)}, release dates: {len(s.release_dates)}."
    ]
    for o in pack.orders.orders:
        if o.ref not in orders.refs:
            continue
        here = orders.refs[o.ref]
        status = (
            orders.live.status.value
            if orders.live is not None and orders.live.ref == here
            else o.status.value
        )
        lines.append(
            f"Order {here} (their {o.ref}): {status.replace('_', ' ')}, made "
            f"{format_date(o.made_on)} at {o.court or '—'}, {len(o.conditions)} conditions "
            f"verbatim, versions: {len(o.versions)}, each marked received from {force}."
        )
    for ref in orders.not_created:
        lines.append(f"Not created: application {ref}, still theirs to finish or withdraw.")

    def n(kind: str, one: str, many: str) -> str:
        count = counts.get(kind, 0)
        return f"{count} {one if count == 1 else many}"

    lines.append(
        f"Records: {n('contacts', 'contact', 'contacts')}, {n('checks', 'check', 'checks')}, "
        f"{n('intelligence', 'intelligence item', 'intelligence items')}, "
        f"{n('breaches', 'breach report', 'breach reports')} "
        f"({counts.get('assessments', 0)} assessed, "
        f"{n('court_outcomes', 'court outcome', 'court outcomes')}), "
        f"{n('follow_ups', 'enforcement step', 'enforcement steps')}, "
        f"{n('documents', 'letter or document', 'letters and documents')}."
    )
    if withheld:
        lines.append(
            f"Withheld by {force} under handling code C (ask them): " + ", ".join(withheld) + "."
        )
    lines.append(f"Transfer-in checklist: {', '.join(covered)} received (pack {short}).")
    return lines
