"""`/lom subject new`: a form for a new subject (PNC check letter checked, duplicates offered
as the existing record), and the quick edits `/lom subject <ref> custody|risk|address|...`."""

from __future__ import annotations

from datetime import date

from lom_bot.domain import vocab
from lom_bot.domain.dates import DATE_EXAMPLE, parse_date
from lom_bot.domain.enums import CustodyStatus, ReleaseDateKind, RiskLevel
from lom_bot.domain.errors import InvalidInput
from lom_bot.domain.identifiers import PNC_EXAMPLE
from lom_bot.handlers.forms import Form, FormField, Values, fill_or_run, form
from lom_bot.handlers.registry import CommandContext, Reply
from lom_bot.services.release_dates import record_release_date
from lom_bot.services.subject_edits import change_subject, new_subject
from lom_bot.services.subjects import NewSubject

YES_NO = (("no", "No: stop if they may already be held"), ("yes", "Yes: a different person"))


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in text.replace(";", ",").split(",") if n.strip())


def _choice(values: Values, name: str, synonyms: vocab.Synonyms, what: str) -> object:
    found = vocab.lookup(values.get(name, ""), synonyms)
    if found is None:
        raise InvalidInput(f"Choose the {what}.", field=name)
    return found


def run_new(ctx: CommandContext, values: Values) -> Reply:
    today = ctx.rt.clock.today()
    born = values.get("born", "").strip()
    risk = _choice(values, "risk", vocab.RISK_LEVELS, "risk level")
    custody = _choice(values, "custody", vocab.CUSTODY, "custody status")
    assert isinstance(risk, RiskLevel) and isinstance(custody, CustodyStatus)
    releases: dict[ReleaseDateKind, date] = {}
    if values.get("release", "").strip():
        releases[ReleaseDateKind.CRD] = parse_date(values["release"], today, field="release")
    new = NewSubject(
        given_names=values.get("given_names", ""),
        family_name=values.get("family_name", ""),
        district=values.get("district", ""),
        risk_level=risk,
        custody_status=custody,
        born_on=parse_date(born, today, field="born") if born else None,
        pnc_id=values.get("pnc", "").strip() or None,
        niche_id=values.get("niche", "").strip() or None,
        visor_ref=values.get("visor", "").strip() or None,
        prison_number=values.get("prison_number", "").strip() or None,
        address=values.get("address", "").strip() or None,
        description=values.get("description", "").strip() or None,
        aliases=_names(values.get("aliases", "")),
        officer_slack_id=ctx.actor.slack_id,
        release_dates=releases,
    )
    different = values.get("different", "") == "yes"
    subject = new_subject(
        ctx.rt.uow(),
        ctx.actor,
        new,
        allow_possible=different,
        vehicles=_names(values.get("vehicles", "")),
        associates=_names(values.get("non_associates", "")),
    )
    return Reply(
        f":white_check_mark: {subject.ref} {subject.name} added ({subject.district}, "
        f"{vocab.label(risk)} risk, {vocab.label(custody)}). Open the card: "
        f"`/lom subject {subject.ref}`; change a detail: `/lom subject {subject.ref} custody "
        "recalled`, `... risk high`, `... address 3 New Road, Leeds`, `... release crd DD/MM/YYYY`."
    )


NEW_FORM = form(
    Form(
        name="subject_new",
        title="New subject",
        submit="Add subject",
        fields=(
            FormField("given_names", "Given names"),
            FormField("family_name", "Family name"),
            FormField("born", "Date of birth", optional=True, hint=DATE_EXAMPLE),
            FormField("pnc", "PNC ID", optional=True, placeholder=PNC_EXAMPLE),
            FormField("niche", "Niche nominal", optional=True),
            FormField("visor", "ViSOR reference", optional=True),
            FormField("prison_number", "Prison number", optional=True),
            FormField("address", "Home address", "multiline", optional=True),
            FormField("district", "District", placeholder="Leeds"),
            FormField("risk", "Risk level", "select", vocab.options(vocab.RISK_LEVELS)),
            FormField("custody", "Custody status", "select", vocab.options(vocab.CUSTODY)),
            FormField("release", "Conditional release date", optional=True, hint=DATE_EXAMPLE),
            FormField(
                "description",
                "Description for districts (no photo)",
                "multiline",
                optional=True,
            ),
            FormField("aliases", "Aliases (comma separated)", optional=True),
            FormField(
                "vehicles",
                "Vehicles used (comma separated)",
                optional=True,
                placeholder="YX19 ABC white Transit, AB12 CDE",
            ),
            FormField("non_associates", "Not to associate with (comma separated)", optional=True),
            FormField(
                "different",
                "Someone similar is held: a different person?",
                "select",
                YES_NO,
                optional=True,
            ),
        ),
        run=run_new,
        error_fields={
            "name": "family_name",
            "pnc_id": "pnc",
            "born_on": "born",
            "date": "born",
        },
    )
)

# quick edits: the word after the subject -> the subject field it changes
QUICK = {
    "custody": "custody",
    "risk": "risk",
    "address": "address",
    "description": "description",
    "district": "district",
    "officer": "officer",
    "pnc": "pnc",
    "niche": "niche",
    "visor": "visor",
}


def quick_edit(ctx: CommandContext, query: str, word: str, rest: str) -> Reply:
    """`<ref> custody recalled [because ...]`: the facts changed; the earlier value is kept."""
    value, _, reason = rest.partition(" because ")
    value = value.strip()
    if not value:
        raise InvalidInput(
            f"Give the new {word}.", field="value", example=f"/lom subject {query} {word} ..."
        )
    today = ctx.rt.clock.today()
    if word == "release":
        kind_word, _, on_text = value.partition(" ")
        kind = vocab.lookup(kind_word, vocab.RELEASE_KINDS)
        if kind is None or not on_text.strip():
            raise InvalidInput(
                "Say which release date and when.",
                field="value",
                example=f"/lom subject {query} release crd 03/03/2027",
            )
        assert isinstance(kind, ReleaseDateKind)
        on = parse_date(on_text.strip(), today, field="value")
        change = record_release_date(
            ctx.rt.uow(), ctx.actor, query, kind, on, reason=reason.strip() or None
        )
        before = f" (was {change.before:%d/%m/%Y})" if change.before else ""
        return Reply(
            f":white_check_mark: {change.ref} {kind.value.upper()} recorded as "
            f"{on:%d/%m/%Y}{before}. Wrong? `/lom correct {change.ref} release "
            f"{kind.value} DD/MM/YYYY because REASON`."
        )
    field = QUICK[word]
    parsed: object = value
    if field == "custody":
        parsed = vocab.lookup(value, vocab.CUSTODY) or _bad(value, vocab.CUSTODY, "custody status")
    elif field == "risk":
        parsed = vocab.lookup(value, vocab.RISK_LEVELS) or _bad(value, vocab.RISK_LEVELS, "risk")
    summary = change_subject(
        ctx.rt.uow(), ctx.actor, query, field, parsed, reason=reason.strip() or None
    )
    return Reply(f":white_check_mark: {summary}")


def _bad(value: str, synonyms: vocab.Synonyms, what: str) -> object:
    options = ", ".join(vocab.label(v) for v in synonyms)
    raise InvalidInput(f"'{value[:40]}' is not a {what}; use one of: {options}.", field="value")


def open_new(ctx: CommandContext, text: str) -> Reply:
    return fill_or_run(ctx, NEW_FORM, {}, "subject new")
