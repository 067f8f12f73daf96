"""/lom help [subcommand]: generated from the declarations."""

from __future__ import annotations

from lom_bot.blocks.common import escape
from lom_bot.handlers.registry import REGISTRY, CommandContext, Reply, declared, subcommand


@subcommand(
    "help",
    usage="help [subcommand]",
    summary="What you can ask lom-bot",
    examples=("/lom help", "/lom help contact"),
)
def help_command(ctx: CommandContext, text: str) -> Reply:
    name = text.strip().lower()
    if name:
        spec = REGISTRY.get(name)
        if spec is None:
            return Reply(f"There is no `/lom {name}`. Try `/lom help` for the list.")
        lines = [f"*/lom {escape(spec.usage)}*", escape(spec.summary)]
        if spec.examples:
            lines.append("Examples: " + ", ".join(f"`{escape(e)}`" for e in spec.examples))
        lines += [escape(line) for line in spec.details]
        return Reply("\n".join(lines))
    visible = [s for s in declared() if s.allows(ctx.actor)]
    lines = ["*lom-bot commands*"]
    lines += [f"• `/lom {escape(s.usage)}`: {escape(s.summary)}" for s in visible]
    lines.append("`/lom help <command>` shows examples.")
    return Reply("\n".join(lines))
