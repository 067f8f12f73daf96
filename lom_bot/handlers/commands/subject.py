"""/lom subject <subject>: the subject card."""

from __future__ import annotations

from lom_bot.blocks.card import subject_card
from lom_bot.blocks.history import history_blocks
from lom_bot.handlers.commands.correct import correct_command
from lom_bot.handlers.commands.subject_new import QUICK, open_new, quick_edit
from lom_bot.handlers.registry import REGISTRY, CommandContext, Reply, subcommand
from lom_bot.services.permissions import Action
from lom_bot.services.readmodels.card import load_card
from lom_bot.services.record_history import record_history
from lom_bot.services.subject_links import change_links

ACTIONS = {"history", "correct", "edit", "release", "vehicle", "associate", *QUICK}


def split_action(text: str) -> tuple[str, str | None, str]:
    """`LOM-0042 custody recalled` -> ("LOM-0042", "custody", "recalled"); no action word: the
    whole text is the subject."""
    words = text.split()
    for i, word in enumerate(words[1:], start=1):
        if word.lower() in ACTIONS:
            return " ".join(words[:i]), word.lower(), " ".join(words[i + 1 :])
    return text, None, ""


@subcommand(
    "subject",
    usage="subject <LOM ref | PNC ID | name> [history | custody|risk|address|release ... | "
    "correct ...] | subject new",
    summary="A subject's card, its history, a new subject, or a change to a detail",
    examples=(
        "/lom subject LOM-0042",
        "/lom subject new",
        "/lom subject LOM-0042 custody recalled",
        "/lom subject LOM-0042 release crd 03/03/2027",
        "/lom subject LOM-0042 history",
        "/lom subject Fictional",
    ),
    permission=Action.VIEW_SUBJECT_LIMITED,
    aliases=("card", "s"),
)
def subject_command(ctx: CommandContext, text: str) -> Reply:
    if text.strip().lower() == "new":
        return open_new(ctx, "")
    query, word, rest = split_action(text)
    if word == "history":
        history = record_history(ctx.rt.uow(), ctx.actor, query)
        blocks = history_blocks(history, ctx.rt.clock.tz)
        return Reply(f"History of {history.subject_ref}: {len(history.lines)} change(s)", blocks)
    if word in ("correct", "edit"):
        return correct_command(ctx, f"{query} {rest}")
    if word in ("vehicle", "associate"):
        verb, _, value = rest.partition(" ")
        line = change_links(ctx.rt.uow(), ctx.actor, query, word, verb.lower(), value.strip())
        return Reply(f":white_check_mark: {line}")
    if word is not None:
        return quick_edit(ctx, query, word, rest)
    uow = ctx.rt.uow(reads=True)
    with uow:
        card = load_card(uow, ctx.actor, text, with_intel=ctx.detail_allowed_in_channel)
        uow.commit()  # the consultation audit
        today = uow.clock.today()
    blocks = subject_card(
        card,
        today,
        intel_shown=ctx.detail_allowed_in_channel,
        buttons=True,
        order_button="order" in REGISTRY,
    )
    return Reply(f"{card.subject.ref} {card.subject.name}", blocks=blocks)
