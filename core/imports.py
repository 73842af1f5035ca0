"""CSV imports, all or nothing: decode, parse, validate every row, then apply every row in one
transaction. Shared by the apps (housing's stock and households; allocations and arrears can
declare their own specs). API documented in docs/imports.md.

    spec = ImportSpec(columns=[Column("reference", parse=text(max_length=60)), ...],
                      apply_row=my_apply)        # my_apply(values: dict, line: int) -> "created" | "updated"
    result = run_import(content, spec, progress=lambda done, total: ...)
    # -> ImportResult(total=…, created=…, updated=…); raises ImportFailed(errors) and applies
    #    nothing when any row is bad.

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
from django.db import transaction

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


@dataclass
class ImportSpec:
    columns: list[Column]
    # apply_row(values, line) -> "created" | "updated" (or anything countable). Raise
    # django ValidationError (keyed by column name when possible) to refuse the row.
    apply_row: Callable[[dict[str, Any], int], str]
    # Optional check of the whole file once rows are parsed (cross-row rules); returns errors.
    check_rows: Callable[[list[tuple[int, dict[str, Any]]]], list[RowError]] | None = None


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
    parsed: list[tuple[int, dict[str, Any]]] = []
    for line, record in raw_rows:
        values: dict[str, Any] = {}
        if len(record) > len(header):
            errors.append(
                RowError(line, "", f"{len(record)} cellules pour {len(header)} colonnes.")
            )
            continue
        for column in columns:
            index = positions.get(_key(column.name))
            raw = record[index].strip() if index is not None and index < len(record) else ""
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


def boolean(raw: str) -> bool:
    value = _key(raw)
    if value in ("1", "oui", "o", "vrai", "true", "x", "y", "yes"):
        return True
    if value in ("0", "non", "n", "faux", "false", "no"):
        return False
    raise ValueError(f"« {raw} » : attendu oui ou non.")


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

    def parse(raw: str) -> str:
        try:
            return by_key[_key(raw)]
        except KeyError as error:
            allowed = ", ".join(str(value) for value, _ in choices if value)
            raise ValueError(f"« {raw} » inconnu ; valeurs admises : {allowed}.") from error

    return parse
