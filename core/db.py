"""Database guards installed after every `migrate` on PostgreSQL, for every table at once.

Nobody has to remember them when adding a model: any table of the public schema that has an
`organization_id` column gets, automatically,

- row-level security, enabled and FORCED, with a policy for every command that admits only
  rows of the organisation set in the transaction (`app.organization_id`, see core/context.py);
  no organisation set, no rows. Apps may widen reads (`FOR SELECT` policies) or admit precise
  inserts (`FOR INSERT`) in `<app>/rls.py`; nothing ever widens UPDATE or DELETE;
- an audit trigger writing every insert/update/delete to `core_auditevent` (SECURITY DEFINER:
  the application role cannot write, change or delete audit rows itself);

and the application role (settings.DATABASE_APP_ROLE) gets the table privileges it needs, and
no more. The catalogue tests (tests/core/test_rls.py) check all of this from raw SQL.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections, migrations

logger = logging.getLogger(__name__)

POLICY_PREFIX = "parcours_"
OWN = "organization_id = core_current_organization_id()"
AUDIT_TRIGGER = "parcours_audit"
# Tables whose rows are themselves logs: no audit trigger on them.
UNAUDITED_TABLES = {
    "core_auditevent",
    "core_accessevent",
    # Monthly account statements are copies of the landlord's accounting system (the source of
    # truth), imported by the hundred thousand: each import writes one audit row of its own
    # (who, when, file checksum, counts — arrears/imports.py) instead of one per statement.
    # Measured: the per-row trigger made a 12 x 100,000 import 4x slower (docs/arrears.md).
    "arrears_accountstatement",
    # Computed figures of the dashboard (no personal data), recomputed every night and on
    # demand: auditing each refresh would copy every indicator of every year into the audit
    # trail. Who asked for a refresh is on the row (refresh_requested_at, updated_by).
    "reporting_indicatorsnapshot",
}
# Append-only for the application role.
APPEND_ONLY_TABLES = {"core_accessevent"}
READ_ONLY_TABLES = {"core_auditevent"}

FUNCTIONS_SQL = r"""
CREATE OR REPLACE FUNCTION core_current_organization_id() RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT NULLIF(current_setting('app.organization_id', true), '')::bigint $$;

CREATE OR REPLACE FUNCTION core_current_user_id() RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT NULLIF(current_setting('app.user_id', true), '')::bigint $$;

CREATE OR REPLACE FUNCTION core_audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    new_row jsonb;
    old_row jsonb;
    diff jsonb;
    src jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        new_row := to_jsonb(NEW); src := new_row; diff := new_row;
    ELSIF TG_OP = 'DELETE' THEN
        old_row := to_jsonb(OLD); src := old_row; diff := old_row;
    ELSE
        new_row := to_jsonb(NEW); old_row := to_jsonb(OLD); src := new_row;
        SELECT coalesce(jsonb_object_agg(n.key, jsonb_build_array(old_row -> n.key, n.value)), '{}'::jsonb)
          INTO diff
          FROM jsonb_each(new_row) AS n
         WHERE n.key NOT IN ('updated_at') AND (old_row -> n.key) IS DISTINCT FROM n.value;
        IF diff = '{}'::jsonb THEN
            RETURN NULL;
        END IF;
    END IF;
    -- Confidential text (columns named note, notes, *_note, *_notes, confidential_*) is never
    -- copied into the audit trail: only the fact that it changed.
    SELECT coalesce(jsonb_object_agg(d.key,
             CASE WHEN d.key ~ '(^|_)notes?$' OR d.key ~ '^confidential' THEN to_jsonb('«masqué»'::text)
                  ELSE d.value END), '{}'::jsonb)
      INTO diff FROM jsonb_each(diff) AS d;
    INSERT INTO core_auditevent (organization_id, table_name, row_pk, action, changes, actor_id, at)
    VALUES ((src ->> 'organization_id')::bigint, TG_TABLE_NAME, (src ->> 'id')::bigint,
            left(TG_OP, 1), diff, core_current_user_id(), now());
    RETURN NULL;
END
$$;

-- Retention of the logs (CNIL: 6 to 12 months): the application role may purge the logs of
-- the organisation in context, older than a date, and nothing else.
CREATE OR REPLACE FUNCTION core_purge_logs(before timestamptz) RETURNS TABLE(audit bigint, access bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    org bigint := core_current_organization_id();
    a bigint; b bigint;
BEGIN
    IF org IS NULL THEN
        RAISE EXCEPTION 'no organisation in context';
    END IF;
    DELETE FROM core_auditevent WHERE organization_id = org AND at < before;
    GET DIAGNOSTICS a = ROW_COUNT;
    DELETE FROM core_accessevent WHERE organization_id = org AND at < before;
    GET DIAGNOSTICS b = ROW_COUNT;
    RETURN QUERY SELECT a, b;
END
$$;
"""


def postgresql_only(
    forward: str | Sequence[str], backward: str | Sequence[str] = ()
) -> migrations.RunPython:
    """A migration operation running SQL statements on PostgreSQL only — functions, triggers,
    settings, indexes SQLite cannot declare — and nothing on SQLite (the demo has no row-level
    security and no use for them). `backward` undoes `forward`. No parameter interpolation: a
    `%` in the SQL is the SQL's."""

    def run(sql: str | Sequence[str]) -> Any:
        statements = [sql] if isinstance(sql, str) else list(sql)

        def apply(apps: Any, schema_editor: Any) -> None:
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement, params=None)

        return apply

    return migrations.RunPython(run(forward), run(backward), elidable=False)


def organization_tables(cursor: Any) -> list[str]:
    cursor.execute(
        """
        SELECT c.table_name FROM information_schema.columns c
        JOIN information_schema.tables t
          ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = 'public' AND c.column_name = 'organization_id'
          AND t.table_type = 'BASE TABLE'
        ORDER BY c.table_name
        """
    )
    return [row[0] for row in cursor.fetchall()]


def contributed_conditions(attribute: str = "EXTRA_CONDITIONS") -> dict[str, list[str]]:
    """Conditions that an app grants on another app's tables, declared in `<app>/rls.py`:

    - `EXTRA_CONDITIONS = {"table": "condition"}` widen **reads** (a `FOR SELECT` policy);
    - `EXTRA_INSERT_CONDITIONS = {"table": "condition"}` admit **inserts** of rows of another
      organisation (a `FOR INSERT` policy), e.g. an intervention a partner logs under mandate
      in the landlord's file (privacy/rls.py).

    Neither ever lets a row be updated or deleted outside its organisation: those commands
    only have the strict organisation policy."""
    from importlib import import_module

    found: dict[str, list[str]] = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.rls")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.rls":
                raise
            continue
        for table, extra in getattr(module, attribute, {}).items():
            found.setdefault(table, []).append(extra)
    return found


def model_read_condition(table: str) -> str | None:
    """A model's own `rls_extra_condition` (e.g. a user reads their own memberships)."""
    for model in apps.get_models():
        if model._meta.db_table == table:
            return getattr(model, "rls_extra_condition", None) or None
    return None


def partner_role_exists(cursor: Any) -> bool:
    cursor.execute("SELECT to_regrole(%s) IS NOT NULL", [settings.DATABASE_PARTNER_ROLE])
    return bool(cursor.fetchone()[0])


def wanted_policies(table: str, *, partner_role: str | None = None) -> dict[str, str]:
    """The policies of a table, by name (the name carries a digest of its definition, so a
    changed definition replaces the policy on the next `migrate`):

    - every command, every role: the organisation in context, for the rows read (USING) and
      written (WITH CHECK) — the only policy for UPDATE and DELETE;
    - SELECT only, every role: the model's own read widening (`rls_extra_condition`);
    - for the partner role only (`partner_role`, settings.DATABASE_PARTNER_ROLE; skipped when
      it does not exist): SELECT of the conditions apps contribute in `<app>/rls.py`, and
      INSERT of their insert conditions. The application switches to that role only while
      acting for an organisation that holds partner grants (core_activate): no other
      organisation's query carries those conditions, nor pays for them.

    Permissive policies of one command are ORed by PostgreSQL; keeping the widenings in
    policies of their own command means a row someone may read but does not own can never be
    updated (e.g. moved into their organisation) or deleted."""
    definitions = {
        "org": f"FOR ALL USING ({OWN}) WITH CHECK ({OWN})",
    }
    own_read = model_read_condition(table)
    if own_read:
        definitions["read"] = f"FOR SELECT USING ({own_read})"
    reads = contributed_conditions().get(table, [])
    inserts = contributed_conditions("EXTRA_INSERT_CONDITIONS").get(table, [])
    if partner_role:
        to = f'TO "{partner_role}"'
        if reads:
            definitions["partner_read"] = (
                f"FOR SELECT {to} USING (" + " OR ".join(f"({c})" for c in reads) + ")"
            )
        if inserts:
            definitions["partner_insert"] = (
                f"FOR INSERT {to} WITH CHECK (" + " OR ".join(f"({c})" for c in inserts) + ")"
            )
    return {
        f"{POLICY_PREFIX}{kind}_{hashlib.sha256(sql.encode()).hexdigest()[:10]}": sql
        for kind, sql in definitions.items()
    }


def install_database_guards(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == settings.DATABASE_APP_ROLE:
            return  # The application role cannot (and must not) change the guards.
        tables = organization_tables(cursor)
        if "core_auditevent" not in tables:
            return  # core's first migration has not run yet.
        cursor.execute(FUNCTIONS_SQL)
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'"
        )
        rls = {name: (enabled, forced) for name, enabled, forced in cursor.fetchall()}
        cursor.execute("SELECT tablename, policyname FROM pg_policies WHERE schemaname = 'public'")
        policies: dict[str, set[str]] = {}
        for table, name in cursor.fetchall():
            policies.setdefault(table, set()).add(name)
        cursor.execute(
            "SELECT event_object_table FROM information_schema.triggers WHERE trigger_name = %s",
            [AUDIT_TRIGGER],
        )
        audited = {row[0] for row in cursor.fetchall()}
        partner_role = settings.DATABASE_PARTNER_ROLE if partner_role_exists(cursor) else None
        if partner_role is None:
            logger.warning(
                "Database role %s does not exist: partner access is refused by the database "
                "until `manage.py db_setup` creates it.",
                settings.DATABASE_PARTNER_ROLE,
            )

        for table in tables:
            quoted = connection.ops.quote_name(table)
            if rls.get(table) != (True, True):
                cursor.execute(f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY")
                cursor.execute(f"ALTER TABLE {quoted} FORCE ROW LEVEL SECURITY")
            wanted = wanted_policies(table, partner_role=partner_role)
            existing = policies.get(table, set())
            for name in sorted(existing - set(wanted)):
                if name.startswith(POLICY_PREFIX):
                    cursor.execute(f"DROP POLICY {connection.ops.quote_name(name)} ON {quoted}")
            for name, definition in wanted.items():
                if name not in existing:
                    cursor.execute(
                        f"CREATE POLICY {connection.ops.quote_name(name)} ON {quoted} {definition}"
                    )
            if table in UNAUDITED_TABLES and table in audited:
                cursor.execute(f"DROP TRIGGER {AUDIT_TRIGGER} ON {quoted}")
            if table not in UNAUDITED_TABLES and table not in audited:
                cursor.execute(
                    f"CREATE TRIGGER {AUDIT_TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {quoted} "
                    "FOR EACH ROW EXECUTE FUNCTION core_audit_row()"
                )
        _grant(connection, cursor)


def _grant(connection: Any, cursor: Any) -> None:
    for role in (settings.DATABASE_APP_ROLE, settings.DATABASE_PARTNER_ROLE):
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            logger.warning("Database role %s does not exist: run `manage.py db_setup`.", role)
            continue
        _grant_role(connection, cursor, role)


def _grant_role(connection: Any, cursor: Any, role: str) -> None:
    """The application's table privileges; the partner role gets the same (it is the
    application acting for a partner: the policies, not the grants, tell them apart)."""
    r = connection.ops.quote_name(role)
    extra = "".join(f", {p}" for p in getattr(settings, "DATABASE_APP_ROLE_EXTRA_GRANTS", []))
    cursor.execute(f"GRANT USAGE ON SCHEMA public TO {r}")
    cursor.execute(
        f"GRANT SELECT, INSERT, UPDATE, DELETE{extra} ON ALL TABLES IN SCHEMA public TO {r}"
    )
    cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}")
    for table in READ_ONLY_TABLES:
        cursor.execute(
            f"REVOKE INSERT, UPDATE, DELETE ON {connection.ops.quote_name(table)} FROM {r}"
        )
    for table in APPEND_ONLY_TABLES:
        cursor.execute(f"REVOKE UPDATE, DELETE ON {connection.ops.quote_name(table)} FROM {r}")
    # django_migrations is the owner's business.
    cursor.execute(f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {r}")
