"""The retention engine: per-purpose rules declared by each app, applied daily.

Each app declares its rules in `<app>/retention.py` (rules for apps being built live in
`privacy/retention_rules/<app>.py` until they take them over):

    RULES = [
        RetentionRule(
            "cases.closed_followup",
            "Accompagnements clos depuis la durée d'archivage",
            queryset_fn=lambda organization, today: ...,   # the rows due on `today`
            action="delete",                                # or "anonymise" with anonymise_fn
            household_lookup="household",                   # for legal holds
            parameter="privacy.followup_retention_months",
        ),
    ]

`RULES` may also be a callable returning the list (modules that read models defensively).
The engine removes the rows of households under an active legal hold, then deletes or
anonymises the rest (one savepoint per rule: a rule that fails is reported, the others run),
and writes a `RetentionRun` with what each rule did. `today` is a parameter everywhere: the
dry run can look at a future date, and tests travel in time by passing it.
"""

from __future__ import annotations

import datetime
import importlib
import logging
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db import DatabaseError, transaction
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone

from core.parameters import get_parameter

logger = logging.getLogger(__name__)

ACTIONS = ("delete", "anonymise", "purge")


@dataclass(frozen=True)
class RetentionRule:
    key: str
    label: str
    queryset_fn: Callable[[Any, datetime.date], QuerySet] | None = None
    action: str = "delete"
    anonymise_fn: Callable[[QuerySet], int] | None = None
    # Lookup from the rule's model to the household (legal holds); None: no household.
    household_lookup: str | None = "household"
    parameter: str = ""
    legal_basis: str = ""
    # For rows that are not reachable through a queryset (the logs): count and purge.
    count_fn: Callable[[Any, datetime.date], int] | None = None
    purge_fn: Callable[[Any, datetime.date], int] | None = None

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"{self.key}: unknown action {self.action!r}")
        if self.action == "anonymise" and self.anonymise_fn is None:
            raise ValueError(f"{self.key}: anonymise needs anonymise_fn")
        if self.action == "purge" and (self.count_fn is None or self.purge_fn is None):
            raise ValueError(f"{self.key}: purge needs count_fn and purge_fn")
        if self.action != "purge" and self.queryset_fn is None:
            raise ValueError(f"{self.key}: queryset_fn is required")


def months_before(today: datetime.date, months: int) -> datetime.date:
    return today - relativedelta(months=int(months))


def parameter_value(key: str, organization: Any, today: datetime.date) -> Any:
    return get_parameter(key, organization=organization, on=today)


def _module_rules(module: Any) -> list[RetentionRule]:
    found = getattr(module, "RULES", [])
    if callable(found):
        found = found()
    return list(found)


def registry() -> list[RetentionRule]:
    """Every rule: `<app>/retention.py` first, then privacy/retention_rules/*. A key declared
    by the app itself wins over the interim one in privacy/retention_rules."""
    rules: dict[str, RetentionRule] = {}
    for config in apps.get_app_configs():
        if config.name == "privacy":
            continue
        try:
            module = importlib.import_module(f"{config.name}.retention")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.retention":
                raise
            continue
        for rule in _module_rules(module):
            rules.setdefault(rule.key, rule)
    from privacy import retention_rules

    for info in sorted(pkgutil.iter_modules(retention_rules.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"privacy.retention_rules.{info.name}")
        for rule in _module_rules(module):
            rules.setdefault(rule.key, rule)
    return sorted(rules.values(), key=lambda rule: rule.key)


def held_household_ids(organization: Any, today: datetime.date) -> list[int]:
    from privacy.models import LegalHold

    return list(
        LegalHold.objects.for_organization(organization)
        .active_on(today)
        .values_list("household_id", flat=True)
    )


def due_rows(rule: RetentionRule, organization: Any, today: datetime.date) -> QuerySet:
    """The rows `rule` would delete or anonymise on `today`, legal holds excluded."""
    assert rule.queryset_fn is not None
    queryset = rule.queryset_fn(organization, today)
    if rule.household_lookup is not None:
        held = held_household_ids(organization, today)
        if held:
            queryset = queryset.exclude(**{f"{rule.household_lookup}__in": held})
    return queryset


def _describe(rule: RetentionRule, organization: Any, today: datetime.date) -> dict[str, Any]:
    result: dict[str, Any] = {
        "key": rule.key,
        "label": rule.label,
        "action": rule.action,
        "parameter": rule.parameter,
        "legal_basis": rule.legal_basis,
        "value": None,
    }
    if rule.parameter:
        result["value"] = parameter_value(rule.parameter, organization, today)
    return result


def _delete(rows: QuerySet) -> tuple[int, int]:
    """Delete the rule's rows (cascades follow the models and are written to the audit trail);
    a row still referenced by protected data is left and counted as blocked."""
    pks = list(rows.values_list("pk", flat=True))
    manager = rows.model.objects
    try:
        with transaction.atomic():
            manager.filter(pk__in=pks).delete()
        return len(pks), 0
    except ProtectedError:
        pass
    done = blocked = 0
    for pk in pks:
        try:
            with transaction.atomic():
                manager.filter(pk=pk).delete()
            done += 1
        except ProtectedError:
            blocked += 1
    return done, blocked


def evaluate(*, organization: Any, today: datetime.date, apply: bool) -> list[dict[str, Any]]:
    """Run every rule for `organization` on `today`: count (and, when `apply`, act)."""
    results = []
    for rule in registry():
        result = _describe(rule, organization, today)
        try:
            with transaction.atomic():
                if rule.action == "purge":
                    assert rule.count_fn is not None and rule.purge_fn is not None
                    count = rule.count_fn(organization, today)
                    done = rule.purge_fn(organization, today) if apply and count else 0
                else:
                    rows = due_rows(rule, organization, today)
                    count = rows.count()
                    done = 0
                    if apply and count:
                        if rule.action == "delete":
                            done, blocked = _delete(rows)
                            if blocked:
                                result["blocked"] = blocked
                        else:
                            assert rule.anonymise_fn is not None
                            done = rule.anonymise_fn(rows)
            result.update(count=count, done=done, error="")
        except (ProtectedError, DatabaseError) as error:
            logger.warning("Retention rule %s failed: %s", rule.key, error)
            result.update(count=result.get("count", 0), done=0, error=str(error)[:500])
        results.append(result)
    return results


def dry_run(*, organization: Any, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """What the next run would do on `today` (nothing is changed)."""
    return evaluate(organization=organization, today=today or timezone.localdate(), apply=False)
