"""Plain-Python domain: no Slack, SQLAlchemy or APScheduler imports here."""
