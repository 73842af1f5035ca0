"""Subject access (GDPR art. 15): everything Parcours holds about one person or household.

Contributors: each app may declare, in `<app>/subject_access.py`,

    CONTRIBUTORS = [Contributor("cases.SocialCase", "Accompagnements", collect=fn)]

where `fn(*, household, person)` returns a list of records (dicts of French label → value)
for that model. Every other model that hangs off a household (`household` foreign key) or a
person (a foreign key to housing.Person) is exported generically, so a new model is never
forgotten. What is withheld, and why, is documented in docs/privacy.md:

- other people's data: in a person's export, other members' own rows (their identity,
  incomes, consents) are left out (GDPR art. 15.4);
- internal working notes: fields named `confidential_*` or `internal_*` (CRPA L311-6: staff
  assessments whose disclosure would harm third parties; reviewed by the DPO case by case);
- staff identities: who did what is given as a role ("le personnel"), not a name;
- technical columns (ids, organisation, search text).
"""

from __future__ import annotations

import datetime
import decimal
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

WITHHELD_FIELD = re.compile(r"^(confidential|internal)")
TECHNICAL_FIELDS = {"id", "organization", "search_text", "public_id"}
STAFF_LABEL = "le personnel"
# Models that are not about the person (security of the accounts, internal tooling).
EXCLUDED_MODELS = {"privacy.SecurityEvent", "privacy.RetentionRun"}


@dataclass(frozen=True)
class Contributor:
    model: str
    label: str
    collect: Callable[..., list[dict[str, Any]]]


def _contributors() -> dict[str, Contributor]:
    found: dict[str, Contributor] = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.subject_access")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.subject_access":
                raise
            continue
        for contributor in getattr(module, "CONTRIBUTORS", []):
            found[contributor.model] = contributor
    return found


def _fk_to(model: type[models.Model], label: str) -> str | None:
    for field in model._meta.concrete_fields:
        related = getattr(field, "related_model", None)
        if field.is_relation and related is not None and related._meta.label == label:
            return field.name
    return None


def exported_models() -> list[tuple[type[models.Model], str | None, str | None]]:
    """(model, household field, person field) for every model about households or persons."""
    found = []
    for model in apps.get_models():
        label = model._meta.label
        if label in EXCLUDED_MODELS:
            continue
        if label == "housing.Household":
            found.append((model, "pk", None))
            continue
        if label == "housing.Person":
            found.append((model, "household", "pk"))
            continue
        household_field = _fk_to(model, "housing.Household")
        person_field = _fk_to(model, "housing.Person")
        if household_field or person_field:
            found.append((model, household_field, person_field))
    return found


def _value(field: models.Field, obj: models.Model) -> Any:
    if field.is_relation:
        related = getattr(obj, field.name)
        if related is None:
            return None
        if field.related_model is not None and field.related_model._meta.label == (
            settings.AUTH_USER_MODEL
        ):
            return STAFF_LABEL
        return str(related)
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    value = getattr(obj, field.attname)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, datetime.date | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list):
        return [str(item) for item in value]
    return value


def withheld_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if WITHHELD_FIELD.match(f.name)]


def _record(model: type[models.Model], obj: models.Model, skip: set[str]) -> dict[str, Any]:
    record: dict[str, Any] = {"Référence": str(obj.public_id)} if hasattr(obj, "public_id") else {}
    for field in model._meta.concrete_fields:
        if field.name in TECHNICAL_FIELDS or field.name in skip or WITHHELD_FIELD.match(field.name):
            continue
        record[str(field.verbose_name).capitalize()] = _value(field, obj)
    return record


def collect(*, household: Any, person: Any = None) -> dict[str, Any]:
    """The export: categories of data, each a list of records. With `person`, only the rows
    about that person and the household's common data (not the other members' own data)."""
    contributors = _contributors()
    categories = []
    withheld = []
    for model, household_field, person_field in exported_models():
        label = model._meta.label
        skip = {name for name in (household_field, person_field) if name and name != "pk"}
        if label in contributors:
            records = contributors[label].collect(household=household, person=person)
            title = contributors[label].label
        else:
            queryset = model._default_manager.all()
            if label == "housing.Household":
                queryset = queryset.filter(pk=household.pk)
            elif person is not None and person_field:
                queryset = queryset.filter(**{person_field: person.pk})
            elif household_field:
                queryset = queryset.filter(**{household_field: household.pk})
            else:
                queryset = queryset.filter(**{f"{person_field}__household": household.pk})
            relations = [
                f.name
                for f in model._meta.concrete_fields
                if f.is_relation and f.name not in skip and f.name != "organization"
            ]
            records = [
                _record(model, obj, skip)
                for obj in queryset.select_related(*relations).order_by("pk")
            ]
            title = str(model._meta.verbose_name_plural).capitalize()
        hidden = withheld_fields(model)
        if hidden:
            withheld.append({"Catégorie": title, "Champs": hidden})
        if records:
            categories.append(
                {
                    "key": label,
                    "app": str(apps.get_app_config(model._meta.app_label).verbose_name),
                    "title": title,
                    "records": records,
                }
            )
    return {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "organization": str(household.organization),
        "household": str(household.public_id),
        "person": str(person.public_id) if person is not None else None,
        "scope": "person" if person is not None else "household",
        "categories": categories,
        "withheld": withheld,
    }
