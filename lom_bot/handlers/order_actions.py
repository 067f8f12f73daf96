"""The order's steps as forms: each fills from `/lom order <subject> <step> ...` or its modal,
and a card button re-runs that command, so text, buttons and modals share one path."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from lom_bot.blocks.order import order_blocks
from lom_bot.domain.dates import DATE_EXAMPLE, parse_date
from lom_bot.domain.enums import ChecklistKind, Commencement, OrderRoute, ReleaseDateKind
from lom_bot.domain.errors import InvalidInput
from lom_bot.domain.templates import BY_KEY
from lom_bot.handlers.forms import Form, FormField, Values, form
from lom_bot.handlers.registry import CommandContext, Reply
from lom_bot.services import orders as o
from lom_bot.services.letters import GenerateLetter, generate_letter
from lom_bot.services.orders.closure import CLOSURE
from lom_bot.services.orders.transfers import PACK
from lom_bot.store.uow import UnitOfWork

Runner = Callable[[UnitOfWork, CommandContext, Values, date], str]
TEMPLATE_HINT = "Template keys, comma-separated: " + ", ".join(BY_KEY)
WORDING_HINT = "One per line, 'number: new wording' (or 'number: remove' on a variation)."
YES_NO = (("no", "No"), ("yes", "Yes"))
SUBJECT = FormField("subject", "Subject", placeholder="LOM-0042")


def _date(values: Values, name: str, today: date, *, default: str | None = None) -> date:
    text = (values.get(name) or default or "").strip()
    if not text:
        raise InvalidInput(f"The {name} date is missing.", field=name, example=DATE_EXAMPLE)
    return parse_date(text, today, field=name)


def _opt_date(values: Values, name: str, today: date) -> date | None:
    return _date(values, name, today) if (values.get(name) or "").strip() else None


def _int(values: Values, name: str) -> int:
    text = (values.get(name) or "").strip().lower().removesuffix("m").removesuffix(" months")
    if not text.isdigit():
        raise InvalidInput(f"The {name} must be a whole number.", field=name, example="60")
    return int(text)


def _numbers(values: Values, name: str) -> tuple[int, ...]:
    words = [w for w in re.split(r"[,\s]+", values.get(name) or "") if w]
    if not all(w.isdigit() for w in words):
        raise InvalidInput(f"The {name} are condition numbers.", field=name, example="1,3")
    return tuple(int(w) for w in words)


def _templates(values: Values, name: str = "conditions") -> tuple[o.ConditionDraft, ...]:
    keys = [w for w in re.split(r"[,\s]+", values.get(name) or "") if w]
    return tuple(o.ConditionDraft(k) for k in keys)


def _wording(values: Values, name: str = "wording") -> dict[int, str | None]:
    out: dict[int, str | None] = {}
    for line in (values.get(name) or "").splitlines():
        if not line.strip():
            continue
        number, sep, text = line.partition(":")
        if not sep or not number.strip().isdigit():
            raise InvalidInput(
                f"Each line is 'number: wording', not '{line[:40]}'.",
                field=name,
                example="2: Not to possess more than one phone.",
            )
        wording = text.strip()
        out[int(number)] = None if wording.lower() == "remove" else wording
    return out


def _drafts(values: Values) -> tuple[o.ConditionDraft, ...]:
    """Templates, with any edited wording by position ('2: ...' edits the second)."""
    drafts = list(_templates(values))
    for number, wording in _wording(values).items():
        if not 1 <= number <= len(drafts):
            raise InvalidInput(f"There is no condition {number} in the draft.", field="wording")
        drafts[number - 1] = o.ConditionDraft(drafts[number - 1].template, wording)
    return tuple(drafts)


def _choice(values: Values, name: str, allowed: dict[str, str], default: str) -> str:
    text = (values.get(name) or default).strip().lower().replace(" ", "_")
    if text not in allowed:
        raise InvalidInput(
            f"The {name} is one of: {', '.join(allowed)}.", field=name, example=next(iter(allowed))
        )
    return text


def _opt(values: Values, name: str) -> str | None:
    return (values.get(name) or "").strip() or None


# Each runner: (uow, ctx, values, today) -> the service's message.
def _propose(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    replace = _choice(v, "replacement", dict(YES_NO), "no") == "yes"
    return o.propose(u, c.actor, o.ProposeOrder(v["subject"], _opt(v, "grounds"), replace)).message


def _draft(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    cmd = o.DraftApplication(v["subject"], v.get("grounds") or "", _drafts(v))
    return o.draft(u, c.actor, cmd).message


def _grant(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    commencement = Commencement(
        _choice(v, "commencement", {e.value: e for e in Commencement}, "on_release")
    )
    route = OrderRoute(_choice(v, "route", {e.value: e for e in OrderRoute}, "crown_court_s19"))
    wording = {n: w for n, w in _wording(v).items() if w}
    cmd = o.GrantOrder(
        v["subject"],
        v.get("court") or "",
        _date(v, "made", t),
        _int(v, "term"),
        route,
        commencement,
        _opt_date(v, "starts", t),
        wording,
    )
    return o.grant(u, c.actor, cmd).message


def _checklist(kind: ChecklistKind) -> Runner:
    def run(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
        cmd = o.CompleteStep(
            v["subject"], kind, v.get("step") or "", _opt(v, "reference"), _opt_date(v, "date", t)
        )
        return o.complete_step(u, c.actor, cmd).message

    return run


def _visit(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    refused = _choice(v, "outcome", {"acknowledged": "", "refused": ""}, "acknowledged")
    cmd = o.RecordVisit(
        v["subject"],
        _date(v, "date", t, default="today"),
        refused == "refused",
        _numbers(v, "acknowledged") or None,
        _opt(v, "service"),
        _opt(v, "notes"),
    )
    return o.record_visit(u, c.actor, cmd).message


def _release(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    kind = ReleaseDateKind(_choice(v, "kind", {e.value: e for e in ReleaseDateKind}, "confirmed"))
    return o.change_release_date(
        u, c.actor, o.ChangeReleaseDate(v["subject"], kind, _date(v, "date", t))
    ).message


def _vary(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    cmd = o.Vary(
        v["subject"],
        v.get("section") or "",
        v.get("court") or "",
        _date(v, "made", t, default="today"),
        _wording(v),
        _templates(v, "add"),
        _opt_date(v, "expires", t),
    )
    return o.vary(u, c.actor, cmd).message


def _letter(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    follow = _opt(v, "followup")
    cmd = GenerateLetter(
        v.get("kind") or "warning_letter",
        v["subject"],
        int(follow) if follow and follow.isdigit() else None,
        _numbers(v, "conditions"),
        _opt(v, "failure"),
        _opt_date(v, "response", t),
    )
    letter = generate_letter(u, c.actor, cmd)
    return f"{letter.title} written; it is on its way to you as a Word document."


def _transfer_in(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    cmd = o.TransferIn(
        v["subject"],
        v.get("force") or "",
        _date(v, "requested", t, default="today"),
        _opt(v, "court"),
        _opt_date(v, "made", t),
        _opt_date(v, "activated", t),
        _opt_date(v, "expires", t),
        _templates(v),
    )
    return o.transfer_in(u, c.actor, cmd).message


RUNNERS: dict[str, Runner] = {
    "propose": _propose,
    "draft": _draft,
    "approve": lambda u, c, v, t: (
        o.approve(u, c.actor, o.Review(v["subject"], _opt(v, "comments"))).message
    ),
    "return": lambda u, c, v, t: (
        o.return_application(u, c.actor, o.Review(v["subject"], _opt(v, "comments"))).message
    ),
    "submit": lambda u, c, v, t: (
        o.submit(u, c.actor, o.Submit(v["subject"], _opt(v, "note"))).message
    ),
    "grant": _grant,
    "refuse": lambda u, c, v, t: (
        o.refuse(u, c.actor, o.RefuseOrder(v["subject"], v.get("reason") or "")).message
    ),
    "systems": _checklist(ChecklistKind.SYSTEMS),
    "visit_book": lambda u, c, v, t: (
        o.book_visit(u, c.actor, o.BookVisit(v["subject"], _date(v, "date", t))).message
    ),
    "visit": _visit,
    "activate": lambda u, c, v, t: (
        o.activate(u, c.actor, o.Activate(v["subject"], _date(v, "released", t))).message
    ),
    "override": lambda u, c, v, t: (
        o.activate(
            u, c.actor, o.Activate(v["subject"], _date(v, "released", t), v.get("reason") or "")
        ).message
    ),
    "release": _release,
    "vary": _vary,
    "extend": lambda u, c, v, t: (
        o.extend(
            u,
            c.actor,
            o.Extend(
                v["subject"],
                v.get("court") or "",
                _date(v, "made", t, default="today"),
                _date(v, "expires", t),
                v.get("charge") or "",
            ),
        ).message
    ),
    "pending": lambda u, c, v, t: (
        o.note_pending(
            u,
            c.actor,
            o.NotePending(
                v["subject"],
                None if (v.get("kind") or "") in ("", "none") else v["kind"],
                _opt(v, "note"),
            ),
        ).message
    ),
    "discharge": lambda u, c, v, t: (
        o.discharge(
            u,
            c.actor,
            o.Discharge(
                v["subject"],
                v.get("court") or "",
                _date(v, "made", t, default="today"),
                _opt(v, "reason"),
            ),
        ).message
    ),
    "transfer_in": _transfer_in,
    "pack_in": _checklist(ChecklistKind.TRANSFER_IN),
    "transfer_out": lambda u, c, v, t: (
        o.transfer_out(
            u, c.actor, o.TransferOut(v["subject"], v.get("force") or "", _opt(v, "destination"))
        ).message
    ),
    "pack_out": _checklist(ChecklistKind.TRANSFER_OUT),
    "accept": lambda u, c, v, t: (
        o.accept_transfer(
            u, c.actor, o.AcceptTransfer(v["subject"], _date(v, "date", t, default="today"))
        ).message
    ),
    "closure": _checklist(ChecklistKind.CLOSURE),
    "close": lambda u, c, v, t: (
        o.close_order(u, c.actor, o.CloseOrder(v["subject"], _opt(v, "note"))).message
    ),
    "letter": _letter,
    "expiry_letter": lambda u, c, v, t: _letter(u, c, {**v, "kind": "expiry_confirmation"}, t),
}


def run_step(step: str) -> Callable[[CommandContext, Values], Reply]:
    """The form's run: the service's message, then the order card with the next steps."""

    def run(ctx: CommandContext, values: Values) -> Reply:
        today = ctx.rt.clock.today()
        message = RUNNERS[step](ctx.rt.uow(), ctx, values, today)
        view = o.view_order(ctx.rt.uow(), ctx.actor, values["subject"])
        return Reply(f":white_check_mark: {message}", blocks=_with_message(message, view))

    return run


def _with_message(message: str, view: o.OrderView) -> list[dict[str, object]]:
    from lom_bot.blocks.common import section

    return [section(f":white_check_mark: {message}"), *order_blocks(view)][:50]


def _opts(*pairs: str) -> tuple[tuple[str, str], ...]:
    return tuple((p, p.replace("_", " ")) for p in pairs)


D = DATE_EXAMPLE
F = FormField
FIELDS: dict[str, tuple[str, tuple[FormField, ...]]] = {
    "propose": (
        "Propose an order",
        (
            F("grounds", "Grounds", "multiline", optional=True),
            F("replacement", "Replaces the live order?", "select", YES_NO, optional=True),
        ),
    ),
    "draft": (
        "Draft application",
        (
            F("grounds", "Grounds", "multiline"),
            F(
                "conditions",
                "Proposed conditions",
                hint=TEMPLATE_HINT,
                placeholder="phone,bank,travel",
            ),
            F("wording", "Edited wording", "multiline", optional=True, hint=WORDING_HINT),
        ),
    ),
    "approve": ("Approve application", (F("comments", "Comments", "multiline", optional=True),)),
    "return": ("Return application", (F("comments", "Comments for the officer", "multiline"),)),
    "submit": ("Submitted to CPS", (F("note", "Note", optional=True),)),
    "grant": (
        "Order granted",
        (
            F("court", "Court", placeholder="Leeds Crown Court"),
            F("made", "Date made", hint=D),
            F("term", "Term in months (at most 60)", placeholder="60"),
            F("commencement", "Starts", "select", _opts("on_release", "fixed_date"), optional=True),
            F("starts", "Fixed start date", optional=True, hint=D),
            F("route", "Route", "select", _opts("crown_court_s19", "high_court_s1"), optional=True),
            F("wording", "Final wording changes", "multiline", optional=True, hint=WORDING_HINT),
        ),
    ),
    "refuse": ("Application refused", (F("reason", "Reason", "multiline"),)),
    "systems": (
        "Recorded on a system",
        (
            F("step", "System", "select", _opts("PNC", "Niche", "ViSOR", "Corvus", "HMPPS")),
            F("reference", "Reference number"),
            F("date", "Date done", optional=True, hint=D),
        ),
    ),
    "visit_book": ("Book education visit", (F("date", "Visit date", hint=D),)),
    "visit": (
        "Education visit",
        (
            F("date", "Date of the visit", optional=True, hint=D),
            F("outcome", "Outcome", "select", _opts("acknowledged", "refused"), optional=True),
            F(
                "acknowledged",
                "Conditions acknowledged",
                optional=True,
                hint="Numbers; blank means all of them",
            ),
            F(
                "service",
                "If refused: served how",
                "select",
                _opts("in_person", "recorded_delivery"),
                optional=True,
            ),
            F("notes", "Notes", "multiline", optional=True),
        ),
    ),
    "activate": ("Activate on release", (F("released", "Actual release date", hint=D),)),
    "override": (
        "Override the gate",
        (
            F("released", "Actual release date", hint=D),
            F("reason", "Reason for overriding", "multiline"),
        ),
    ),
    "release": (
        "Release date changed",
        (
            F("kind", "Kind of date", "select", _opts(*[k.value for k in ReleaseDateKind])),
            F("date", "New date", hint=D),
        ),
    ),
    "vary": (
        "Order varied",
        (
            F("section", "Section", "select", _opts("s17", "s20", "s21")),
            F("court", "Court"),
            F("made", "Date of variation", optional=True, hint=D),
            F("wording", "Reworded conditions", "multiline", optional=True, hint=WORDING_HINT),
            F("add", "Added conditions", optional=True, hint=TEMPLATE_HINT),
            F("expires", "New end date", optional=True, hint=D),
        ),
    ),
    "extend": (
        "Extended (s.22E)",
        (
            F("court", "Court"),
            F("made", "Date of extension", optional=True, hint=D),
            F("expires", "New end date", hint=D),
            F("charge", "Charge pending"),
        ),
    ),
    "pending": (
        "Court event pending",
        (
            F("kind", "Pending", "select", _opts("variation", "extension", "none")),
            F("note", "Note", optional=True),
        ),
    ),
    "discharge": (
        "Discharged (s.18)",
        (
            F("court", "Court", placeholder="High Court (KBD)"),
            F("made", "Date", optional=True, hint=D),
            F("reason", "Reason", optional=True),
        ),
    ),
    "transfer_in": (
        "Transfer in",
        (
            F("force", "From which force"),
            F("requested", "Pack requested on", optional=True, hint=D),
            F("court", "Court (if no order here)", optional=True),
            F("made", "Date made", optional=True, hint=D),
            F("activated", "Active from", optional=True, hint=D),
            F("expires", "Ends", optional=True, hint=D),
            F("conditions", "Conditions", optional=True, hint=TEMPLATE_HINT),
        ),
    ),
    "pack_in": (
        "Pack item received",
        (
            F("step", "Item", "select", _opts(*PACK)),
            F("date", "Received on", optional=True, hint=D),
        ),
    ),
    "transfer_out": (
        "Transfer out",
        (
            F("force", "To which force"),
            F(
                "destination",
                "Jurisdiction",
                "select",
                _opts("england_wales", "scotland", "northern_ireland"),
                optional=True,
            ),
        ),
    ),
    "pack_out": (
        "Pack item sent",
        (F("step", "Item", "select", _opts(*PACK)), F("date", "Sent on", optional=True, hint=D)),
    ),
    "accept": ("Transfer accepted", (F("date", "Accepted on", optional=True, hint=D),)),
    "closure": (
        "Closure step",
        (
            F("step", "Step", "select", _opts(*CLOSURE)),
            F("reference", "Reference", optional=True),
            F("date", "Done on", optional=True, hint=D),
        ),
    ),
    "close": ("Close the order", (F("note", "Note", optional=True),)),
    "letter": (
        "Warning letter",
        (
            F(
                "kind",
                "Letter",
                "select",
                _opts("warning_letter", "final_warning_letter"),
                optional=True,
            ),
            F("conditions", "Condition numbers", optional=True, placeholder="1,3"),
            F("failure", "The failure", "multiline", optional=True),
            F("response", "Respond by", optional=True, hint=D),
            F(
                "followup",
                "Follow-up number",
                optional=True,
                hint="From a breach assessment: its facts fill the letter",
            ),
        ),
    ),
    "expiry_letter": ("Confirm expiry", ()),
}
ERROR_FIELDS = {
    "made_on": "made",
    "term_months": "term",
    "starts_on": "starts",
    "expires_on": "expires",
    "booked_for": "date",
    "released_on": "released",
    "acknowledged": "acknowledged",
    "reason": "reason",
    "charge": "charge",
}

STEP_FORMS: dict[str, Form] = {
    step: form(
        Form(
            name=f"order_{step}",
            title=title,
            submit="Save",
            fields=(SUBJECT, *fields),
            run=run_step(step),
            error_fields=ERROR_FIELDS,
        )
    )
    for step, (title, fields) in FIELDS.items()
}
