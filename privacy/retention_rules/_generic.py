"""Helpers shared by the interim rules: find an app's models that hang off a household and
their confidential text (columns named note, notes, *_note(s), confidential_*, the same
convention the audit trigger masks)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet

from privacy.retention import RetentionRule

CONFIDENTIAL = re.compile(r"(^|_)notes?$|^confidential")


def model_or_none(label: str, *fields: str) -> type[models.Model] | None:
    """The model if it exists with all `fields`, else None (the app is still being built)."""
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    names = {field.name for field in model._meta.get_fields()}
    return model if all(field.split("__")[0] in names for field in fields) else None


def confidential_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and CONFIDENTIAL.search(field.name)
    ]


def household_models(app_label: str) -> list[type[models.Model]]:
    """The app's models with a direct `household` foreign key."""
    found = []
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return []
    for model in config.get_models():
        field = next((f for f in model._meta.concrete_fields if f.name == "household"), None)
        related = getattr(field, "related_model", None)
        if related is not None and related._meta.label == "housing.Household":
            found.append(model)
    return found


def clear_confidential_rules(
    *,
    app_label: str,
    key_prefix: str,
    label: str,
    households_fn: Callable[[Any, datetime.date], QuerySet],
    parameter: str,
    legal_basis: str,
) -> list[RetentionRule]:
    """One anonymise rule per model of `app_label` that carries confidential text: the text of
    the rows of the households `households_fn` returns is emptied; the rows (dates, statuses,
    amounts) stay for the reports' counts."""
    rules = []
    for model in household_models(app_label):
        fields = confidential_fields(model)
        if not fields:
            continue
        not_empty = Q()
        for name in fields:
            not_empty |= ~Q(**{name: ""})

        def queryset_fn(
            organization: Any,
            today: datetime.date,
            model: type[models.Model] = model,
            not_empty: Q = not_empty,
        ) -> QuerySet:
            households = households_fn(organization, today)
            return (
                model.objects.for_organization(organization)
                .filter(household__in=households)
                .filter(not_empty)
            )

        def anonymise_fn(rows: QuerySet, fields: list[str] = fields) -> int:
            return rows.model.objects.filter(pk__in=list(rows.values_list("pk", flat=True))).update(
                **dict.fromkeys(fields, "")
            )

        rules.append(
            RetentionRule(
                f"{key_prefix}.{model._meta.model_name}",
                f"{label} — {model._meta.verbose_name_plural}",
                queryset_fn=queryset_fn,
                action="anonymise",
                anonymise_fn=anonymise_fn,
                parameter=parameter,
                legal_basis=legal_basis,
            )
        )
    return rules
