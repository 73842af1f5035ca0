"""DRF settings objects (pagination, schema, errors). Kept apart from core/api.py, which
imports DRF's generic views: those read these settings at import time."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import exceptions, pagination, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core import context


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


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
