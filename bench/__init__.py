"""`make bench`: lom-bot's performance at force and national scale (docs/benchmarks.md)."""
