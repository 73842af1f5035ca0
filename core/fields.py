"""Fields that behave the same on PostgreSQL (tests, production) and on the SQLite demo."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.fields.array import ArrayContains, ArrayExact, ArrayOverlap
from django.contrib.postgres.indexes import GinIndex
from django.db import models


class StringListField(ArrayField):
    """A short list of codes (motives, communes, typologies).

    PostgreSQL: a real array (GIN-indexable, `__contains`, `__overlap`, `=`). SQLite (the embedded
    demo of `make run`): JSON text, with the same three lookups written with `json_each`.
    """

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return super().db_type(connection)
        return "text"

    def cast_db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return super().cast_db_type(connection)
        return "text"

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        if connection.vendor == "postgresql":
            return super().get_placeholder(value, compiler, connection)
        return "%s"

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if connection.vendor == "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        return None if value is None else json.dumps([str(item) for item in value])

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value)
        return value


class _SQLiteListLookup:
    """Keeps the raw list: ArrayField's lookups turn it into a PostgreSQL ARRAY[] expression."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        self.raw_values = [str(v) for v in rhs] if isinstance(rhs, (list, tuple)) else None
        super().__init__(lhs, rhs)  # type: ignore[call-arg]

    def _lhs(self, compiler: Any, connection: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.lhs)  # type: ignore[attr-defined]
        return sql, list(params)


@StringListField.register_lookup
class StringListContains(_SQLiteListLookup, ArrayContains):
    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list]:
        lhs, params = self._lhs(compiler, connection)
        values = sorted(set(self.raw_values or []))
        if not values:
            return "1 = 1", []
        marks = ", ".join(["%s"] * len(values))
        sql = f"(SELECT COUNT(DISTINCT value) FROM json_each({lhs}) WHERE value IN ({marks})) = %s"
        return sql, [*params, *values, len(values)]


@StringListField.register_lookup
class StringListOverlap(_SQLiteListLookup, ArrayOverlap):
    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list]:
        lhs, params = self._lhs(compiler, connection)
        values = sorted(set(self.raw_values or []))
        if not values:
            return "1 = 0", []
        marks = ", ".join(["%s"] * len(values))
        return f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE value IN ({marks}))", [
            *params,
            *values,
        ]


@StringListField.register_lookup
class StringListExact(_SQLiteListLookup, ArrayExact):
    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list]:
        lhs, params = self._lhs(compiler, connection)
        return f"{lhs} = %s", [*params, json.dumps(self.raw_values or [])]


class ListGinIndex(GinIndex):
    """GIN on PostgreSQL; a plain index on the SQLite demo."""

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor != "postgresql":
            return models.Index.create_sql(self, model, schema_editor, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)
