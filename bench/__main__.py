"""python -m bench [--quick] [--fresh] [--only sqlite|postgresql]: measure and print the table."""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from datetime import UTC, datetime

from bench import datasets
from bench.report import Row, Table
from bench.run import Plan, run_backend


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="force scale only (a smoke run)")
    parser.add_argument("--fresh", action="store_true", help="reseed the national databases")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: serve's)")
    args = parser.parse_args()
    plan = Plan.make(quick=args.quick, fresh=args.fresh, workers=args.workers)
    table = Table()
    started = time.perf_counter()
    backends = [args.only] if args.only else ["sqlite", "postgresql"]
    results: dict[str, object] = {"started": datetime.now(UTC).isoformat(), "quick": args.quick}
    for backend in backends:
        if backend == "postgresql" and not datasets.pg_available():
            table.notes.append(f"PostgreSQL not reachable at {datasets.PG_ADMIN}: not measured.")
            continue
        try:
            results[backend] = run_backend(backend, plan, table)
        except Exception as exc:  # one database failing still leaves the other's figures
            traceback.print_exc()
            table.add(Row("run", backend, "", "", f"FAILED: {type(exc).__name__}: {exc}"[:200]))
    elapsed = time.perf_counter() - started
    table.notes.append(f"{plan.describe()}; whole run {elapsed / 60:.1f} min; {table.summary()}.")
    print(table.render())
    results["elapsed_s"] = elapsed
    results["table"] = table.render()
    (datasets.VAR / "results.json").write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
