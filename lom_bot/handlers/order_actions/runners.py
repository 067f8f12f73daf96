"""What each step runs: field values in, one service call, its message out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from lom_bot.domain.enums import ChecklistKind, Commencement, OrderRoute, ReleaseDateKind
from lom_bot.handlers.forms import Values
from lom_bot.handlers.order_actions.values import (
    a_date,
    choice,
    drafts,
    numbers,
    opt,
    opt_date,
    reworded,
    templates,
    verbatim,
    whole,
)
from lom_bot.handlers.registry import CommandContext
from lom_bot.services import orders as o
from lom_bot.services.letter_service import letter_ref
from lom_bot.services.letters import GenerateLetter, generate_letter
from lom_bot.services.transfer_pack import ExportTransfer, make_pack
from lom_bot.services.visit_evidence import Evidence
from lom_bot.store.uow import UnitOfWork

Runner = Callable[[UnitOfWork, CommandContext, Values, date], str]


def _transfer_pack(u: UnitOfWork, c: CommandContext, v: Values) -> str:
    """Make the subject's transfer pack and upload it to the LOM team channel."""
    cmd = ExportTransfer(v["subject"], opt(v, "force"), upload_to=c.rt.config.channels.lom_team.id)
    made = make_pack(u, c.actor, cmd)
    return (
        f"Transfer pack for {made.subject_ref} to {made.to_force} made and uploaded to the LOM "
        f"team channel: {made.filename}. Fingerprint (SHA-256 of manifest.json): "
        f"{made.fingerprint}; give it to {made.to_force} by another route."
        + (f" Withheld under handling code C: {', '.join(made.withheld)}." if made.withheld else "")
    )


YES_NO = (("no", "No"), ("yes", "Yes"))


def _propose(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    replace = choice(v, "replacement", dict(YES_NO), "no") == "yes"
    return o.propose(u, c.actor, o.ProposeOrder(v["subject"], opt(v, "grounds"), replace)).message


def _draft(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    cmd = o.DraftApplication(v["subject"], v.get("grounds") or "", drafts(v))
    return o.draft(u, c.actor, cmd).message


def _grant(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    given = opt(v, "commencement")
    commencement = (
        Commencement(choice(v, "commencement", {e.value: e for e in Commencement}, ""))
        if given
        else None
    )
    route = OrderRoute(choice(v, "route", {e.value: e for e in OrderRoute}, "crown_court_s19"))
    wording = {n: w for n, w in reworded(v).items() if w}
    cmd = o.GrantOrder(
        v["subject"],
        v.get("court") or "",
        a_date(v, "made", t),
        whole(v, "term"),
        route,
        commencement,
        opt_date(v, "starts", t),
        wording,
        court_reference=opt(v, "reference"),
    )
    return o.grant(u, c.actor, cmd).message


def _checklist(kind: ChecklistKind) -> Runner:
    def run(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
        cmd = o.CompleteStep(
            v["subject"], kind, v.get("step") or "", opt(v, "reference"), opt_date(v, "date", t)
        )
        return o.complete_step(u, c.actor, cmd).message

    return run


def _visit(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    refused = choice(v, "outcome", {"acknowledged": "", "refused": ""}, "")
    every = (v.get("acknowledged") or "").strip().lower() == "all"
    cmd = o.RecordVisit(
        v["subject"],
        a_date(v, "date", t),
        refused == "refused",
        None if every else numbers(v, "acknowledged") or None,
        opt(v, "service"),
        opt(v, "notes"),
        Evidence(
            opt(v, "place"),
            opt(v, "present"),
            tuple(numbers(v, "disputed") or ()),
            {"yes": True, "no": False}.get((v.get("signed") or "").strip().lower()),
        ),
    )
    return o.record_visit(u, c.actor, cmd).message


def _release(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    kind = ReleaseDateKind(choice(v, "kind", {e.value: e for e in ReleaseDateKind}, "confirmed"))
    return o.change_release_date(
        u, c.actor, o.ChangeReleaseDate(v["subject"], kind, a_date(v, "date", t))
    ).message


def _vary(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    cmd = o.Vary(
        v["subject"],
        v.get("section") or "",
        v.get("court") or "",
        a_date(v, "made", t, default="today"),
        reworded(v),
        templates(v, "add"),
        opt_date(v, "expires", t),
    )
    return o.vary(u, c.actor, cmd).message


def _letter(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    follow = opt(v, "followup")
    cmd = GenerateLetter(
        v.get("kind") or "warning_letter",
        v["subject"],
        int(follow) if follow and follow.isdigit() else None,
        numbers(v, "conditions"),
        opt(v, "failure"),
        opt_date(v, "response", t),
    )
    letter = generate_letter(u, c.actor, cmd)
    ref = letter_ref(letter.document_id)
    return (
        f"{letter.title} written ({ref}); it is on its way to you as a Word document. It is "
        f"issued when served: `/lom letter served {ref} in person` (or recorded delivery...)."
    )


def _transfer_in(u: UnitOfWork, c: CommandContext, v: Values, t: date) -> str:
    cmd = o.TransferIn(
        v["subject"],
        v.get("force") or "",
        a_date(v, "requested", t, default="today"),
        opt(v, "court"),
        opt_date(v, "made", t),
        opt_date(v, "activated", t),
        opt_date(v, "expires", t),
        verbatim(v),
    )
    return o.transfer_in(u, c.actor, cmd).message


RUNNERS: dict[str, Runner] = {
    "propose": _propose,
    "draft": _draft,
    "approve": lambda u, c, v, t: (
        o.approve(u, c.actor, o.Review(v["subject"], opt(v, "comments"))).message
    ),
    "return": lambda u, c, v, t: (
        o.return_application(u, c.actor, o.Review(v["subject"], opt(v, "comments"))).message
    ),
    "submit": lambda u, c, v, t: (
        o.submit(
            u,
            c.actor,
            o.Submit(v["subject"], opt(v, "note"), opt(v, "reference"), opt_date(v, "date", t)),
        ).message
    ),
    "grant": _grant,
    "refuse": lambda u, c, v, t: (
        o.refuse(u, c.actor, o.RefuseOrder(v["subject"], v.get("reason") or "")).message
    ),
    "systems": _checklist(ChecklistKind.SYSTEMS),
    "visit_book": lambda u, c, v, t: (
        o.book_visit(u, c.actor, o.BookVisit(v["subject"], a_date(v, "date", t))).message
    ),
    "visit_record": _visit,
    "activate": lambda u, c, v, t: (
        o.activate(u, c.actor, o.Activate(v["subject"], a_date(v, "released", t))).message
    ),
    "override": lambda u, c, v, t: (
        o.activate(
            u, c.actor, o.Activate(v["subject"], a_date(v, "released", t), v.get("reason") or "")
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
                a_date(v, "made", t, default="today"),
                opt_date(v, "expires", t),
                v.get("charge") or "",
                opt_date(v, "charged", t),
                opt(v, "charge_court"),
            ),
        ).message
    ),
    "governs": lambda u, c, v, t: (
        o.decide_governing(
            u, c.actor, o.DecideGoverning(v["subject"], v.get("choice") or "")
        ).message
    ),
    "disposal": lambda u, c, v, t: (
        o.dispose_charge(
            u,
            c.actor,
            o.DisposeCharge(
                v["subject"],
                v.get("outcome") or "",
                a_date(v, "date", t),
                whole(v, "charge") if opt(v, "charge") else None,
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
                opt(v, "note"),
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
                a_date(v, "made", t, default="today"),
                opt(v, "reason"),
            ),
        ).message
    ),
    "transfer_in": _transfer_in,
    "pack_in": _checklist(ChecklistKind.TRANSFER_IN),
    "transfer_out": lambda u, c, v, t: (
        o.transfer_out(u, c.actor, o.TransferOut(v["subject"], v.get("force") or "")).message
    ),
    "pack_out": _checklist(ChecklistKind.TRANSFER_OUT),
    "transfer_pack": lambda u, c, v, t: _transfer_pack(u, c, v),
    "accept": lambda u, c, v, t: (
        o.accept_transfer(
            u,
            c.actor,
            o.AcceptTransfer(
                v["subject"], a_date(v, "date", t, default="today"), opt(v, "reference")
            ),
        ).message
    ),
    "closure": _checklist(ChecklistKind.CLOSURE),
    "expire": lambda u, c, v, t: o.record_expiry(u, c.actor, o.RecordExpiry(v["subject"])).message,
    "close": lambda u, c, v, t: (
        o.close_order(u, c.actor, o.CloseOrder(v["subject"], opt(v, "note"))).message
    ),
    "letter": _letter,
    "expiry_letter": lambda u, c, v, t: _letter(u, c, {**v, "kind": "expiry_confirmation"}, t),
}
