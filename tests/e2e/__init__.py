"""End-to-end tests: the real app over HTTP against the Slack stand-in."""
