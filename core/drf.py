"""DRF settings objects (pagination, schema, errors). Kept apart from core/api.py, which
imports DRF's generic views: those read these settings at import time."""

from __future__ import annotations

import base64
import json
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, connection
from django.db.models import BooleanField, F, Func, Q, QuerySet
from rest_framework import exceptions, pagination, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from core import context


class DeferredJoinPaginator(Paginator):
    """Pages a queryset that joins other tables (`select_related`) by its keys: the page's
    primary keys are ordered and sliced on the listed table alone (an index on the ordering
    stops after the page), in a subquery; only those rows are joined (one query, as before).

    Selecting the page directly joins every row of the organisation to its related rows
    before sorting them and keeping 50: O(rows) whatever the page size, and the planner's
    estimates through row-level security policies make those joins hash joins over whole
    tables (measured: 80–190 ms at size M for arrears cases and leases)."""

    _get_page: Any  # Django's Paginator method, not in its type stubs

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if not isinstance(rows, QuerySet) or not rows.query.select_related:
            return self._get_page(rows[bottom:top], number, self)
        keys = rows.values("pk")[bottom:top]
        if connection.vendor != "postgresql":
            return self._get_page(rows.filter(pk__in=[k["pk"] for k in keys]), number, self)
        # `pk = ANY(ARRAY(subquery))`: the keys are computed once (an InitPlan), then fetched
        # by primary key; `pk IN (subquery)` would be planned as a semi-join over the table.
        return self._get_page(rows.filter(_AnyOf(F("pk"), ArraySubquery(keys))), number, self)


class _AnyOf(Func):
    """`<expression> = ANY(<array>)` (PostgreSQL)."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = DeferredJoinPaginator


def exception_handler(exc: Exception, ctx: dict) -> Response | None:
    """DRF's handler, plus: Django ValidationErrors raised by services become 400s with the
    field and the reason; an integrity conflict becomes a 409. Either way the request's
    transaction is rolled back (DRF's set_rollback)."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail: Any = {
                field: [str(m) for e in errors for m in e.messages]
                for field, errors in exc.error_dict.items()
            }
            detail = {("non_field_errors" if k == "__all__" else k): v for k, v in detail.items()}
        else:
            detail = {"non_field_errors": get_error_detail(exc)}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, IntegrityError):
        exc = exceptions.APIException(
            detail="L'opération entre en conflit avec des données existantes ; rien n'a été enregistré."
        )
        exc.status_code = status.HTTP_409_CONFLICT
    elif isinstance(exc, context.UnscopedQueryError):
        raise exc
    return drf_exception_handler(exc, ctx)


class KeysetPagination(pagination.CursorPagination):
    """For lists too long to count on each page, that grow without bound (a landlord's monthly
    account statements: millions at 100,000 dwellings; decisions, offers, contacts, demands,
    households): `next` / `previous` links with an opaque `cursor`, no `count`, and each page
    is read from its position in the ordering's index instead of counting and skipping the
    rows before it.

    Subclasses set `ordering` to a unique order (end it with `pk`) that an index of the table
    serves, on the listed model's own fields (no `__`) or the queryset's annotations. The cursor holds the values of EVERY
    field of the ordering for the row it follows (a true keyset: `(a, b, pk) > (x, y, z)`),
    so ties on the first fields (a day's decisions, a surname) never need an OFFSET — DRF's
    cursor keeps the first field only and skips the ties by an offset, capped at 1,000.
    NULLs sort last in ascending order and first in descending order (PostgreSQL's default,
    made explicit for SQLite); a page's rows are chosen by key first like
    `DeferredJoinPaginator`."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_cursor_message = "Curseur invalide."
    ordering: Any = ("pk",)

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list[Any]:
        self.request = request
        self.request_url: str = request.build_absolute_uri()
        self.base_url = self.request_url  # what DRF's own methods read
        page_size = self.get_page_size(request)
        if not page_size:
            return None  # type: ignore[return-value]
        self.page_size = page_size
        self.keys = [_Key(queryset, name) for name in self.get_ordering(request, queryset, view)]
        position, reverse = self._decode(request)
        rows = queryset.order_by(*(key.order(reverse) for key in self.keys))
        if position is not None:
            rows = rows.filter(_after(self.keys, position, reverse))
        page = list(_deferred_join(rows, self.page_size + 1))
        more = len(page) > self.page_size
        page = page[: self.page_size]
        if reverse:
            page.reverse()
        self.page = page
        # Going back (`reverse`), the row of the position itself follows the page.
        self.has_next = (position is not None) if reverse else more
        self.has_previous = more if reverse else (position is not None)
        return page

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.page:
            return None
        return self._encode(self.page[-1], reverse=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous or not self.page:
            return None
        return self._encode(self.page[0], reverse=True)

    def _encode(self, row: Any, *, reverse: bool) -> str:
        data: dict[str, Any] = {"p": [key.dump(row) for key in self.keys]}
        if reverse:
            data["r"] = 1
        encoded = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
        return replace_query_param(self.request_url, self.cursor_query_param, encoded)

    def _decode(self, request: Any) -> tuple[list[Any] | None, bool]:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None, False
        try:
            data = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii")))
            values = data["p"]
            if not isinstance(values, list) or len(values) != len(self.keys):
                raise ValueError
            position = [key.load(value) for key, value in zip(self.keys, values, strict=True)]
            return position, bool(data.get("r"))
        except (TypeError, ValueError, KeyError, UnicodeError, DjangoValidationError) as error:
            raise exceptions.NotFound(self.invalid_cursor_message) from error


class _Key:
    """One field of a keyset ordering: its direction, how it compares, how it is carried in a
    cursor."""

    def __init__(self, queryset: QuerySet, name: str) -> None:
        self.descending = name.startswith("-")
        field_name = name.lstrip("-")
        if "__" in field_name:
            raise ValueError(f"Keyset ordering on the listed model's own fields: {name!r}")
        annotation = queryset.query.annotations.get(field_name)
        if annotation is not None:  # a computed value (a search's rank), never NULL here
            self.field, self.name, self.nullable = annotation.output_field, field_name, False
            return
        meta = queryset.model._meta
        self.field = meta.pk if field_name == "pk" else meta.get_field(field_name)
        self.name = self.field.attname
        self.nullable = self.field.null

    def order(self, reverse: bool) -> Any:
        descending = self.descending != reverse
        if not self.nullable:
            return F(self.name).desc() if descending else F(self.name).asc()
        # PostgreSQL's default placement, explicit so that SQLite agrees.
        return (
            F(self.name).desc(nulls_first=True) if descending else F(self.name).asc(nulls_last=True)
        )

    def dump(self, row: Any) -> Any:
        value = getattr(row, self.name)
        return value if value is None or isinstance(value, int) else str(value)

    def load(self, value: Any) -> Any:
        if value is None:
            if not self.nullable:
                raise ValueError
            return None
        return self.field.to_python(value)

    def equal(self, value: Any) -> Q:
        return Q(**{f"{self.name}__isnull": True}) if value is None else Q(**{self.name: value})

    def after(self, value: Any, reverse: bool) -> Q | None:
        """Rows strictly after `value` on this field alone; None when there are none."""
        descending = self.descending != reverse
        if value is None:  # NULLs are last ascending, first descending
            return Q(**{f"{self.name}__isnull": False}) if descending else None
        beyond = Q(**{f"{self.name}__{'lt' if descending else 'gt'}": value})
        if self.nullable and not descending:
            beyond |= Q(**{f"{self.name}__isnull": True})
        return beyond


def _after(keys: list[_Key], position: list[Any], reverse: bool) -> Q:
    """`(k1, k2, …) > (v1, v2, …)` in the ordering: k1 after v1, or k1 = v1 and k2 after v2…
    A non-null first field also gets its own range (`k1 >= v1`), so that the index scan
    starts at the position instead of filtering the rows before it."""
    alternatives = Q(pk__in=[])
    equal = Q()
    for key, value in zip(keys, position, strict=True):
        beyond = key.after(value, reverse)
        if beyond is not None:
            alternatives |= equal & beyond
        equal &= key.equal(value)
    first, start = keys[0], position[0]
    if first.nullable or start is None:
        return alternatives
    descending = first.descending != reverse
    return Q(**{f"{first.name}__{'lte' if descending else 'gte'}": start}) & alternatives


def _deferred_join(rows: QuerySet, limit: int) -> QuerySet:
    """The first `limit` rows, chosen by key on the listed table alone when the list joins
    others (see `DeferredJoinPaginator`)."""
    if not rows.query.select_related or connection.vendor != "postgresql":
        return rows[:limit]
    keys = rows.values("pk")[:limit]
    return rows.filter(_AnyOf(F("pk"), ArraySubquery(keys)))
