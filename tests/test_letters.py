"""Letters as Word documents: opened with python-docx and read back."""

from __future__ import annotations

import base64
import io
from datetime import UTC, date, datetime

import docx
import pytest
from sqlalchemy import select

from lom_bot.domain.enums import BreachStatus, ChecklistKind, FollowUpKind, OrderStatus
from lom_bot.domain.errors import AlreadyDone, IllegalTransition, InvalidInput, NotAuthorised
from lom_bot.runtime import Runtime
from lom_bot.services import orders as o
from lom_bot.services.letter_service import ServeLetter, letter_ref, serve_letter
from lom_bot.services.letters import GenerateLetter, generate_letter
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import (
    AuditEntry,
    BreachReport,
    Condition,
    Document,
    FollowUp,
    OutboxMessage,
    Subject,
)
from tests.conftest import TODAY
from tests.test_order_support import new_subject, walk_to

PHONE = "Not to use or possess more than one mobile telephone"


def read(content: bytes) -> tuple[str, list[str], list[str]]:
    """The body text, header and footer texts of a .docx."""
    document = docx.Document(io.BytesIO(content))
    body = "\n".join(p.text for p in document.paragraphs)
    section = document.sections[0]
    return (
        body,
        [p.text for p in section.header.paragraphs],
        [p.text for p in section.footer.paragraphs],
    )


@pytest.fixture
def active(runtime: Runtime, officer: Actor, supervisor: Actor) -> str:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, OrderStatus.ACTIVE)
    return ref


def follow_up(rt: Runtime, kind: FollowUpKind, *, due: date | None = date(2026, 12, 2)) -> int:
    """A breach report about condition 1 and the letter follow-up its assessment produced."""
    with rt.uow() as uow:
        subject = uow.session.scalars(select(Subject)).one()
        condition = uow.session.scalars(select(Condition).where(Condition.number == 1)).one()
        breach = BreachReport(
            ref="BR-0001",
            subject_id=subject.id,
            status=BreachStatus.ASSESSED,
            source="command",
            reporter_slack_id="U0LEEDS",
            text="Seen using a second phone outside Leeds station.",
            condition_id=condition.id,
            seen_at="23/11/2026 22:10",
            seen_where="Leeds",
            received_at=datetime(2026, 11, 24, 10, tzinfo=UTC),
        )
        uow.session.add(breach)
        uow.session.flush()
        item = FollowUp(
            breach_id=breach.id,
            subject_id=subject.id,
            kind=kind,
            due_on=due,
            note="Internal: for officers only.",
        )
        uow.session.add(item)
        uow.session.commit()
        return item.id


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        (FollowUpKind.WARNING_LETTER, "warning letter"),
        (FollowUpKind.FINAL_WARNING_LETTER, "FINAL warning letter"),
    ],
)
def test_a_warning_letter_quotes_the_condition_verbatim_with_the_failure_and_response_date(
    runtime: Runtime, officer: Actor, active: str, kind: FollowUpKind, title: str
) -> None:
    letter = generate_letter(
        runtime.uow(), officer, GenerateLetter(kind="", follow_up_id=follow_up(runtime, kind))
    )
    body, header, footer = read(letter.content)
    with runtime.uow() as uow:
        wording = uow.session.scalars(select(Condition.wording).where(Condition.number == 1)).one()
    assert wording.startswith(PHONE) and wording in body
    # the failure from the assessment's own fields, never the reporter's words
    assert "Seen using a second phone" not in body
    assert "On or about 23/11/2026 22:10 at Leeds, you failed to comply with condition 1" in body
    assert "Our reference: LOM-0001 / SCPO-0001 / BR-" in body
    assert "(warning letter 1 on this order)" in body
    assert "DC Olu Officer (collar number 5531)" in body and "Contact: 01234 567 891" in body
    assert "for officers" not in body  # the follow-up's own note is not the subject's business
    assert "by 02/12/2026" in body and "DC Olu Officer" in body and "Darren Fictional" in body
    assert title in body and ("This is a FINAL warning" in body) == (
        kind is FollowUpKind.FINAL_WARNING_LETTER
    )
    assert header == ["OFFICIAL-SENSITIVE"] and footer == ["OFFICIAL-SENSITIVE"]


def test_a_letter_is_kept_uploaded_to_the_officer_and_audited(
    runtime: Runtime, officer: Actor, active: str
) -> None:
    letter = generate_letter(
        runtime.uow(),
        officer,
        GenerateLetter(
            "warning_letter",
            subject=active,
            conditions=(1, 3),
            failure="Did not notify a new phone.",
            response_on=date(2026, 12, 9),
        ),
    )
    with runtime.uow() as uow:
        stored = uow.session.scalars(select(Document)).one()
        sent = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.method == "upload")
        ).one()
        audit = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.what == "letter.generated")
        ).one()
    assert stored.content == letter.content and stored.kind == "warning_letter"
    assert sent.channel == officer.slack_id
    assert base64.b64decode(sent.payload["content"]) == letter.content
    assert sent.payload["filename"].endswith(".docx") and sent.payload["title"]
    assert audit.actor == officer.slack_id and (audit.detail or {})["conditions"] == [1, 3]
    body, _, _ = read(letter.content)
    assert "Condition 3: Not to leave the United Kingdom without 14 days' notice." in body
    assert "by 09/12/2026" in body


def test_the_default_response_date_is_seven_days_on(
    runtime: Runtime, officer: Actor, active: str
) -> None:
    item = follow_up(runtime, FollowUpKind.WARNING_LETTER, due=None)
    letter = generate_letter(runtime.uow(), officer, GenerateLetter("", follow_up_id=item))
    assert "by 02/12/2026" in read(letter.content)[0]


def test_bad_letter_requests_are_refused(
    runtime: Runtime, officer: Actor, leeds_officer: Actor, active: str
) -> None:
    with pytest.raises(NotAuthorised):
        generate_letter(
            runtime.uow(),
            leeds_officer,
            GenerateLetter("warning_letter", active, conditions=(1,), failure="x"),
        )
    with pytest.raises(InvalidInput, match="no condition 7"):
        generate_letter(
            runtime.uow(),
            officer,
            GenerateLetter("warning_letter", active, conditions=(7,), failure="x"),
        )
    with pytest.raises(InvalidInput, match="Which condition"):
        generate_letter(
            runtime.uow(), officer, GenerateLetter("warning_letter", active, failure="x")
        )
    with pytest.raises(InvalidInput, match="what the failure was"):
        generate_letter(
            runtime.uow(), officer, GenerateLetter("warning_letter", active, conditions=(1,))
        )
    with pytest.raises(InvalidInput, match="no letter 'poem'"):
        generate_letter(runtime.uow(), officer, GenerateLetter("poem", active))
    with pytest.raises(IllegalTransition, match="has not expired"):
        generate_letter(runtime.uow(), officer, GenerateLetter("expiry_confirmation", active))
    with runtime.uow() as uow:
        assert uow.session.scalars(select(Document)).all() == []


def test_confirmation_of_expiry_ticks_its_closure_step_when_served_not_when_written(
    runtime: Runtime, officer: Actor, active: str
) -> None:
    o.expire_due_orders(runtime.uow(), date(2031, 11, 20))
    letter = generate_letter(runtime.uow(), officer, GenerateLetter("expiry_confirmation", active))
    body, header, _ = read(letter.content)
    assert "expired at the end of 19/11/2031" in body and header == ["OFFICIAL-SENSITIVE"]

    def step() -> str | None:
        view = o.view_order(runtime.uow(), officer, active)
        steps = dict(dict(view.checklists)[ChecklistKind.CLOSURE.value][i][:2] for i in range(5))
        return steps["Written confirmation of expiry issued"]

    assert step() is None
    said = serve_letter(
        runtime.uow(), officer, ServeLetter(letter_ref(letter.document_id), "in person", TODAY)
    )
    assert "served in person on 25/11/2026" in said and step() == "25/11/2026"
    with pytest.raises(AlreadyDone):
        serve_letter(
            runtime.uow(),
            officer,
            ServeLetter(letter_ref(letter.document_id), "recorded delivery", TODAY),
        )


def test_a_letter_written_days_later_still_gives_seven_days_and_is_numbered(
    runtime: Runtime, officer: Actor, active: str
) -> None:
    item = follow_up(runtime, FollowUpKind.WARNING_LETTER, due=date(2026, 11, 26))
    first = generate_letter(runtime.uow(), officer, GenerateLetter("", follow_up_id=item))
    assert "by 02/12/2026" in read(first.content)[0]  # not the assessment's 26/11
    final = GenerateLetter("final_warning_letter", active, conditions=(1,), failure="x.")
    second = generate_letter(runtime.uow(), officer, final)
    assert "(warning letter 2 on this order)" in read(second.content)[0]


def test_bad_service_records_are_refused_and_nothing_is_written(
    runtime: Runtime, officer: Actor, active: str
) -> None:
    item = follow_up(runtime, FollowUpKind.WARNING_LETTER)
    letter = generate_letter(runtime.uow(), officer, GenerateLetter("", follow_up_id=item))
    ref = letter_ref(letter.document_id)
    for cmd, error in (
        (ServeLetter("LET-99999", "in person", TODAY), Exception),
        (ServeLetter(ref, "pigeon", TODAY), InvalidInput),
        (ServeLetter(ref, "in person", date(2026, 12, 25)), InvalidInput),
        (ServeLetter(ref, "in person", date(2026, 11, 1)), InvalidInput),
    ):
        with pytest.raises(error):
            serve_letter(runtime.uow(), officer, cmd)
    with runtime.uow() as uow:
        assert uow.session.get_one(Document, letter.document_id).served_on is None
