"""python -m bench.profile WHAT [--db sqlite|postgresql]: pyinstrument on one slow path, at
national scale (the cached databases; run `make bench` once first).

WHAT: digest, summary, due, subject, contact, district. Prints the call tree and SQL count.
"""

from __future__ import annotations

import argparse
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from bench import datasets


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("what", choices=["digest", "summary", "due", "subject", "contact",
                                         "district"])  # fmt: skip
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = datasets.sqlite_national(False) if args.db == "sqlite" else datasets.pg_national(False)
    try:
        profile(data.url, args.what, args.repeat)
    finally:
        data.cleanup()


def profile(url: str, what: str, repeat: int) -> None:
    from pyinstrument import Profiler

    from lom_bot.bootstrap import build_runtime
    from lom_bot.config import Settings, load_app_config

    rt = build_runtime(
        Settings(database_url=url, lom_config=Path("app.yaml")),
        config=load_app_config(Path("app.yaml")),
        migrate=False,
    )
    statements = [0]

    def count(*_: Any) -> None:
        statements[0] += 1

    event.listen(rt.engine, "before_cursor_execute", count)
    action = _action(rt, what)
    action()  # warm caches and connections
    profiler = Profiler(interval=0.001)
    statements[0] = 0
    started = time.perf_counter()
    with profiler:
        for _ in range(repeat):
            action()
    each = (time.perf_counter() - started) / repeat
    print(profiler.output_text(unicode=False, color=False, show_all=False))
    print(f"{what}: {each * 1000:.0f} ms each, {statements[0] / repeat:.0f} SQL statements each")
    rt.close()


def _action(rt: Any, what: str) -> Any:
    today = rt.clock.today()
    if what in ("digest", "summary"):
        from lom_bot.services.digest import build_daily_digest
        from lom_bot.services.summary import build_weekly_summary

        build = build_daily_digest if what == "digest" else build_weekly_summary

        def run_builder() -> None:
            with rt.uow() as uow:
                build(uow, today)

        return run_builder
    with rt.engine.connect() as conn:
        ref, district = conn.execute(
            text(
                "SELECT s.ref, s.district FROM subjects s JOIN orders o ON o.subject_id = s.id "
                "WHERE o.status = 'active' ORDER BY s.id LIMIT 1"
            )
        ).one()
        officer = conn.execute(
            text("SELECT slack_id FROM users WHERE role = 'lom_officer' ORDER BY id LIMIT 1")
        ).scalar_one()
    if what == "district":
        from lom_bot.handlers.breach_events import handle_district_event

        channel = rt.config.district(district).channel.id

        def run_district() -> None:
            ts = f"{int(time.time())}.{uuid.uuid4().int % 1_000_000:06d}"
            said = f"Seen {ref} driving a hire van on the ring road with two men"
            event_ = {"type": "message", "channel": channel, "user": "U0LEEDS", "text": said,
                      "ts": ts, "event_ts": ts}  # fmt: skip
            handle_district_event(rt, event_, event_id=f"Ev{uuid.uuid4().hex[:12]}")

        return run_district
    from lom_bot.handlers.commands_listener import dispatch
    from lom_bot.handlers.registry import CommandContext
    from lom_bot.services.actors import load_actor

    actor = load_actor(rt.uow(), officer)
    words = {"due": "due", "subject": f"subject {ref}",
             "contact": f"contact {ref} call complied today"}[what]  # fmt: skip

    def run_command() -> None:
        ctx = CommandContext(rt, actor, officer, "C0LOMTEAM", None, None, True)  # type: ignore[arg-type]
        dispatch(ctx, words)

    return run_command


if __name__ == "__main__":
    main()
