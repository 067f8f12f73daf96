"""Use cases: each takes a unit of work and an actor, checks permission, audits, commits."""
