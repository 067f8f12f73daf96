"""The step forms: fields and modal titles; each form's run calls the step's runner."""

from __future__ import annotations

from collections.abc import Callable

from lom_bot.blocks.common import section
from lom_bot.blocks.order import order_section_blocks
from lom_bot.domain.dates import DATE_EXAMPLE
from lom_bot.domain.enums import ReleaseDateKind
from lom_bot.domain.errors import InvalidInput
from lom_bot.domain.forces import FORCES
from lom_bot.domain.templates import BY_KEY
from lom_bot.handlers.forms import Form, FormField, Values, form
from lom_bot.handlers.order_actions.runners import RUNNERS, YES_NO
from lom_bot.handlers.registry import CommandContext, Reply
from lom_bot.services import orders as o
from lom_bot.services.orders.closure import CLOSURE
from lom_bot.services.orders.transfers import PACK

TEMPLATE_HINT = "Template keys, comma-separated: " + ", ".join(BY_KEY)
WORDING_HINT = "One per line, 'number: new wording' (or 'number: remove' on a variation)."
VERBATIM_HINT = (
    "One per line, 'number: the court's words', exactly as the certified copy says; "
    "condition types (above) only classify them."
)
FORCE_OPTIONS = tuple((f.key, f.name) for f in FORCES)
SUBJECT = FormField("subject", "Subject", placeholder="LOM-0042")


def run_step(step: str) -> Callable[[CommandContext, Values], Reply]:
    """The form's run: the service's message, then the order card with the next steps."""

    def run(ctx: CommandContext, values: Values) -> Reply:
        # Slack lets an answer of spaces through a required input: it is no answer.
        for name in STEP_FORMS[step].missing(values):
            label = next(f.label for f in STEP_FORMS[step].fields if f.name == name)
            raise InvalidInput(f"The {label.lower()} cannot be empty.", field=name)
        today = ctx.rt.clock.today()
        message = RUNNERS[step](ctx.rt.uow(), ctx, values, today)
        view = o.view_order(ctx.rt.uow(), ctx.actor, values["subject"])
        return Reply(f":white_check_mark: {message}", blocks=_with_message(message, view))

    return run


def _with_message(message: str, view: o.OrderView) -> list[dict[str, object]]:
    return [section(f":white_check_mark: {message}"), *order_section_blocks(view)][:50]


def _opts(*pairs: str) -> tuple[tuple[str, str], ...]:
    return tuple((p, p.replace("_", " ")) for p in pairs)


D = DATE_EXAMPLE
# Steps a court may later ask about take their references and a comment, never one click.
WHY_HINT = "Kept in the order's history: a court or a review may ask about it."
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
    "approve": (
        "Approve application",
        (F("comments", "Comment for the record", "multiline", hint=WHY_HINT),),
    ),
    "return": ("Return application", (F("comments", "Comments for the officer", "multiline"),)),
    "submit": (
        "Submitted to CPS",
        (
            F("reference", "CPS reference", placeholder="CPS-2026-0042"),
            F("date", "Submitted on", optional=True, hint=D + " (default: today)"),
            F("note", "Note", optional=True),
        ),
    ),
    "grant": (
        "Order granted",
        (
            F("court", "Court", placeholder="Leeds Crown Court"),
            F("reference", "Court case number", placeholder="T20267001"),
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
    "visit_record": (
        "Record education visit",
        (
            F("date", "Date of the visit", hint=D),
            F("outcome", "Outcome", "select", _opts("acknowledged", "refused")),
            F(
                "acknowledged",
                "Conditions acknowledged",
                optional=True,
                hint="Numbers, or 'all' when every condition was acknowledged",
            ),
            F(
                "disputed",
                "Conditions explained but disputed",
                optional=True,
                hint="Numbers; disputed conditions need the evidence of service below",
            ),
            F("place", "Where the visit took place", optional=True),
            F("present", "Who was present", "multiline", optional=True),
            F(
                "signed",
                "Acknowledgement signed?",
                "select",
                YES_NO,
                optional=True,
                hint="Keep the signed form in the case file: lom-bot cannot store the scan yet.",
            ),
            F(
                "service",
                "If refused or disputed: served how",
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
            F("expires", "New last day in force", optional=True, hint=D),
            F("charge", "Offence charged"),
            F("charged", "Date charged", optional=True, hint=D),
            F("charge_court", "Court trying the charge", optional=True),
        ),
    ),
    "governs": (
        "Which order governs",
        (F("choice", "Decision", "select", _opts("supersede", "both")),),
    ),
    "disposal": (
        "Charge disposed of",
        (
            F("outcome", "Disposal", placeholder="convicted, 2 years' custody"),
            F("date", "Date disposed of", hint=D),
            F("charge", "Which charge (number, when several)", optional=True),
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
            F("force", "From which force", "select", FORCE_OPTIONS),
            F("requested", "Pack requested on", optional=True, hint=D),
            F("court", "Court that made the order", optional=True),
            F("made", "Date made", optional=True, hint=D),
            F("activated", "In force from", optional=True, hint=D),
            F("expires", "Last day in force", optional=True, hint=D),
            F("conditions", "Condition types", optional=True, hint=TEMPLATE_HINT),
            F("wording", "The order's wording", "multiline", optional=True, hint=VERBATIM_HINT),
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
        (F("force", "To which force", "select", FORCE_OPTIONS),),
    ),
    "pack_out": (
        "Pack item sent",
        (F("step", "Item", "select", _opts(*PACK)), F("date", "Sent on", optional=True, hint=D)),
    ),
    "transfer_pack": (
        "Make transfer pack",
        (F("force", "For which force", optional=True, hint="Default: the transfer out's"),),
    ),
    "accept": (
        "Transfer accepted",
        (
            F("reference", "Their reference", hint="The receiving force's reference"),
            F("date", "Accepted on", hint=D),
        ),
    ),
    "closure": (
        "Closure step",
        (
            F("step", "Step", "select", _opts(*CLOSURE)),
            F("reference", "Reference", optional=True),
            F("date", "Done on", optional=True, hint=D),
        ),
    ),
    "expire": ("Record expiry", ()),
    "close": ("Close the order", (F("note", "Closing comment", "multiline", hint=WHY_HINT),)),
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
    "date submitted": "date",
    "date accepted": "date",
    "court reference": "reference",
}

# Fields a step needs only in some cases: a visit's acknowledgements, or its evidence of service.
ALSO_REQUIRED: dict[str, Callable[[Values], list[str]]] = {
    "visit_record": lambda v: (
        ["service"] if (v.get("outcome") or "").strip().lower() == "refused" else ["acknowledged"]
    ),
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
            also_required=ALSO_REQUIRED.get(step),
        )
    )
    for step, (title, fields) in FIELDS.items()
}
