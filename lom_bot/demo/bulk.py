"""Fast bulk writes for synthetic data: COPY on PostgreSQL, executemany on SQLite.

Rows are plain tuples in a declared column order; values are str, int, bool or None, with
dates as ISO strings and timestamps made by `Bulk.ts` in the dialect's storage format.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text

from lom_bot.store.tables import Base
from lom_bot.store.uow import GENESIS

FLUSH_ROWS = 50_000


class Bulk:
    """Buffers rows per table and writes them in large batches on one connection."""

    def __init__(self, conn: Connection, columns: Mapping[str, Sequence[str]]) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        self.columns = columns
        self.buffers: dict[str, list[tuple[Any, ...]]] = {t: [] for t in columns}
        self.counts: dict[str, int] = dict.fromkeys(columns, 0)
        self.raw: Any = conn.connection.driver_connection
        # Appended to "YYYY-MM-DD HH:MM:SS" to make a stored UTC timestamp.
        self.ts_suffix = "+00:00" if self.postgres else ".000000"
        for table, cols in columns.items():
            _check_columns(table, cols)

    def ts(self, moment: datetime) -> str:
        """A UTC timestamp as the dialect stores it (SQLite: naive text; PostgreSQL: +00:00)."""
        moment = moment.astimezone(UTC)
        if self.postgres:
            return moment.isoformat(sep=" ")
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")

    def next_id(self, table: str) -> int:
        return int(
            self.conn.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar_one()
        )

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= FLUSH_ROWS:
            self.flush()  # every table, parents first (columns are declared in that order)

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self.buffers):
            rows = self.buffers[name]
            if rows:
                self._write(name, rows)
                self.counts[name] += len(rows)
                self.buffers[name] = []

    def _write(self, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
        cols = self.columns[table]
        names = ", ".join(f'"{c}"' for c in cols)
        if self.postgres:
            with (
                self.raw.cursor() as cur,
                cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in cols)
            self.raw.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    def finish(self) -> None:
        """Flush everything and move PostgreSQL's id sequences past the ids written."""
        self.flush()
        if self.postgres:
            for table in self.columns:
                self.conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
                    )
                )


def _check_columns(table: str, cols: Sequence[str]) -> None:
    """Every required column must be written: raw inserts skip the ORM's defaults."""
    meta = Base.metadata.tables[table]
    unknown = [c for c in cols if c not in meta.c]
    missing = [
        c.name
        for c in meta.c
        if not c.nullable and c.server_default is None and c.name not in cols and c.name != "id"
    ]
    if unknown or missing:
        raise RuntimeError(
            f"synthetic rows for {table} do not match the table: unknown {unknown}, "
            f"missing required {missing}"
        )


AUDIT_COLUMNS = (
    "id",
    "seq",
    "at",
    "actor",
    "action",
    "what",
    "entity",
    "entity_id",
    "subject_ref",
    "purpose",
    "recipient",
    "detail",
    "prev_hash",
    "hash",
)


class AuditChain:
    """Appends collection entries to the audit log, chained exactly as UnitOfWork does.

    The hashed body is formatted by hand (byte-identical to uow.entry_hash's canonical JSON
    for these ASCII-only values) because json.dumps would dominate a national-scale seed.
    """

    def __init__(self, bulk: Bulk) -> None:
        self.bulk = bulk
        row = bulk.conn.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).first()
        self.has_head = row is not None
        self.seq, self.prev = (int(row[0]), str(row[1])) if row else (0, GENESIS)
        self.next_id = bulk.next_id("audit_log") + 1

    def add(
        self,
        day_iso: str,
        seconds: int,
        actor: str,
        what: str,
        entity: str,
        entity_id: int,
        subject_ref: str | None,
    ) -> None:
        self.seq += 1
        clock = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        iso = f"{day_iso}T{clock}+00:00"
        ref = "null" if subject_ref is None else f'"{subject_ref}"'
        body = (
            f'{{"action":"collection","actor":"{actor}","at":"{iso}","detail":null,'
            f'"entity":"{entity}","entity_id":"{entity_id}","purpose":null,"recipient":null,'
            f'"seq":{self.seq},"subject_ref":{ref},"what":"{what}"}}'
        )
        digest = hashlib.sha256((self.prev + body).encode()).hexdigest()
        stored = f"{day_iso} {clock}{self.bulk.ts_suffix}"
        self.bulk.add(
            "audit_log",
            (
                self.next_id,
                self.seq,
                stored,
                actor,
                "collection",
                what,
                entity,
                str(entity_id),
                subject_ref,
                None,
                None,
                None,
                self.prev,
                digest,
            ),
        )
        self.next_id += 1
        self.prev = digest

    def finish(self) -> None:
        self.bulk.flush("audit_log")
        params = {"seq": self.seq, "hash": self.prev}
        if self.has_head:
            self.bulk.conn.execute(
                text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1"), params
            )
        else:
            self.bulk.conn.execute(
                text("INSERT INTO audit_head (id, seq, hash) VALUES (1, :seq, :hash)"), params
            )
