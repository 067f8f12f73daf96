"""Local console: a Slack stand-in and signed requests for driving the bot without Slack."""
