"""Persistence: typed tables, the unit of work, queries and migrations."""
