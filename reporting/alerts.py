"""Alerts of the managers' home panel: each a count from a selector, shown when non-zero.

    Alert(key, label, selector, level="warn")   # selector(*, organization, today) -> int

Apps add theirs in ALERTS below (reporting reads their selectors; it does not compute their
business rules). `<app>/indicators.py` may also declare `ALERTS = [Alert(...)]`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db.models import Exists, OuterRef

from housing.enums import Relationship
from housing.models import Income, Person
from reporting.indicators.base import tenant_households


@dataclass(frozen=True)
class Alert:
    key: str
    label: str
    selector: Callable[..., int]
    level: str = "warn"  # "warn" or "err"
    url_name: str = ""


def tenants_without_resources(*, organization: Any, today: datetime.date) -> int:
    """Tenant households with no income recorded at all: the profile cannot count them."""
    incomes = Income.objects.for_organization(organization).filter(person__household=OuterRef("pk"))
    return (
        tenant_households(organization=organization, year=today.year)
        .exclude(Exists(incomes))
        .count()
    )


def tenants_without_reference_person(*, organization: Any, today: datetime.date) -> int:
    reference = Person.objects.for_organization(organization).filter(
        household=OuterRef("pk"), relationship=Relationship.REFERENCE
    )
    return (
        tenant_households(organization=organization, year=today.year)
        .exclude(Exists(reference))
        .count()
    )


ALERTS = [
    Alert(
        "housing.tenants_without_resources",
        "ménage(s) locataire(s) sans aucune ressource enregistrée (profil incomplet)",
        tenants_without_resources,
    ),
    Alert(
        "housing.tenants_without_reference_person",
        "ménage(s) locataire(s) sans personne de référence enregistrée",
        tenants_without_reference_person,
    ),
]


def all_alerts() -> list[Alert]:
    found = list(ALERTS)
    for config in apps.get_app_configs():
        if config.name == "reporting":
            continue
        name = f"{config.name}.indicators"
        try:
            module = import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        found.extend(getattr(module, "ALERTS", []))
    return found


def active_alerts(*, organization: Any, today: datetime.date) -> list[dict[str, Any]]:
    result = []
    for alert in all_alerts():
        count = alert.selector(organization=organization, today=today)
        if count:
            result.append({"alert": alert, "count": count})
    return result
