"""/lom admin grant|revoke|list: admins manage who has which role; every change is audited."""

from __future__ import annotations

import re

from lom_bot.domain.dates import parse_date
from lom_bot.domain.enums import Role
from lom_bot.domain.errors import InvalidInput, NotAuthorised
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.actors import list_users, set_role
from lom_bot.services.handover import EXAMPLE as HANDOVER
from lom_bot.services.handover import HandOver, hand_over
from lom_bot.services.permissions import Action, can

USAGE = (
    "admin grant @user <officer|supervisor|district|admin> [district] | revoke @user | list | "
    "handover <from> <to> [subjects|all|cover] [until <date>]"
)
ROLE_WORDS = {
    "officer": Role.LOM_OFFICER,
    "lom_officer": Role.LOM_OFFICER,
    "supervisor": Role.LOM_SUPERVISOR,
    "lom_supervisor": Role.LOM_SUPERVISOR,
    "district": Role.DISTRICT_OFFICER,
    "district_officer": Role.DISTRICT_OFFICER,
    "admin": Role.ADMIN,
}
# Slack sends a mention as <@U123> or <@U123|name>; a bare id is accepted too.
MENTION = re.compile(r"^<@([UW][A-Z0-9]{2,})(?:\|([^>]*))?>$|^@?([UW][A-Z0-9]{2,})$")


def parse_user(word: str) -> tuple[str, str | None]:
    match = MENTION.match(word.strip())
    if match is None:
        raise InvalidInput(
            f"'{word[:40]}' is not a Slack user: mention them with @.",
            field="user",
            example="/lom admin grant @pc.dee district Leeds",
        )
    slack_id = match.group(1) or match.group(3)
    return slack_id, (match.group(2) or None)


def parse_role(word: str) -> Role:
    role = ROLE_WORDS.get(word.strip().lower())
    if role is None:
        raise InvalidInput(
            f"'{word[:40]}' is not a role: use officer, supervisor, district or admin.",
            field="role",
            example="/lom admin grant @dc.olu officer",
        )
    return role


@subcommand(
    "admin",
    usage=USAGE,
    summary="Grant, change or remove a user's role (admins); hand a caseload over, for a "
    "period or for good (supervisors)",
    examples=(
        "/lom admin grant @dc.olu officer",
        "/lom admin grant @pc.dee district Leeds",
        "/lom admin revoke @dc.olu",
        "/lom admin list",
        "/lom admin handover @dc.olu @dc.priya all until 11/12/2026",
        "/lom admin handover @dc.olu @dc.priya LOM-0003 LOM-0007",
        "/lom admin handover @dc.priya @dc.olu cover",
    ),
    permission=Action.MANAGE_ROLES,
    also=(Action.HANDOVER_CASELOAD,),
)
def admin_command(ctx: CommandContext, text: str) -> Reply:
    verb, *args = text.split() or ["list"]
    verb = verb.lower()
    if verb == "handover":
        return handover(ctx, args)
    if not can(ctx.actor, Action.MANAGE_ROLES):  # a supervisor may hand over, nothing else
        raise NotAuthorised(
            f"Your role ({ctx.actor.role.value.replace('_', ' ')}) may not grant, revoke or "
            "list roles (admins do); supervisors may `/lom admin handover`.",
            who=ctx.actor.slack_id,
            asked=Action.MANAGE_ROLES.value,
        )
    if verb == "list" and not args:
        return _list(ctx)
    if verb == "grant" and len(args) in (2, 3):
        slack_id, name = parse_user(args[0])
        role = parse_role(args[1])
        district = args[2] if len(args) == 3 else None
        return Reply(set_role(ctx.rt.uow(), ctx.actor, slack_id, name, role, district))
    if verb == "revoke" and len(args) == 1:
        slack_id, name = parse_user(args[0])
        return Reply(set_role(ctx.rt.uow(), ctx.actor, slack_id, name, None))
    raise InvalidInput(
        f"Say what to do: `/lom {USAGE}`.", example="/lom admin grant @dc.olu officer"
    )


def handover(ctx: CommandContext, words: list[str]) -> Reply:
    """`handover <from> <to> [LOM-0003 ... | all | cover] [until <date>]`; `cover` hands
    back only what the giver holds as cover (so cover can end early)."""
    until = None
    lowered = [w.lower() for w in words]
    if "until" in lowered:
        at = lowered.index("until")
        if at + 2 != len(words):
            raise InvalidInput("Give one date after `until`, at the end.", example=HANDOVER)
        until = parse_date(words[at + 1], ctx.rt.clock.today(), field="until")
        words = words[:at]
    if len(words) < 2:
        raise InvalidInput("Say who hands over to whom.", example=HANDOVER)
    giver, taker = (_who(w) for w in words[:2])
    rest = [w.lower() for w in words[2:]]
    refs = tuple(w for w in words[2:] if w.lower() not in ("all", "subjects", "cover"))
    cmd = HandOver(giver, taker, refs, until, only_cover="cover" in rest)
    done = hand_over(ctx.rt.uow(), ctx.actor, cmd)
    return Reply(":handshake: " + done.message)


def _who(word: str) -> str:
    """A mention or id as its Slack id; anything else is a name for the service to find."""
    match = MENTION.match(word.strip())
    return (match.group(1) or match.group(3)) if match else word


def _list(ctx: CommandContext) -> Reply:
    with ctx.rt.uow() as uow:
        users = list_users(uow, ctx.actor)
    lines = ["*Users and roles*"]
    for user in users:
        role = user.role.value.replace("_", " ") if user.role and user.active else "no role"
        where = f" ({user.district})" if user.district else ""
        lines.append(f"• <@{user.slack_id}> {user.name[:60]}: {role}{where}")
    return Reply("\n".join(lines[:200]))
