"""lom-bot: a Slack bot for a Lifetime Offender Management team managing SCPOs."""

__version__ = "0.1.0"
