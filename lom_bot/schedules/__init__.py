"""Scheduled posts: the jobs, the run ledger, the scheduler wiring and the weekly chart."""
