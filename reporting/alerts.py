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
    # Counted with the indicators (a scan of every tenant household: stored in the
    # `IndicatorSnapshot`, as of its computation) rather than live on each home page view.
    # Keep False for operational alerts, which must be current.
    with_indicators: bool = False


def tenants_without_resources(*, organization: Any, today: datetime.date) -> int:
    """Tenant households with no income recorded at all: the profile cannot count them."""
    incomes = Income.objects.for_organization(organization).filter(
        # The person's organisation named too: its index, not every organisation's people.
        person__organization=getattr(organization, "pk", organization),
        person__household=OuterRef("pk"),
    )
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


def accompaniments_overdue(*, organization: Any, today: datetime.date) -> int:
    """Running accompaniments past their planned end (cases)."""
    from cases.selectors import social_case_list

    return (
        social_case_list(organization=organization, status="active")
        .filter(planned_end_on__lt=today)
        .count()
    )


def plans_in_breach(*, organization: Any, today: datetime.date) -> int:
    """Repayment plans in breach (arrears)."""
    from arrears.enums import PlanStatus
    from arrears.selectors import plan_list

    return plan_list(organization=organization, status=PlanStatus.BREACHED).count()


def arrears_deadlines_passed(*, organization: Any, today: datetime.date) -> int:
    """Open arrears cases whose next procedural deadline has passed (arrears)."""
    from arrears.selectors import case_list

    return (
        case_list(organization=organization, open_only=True)
        .filter(next_deadline_on__lt=today)
        .count()
    )


def _installed(app: str) -> bool:
    return apps.is_installed(app)


ALERTS = [
    Alert(
        "housing.tenants_without_resources",
        "ménage(s) locataire(s) sans aucune ressource enregistrée (profil incomplet)",
        tenants_without_resources,
        with_indicators=True,
    ),
    Alert(
        "housing.tenants_without_reference_person",
        "ménage(s) locataire(s) sans personne de référence enregistrée",
        tenants_without_reference_person,
        with_indicators=True,
    ),
]
if _installed("cases"):
    ALERTS.append(
        Alert(
            "cases.accompaniments_overdue",
            "accompagnement(s) social(aux) au-delà de leur fin prévue",
            accompaniments_overdue,
        )
    )
if _installed("arrears"):
    ALERTS += [
        Alert(
            "arrears.plans_in_breach",
            "plan(s) d'apurement en défaut",
            plans_in_breach,
            level="err",
        ),
        Alert(
            "arrears.deadlines_passed",
            "dossier(s) d'impayés dont l'échéance de procédure est dépassée",
            arrears_deadlines_passed,
            level="err",
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


def active_alerts(
    *, organization: Any, today: datetime.date, counted: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    """The alerts with a non-zero count. `counted`: the counts of the alerts computed with the
    indicators (a snapshot's); those not in it are counted now."""
    counted = counted or {}
    result = []
    for alert in all_alerts():
        if alert.key in counted:
            count = counted[alert.key]
        else:
            count = alert.selector(organization=organization, today=today)
        if count:
            result.append({"alert": alert, "count": count})
    return result
