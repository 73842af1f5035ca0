"""Import of monthly account statements (CSV from the landlord's accounting system).

Guarantees (the same as the housing import): the file is read as UTF-8 (with or without BOM)
or Windows-1252, `;` separated (`,` accepted when the header says so); every bad row is
reported with its line, column and reason, and then **nothing** is written; a valid file is
applied in one transaction; importing the same file twice changes nothing (one statement per
lease and month, upserted on that key).

Decoding is `core.imports.decode` (shared with the housing import). `core.imports.run_import`
applies rows one by one (`apply_row`), which cannot reach the volume here (1.2 M rows a year),
so this module keeps its own bulk path; its generic half (`read_table`, `RowError`,
`ImportReport`, `parse_amount`, `parse_month`) knows nothing of arrears and can move to
`core/imports.py`.

Speed (12 months × 100,000 leases in under two minutes, bench/arrears_import.py): cells are
checked without building Decimals when they are plain amounts (`AMOUNT`); on PostgreSQL, rows
go through COPY into a temporary table, then one UPDATE of the statements whose figures differ
and one INSERT of the new ones. Statements that did not change are not touched (no new row
version, no lock): re-importing a year is mostly reading it.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from core.imports import decode  # UTF-8 (BOM dropped), else Windows-1252

# --- Generic CSV reading (to move to core/imports.py) ---------------------------------------------

MAX_REPORTED_ERRORS = 200


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"ligne {self.line}" + (f", colonne « {self.column} »" if self.column else "")
        return f"{where} : {self.reason}"


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    parse_seconds: float = 0.0
    apply_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, line: int, column: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(line, column, reason))

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": self.error_count,
            "errors": [
                {"line": e.line, "column": e.column, "reason": e.reason} for e in self.errors
            ],
        }


def read_table(
    data: bytes | str, *, required: list[str], optional: list[str] = ()
) -> tuple[list[str], Iterator[tuple[int, list[str]]], list[RowError]]:
    """Header (normalised) and an iterator of (line number, cells). Header problems are
    returned as errors (line 1) instead of rows."""
    text = decode(data) if isinstance(data, bytes) else data.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line or "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [normalise_header(cell) for cell in next(reader)]
    except StopIteration:
        return [], iter(()), [RowError(1, "", "Le fichier est vide.")]
    errors = [
        RowError(1, name, "Colonne obligatoire absente de l'en-tête.")
        for name in required
        if name not in header
    ]
    known = set(required) | set(optional)
    errors += [
        RowError(1, name, "Colonne inconnue.") for name in header if name and name not in known
    ]

    def rows() -> Iterator[tuple[int, list[str]]]:
        for cells in reader:
            # Blank lines are skipped; the first cell is enough to know for nearly every row.
            if cells and (cells[0].strip() or any(cell.strip() for cell in cells)):
                yield reader.line_num, cells

    return header, rows(), errors


def normalise_header(cell: str) -> str:
    cell = cell.strip().lower().replace(" ", "_").replace("-", "_")
    for accented, plain in (("é", "e"), ("è", "e"), ("ê", "e"), ("à", "a"), ("ç", "c")):
        cell = cell.replace(accented, plain)
    return cell


AMOUNT_LIMIT = Decimal("100000000")


def parse_amount(raw: str, *, allow_negative: bool = False) -> Decimal:
    """French or English decimal (1 234,56 / 1234.56), two decimals at most. ValueError in French."""
    cleaned = raw.strip().replace("\u00a0", "").replace(" ", "").replace("€", "").replace(",", ".")
    if not cleaned:
        raise ValueError("Montant manquant.")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(f"Montant illisible : « {raw.strip()} ».") from error
    if not value.is_finite() or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"Montant invalide (deux décimales au plus) : « {raw.strip()} ».")
    if abs(value) >= AMOUNT_LIMIT:
        raise ValueError(f"Montant hors limites : « {raw.strip()} ».")
    if value < 0 and not allow_negative:
        raise ValueError(f"Montant négatif : « {raw.strip()} ».")
    return value


# What parse_amount accepts as it is, checked without building a Decimal (1.2 M rows × 4 cells):
# eight digits at most (AMOUNT_LIMIT), two decimals at most, a sign only where allowed. Anything
# else (spaces, "€", errors) goes through parse_amount.
AMOUNT = re.compile(r"[0-9]{1,8}(?:[.,][0-9]{1,2})?")  # ASCII digits: what PostgreSQL reads
SIGNED_AMOUNT = re.compile(r"-?[0-9]{1,8}(?:[.,][0-9]{1,2})?")

MONTH_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})(?:-01)?$"), (1, 2)),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), (2, 1)),
    (re.compile(r"^01/(\d{1,2})/(\d{4})$"), (2, 1)),
]


def parse_month(raw: str) -> datetime.date:
    """2026-03, 2026-03-01, 03/2026 or 01/03/2026 → 1 March 2026."""
    value = raw.strip()
    for pattern, (year_group, month_group) in MONTH_PATTERNS:
        match = pattern.match(value)
        if match:
            year, month = int(match.group(year_group)), int(match.group(month_group))
            if 1 <= month <= 12 and 1990 <= year <= 2100:
                return datetime.date(year, month, 1)
            break
    raise ValueError(f"Mois illisible : « {value} » (attendu AAAA-MM ou MM/AAAA).")


TRUE_VALUES = {"oui", "o", "1", "true", "vrai", "x", "parti"}
FALSE_VALUES = {"non", "n", "0", "false", "faux", "", "present", "présent"}


# --- Account statements ---------------------------------------------------------------------------

COLUMNS = ["bail", "mois", "quittance", "aide_logement", "encaissements", "solde"]
OPTIONAL_COLUMNS = ["parti"]
TEMPLATE_CSV = (
    "bail;mois;quittance;aide_logement;encaissements;solde;parti\r\n"
    "BAIL-000123;2026-01;530,00;210,00;320,00;0,00;non\r\n"
)


def _lease_index(organization: Any) -> dict[str, tuple[int, datetime.date | None]]:
    from housing.models import Lease

    return {
        ref: (pk, end)
        for ref, pk, end in Lease.objects.for_organization(organization)
        .exclude(external_ref="")
        .values_list("external_ref", "pk", "end_date")
    }


def parse_statements(data: bytes | str, *, organization: Any) -> tuple[list[tuple], ImportReport]:
    """Validate the whole file; rows as (lease_id, month, billed, hb, payments, balance, departed)."""
    report = ImportReport()
    header, rows, header_errors = read_table(data, required=COLUMNS, optional=OPTIONAL_COLUMNS)
    for error in header_errors:
        report.add_error(error.line, error.column, error.reason)
    if header_errors:
        return [], report
    position = {name: header.index(name) for name in COLUMNS + OPTIONAL_COLUMNS if name in header}
    leases = _lease_index(organization)
    months: dict[str, datetime.date] = {}
    seen: dict[int, int] = {}
    parsed: list[tuple] = []
    width = len(header)
    departed_at = position.get("parti")
    bail_at, month_at = position["bail"], position["mois"]
    amount_cells = [
        (name, position[name], name == "solde")
        for name in ("quittance", "aide_logement", "encaissements", "solde")
    ]
    billed_at, benefit_at, payments_at, balance_at = (index for _, index, _ in amount_cells)
    plain, signed = AMOUNT.fullmatch, SIGNED_AMOUNT.fullmatch
    count = 0
    for line, cells in rows:
        count += 1
        if len(cells) != width:
            report.add_error(
                line, "", f"{len(cells)} colonnes au lieu de {width} (séparateur « ; » attendu)."
            )
            continue
        ok = True
        ref = cells[bail_at].strip()
        lease = leases.get(ref)
        if lease is None:
            report.add_error(
                line, "bail", f"Bail inconnu : « {ref} »." if ref else "Bail manquant."
            )
            ok = False
        raw_month = cells[month_at]
        month = months.get(raw_month)
        if month is None:
            try:
                month = months[raw_month] = parse_month(raw_month)
            except ValueError as error:
                report.add_error(line, "mois", str(error))
                ok = False
        billed, benefit, payments, balance = (
            cells[billed_at],
            cells[benefit_at],
            cells[payments_at],
            cells[balance_at],
        )
        if plain(billed) and plain(benefit) and plain(payments) and signed(balance):
            # "530,00", "-12.5": already what the database reads, no Decimal needed.
            amounts = [
                billed.replace(",", "."),
                benefit.replace(",", "."),
                payments.replace(",", "."),
                balance.replace(",", "."),
            ]
        else:
            amounts = []
            for name, index, allow_negative in amount_cells:
                try:
                    amounts.append(str(parse_amount(cells[index], allow_negative=allow_negative)))
                except ValueError as error:
                    report.add_error(line, name, str(error))
                    ok = False
        departed = None
        if departed_at is not None:
            raw = cells[departed_at].strip().lower()
            if raw in TRUE_VALUES:
                departed = True
            elif raw in FALSE_VALUES:
                departed = False
            else:
                report.add_error(line, "parti", f"Valeur attendue oui ou non : « {raw} ».")
                ok = False
        if not ok:
            continue
        assert lease is not None and month is not None
        key = lease[0] * 100_000 + month.year * 12 + month.month
        if key in seen:
            report.add_error(
                line, "mois", f"Ce bail a déjà une ligne pour ce mois (ligne {seen[key]})."
            )
            continue
        seen[key] = line
        if departed is None:
            departed = lease[1] is not None and lease[1] < month
        # Amounts kept as their normalised text (memory: a year of 100,000 leases is 1.2 M rows).
        parsed.append((lease[0], month, *amounts, departed))
    report.rows = count
    return parsed, report


STATEMENT_FIELDS = [
    "lease_id",
    "month",
    "billed",
    "housing_benefit",
    "payments",
    "balance",
    "tenant_departed",
]


def _month_range(rows: list[tuple]) -> tuple[datetime.date, datetime.date]:
    months = {row[1] for row in rows}
    return min(months), max(months)


def _apply_postgresql(
    organization_id: int, user_id: int | None, rows: list[tuple]
) -> tuple[int, int]:
    """COPY the file into a temporary table, then update the statements whose figures changed
    and insert the new ones. Unchanged statements are not touched at all (no new row version,
    no lock), which makes re-importing a year cheap."""
    if not rows:
        return 0, 0
    now = timezone.now()
    updatable = [f for f in STATEMENT_FIELDS if f not in ("lease_id", "month")]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS arrears_statement_load ("
            "lease_id bigint, month date, billed numeric(10,2), housing_benefit numeric(10,2), "
            "payments numeric(10,2), balance numeric(10,2), tenant_departed boolean) "
            "ON COMMIT DROP"
        )
        cursor.execute("TRUNCATE pg_temp.arrears_statement_load")
        with cursor.copy(
            f"COPY pg_temp.arrears_statement_load ({', '.join(STATEMENT_FIELDS)}) FROM STDIN"
        ) as copy:
            buffer = io.StringIO()
            for index, row in enumerate(rows, 1):
                buffer.write(
                    f"{row[0]}\t{row[1].isoformat()}\t{row[2]}\t{row[3]}\t{row[4]}\t{row[5]}\t"
                    f"{'t' if row[6] else 'f'}\n"
                )
                if index % 50_000 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        # Temporary tables are never analysed automatically: the planner needs the load's size
        # and keys to join it with the statements.
        cursor.execute("ANALYZE pg_temp.arrears_statement_load")
        cursor.execute(
            f"""
            UPDATE arrears_accountstatement AS s SET
                {", ".join(f"{f} = l.{f}" for f in updatable)},
                updated_at = %s, updated_by_id = %s
            FROM pg_temp.arrears_statement_load AS l
            WHERE s.lease_id = l.lease_id AND s.month = l.month AND s.organization_id = %s
              AND s.month BETWEEN %s AND %s
              AND ({", ".join(f"s.{f}" for f in updatable)})
                  IS DISTINCT FROM ({", ".join(f"l.{f}" for f in updatable)})
            """,
            # The file's months only: a year's statements, not the organisation's whole history.
            [now, user_id, organization_id, *_month_range(rows)],
        )
        updated = cursor.rowcount
        # ON CONFLICT only for a statement another import inserted meanwhile: the file wins.
        cursor.execute(
            f"""
            INSERT INTO arrears_accountstatement
                (public_id, organization_id, created_at, updated_at, created_by_id,
                 updated_by_id, {", ".join(STATEMENT_FIELDS)})
            SELECT gen_random_uuid(), %s, %s, %s, %s, %s, {", ".join(f"l.{f}" for f in STATEMENT_FIELDS)}
            FROM pg_temp.arrears_statement_load AS l
            WHERE NOT EXISTS (
                SELECT FROM arrears_accountstatement AS s
                WHERE s.lease_id = l.lease_id AND s.month = l.month
            )
            ON CONFLICT (lease_id, month) DO UPDATE SET
                {", ".join(f"{f} = EXCLUDED.{f}" for f in updatable)},
                updated_at = EXCLUDED.updated_at, updated_by_id = EXCLUDED.updated_by_id
            WHERE ({", ".join(f"arrears_accountstatement.{f}" for f in updatable)})
                IS DISTINCT FROM ({", ".join(f"EXCLUDED.{f}" for f in updatable)})
            """,
            [organization_id, now, now, user_id, user_id],
        )
        created = cursor.rowcount
    return created, updated


def _apply_generic(organization_id: int, user_id: int | None, rows: list[tuple]) -> tuple[int, int]:
    from arrears.models import AccountStatement

    existing = {
        (lease_id, month): values
        for lease_id, month, *values in AccountStatement.objects.filter(
            lease_id__in={row[0] for row in rows}
        ).values_list(*STATEMENT_FIELDS)
    }
    rows = [(r[0], r[1], *(Decimal(a) for a in r[2:6]), r[6]) for r in rows]
    changed = [row for row in rows if existing.get((row[0], row[1])) != list(row[2:])]
    AccountStatement.objects.bulk_create(
        [
            AccountStatement(
                organization_id=organization_id,
                created_by_id=user_id,
                updated_by_id=user_id,
                **dict(zip(STATEMENT_FIELDS, row, strict=True)),
            )
            for row in changed
        ],
        update_conflicts=True,
        unique_fields=["lease", "month"],
        update_fields=[f for f in STATEMENT_FIELDS if f not in ("lease_id", "month")]
        + ["updated_at", "updated_by"],
        batch_size=2000,
    )
    created = sum(1 for row in changed if (row[0], row[1]) not in existing)
    return created, len(changed) - created


@transaction.atomic
def statements_import(
    *, organization: Any, data: bytes | str, acting_user: Any = None
) -> ImportReport:
    """Validate the whole file, then upsert every statement in one transaction, or nothing."""
    started = time.perf_counter()
    rows, report = parse_statements(data, organization=organization)
    report.parse_seconds = time.perf_counter() - started
    if not report.ok:
        return report
    user_id = getattr(acting_user, "pk", acting_user)
    apply = _apply_postgresql if connection.vendor == "postgresql" else _apply_generic
    started = time.perf_counter()
    report.created, report.updated = apply(organization.pk, user_id, rows)
    report.apply_seconds = time.perf_counter() - started
    report.unchanged = len(rows) - report.created - report.updated
    from arrears.models import StatementImport

    raw = data.encode() if isinstance(data, str) else data
    StatementImport.objects.create(
        organization=organization,
        file_sha256=hashlib.sha256(raw).hexdigest(),
        rows=len(rows),
        created_count=report.created,
        updated_count=report.updated,
        unchanged_count=report.unchanged,
        created_by_id=user_id,
        updated_by_id=user_id,
    )
    return report
