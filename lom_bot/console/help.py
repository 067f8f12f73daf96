"""The console's own commands, as `help` lists them (the roles follow, from the code)."""

HELP = """\
Commands (you act as one user in one channel, as in Slack):
  /lom <text>          run /lom as yourself here, e.g. /lom subject LOM-0001
  say <text>           post a plain message here (@lom-bot mentions the bot)
  say <<               a message of several lines: type them, then a line with only .
  reply <text>         reply in the thread of the last message here (`reply <<` too)
  edit <text>          change your last message here (`edit <<` too); delete: remove it
  click <N>            press button N of the last card shown
  in #channel          move to a channel (#lom-team, #triage, #leeds, dm ...)
  as <user>            act as someone else: a Slack id (U0LEEDS) or part of a name
  show [#channel]      what has been posted in a channel (default: here)
  home                 your App Home tab
  link                 a Slack Block Kit Builder link showing the last card as Slack would
  job <name> [date]    run a scheduled job now (e.g. job daily-due 2026-11-30)
  users, channels      who you can be, and where each of them can go
  help, quit           (help also lists the roles and what each may do)
In a form: answer each field in turn; Enter keeps the value in [brackets];
`cancel` closes the form without submitting."""
