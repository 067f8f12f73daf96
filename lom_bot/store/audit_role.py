"""PostgreSQL: the role the bot runs as may read and write its tables but only read and append
to the audit log. Migrations run as the tables' owner; this grants the bot's role what it
needs and nothing that could rewrite or remove an audit entry (UPDATE, DELETE, TRUNCATE)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine

AUDIT_TABLE = "audit_log"


class AuditRoleError(Exception):
    """The grants cannot be made here (not PostgreSQL, or an unknown role)."""


def grant_app_role(engine: Engine, role: str) -> None:
    """Run as the owner: `role` gets SELECT/INSERT/UPDATE/DELETE on every table and the use of
    every sequence in the schema, except that on the audit log it may only SELECT and INSERT."""
    if engine.dialect.name != "postgresql":
        raise AuditRoleError("Database roles are PostgreSQL's; SQLite has none to restrict.")
    with engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
        if exists.first() is None:
            raise AuditRoleError(f"There is no PostgreSQL role {role!r}; create it first.")
        quote = engine.dialect.identifier_preparer.quote
        who = quote(role)
        schema = quote(str(conn.execute(text("SELECT current_schema()")).scalar_one()))
        conn.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {who}"))
        conn.execute(
            text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {who}")
        )
        conn.execute(
            text(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {who}")
        )
        for grantee in (who, "PUBLIC"):
            conn.execute(text(f"REVOKE UPDATE, DELETE, TRUNCATE ON {AUDIT_TABLE} FROM {grantee}"))


def audit_privileges(engine: Engine, role: str) -> set[str]:
    """What `role` may do to the audit log (SELECT, INSERT, UPDATE, DELETE, TRUNCATE)."""
    with engine.connect() as conn:
        return {
            privilege
            for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
            if conn.execute(
                text("SELECT has_table_privilege(:r, :t, :p)"),
                {"r": role, "t": AUDIT_TABLE, "p": privilege},
            ).scalar_one()
        }
