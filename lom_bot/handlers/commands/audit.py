"""/lom audit <subject>: who did what to a subject's records, for supervisors, in a sensitive
channel only; the answer is shown to the asker alone and is itself audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from lom_bot.blocks.common import context_note, escape, header, section
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.audit import recent_refusals, subject_history
from lom_bot.services.permissions import Action

SHOWN = 40
PER_SECTION = 10


@subcommand(
    "audit",
    usage="audit <subject> | audit refusals",
    summary="The audit trail of one subject, or the latest refused requests (supervisors)",
    examples=("/lom audit LOM-0042", "/lom audit refusals"),
    permission=Action.VIEW_AUDIT,
)
def audit_command(ctx: CommandContext, text: str) -> Reply:
    configured = ctx.rt.config.channel_by_id(ctx.channel_id)
    if configured is None or not configured.sensitive:
        return Reply(
            "The audit trail is shown only in a channel marked sensitive "
            "(e.g. #supervisors). Nothing was looked up."
        )
    if not text.strip():
        return Reply("Which subject? For example: `/lom audit LOM-0042`.")
    if text.strip().lower() in ("refusals", "refused"):
        total, rows = recent_refusals(
            ctx.rt.uow(), ctx.actor, channel=f"ephemeral:{ctx.user_id}", limit=SHOWN
        )
        blocks = audit_blocks("refused requests", total, rows, ctx.rt.clock.tz)
        return Reply(f"Refused requests: {total}", blocks=blocks)
    ref, total, rows = subject_history(
        ctx.rt.uow(), ctx.actor, text, channel=f"ephemeral:{ctx.user_id}", limit=SHOWN
    )
    blocks = audit_blocks(ref, total, rows, ctx.rt.clock.tz)
    return Reply(f"Audit trail of {ref}: {total} entries", blocks=blocks)


def audit_blocks(
    ref: str, total: int, rows: list[dict[str, Any]], tz: ZoneInfo
) -> list[dict[str, Any]]:
    blocks = [header(f"Audit trail of {ref}")]
    export = f"--subject {ref}" if ref.startswith("LOM-") else "--user SLACK_ID"
    lines = [_line(row, tz) for row in rows]
    for start in range(0, len(lines), PER_SECTION):
        blocks.append(section("\n".join(lines[start : start + PER_SECTION])))
    if not lines:
        blocks.append(section("No entries."))
    more = total - len(rows)
    note = f"Newest {len(rows)} of {total}. " if more > 0 else ""
    blocks.append(context_note(note + f"The full trail: `lom-bot audit export {export}`."))
    return blocks


def _line(row: dict[str, Any], tz: ZoneInfo) -> str:
    when = datetime.fromisoformat(str(row["at"])).astimezone(tz).strftime("%d/%m/%Y %H:%M")
    actor = row["actor"]
    who = f"<@{actor}>" if str(actor).startswith(("U", "W")) else escape(str(actor))
    parts = [f"`{row['seq']}` {when} {who} *{row['action']}* {escape(str(row['what']))}"]
    detail = row.get("detail") or {}
    if row["action"] == "refusal" and isinstance(detail, dict):
        subject = f" about {row['subject_ref']}" if row.get("subject_ref") else ""
        parts.append(
            f"asked {escape(str(detail.get('asked', '?')))[:80]}{subject}: "
            f"{escape(str(detail.get('reason', '')))[:160]}"
        )
    if row.get("recipient"):
        parts.append(f"to {escape(str(row['recipient']))[:80]}")
    if row.get("purpose"):
        parts.append(f"_({escape(str(row['purpose']))[:120]})_")
    return " ".join(parts)
