"""One order's whole life through signed Slack requests: commands, card buttons and modals."""

from __future__ import annotations

import base64
import io
import json
import re
from datetime import date

import docx
from sqlalchemy import select

from lom_bot.domain.enums import OrderStatus
from lom_bot.services import orders as o
from lom_bot.store.tables import AuditEntry, Order, Subject
from tests.e2e.harness import Result, SlackHarness, check_blocks, check_view

OFFICER, SUPERVISOR = "U0OFF1", "U0SUPER"


def _refused_subject(slack: SlackHarness) -> str:
    with slack.rt.uow() as uow:
        return (
            uow.session.scalars(
                select(Subject.ref)
                .join(Order, Order.subject_id == Subject.id)
                .where(Order.status == OrderStatus.REFUSED)
            ).first()
            or ""
        )


def _status(slack: SlackHarness, ref: str) -> OrderStatus:
    with slack.rt.uow() as uow:
        return uow.session.scalars(
            select(Order.status)
            .join(Subject, Order.subject_id == Subject.id)
            .where(Subject.ref == ref)
            .order_by(Order.id.desc())
        ).first()  # type: ignore[return-value]


def _buttons(result: Result) -> dict[str, dict[str, str]]:
    """The order card's step buttons, by the step each runs."""
    return {
        e["value"].split()[-1]: e
        for b in result.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["value"].startswith("order ")
    }


def _press(slack: SlackHarness, user: str, card: Result, step: str) -> Result:
    element = _buttons(card)[step]
    return slack.click(user, element["action_id"], element["value"])


def _answer(
    slack: SlackHarness, user: str, card: Result, step: str, answers: dict[str, str]
) -> Result:
    """Press a step's button: a form opens (never a one-click record); answer it."""
    (view,) = _press(slack, user, card, step).modals
    check_view(view)
    assert view["callback_id"] == f"lom_form:order_{step}"
    subject = card.blocks and _buttons(card)[step]["value"].split()[1]
    return slack.submit(
        user, view["callback_id"], {"subject": subject, **answers}, view["private_metadata"]
    )


def test_an_order_goes_from_proposal_to_closure_through_slack(slack: SlackHarness) -> None:
    ref = _refused_subject(slack)
    card = slack.command(OFFICER, f"order {ref}")
    check_blocks(card.blocks)
    assert "propose" in _buttons(card)

    done = _press(slack, OFFICER, card, "propose")
    assert "proposed" in done.text and _status(slack, ref) is OrderStatus.PROPOSED

    done = slack.command(
        OFFICER,
        f"order {ref} draft conditions=phone,bank,travel "
        'wording="3: Not to leave England without 7 days notice." '
        "Leading role in a fictional drugs network.",
    )
    check_blocks(done.blocks)
    assert "3 proposed condition(s)" in done.text
    assert "approve" not in _buttons(done)  # an officer is not offered the supervisor's step

    card = slack.command(SUPERVISOR, f"order {ref}")
    done = _answer(slack, SUPERVISOR, card, "approve", {"comments": "Well evidenced"})
    assert "approved by DS Sam Supervisor" in done.text
    done = _answer(
        slack, OFFICER, slack.command(OFFICER, f"order {ref}"), "submit", {"reference": "CPS-42"}
    )
    assert _status(slack, ref) is OrderStatus.SUBMITTED and "CPS reference CPS-42" in done.text

    opened = _press(slack, OFFICER, done, "grant")
    (view,) = opened.modals
    check_view(view)
    assert view["callback_id"] == "lom_form:order_grant"
    refused = slack.submit(
        OFFICER,
        view["callback_id"],
        {
            "subject": ref,
            "court": "Leeds Crown Court",
            "reference": "T20267001",
            "made": "20/11/2026",
            "term": "72",
        },
        view["private_metadata"],
    )
    assert "at most 5 years" in json.dumps(refused.json())
    accepted = slack.submit(
        OFFICER,
        view["callback_id"],
        {
            "subject": ref,
            "court": "Leeds Crown Court",
            "reference": "T20267001",
            "made": "20/11/2026",
            "term": "60",
        },
        view["private_metadata"],
    )
    assert accepted.status == 200 and not accepted.body
    assert "granted at Leeds Crown Court (court reference T20267001)" in accepted.text
    assert _status(slack, ref) is OrderStatus.GRANTED

    for system in ("PNC", "Niche", "ViSOR", "Corvus", "HMPPS"):
        done = slack.command(OFFICER, f"order {ref} systems {system} reference=R-{system}")
    assert "awaits activation" in done.text
    gate = slack.command(OFFICER, f"order {ref} activate today")
    assert "cannot go active before the education visit" in gate.text
    slack.command(
        OFFICER, f"order {ref} visit record date=today outcome=acknowledged acknowledged=all"
    )
    done = slack.command(OFFICER, f"order {ref} activate today")
    assert "active from 25/11/2026" in done.text

    done = slack.command(
        OFFICER,
        f'order {ref} vary section=s21 court="Leeds Crown Court" '
        'wording="1: Not to possess any phone not notified to the police."',
    )
    assert "version 2" in done.text
    before = slack.command(OFFICER, f"order {ref} history 24/11/2026")
    check_blocks(before.blocks)
    shown = json.dumps(before.blocks)
    assert "granted" in shown and "more than one mobile telephone" in shown  # granted 20/11
    after = json.dumps(slack.command(OFFICER, f"order {ref} history today").blocks)
    assert "Not to possess any phone not notified" in after and "version 2" in after
    history = slack.command(OFFICER, f"order {ref} history")
    check_blocks(history.blocks)
    shown = json.dumps(history.blocks)
    for kind in ("proposed", "approved", "granted", "activated", "varied s21"):
        assert kind in shown

    report = o.expire_due_orders(slack.rt.uow(), date(2031, 11, 25))  # the scheduled job
    assert _status(slack, ref) is OrderStatus.EXPIRED and report.expired
    refused = slack.command(OFFICER, f"order {ref} close All steps done")
    assert "closure checklist is not finished" in refused.text
    for n in range(1, 5):
        slack.command(OFFICER, f"order {ref} closure {n} reference=done")
    letter = slack.command(OFFICER, f"order {ref} expiry_letter")
    assert "confirmation of expiry" in letter.text
    uploads = [c for c in slack.flush() if c.method.startswith("files.")]
    assert uploads and not any(c.failed for c in uploads)
    still = slack.command(OFFICER, f"order {ref} close All steps done")  # issued when served
    assert "Written confirmation of expiry issued" in still.text
    letter_ref = re.search(r"LET-\d+", letter.text)
    assert letter_ref is not None
    served = slack.command(OFFICER, f"letter served {letter_ref.group(0)} recorded delivery")
    assert "served recorded delivery" in served.text
    done = slack.command(OFFICER, f"order {ref} close All steps done")
    assert "closed" in done.text and _status(slack, ref) is OrderStatus.CLOSED

    with slack.rt.uow() as uow:
        whats = set(
            uow.session.scalars(select(AuditEntry.what).where(AuditEntry.subject_ref == ref))
        )
    assert {"order.proposed", "order.granted", "order.closed", "letter.generated"} <= whats


def test_the_order_command_explains_bad_input(slack: SlackHarness) -> None:
    ref = _refused_subject(slack)
    assert "No subject matches" in slack.command(OFFICER, "order LOM-9999").text
    assert "quote is not closed" in slack.command(OFFICER, f'order {ref} propose "open').text
    refused = slack.command(OFFICER, f"order {ref} approve Well evidenced")
    assert "cannot become supervisor approved" in refused.text or "may not" in refused.text
    assert "may not" in slack.command("U0LEEDS", f"order {ref}", channel="C0LEEDS").text


def test_the_uploaded_letter_is_a_word_document(slack: SlackHarness) -> None:
    with slack.rt.uow() as uow:
        ref = uow.session.scalars(
            select(Subject.ref)
            .join(Order, Order.subject_id == Subject.id)
            .where(Order.status == OrderStatus.ACTIVE)
        ).first()
    result = slack.command(
        OFFICER,
        f"order {ref} letter conditions=1 response=+7d "
        "kind=final_warning_letter Failed to produce bank statements.",
    )
    assert "written" in result.text
    calls = slack.flush()
    uploaded = [c for c in calls if c.method.startswith("files.")]
    assert uploaded, [c.method for c in calls]
    with slack.rt.uow() as uow:
        from lom_bot.store.tables import Document

        stored = uow.session.scalars(select(Document)).one()
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(stored.content)).paragraphs)
    assert "Failed to produce bank statements." in body and "02/12/2026" in body
    assert base64.b64encode(stored.content)
