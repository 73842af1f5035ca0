"""Subject access (GDPR art. 15): everything Parcours holds about one person or household.

Contributors: each app may declare, in `<app>/subject_access.py`,

    CONTRIBUTORS = [Contributor("cases.SocialCase", "Accompagnements", collect=fn)]

where `fn(*, household, person)` returns a list of records (dicts of French label → value)
for that model. Every other model that hangs off a household (`household` foreign key) or a
person (a foreign key to housing.Person) is exported generically, so a new model is never
forgotten. What is withheld, and why, is documented in docs/privacy.md:

- other people's data: in a person's export, other members' own rows (their identity,
  incomes, consents) are left out (GDPR art. 15.4);
- working notes: the confidential free text of the conventions (`note`, `*_note(s)`,
  `confidential_*`, `internal_*`) is not exported automatically: it routinely mentions third
  parties (relatives, neighbours) and staff assessments. Each record says how many such notes
  it has, and the DPO communicates them after review, redacting only what protects others
  (GDPR art. 15.4) — see docs/privacy.md;
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

# The confidential free text of the conventions (the audit trigger masks the same names).
WITHHELD_FIELD = re.compile(r"(^|_)notes?$|^confidential_|^internal_")
WITHHELD_MARK = "Notes de travail non communiquées (relecture du DPO)"
TECHNICAL_FIELDS = {"id", "organization", "search_text", "public_id"}
STAFF_LABEL = "le personnel"
# Models that are not about the person (security of the accounts, internal tooling).
# Commission members' individual votes are theirs (and the deliberation's), not the applicant's:
# the applicant receives the decision.
EXCLUDED_MODELS = {"privacy.SecurityEvent", "privacy.RetentionRun", "allocations.RemoteVote"}


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


MAX_DEPTH = 4


def exported_models() -> list[tuple[type[models.Model], str, str | None]]:
    """(model, lookup to the household, lookup to the person or None) for every model whose
    rows are about one household: the household itself, the rows pointing at it or at one of
    its members, then the rows pointing at those (a plan's instalments, a demand's
    candidacies…), a few levels down."""
    mapped: dict[str, tuple[type[models.Model], str, str | None]] = {}
    candidates = [m for m in apps.get_models() if m._meta.label not in EXCLUDED_MODELS]
    for model in candidates:
        label = model._meta.label
        if label == "housing.Household":
            mapped[label] = (model, "pk", None)
        elif label == "housing.Person":
            mapped[label] = (model, "household", "pk")
        else:
            household_field = _fk_to(model, "housing.Household")
            person_field = _fk_to(model, "housing.Person")
            if household_field:
                mapped[label] = (model, household_field, person_field)
            elif person_field:
                mapped[label] = (model, f"{person_field}__household", person_field)
    for _ in range(MAX_DEPTH):
        added = False
        for model in candidates:
            label = model._meta.label
            if label in mapped:
                continue
            for field in model._meta.concrete_fields:
                related = getattr(field, "related_model", None)
                if not field.is_relation or related is None or field.name == "organization":
                    continue
                parent = mapped.get(related._meta.label)
                if parent is None:
                    continue
                _, household_path, person_path = parent
                mapped[label] = (
                    model,
                    field.name if household_path == "pk" else f"{field.name}__{household_path}",
                    None
                    if person_path is None
                    else (field.name if person_path == "pk" else f"{field.name}__{person_path}"),
                )
                added = True
                break
        if not added:
            break
    return list(mapped.values())


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
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and WITHHELD_FIELD.search(f.name)
    ]


def _record(model: type[models.Model], obj: models.Model, skip: set[str]) -> dict[str, Any]:
    record: dict[str, Any] = {"Référence": str(obj.public_id)} if hasattr(obj, "public_id") else {}
    hidden = set(withheld_fields(model))
    for field in model._meta.concrete_fields:
        if field.name in TECHNICAL_FIELDS or field.name in skip or field.name in hidden:
            continue
        record[str(field.verbose_name).capitalize()] = _value(field, obj)
    filled = sum(1 for name in hidden if getattr(obj, name))
    if filled:
        record[WITHHELD_MARK] = filled
    return record


def _direct_links(model: type[models.Model]) -> set[str]:
    """Foreign keys to the household or a member: not repeated in every record."""
    return {
        field.name
        for field in model._meta.concrete_fields
        if getattr(field, "related_model", None) is not None
        and field.related_model._meta.label in ("housing.Household", "housing.Person")
    }


def collect(*, household: Any, person: Any = None) -> dict[str, Any]:
    """The export: categories of data, each a list of records. With `person`, only the rows
    about that person and the household's common data (not the other members' own data)."""
    contributors = _contributors()
    categories = []
    withheld = []
    for model, household_path, person_path in exported_models():
        label = model._meta.label
        skip = _direct_links(model)
        if label in contributors:
            records = contributors[label].collect(household=household, person=person)
            title = contributors[label].label
        else:
            queryset = model._default_manager.all()
            if person is not None and person_path is not None:
                queryset = queryset.filter(**{person_path: person.pk})
            else:
                queryset = queryset.filter(**{household_path: household.pk})
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
