"""One module per /lom subcommand; importing this package registers them all."""

from lom_bot.handlers.commands import (  # noqa: F401
    admin,
    audit,
    breach,
    check,
    contact,
    correct,
    due,
    help,
    intel,
    letter,
    notify,
    order,
    queue,
    retention,
    stats,
    subject,
    subjects,
    task,
    upcoming,
)
