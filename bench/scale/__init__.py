"""Scale data: a large landlord's five years, generated fast with PostgreSQL COPY.

One generator module per app, `bench/scale/<app>.py`, with

    def generate(ctx: Context) -> None

run in the order of `GENERATORS`. A module whose models do not exist yet (the app has not
landed) returns without writing anything (`ctx.model("app.Model")` is None). Each module reads
what earlier ones produced from `ctx.state[org_slug][app]` and adds its own.

Rules that keep the data reproducible and the generators tolerant of model changes:

- randomness comes only from `ctx.rng(...)`, a `random.Random` seeded by (seed, key): adding a
  generator for one app never shifts another app's data;
- dates are relative to `ctx.as_of` (fixed per run, `--as-of`), timestamps to `ctx.now`;
- rows are written with `ctx.copy(Model, columns, rows)`: the column list is checked against
  `Model._meta`; columns the model no longer has are dropped, columns the generator does not
  give get the field's default (public ids: seeded UUIDs; auto_now: `ctx.now`; nullable:
  NULL). A NOT NULL column without default that the generator does not know is an error
  naming it. `ctx.insert_select(Model, expressions, from_sql, ...)` does the same for rows
  computed by PostgreSQL itself (the bulk of the account statements).

Everything runs as the owner role (BYPASSRLS) in ONE transaction: the audit trigger
(`parcours_audit`, core/db.py) is disabled on each table before its COPY and enabled again
before COMMIT. ALTER TABLE is transactional and takes an ACCESS EXCLUSIVE lock, so no other
session ever sees a table without its trigger; a failed run rolls back the data and the
trigger changes together.
"""

from __future__ import annotations

import contextlib
import json
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

AUDIT_TRIGGER = "parcours_audit"

# Generator modules, in dependency order.
GENERATORS = [
    "organizations",
    "housing",
    "cases",
    "allocations",
    "arrears",
    "quotas",
    "operations",
    "reporting",
]

# Per organisation, at size L (the figures). M is a tenth, S a few hundred dwellings.
L_VOLUMES: dict[str, int] = {
    "territories": 8,
    "partners": 40,
    "residences": 2_000,
    "dwellings": 100_000,
    "households": 110_000,
    "leases": 100_000,
    "users": 120,
    "applications_active": 60_000,
    "applications_history": 60_000,
    "accompaniments": 50_000,
    "interventions": 500_000,
    "sessions": 1_500,
    "decisions": 150_000,
    "arrears_cases": 20_000,
    "repayment_plans": 10_000,
    "fsl_aids": 5_000,
    "prospections": 90_000,
    "relocation_operations": 12,
    "relocation_households": 2_400,
    "collective_actions": 600,
    "insertion_clauses": 240,
    "campaign_targets": 15_000,
    "adaptation_requests": 3_000,
    "programme_enrolments": 1_500,
    "write_offs": 2_000,
    "relocation_requests": 600,
}
SIZES: dict[str, dict[str, Any]] = {
    "S": {"factor": 0.003, "months": 12},
    "M": {"factor": 0.1, "months": 60},
    "L": {"factor": 1.0, "months": 60},
}
MINIMUMS = {
    "territories": 2,
    "partners": 12,
    "residences": 4,
    "users": 8,
    "sessions": 3,
    "relocation_operations": 2,
    "relocation_households": 20,
    "collective_actions": 8,
    "insertion_clauses": 4,
    "campaign_targets": 20,
    "adaptation_requests": 10,
    "programme_enrolments": 10,
    "write_offs": 6,
    "relocation_requests": 4,
}


def volumes(size: str) -> dict[str, int]:
    spec = SIZES[size]
    out = {
        key: max(MINIMUMS.get(key, 1), round(value * spec["factor"]))
        for key, value in L_VOLUMES.items()
    }
    out["months"] = spec["months"]
    return out


class GeneratorError(RuntimeError):
    pass


@dataclass
class OrgInfo:
    id: int
    slug: str
    name: str
    index: int


@dataclass
class Context:
    conn: Any  # psycopg.Connection, owner role, one transaction
    seed: int
    size: str
    as_of: date
    stdout: Any = None
    n_orgs: int = 2
    orgs: list[OrgInfo] = field(default_factory=list)
    state: dict[str, dict[str, Any]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    _untriggered: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.volumes = volumes(self.size)
        self.now = datetime(self.as_of.year, self.as_of.month, self.as_of.day, 6, 0, tzinfo=UTC)

    # --- helpers for generators -------------------------------------------------------------

    def rng(self, *key: Any) -> random.Random:
        return random.Random(":".join(str(k) for k in (self.seed, *key)))

    def uuid(self, rng: random.Random) -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    def model(self, label: str) -> type[models.Model] | None:
        """The model, when it exists in the code AND its table in the database (an app whose
        migration has not run yet counts as missing)."""
        try:
            model = apps.get_model(label)
        except LookupError:
            return None
        if model._meta.db_table not in existing_tables(self.conn):
            return None
        return model

    @staticmethod
    def has_field(model: type[models.Model], name: str) -> bool:
        try:
            model._meta.get_field(name)
        except Exception:
            return False
        return True

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    def reserve_ids(self, model: type[models.Model], n: int) -> int:
        """Reserve n consecutive primary keys; returns the first."""
        table = model._meta.db_table
        if n <= 0:
            return 0
        with self.conn.cursor() as cur:
            cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            seq = cur.fetchone()[0]
            cur.execute("SELECT nextval(%s)", [seq])
            start = cur.fetchone()[0]
            cur.execute("SELECT setval(%s, %s)", [seq, start + n - 1])
        return int(start)

    def disable_audit(self, table: str) -> None:
        if table in self._untriggered:
            return
        with self.conn.cursor() as cur:
            cur.execute(
                "SELECT 1 FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = %s",
                [table, AUDIT_TRIGGER],
            )
            if cur.fetchone() is None:
                return
            cur.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER {AUDIT_TRIGGER}')
        self._untriggered.add(table)

    def enable_audit(self) -> None:
        with self.conn.cursor() as cur:
            for table in sorted(self._untriggered):
                cur.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER {AUDIT_TRIGGER}')
        self._untriggered.clear()

    @contextlib.contextmanager
    def bulk_mode(self, tables: list[str]) -> Iterator[None]:
        """For the whole load: drop the foreign keys and the plain indexes of `tables`, then add
        them back (definitions read from the catalogue, so exactly the migrations' ones). One
        validation join per foreign key and one sort per index instead of a lookup and an index
        insertion per row: several times faster. Constraints that back keys (primary, unique)
        stay, and so do CHECKs and constraint triggers."""
        saved_fk: list[tuple[str, str, str]] = []
        saved_idx: list[str] = []
        saved_keys: list[tuple[str, str, str]] = []
        with self.conn.cursor() as cur:
            cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cur.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
                "FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)",
                [tables],
            )
            saved_fk = cur.fetchall()
            for table, name, _ in saved_fk:
                cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            # Keys too (primary, unique): sorted once at the end instead of one random
            # insertion per row into each (public ids are random UUIDs). Skipped when something
            # outside these tables depends on one.
            cur.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
                "FROM pg_constraint c WHERE c.contype IN ('p', 'u') "
                "AND c.conrelid::regclass::text = ANY(%s)",
                [tables],
            )
            for table, name, definition in cur.fetchall():
                cur.execute("SAVEPOINT bulk_key")
                try:
                    cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                    cur.execute("RELEASE SAVEPOINT bulk_key")
                    saved_keys.append((table, name, definition))
                except Exception:
                    cur.execute("ROLLBACK TO SAVEPOINT bulk_key")
            cur.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s) AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [tables],
            )
            for name, definition in cur.fetchall():
                cur.execute(f"DROP INDEX {name}")
                saved_idx.append(definition)
        yield
        started = time.monotonic()
        with self.conn.cursor() as cur:
            for table, name, definition in saved_keys:
                cur.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            for definition in saved_idx:
                cur.execute(definition)
            t1 = time.monotonic()
            for table, name, definition in saved_fk:
                cur.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        self.log(
            f"  {len(saved_keys)} keys and {len(saved_idx)} indexes rebuilt in {t1 - started:.1f} s, "
            f"{len(saved_fk)} foreign keys checked in {time.monotonic() - t1:.1f} s"
        )

    def copy(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        rng: random.Random | None = None,
    ) -> int:
        """COPY rows into the model's table. `columns` are db column names (`residence_id`)."""
        meta = model._meta
        table = meta.db_table
        fields = {f.column: f for f in meta.concrete_fields}
        keep = [i for i, c in enumerate(columns) if c in fields]
        given = [columns[i] for i in keep]
        extra_cols: list[str] = []
        extra_vals: list[Any] = []
        per_row_uuid: list[int] = []
        for column, f in fields.items():
            if column in given or (column == "id" and isinstance(f, models.AutoField)):
                continue
            value = self._default(model, f)
            if value is _UUID:
                per_row_uuid.append(len(extra_cols))
            extra_cols.append(column)
            extra_vals.append(value)
        json_idx = [
            i for i, c in enumerate(given + extra_cols) if isinstance(fields[c], models.JSONField)
        ]
        all_cols = given + extra_cols
        uuid_rng = rng or self.rng("uuid", table)
        select: Callable[[Sequence[Any]], tuple] | None = None
        if len(keep) != len(columns):
            idx = keep

            def select(row: Sequence[Any]) -> tuple:
                return tuple(row[i] for i in idx)

        self.disable_audit(table)
        column_sql = ", ".join(f'"{c}"' for c in all_cols)
        n = 0
        getrandbits = uuid_rng.getrandbits
        with (
            self.conn.cursor() as cur,
            cur.copy(f'COPY "{table}" ({column_sql}) FROM STDIN') as cp,
        ):
            write = cp.write_row
            base_extra = tuple(extra_vals)
            for row in rows:
                if select is not None:
                    row = select(row)
                if per_row_uuid:
                    extra = list(base_extra)
                    for i in per_row_uuid:
                        extra[i] = uuid.UUID(int=getrandbits(128), version=4)
                    out = (*row, *extra)
                else:
                    out = (*row, *base_extra)
                if json_idx:
                    out = tuple(
                        json.dumps(v)
                        if i in json_idx and v is not None and not isinstance(v, str)
                        else v
                        for i, v in enumerate(out)
                    )
                write(out)
                n += 1
        self.counts[table] = self.counts.get(table, 0) + n
        return n

    def insert_select(
        self,
        model: type[models.Model],
        expressions: dict[str, str],
        from_sql: str,
        params: dict[str, Any],
        *,
        uuid_sql: str,
    ) -> int:
        """`INSERT INTO <table> (...) SELECT <expressions> FROM <from_sql>`: rows computed by
        PostgreSQL itself (no Python per row). Tolerant like `copy`: expressions for columns the
        model no longer has are dropped, the model's other columns get their defaults as typed
        parameters, its random public ids `uuid_sql` (which must be deterministic: an md5 of
        the seed and the row's position, never of an id)."""
        from django.db import connection

        meta = model._meta
        table = meta.db_table
        fields = {f.column: f for f in meta.concrete_fields}
        columns = [c for c in expressions if c in fields]
        select = [expressions[c] for c in columns]
        values = dict(params)
        for column, f in fields.items():
            if column in columns or (column == "id" and isinstance(f, models.AutoField)):
                continue
            value = self._default(model, f)
            columns.append(column)
            if value is _UUID:
                select.append(uuid_sql)
            else:
                name = f"default_{column}"
                values[name] = value
                select.append(f"%({name})s::{f.db_type(connection)}")
        self.disable_audit(table)
        column_sql = ", ".join(f'"{c}"' for c in columns)
        with self.conn.cursor() as cur:
            cur.execute(
                f'INSERT INTO "{table}" ({column_sql}) SELECT {", ".join(select)} FROM {from_sql}',
                values,
            )
            n = max(0, cur.rowcount)
        self.counts[table] = self.counts.get(table, 0) + n
        return n

    def _default(self, model: type[models.Model], f: models.Field) -> Any:
        if isinstance(f, models.UUIDField) and f.default is uuid.uuid4:
            return _UUID
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return self.now
        if f.has_default():
            default = f.default
            if default is timezone.now:
                return self.now
            if callable(default):
                default = default()
            if isinstance(f, models.JSONField):
                return json.dumps(default)
            if isinstance(default, models.Choices):
                return default.value
            return default
        if f.null:
            return None
        if f.empty_strings_allowed and f.blank:
            return ""
        raise GeneratorError(
            f"{model._meta.label}.{f.name} (NOT NULL, no default) is not generated: "
            f"add it to bench/scale/{model._meta.app_label}.py"
        )


_UUID = object()


def choose(rng: random.Random, weighted: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def chooser(rng: random.Random, weighted: Sequence[tuple[Any, float]]) -> Callable[[], Any]:
    """A fast weighted picker bound to rng."""
    import bisect
    import itertools

    values = [v for v, _ in weighted]
    cum = list(itertools.accumulate(w for _, w in weighted))
    total = cum[-1]
    r = rng.random

    def pick() -> Any:
        return values[bisect.bisect_right(cum, r() * total)]

    return pick


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


# --- Running -------------------------------------------------------------------------------------


def constraint_triggers(conn: Any) -> list[str]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT c.conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE n.nspname = 'public' AND c.contype = 't'"
        )
        return [r[0] for r in cur.fetchall()]


def existing_tables(conn: Any) -> set[str]:
    with conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {r[0] for r in cur.fetchall()}


def organization_tables(conn: Any) -> list[str]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t "
            "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = 'public' AND c.column_name = 'organization_id' "
            "AND t.table_type = 'BASE TABLE' ORDER BY 1"
        )
        return [r[0] for r in cur.fetchall()]


def delete_organizations(ctx: Context, slugs: list[str]) -> int:
    """Delete scale organisations and everything they own (for --replace). Tables are emptied
    in an order found by retrying on foreign-key errors (tolerant of new apps)."""
    conn = ctx.conn
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM organizations_organization WHERE slug = ANY(%s)", [slugs])
        ids = [r[0] for r in cur.fetchall()]
    if not ids:
        return 0
    tables = [t for t in organization_tables(conn) if t != "organizations_organization"]
    # Constraint triggers checking several rows (e.g. instalments adding up to their plan's
    # debt) are checked after the whole deletion; foreign keys stay immediate (the retry
    # order below relies on their errors).
    with conn.cursor() as cur:
        for name in constraint_triggers(conn):
            cur.execute(f'SET CONSTRAINTS "{name}" DEFERRED')
    for table in tables:
        ctx.disable_audit(table)
    pending = list(tables)
    for _ in range(len(tables) + 1):
        if not pending:
            break
        failed = []
        for table in pending:
            with conn.cursor() as cur:
                cur.execute("SAVEPOINT scale_delete")
                try:
                    cur.execute(f'DELETE FROM "{table}" WHERE organization_id = ANY(%s)', [ids])
                    cur.execute("RELEASE SAVEPOINT scale_delete")
                except Exception as error:
                    if getattr(error, "sqlstate", "") != "23503":
                        raise
                    cur.execute("ROLLBACK TO SAVEPOINT scale_delete")
                    failed.append(table)
        if failed == pending:
            raise GeneratorError(f"Cannot delete scale data from {failed}")
        pending = failed
    with conn.cursor() as cur:
        # Other tables pointing at the organisations or the bench users without organization_id.
        cur.execute(
            "DELETE FROM organizations_user WHERE email LIKE %s", ["%." + BENCH_EMAIL_DOMAIN]
        )
        cur.execute("DELETE FROM organizations_organization WHERE id = ANY(%s)", [ids])
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return len(ids)


BENCH_EMAIL_DOMAIN = "bench.parcours.test"
BENCH_PASSWORD = "parcours-bench-mot-de-passe"  # noqa: S105 - synthetic users of a bench database


def org_slug(index: int) -> str:
    return f"bench-{index + 1:02d}"


def generate(
    conn: Any,
    *,
    size: str,
    organizations: int,
    seed: int,
    as_of: date,
    replace: bool = False,
    only: list[str] | None = None,
    stdout: Any = None,
) -> Context:
    ctx = Context(conn=conn, seed=seed, size=size, as_of=as_of, stdout=stdout, n_orgs=organizations)
    started = time.monotonic()
    # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: check them immediately (a table
    # with pending trigger events cannot be altered: audit trigger, keys). Constraint triggers
    # checking several rows (instalments adding up to their plan's debt) fire at the end of
    # each COPY; their tables keep keys and indexes (bulk_mode leaves them alone).
    with conn.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM organizations_organization WHERE slug LIKE 'bench-%%'")
        existing = cur.fetchone()[0]
    if existing:
        if not replace:
            raise GeneratorError(
                f"{existing} organisation(s) bench-* already exist: pass --replace to regenerate."
            )
        with conn.cursor() as cur:
            cur.execute("SELECT slug FROM organizations_organization WHERE slug LIKE 'bench-%%'")
            old = [r[0] for r in cur.fetchall()]
        delete_organizations(ctx, old)
        ctx.log(f"  removed {len(old)} previous scale organisation(s)")
    with conn.cursor() as cur:
        cur.execute(
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger t "
            "JOIN pg_constraint c ON c.oid = t.tgconstraint WHERE c.contype = 't'"
        )
        checked = {r[0] for r in cur.fetchall()}
    bulk_tables = [
        t
        for t in organization_tables(conn)
        if t not in ("core_auditevent", "core_accessevent") and t not in checked
    ]
    try:
        with ctx.bulk_mode(bulk_tables):
            _run_generators(ctx, only)
    finally:
        if not conn.closed and conn.info.transaction_status.name != "INERROR":
            ctx.enable_audit()
    ctx.counts["_seconds"] = round(time.monotonic() - started, 1)
    return ctx


def _run_generators(ctx: Context, only: list[str] | None) -> None:
    for name in GENERATORS:
        if only and name not in only and name != "organizations":
            continue
        t0 = time.monotonic()
        module = import_module(f"bench.scale.{name}")
        before = sum(ctx.counts.values())
        written = module.generate(ctx)
        rows = sum(ctx.counts.values()) - before
        if written is False:
            ctx.log(f"  {name}: missing (models not there yet)")
        else:
            ctx.log(f"  {name}: {rows:,} rows in {time.monotonic() - t0:.1f} s")


def analyze(conn: Any, tables: Iterable[str]) -> None:
    """VACUUM (ANALYZE) the filled tables, after the load's transaction (autocommit): the
    statistics, and the visibility map that lets the planner use index-only scans — what
    autovacuum gives a production database (it is off on the project's machines: without this,
    every index scan of the bench data would visit the table)."""
    with conn.cursor() as cur:
        for table in sorted(set(tables)):
            cur.execute(f'VACUUM (ANALYZE) "{table}"')


def fingerprint(conn: Any, org_slugs: list[str]) -> dict[str, str]:
    """md5 per table of the scale organisations' rows, surrogate keys left out (ids and foreign
    key ids differ between runs; everything else must be identical for the same seed)."""
    out: dict[str, str] = {}
    tables = existing_tables(conn)
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM organizations_organization WHERE slug = ANY(%s)", [org_slugs])
        ids = [r[0] for r in cur.fetchall()]
        for model in apps.get_models():
            meta = model._meta
            if meta.db_table not in tables:
                continue
            cols = [
                f.column
                for f in meta.concrete_fields
                if not f.is_relation and not isinstance(f, models.AutoField)
            ]
            names = {f.column for f in meta.concrete_fields}
            if "organization_id" in names:
                where, params = "organization_id = ANY(%s)", [ids]
            elif meta.db_table == "organizations_organization":
                where, params = "id = ANY(%s)", [ids]
            elif meta.db_table == "organizations_user":
                where, params = "email LIKE %s", ["%." + BENCH_EMAIL_DOMAIN]
            else:
                continue
            if not cols:
                continue
            row = "concat_ws('|', " + ", ".join(f'"{c}"::text' for c in cols) + ")"
            cur.execute(
                f"SELECT count(*), md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) "
                f'FROM (SELECT {row} AS r FROM "{meta.db_table}" WHERE {where}) s',
                params,
            )
            count, digest = cur.fetchone()
            out[meta.db_table] = f"{count}:{digest}"
    return out
