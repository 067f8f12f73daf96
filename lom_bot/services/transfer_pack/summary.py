"""The pack's human-readable summary.docx, marked OFFICIAL-SENSITIVE, from the same models."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH

from lom_bot.domain.dates import format_date
from lom_bot.services.transfer_pack import model as m
from lom_bot.services.transfer_pack.collect import Collected


def _words(value: str | None) -> str:
    return (value or "—").replace("_", " ")


def _when(value: object) -> str:
    return format_date(value) if value else "—"  # type: ignore[arg-type]


def build_summary(c: Collected, manifest_head: m.Manifest) -> bytes:
    """The summary as .docx bytes: identity, orders, records, withheld, in reading order."""
    doc = Document()
    section = doc.sections[0]
    for part in (section.header, section.footer):
        para = part.paragraphs[0]
        para.text = m.MARKING
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.runs[0].bold = True
    s = c.subject
    doc.add_heading(f"Transfer pack: {s.given_names} {s.family_name} ({s.ref})", level=0)
    doc.add_paragraph(
        f"From {manifest_head.sending_force} to {manifest_head.receiving_force}, made "
        f"{manifest_head.created_at:%d/%m/%Y %H:%M} UTC by {manifest_head.officer.name}. "
        f"Bundle {manifest_head.bundle_id}."
    )
    _identity(doc, s)
    _orders(doc, c.orders)
    _records(doc, c)
    return _save(doc)


def _identity(doc: DocumentObject, s: m.SubjectFile) -> None:
    doc.add_heading("Identity", level=1)
    rows = [
        ("Born", _when(s.born_on)),
        ("PNC ID", s.pnc_id or "—"),
        ("Niche / ViSOR", f"{s.niche_id or '—'} / {s.visor_ref or '—'}"),
        ("Prison number", s.prison_number or "—"),
        ("Address", s.address or "—"),
        ("Risk", _words(s.risk_level)),
        ("Custody", _words(s.custody_status)),
        ("Also known as", ", ".join(s.aliases) or "—"),
        ("Description", s.description or "—"),
    ]
    table = doc.add_table(rows=0, cols=2)
    for key, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = key, value
    for r in s.release_dates:
        doc.add_paragraph(
            f"{r.kind.upper()} {_when(r.on)}" + (" (actual)" if r.actual else ""), "List Bullet"
        )


def _orders(doc: DocumentObject, orders: m.OrdersFile) -> None:
    doc.add_heading("Orders", level=1)
    if not orders.orders:
        doc.add_paragraph("No orders recorded.")
    for o in orders.orders:
        doc.add_heading(f"{o.ref}: {_words(o.status)} (version {o.version})", level=2)
        doc.add_paragraph(
            f"Made {_when(o.made_on)} at {o.court or '—'}; in force {_when(o.activated_on)} "
            f"to {_when(o.expires_on)}. Issued by {o.issuing_force or '—'}."
        )
        doc.add_paragraph("Conditions (verbatim):")
        for cond in o.conditions:
            ended = "" if cond.active else " [no longer in force]"
            doc.add_paragraph(f"{cond.number}. {cond.wording}{ended}", "List Number")
        doc.add_paragraph("History:")
        for v in o.versions:
            note = f": {v.note}" if v.note else ""
            doc.add_paragraph(
                f"{_when(v.effective_on)} {_words(v.kind)}{note} ({v.recorded_by or 'lom-bot'})",
                "List Bullet",
            )
        for visit in o.education_visits:
            doc.add_paragraph(
                f"Education visit: {_when(visit.done_on) if visit.done_on else 'not done'}, "
                f"{visit.outcome or '—'}, conditions acknowledged: "
                f"{', '.join(map(str, visit.acknowledged or [])) or '—'}"
                + (f"; service: {visit.service_evidence}" if visit.service_evidence else "")
            )


def _records(doc: DocumentObject, c: Collected) -> None:
    doc.add_heading("Contacts", level=1)
    for ct in c.contacts.contacts:
        doc.add_paragraph(
            f"{_when(ct.occurred_on)} {_words(ct.kind)}: {_words(ct.outcome)}"
            + (f". {ct.notes}" if ct.notes else ""),
            "List Bullet",
        )
    doc.add_heading("Compliance checks", level=1)
    for ch in c.checks.checks:
        doc.add_paragraph(
            f"{_when(ch.done_on)} {_words(ch.kind)}: {_words(ch.result)}", "List Bullet"
        )
    doc.add_heading("Intelligence", level=1)
    for i in c.intelligence.shared:
        grade = f"{i.source_grade}{i.intel_grade}{i.handling}"
        extra = f" Handling conditions: {i.handling_conditions}" if i.handling_conditions else ""
        doc.add_paragraph(f"{i.ref} [{grade}] {i.text}{extra}", "List Bullet")
    for w in c.intelligence.withheld:
        doc.add_paragraph(f"{w.ref} WITHHELD: {w.reason}", "List Bullet")
    doc.add_heading("Breach reports and enforcement", level=1)
    for b in c.breaches.breaches:
        line = f"{b.ref} ({_when(b.received_at.date())}): {b.text}"
        if b.assessment:
            line += f" Assessed: {_words(b.assessment.outcome)}. {b.assessment.rationale}"
        for o in b.court_outcomes:
            facts = [o.offence, o.section, o.plea, o.disposal, o.penalty]
            if o.custody_months:
                facts.append(f"{o.custody_months} months")
            if o.fine_pounds:
                facts.append(f"fine £{o.fine_pounds:,}")
            said = ", ".join(_words(f) for f in facts if f)
            line += f" Court {o.kind} {_when(o.on)} at {o.court or '—'}" + (
                f": {said}." if said else "."
            )
        doc.add_paragraph(line, "List Bullet")
    for f in c.breaches.follow_ups:
        doc.add_paragraph(
            f"{_words(f.kind)} (due {_when(f.due_on)}, done {_when(f.done_on)})", "List Bullet"
        )
    doc.add_heading("Letters and documents", level=1)
    for d in c.documents.documents:
        doc.add_paragraph(f"{d.filename} ({_words(d.kind)})", "List Bullet")


def _save(doc: DocumentObject) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
