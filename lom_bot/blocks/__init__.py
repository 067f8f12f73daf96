"""Block Kit builders: pure functions from results to blocks, and the action_id constants."""
