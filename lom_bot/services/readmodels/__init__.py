"""What the subject card and caseload list show, each loaded in a fixed number of queries
whatever the caseload size (no N+1): `card` (with `card_facts`, `card_lists`, `card_rows`)
and `caseload`."""
