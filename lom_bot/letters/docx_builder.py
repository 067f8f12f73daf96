"""Build the letters as Word documents, marked OFFICIAL-SENSITIVE in header and footer."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from lom_bot.domain.dates import format_date
from lom_bot.domain.order_dates import ceases_on, expired_at
from lom_bot.domain.text import clean_text

MARKING = "OFFICIAL-SENSITIVE"
TITLES = {
    "warning_letter": "Serious Crime Prevention Order: warning letter",
    "final_warning_letter": "Serious Crime Prevention Order: FINAL warning letter",
    "expiry_confirmation": "Serious Crime Prevention Order: confirmation of expiry",
}


@dataclass(frozen=True)
class LetterFacts:
    """Everything a letter says, taken from the stored record."""

    kind: str  # a key of TITLES
    force: str
    dated: date
    subject_name: str
    subject_ref: str
    address: str | None
    order_ref: str
    court: str | None
    made_on: date | None
    expires_on: date | None
    conditions: tuple[tuple[int, str], ...]  # (number, verbatim wording)
    failure: str | None
    response_on: date | None
    officer: str
    salutation: str = ""  # "Mr Dummy"; the full name when no title is recorded
    number: int | None = None  # this letter's place among the warning letters on this order
    breach_ref: str | None = None
    collar_number: str | None = None
    contact: str | None = None


def build_letter(facts: LetterFacts) -> bytes:
    """The letter as .docx bytes."""
    facts = _printable(facts)
    doc = Document()
    section = doc.sections[0]
    for part in (section.header, section.footer):
        para = part.paragraphs[0]
        para.text = MARKING
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.runs[0].bold = True
    doc.add_paragraph(facts.force).runs[0].bold = True
    doc.add_paragraph(f"Date: {format_date(facts.dated)}")
    refs = " / ".join(x for x in (facts.subject_ref, facts.order_ref, facts.breach_ref) if x)
    doc.add_paragraph(f"Our reference: {refs}")
    doc.add_paragraph("\n".join([facts.subject_name, *(facts.address or "").splitlines()]))
    numbered = f" (warning letter {facts.number} on this order)" if facts.number else ""
    doc.add_heading(TITLES[facts.kind] + numbered, level=1)
    made = (
        f"made at {facts.court} on {format_date(facts.made_on)}"
        if facts.court
        else "made against you"
    )
    doc.add_paragraph(f"Dear {facts.salutation or facts.subject_name},")
    if facts.kind == "expiry_confirmation":
        doc.add_paragraph(
            f"This letter confirms that the Serious Crime Prevention Order {facts.order_ref}, "
            f"{made}, {expired_at(facts.expires_on)}. Its requirements no longer apply to "
            + (
                f"you from {format_date(ceases_on(facts.expires_on))}."
                if facts.expires_on
                else "you."
            )
        )
    else:
        _warning(doc, facts, made)
    doc.add_paragraph("Yours sincerely,")
    collar = f" (collar number {facts.collar_number})" if facts.collar_number else ""
    signed = [facts.officer + collar]
    signed.append(f"Lifetime Offender Management, {facts.force}")
    if facts.contact:
        signed.append(f"Contact: {facts.contact}")
    doc.add_paragraph("\n".join(signed))
    for para in doc.paragraphs:
        for run in para.runs:
            run.font.size = run.font.size or Pt(11)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _warning(doc: DocumentObject, facts: LetterFacts, made: str) -> None:
    final = facts.kind == "final_warning_letter"
    doc.add_paragraph(
        f"You are subject to the Serious Crime Prevention Order {facts.order_ref}, {made}. "
        "It includes the following requirement(s), quoted exactly as the court made them:"
    )
    for number, wording in facts.conditions:
        para = doc.add_paragraph(style="Intense Quote")
        para.add_run(f"Condition {number}: ").bold = True
        para.add_run(wording)
    doc.add_paragraph("We are satisfied that you failed to comply with it, as follows:")
    doc.add_paragraph(facts.failure or "")
    doc.add_paragraph(
        "Failing without reasonable excuse to comply with a Serious Crime Prevention Order is "
        "an offence under section 25 of the Serious Crime Act 2007, punishable by up to five "
        "years' imprisonment, a fine, or both."
    )
    doc.add_paragraph(
        f"You must respond to this letter, in writing or by contacting the officer below, by "
        f"{format_date(facts.response_on)}, with any explanation or reasonable excuse you have."
    )
    if final:
        doc.add_paragraph(
            "This is a FINAL warning. A further failure is likely to lead to your arrest and a "
            "file being passed to the Crown Prosecution Service."
        ).runs[0].bold = True


def _printable(facts: LetterFacts) -> LetterFacts:
    """Stored text as Word can hold it: control characters (a vertical tab, an escape, a NUL
    kept from before text was cleaned at the edge) removed, the rest as recorded."""
    texts: dict[str, Any] = {
        name: clean_text(value) for name, value in vars(facts).items() if isinstance(value, str)
    }
    texts["conditions"] = tuple((n, clean_text(wording)) for n, wording in facts.conditions)
    return replace(facts, **texts)
