"""CSV imports, all or nothing: decode, parse, validate every row, then apply every row in one
transaction. Shared by the apps (housing's stock and households; allocations and arrears can
declare their own specs). API documented in docs/imports.md.

    spec = ImportSpec(columns=[Column("reference", parse=text(max_length=60)), ...],
                      apply_row=my_apply)        # my_apply(values: dict, line: int) -> "created" | "updated"
    result = run_import(content, spec, progress=lambda done, total: ...)
    # -> ImportResult(total=…, counts={…}); raises ImportFailed(errors) and applies nothing
    #    when any row is bad.

Big files (100,000 dwellings) declare `apply_rows` instead of `apply_row`: the spec checks every
row in Python against references it loaded once (`FieldValidator` gives the models' own French
messages without a query per row), then writes them set-based (`write_rows`: COPY into a
temporary table and one INSERT / one UPDATE on PostgreSQL, bulk_create / bulk_update elsewhere).

Accepts what Excel exports: UTF-8 with or without BOM, else Windows-1252; `;`, `,` or tab
separators (sniffed from the header line). Header names are matched without case, accents or
surrounding spaces. Line numbers are the file's (the header is line 1).
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

HEADER_LINE = 1


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = f"ligne {self.line}" + (f", colonne « {self.column} »" if self.column else "")
        return f"{where} : {self.message}"


class ImportFailed(Exception):
    """The file was refused; nothing of it was applied."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} erreur(s)")
        self.errors = errors


@dataclass(frozen=True)
class Column:
    """A column of the file. `parse(raw: str) -> value` raises ValueError with a French
    message; an empty cell of an optional column gives `default` without calling parse."""

    name: str
    parse: Callable[[str], Any] = lambda raw: raw
    required: bool = True
    default: Any = ""
    help: str = ""


Rows = list[tuple[int, dict[str, Any]]]
Progress = Callable[[int, int], None]


@dataclass
class ImportSpec:
    columns: list[Column]
    # apply_row(values, line) -> "created" | "updated" (or anything countable). Raise
    # django ValidationError (keyed by column name when possible) to refuse the row.
    apply_row: Callable[[dict[str, Any], int], str] | None = None
    # Optional check of the whole file once rows are parsed (cross-row rules); returns errors.
    check_rows: Callable[[Rows], list[RowError]] | None = None
    # Set-based alternative to apply_row, for big files: apply_rows(rows, progress) checks every
    # row, raises ImportFailed(every error) before writing anything, else writes them all and
    # returns the counts ({"created": …, "updated": …, "unchanged": …}). progress(done, total)
    # as run_import's.
    apply_rows: Callable[[Rows, Progress | None], dict[str, int]] | None = None


@dataclass
class ImportResult:
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)


# --- Decoding and parsing -------------------------------------------------------------------------


def decode(content: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252 (Excel's "CSV" on French Windows)."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(" ", "_")


def read_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows with their line numbers (blank lines skipped)."""
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] = []
    for record in reader:
        line = reader.line_num
        if not header:
            header = [_key(cell) for cell in record]
            continue
        if not any(cell.strip() for cell in record):
            continue
        rows.append((line, record))
    return header, rows


def parse_rows(
    content: bytes, columns: list[Column]
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """Decode and parse the file; every bad cell is an error (line, column, reason)."""
    try:
        header, raw_rows = read_rows(decode(content))
    except csv.Error as error:
        return [], [RowError(HEADER_LINE, "", f"Fichier CSV illisible ({error}).")]
    errors: list[RowError] = []
    if not header:
        return [], [RowError(HEADER_LINE, "", "Le fichier est vide.")]
    positions = {name: index for index, name in enumerate(header)}
    for column in columns:
        if column.required and _key(column.name) not in positions:
            errors.append(RowError(HEADER_LINE, column.name, "Colonne obligatoire absente."))
    if errors:
        return [], errors
    # Where each column is, once (not once per cell: 100,000 rows × 25 columns).
    located = [(column, positions.get(_key(column.name))) for column in columns]
    parsed: list[tuple[int, dict[str, Any]]] = []
    for line, record in raw_rows:
        values: dict[str, Any] = {}
        if len(record) > len(header):
            errors.append(
                RowError(line, "", f"{len(record)} cellules pour {len(header)} colonnes.")
            )
            continue
        width = len(record)
        for column, index in located:
            raw = record[index].strip() if index is not None and index < width else ""
            if raw == "":
                if column.required:
                    errors.append(RowError(line, column.name, "Valeur obligatoire manquante."))
                values[column.name] = column.default
                continue
            try:
                values[column.name] = column.parse(raw)
            except (ValueError, ArithmeticError) as error:
                errors.append(RowError(line, column.name, str(error) or "Valeur invalide."))
        parsed.append((line, values))
    return parsed, errors


def _validation_errors(error: ValidationError, line: int, columns: set[str]) -> list[RowError]:
    if hasattr(error, "error_dict"):
        return [
            RowError(line, name if name in columns else "", message)
            for name, errors in error.error_dict.items()
            for e in errors
            for message in e.messages
        ]
    return [RowError(line, "", message) for message in error.messages]


def run_import(
    content: bytes,
    spec: ImportSpec,
    *,
    progress: Callable[[int, int], None] | None = None,
    progress_every: int = 50,
) -> ImportResult:
    """Validate the whole file, then apply it in one transaction. Any error (parsing, a cross-row
    check, or a row refused while applying) raises ImportFailed with every error found and
    leaves the database as it was. `progress(done, total)` is called every `progress_every` rows
    (it must write outside the import's transaction to be seen, see housing/imports.py)."""
    rows, errors = parse_rows(content, spec.columns)
    if not errors and spec.check_rows is not None:
        errors = spec.check_rows(rows)
    if errors:
        raise ImportFailed(errors)
    result = ImportResult(total=len(rows))
    if spec.apply_rows is not None:
        with transaction.atomic():  # ImportFailed raised inside rolls everything back
            counts = spec.apply_rows(rows, progress)
        result.counts = {outcome: count for outcome, count in counts.items() if count}
        return result
    assert spec.apply_row is not None, "an ImportSpec needs apply_row or apply_rows"
    names = {column.name for column in spec.columns}
    failed: list[RowError] = []
    with transaction.atomic():
        for done, (line, values) in enumerate(rows, start=1):
            try:
                with transaction.atomic():
                    outcome = spec.apply_row(values, line)
            except ValidationError as error:
                failed.extend(_validation_errors(error, line, names))
            else:
                result.counts[outcome] = result.counts.get(outcome, 0) + 1
            if progress and (done % progress_every == 0 or done == len(rows)):
                progress(done, len(rows))
        if failed:
            raise ImportFailed(failed)
    return result


# --- Set-based apply (ImportSpec.apply_rows) ------------------------------------------------------


class FieldValidator:
    """What `Model.full_clean()` says of the given field values — the same French messages, in
    the model's field order — without an instance or a query: relations, unique checks,
    constraints and `Model.clean()` are the caller's (it knows its references). A file repeats the same
    typologies, surfaces and rents thousands of times, so each (field, value) is checked once."""

    def __init__(self, model: Any) -> None:
        self.fields = {f.name: f for f in model._meta.concrete_fields if not f.is_relation}
        self._names: dict[tuple[str, ...], list[str]] = {}  # keys given -> checked, in order
        self._seen: dict[tuple[str, type, Any], list[str]] = {}

    def errors(self, values: dict[str, Any]) -> dict[str, list[str]]:
        keys = tuple(values)
        names = self._names.get(keys)
        if names is None:
            names = self._names[keys] = [name for name in self.fields if name in values]
        found: dict[str, list[str]] = {}
        for name in names:
            value = values[name]
            # Decimal("1.5") == Decimal("1.50"), but not to a DecimalValidator: key on the text.
            key = (name, type(value), str(value) if type(value) is Decimal else value)
            messages = self._seen.get(key)
            if messages is None:
                messages = self._seen[key] = self._check(self.fields[name], value)
            if messages:
                found[name] = messages
        return found

    @staticmethod
    def _check(field: Any, value: Any) -> list[str]:
        if field.blank and value in field.empty_values:
            return []  # as Model.clean_fields
        try:
            field.clean(value, None)
        except ValidationError as error:
            return [str(message) for message in error.messages]
        return []


def row_errors(line: int, errors: dict[str, list[str]], columns: dict[str, str]) -> list[RowError]:
    """A row's field errors (FieldValidator.errors) keyed by the file's column names."""
    return [
        RowError(line, columns.get(name, name), message)
        for name, messages in errors.items()
        for message in messages
    ]


def write_rows(
    model: Any,
    *,
    organization_id: int,
    acting_user_id: int | None,
    fields: list[str],
    creates: list[dict[str, Any]],
    updates: list[dict[str, Any]],
    returning: str | None = None,
) -> dict[Any, int]:
    """Insert `creates` and update `updates` (each also carrying "id") of an organisation-owned
    model, `fields` (attnames) being what the file sets; created_at/updated_at/… filled here.
    Returns {row[returning]: new id} of the created rows when `returning` names a field.

    PostgreSQL: the rows go through COPY into a temporary table, then one INSERT … SELECT and
    one UPDATE … FROM that only touches rows whose values really differ. Row-level security
    and the audit trigger apply as to any write. Elsewhere (the SQLite demo): bulk_create and
    bulk_update."""
    if connection.vendor == "postgresql":
        return _write_rows_postgresql(
            model, organization_id, acting_user_id, fields, creates, updates, returning
        )
    return _write_rows_generic(
        model, organization_id, acting_user_id, fields, creates, updates, returning
    )


def _write_rows_postgresql(
    model: Any,
    organization_id: int,
    acting_user_id: int | None,
    fields: list[str],
    creates: list[dict[str, Any]],
    updates: list[dict[str, Any]],
    returning: str | None,
) -> dict[Any, int]:
    opts = model._meta
    table = opts.db_table
    quote = connection.ops.quote_name
    load = f"pg_temp.{quote(f'import_{table}')}"  # never a table of the schema
    by_attname = {f.attname: f for f in opts.concrete_fields}
    typed = [
        (
            name,
            by_attname[name].rel_db_type(connection)
            if by_attname[name].is_relation
            else by_attname[name].db_type(connection),
        )
        for name in fields
    ]
    columns = ", ".join(quote(name) for name in fields)
    now = timezone.now()
    created: dict[Any, int] = {}
    with connection.cursor() as cursor:
        for rows, with_id in ((creates, False), (updates, True)):
            if not rows:
                continue
            cursor.execute(f"DROP TABLE IF EXISTS {load}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {load} ("
                + ", ".join(["id bigint"] * with_id + [f"{quote(n)} {t}" for n, t in typed])
                + ") ON COMMIT DROP"
            )
            names = ["id", *fields] if with_id else fields
            with cursor.copy(
                f"COPY {load} ({', '.join(quote(n) for n in names)}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row([row[name] for name in names])
            if not with_id:
                cursor.execute(
                    f"INSERT INTO {quote(table)} (public_id, organization_id, created_at, "
                    f"updated_at, created_by_id, updated_by_id, {columns}) "
                    f"SELECT gen_random_uuid(), %s, %s, %s, %s, %s, {columns} FROM {load}"
                    + (f" RETURNING {quote(returning)}, id" if returning else ""),
                    [organization_id, now, now, acting_user_id, acting_user_id],
                )
                if returning:
                    created = dict(cursor.fetchall())
                continue
            target = ", ".join(f"t.{quote(n)}" for n in fields)
            source = ", ".join(f"s.{quote(n)}" for n in fields)
            cursor.execute(
                f"UPDATE {quote(table)} AS t SET "
                + ", ".join(f"{quote(n)} = s.{quote(n)}" for n in fields)
                + f", updated_at = %s, updated_by_id = %s FROM {load} AS s "
                f"WHERE t.id = s.id AND t.organization_id = %s "
                f"AND ({target}) IS DISTINCT FROM ({source})",
                [now, acting_user_id, organization_id],
            )
    return created


def _write_rows_generic(
    model: Any,
    organization_id: int,
    acting_user_id: int | None,
    fields: list[str],
    creates: list[dict[str, Any]],
    updates: list[dict[str, Any]],
    returning: str | None,
) -> dict[Any, int]:
    manager = model.objects.for_organization(organization_id)
    audit = {"created_by_id": acting_user_id, "updated_by_id": acting_user_id}
    made = manager.bulk_create(
        [
            model(organization_id=organization_id, **audit, **{n: row[n] for n in fields})
            for row in creates
        ],
        batch_size=1000,
    )
    now = timezone.now()
    manager.bulk_update(
        [
            model(
                id=row["id"],
                updated_at=now,
                updated_by_id=acting_user_id,
                **{n: row[n] for n in fields},
            )
            for row in updates
        ],
        [*(model._meta.get_field(n).name for n in fields), "updated_at", "updated_by"],
        batch_size=1000,
    )
    if not returning:
        return {}
    return {getattr(obj, returning): obj.pk for obj in made}


# --- Cell parsers (French messages) ----------------------------------------------------------------


def text(max_length: int) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if len(raw) > max_length:
            raise ValueError(f"{max_length} caractères au plus.")
        return raw

    return parse


def decimal(raw: str) -> Decimal:
    cleaned = raw.replace("\u00a0", "").replace(" ", "").replace("€", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(f"« {raw} » n'est pas un nombre (ex. 412,50).") from error
    if not value.is_finite():
        raise ValueError(f"« {raw} » n'est pas un nombre.")
    return value


def amount(raw: str) -> Decimal:
    value = decimal(raw)
    if value < 0:
        raise ValueError("Le montant ne peut être négatif.")
    return value.quantize(Decimal("0.01"))


def integer(raw: str) -> int:
    try:
        return int(raw.replace(" ", ""))
    except ValueError as error:
        raise ValueError(f"« {raw} » n'est pas un nombre entier.") from error


_TRUE = frozenset(("1", "oui", "o", "vrai", "true", "x", "y", "yes"))
_FALSE = frozenset(("0", "non", "n", "faux", "false", "no"))
_booleans: dict[str, bool] = {}  # raw cell -> value: a file repeats "oui" and "non" all along


def boolean(raw: str) -> bool:
    value = _booleans.get(raw)
    if value is not None:
        return value
    key = _key(raw)
    if key not in _TRUE and key not in _FALSE:
        raise ValueError(f"« {raw} » : attendu oui ou non.")
    value = key in _TRUE
    if len(_booleans) < 1000:
        _booleans[raw] = value
    return value


def date(raw: str) -> datetime.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"« {raw} » n'est pas une date (JJ/MM/AAAA).")


def choice(choices: Any) -> Callable[[str], str]:
    """A TextChoices value, given as its code or its French label (case and accents ignored)."""
    by_key = {}
    for value, label in choices:
        by_key[_key(str(value))] = value
        by_key[_key(str(label))] = value

    by_raw: dict[str, str] = {}  # raw cell -> value: no accent folding for the 2nd "T3"

    def parse(raw: str) -> str:
        value = by_raw.get(raw)
        if value is not None:
            return value
        try:
            value = by_key[_key(raw)]
        except KeyError as error:
            allowed = ", ".join(str(value) for value, _ in choices if value)
            raise ValueError(f"« {raw} » inconnu ; valeurs admises : {allowed}.") from error
        if len(by_raw) < 1000:
            by_raw[raw] = value
        return value

    return parse
