"""A local HTTP stand-in for Slack's Web API, for end-to-end tests, the bench and the console."""
