"""/lom task <subject> <kind> <due date> [instructions]: task a district."""

from __future__ import annotations

from lom_bot.blocks.history import confirmation
from lom_bot.domain import vocab
from lom_bot.domain.dates import DATE_EXAMPLE
from lom_bot.handlers.args import TaskArgs, parse_args
from lom_bot.handlers.commands.correct import correct_command
from lom_bot.handlers.commands.task_result import task_result_command
from lom_bot.handlers.forms import Form, FormField, Values, fill_or_run, form
from lom_bot.handlers.parsing import parse_line
from lom_bot.handlers.refusal import refused
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.permissions import Action, can
from lom_bot.services.tasks import CreateTask, create_task

USAGE = "task <subject> <kind> <due date> [instructions]"


def run(ctx: CommandContext, values: Values) -> Reply:
    args = parse_args(TaskArgs, values, ctx.rt.clock.today())
    cmd = CreateTask(
        subject=args.subject,
        kind=args.kind,
        due_on=args.due,
        instructions=args.instructions,
        district=args.district,
        request_key=args.request_key,
    )
    uow = ctx.rt.uow()
    with uow:
        created = create_task(uow, ctx.actor, cmd)
    text = (
        f":white_check_mark: Task {created.ref} raised for {created.district}: "
        f"{vocab.label(args.kind)} for {created.subject_ref}, due {args.due:%d/%m/%Y}. "
        f"The {created.district} channel is told by reference only."
    )
    return Reply(text, blocks=confirmation(text, created.ref))


FORM = form(
    Form(
        name="task",
        title="Task a district",
        submit="Raise task",
        fields=(
            FormField("subject", "Subject", placeholder="LOM-0042, a PNC ID or a name"),
            FormField("kind", "Kind of task", "select", vocab.options(vocab.TASK_KINDS)),
            FormField("due", "Due by", hint=DATE_EXAMPLE, placeholder="+7d"),
            FormField("instructions", "Instructions", "multiline", optional=True),
            FormField(
                "district",
                "District (if not the subject's)",
                optional=True,
                placeholder="Leeds",
            ),
        ),
        run=run,
        error_fields={"due_on": "due"},
    )
)


@subcommand(
    "task",
    usage=USAGE,
    summary="Task a district team (passing attention, curfew check, stop check, home visit)",
    examples=(
        "/lom task LOM-0042 curfew check +7d check he is in after 21:00",
        "/lom task LOM-0007 passing attention tomorrow",
    ),
    permission=Action.CREATE_TASK,
    also=(Action.COMPLETE_TASK,),  # district officers: /lom task result
    details=(
        "District officers: `/lom task result T-00012 done 23:10 at home, lights on` "
        "(or not found / needs lom; add `for LOM: ...`), or the buttons on the task's post.",
    ),
)
def task_command(ctx: CommandContext, text: str) -> Reply:
    if text.lower().startswith("result"):  # /lom task result <task> <result> ...
        return task_result_command(ctx, text[len("result") :].strip())
    if not can(ctx.actor, Action.CREATE_TASK):
        role = ctx.actor.role.value.replace("_", " ")
        message = f"Your role ({role}) may not raise tasks (`/lom task result` records a result)."
        return Reply(
            refused(ctx.rt, ctx.actor, message, needed=Action.CREATE_TASK, channel=ctx.channel_id)
        )
    if text.lower().startswith("correct "):  # /lom task correct <ref> ...
        return correct_command(ctx, text[len("correct ") :])
    values = parse_line(
        text,
        ctx.rt.clock.today(),
        [("kind", vocab.TASK_KINDS)],
        date_name="due",
        rest_name="instructions",
    )
    return fill_or_run(ctx, FORM, values, USAGE)
