"""Versioned settings: the durations, thresholds and lists of the law and of each landlord's
practice, as data (RULES.md: "every duration, threshold and list is data, not code").

Each app declares its parameters in `<app>/parameters.py`:

    PARAMETERS = [
        Parameter("arrears.threshold_months", "Seuil d'impayé (mois de loyer)", Decimal("2"),
                  kind="decimal", legal_reference="CCH L824-2, R824-1"),
    ]

The default is the value seeded from RULES.md; an organisation adds new versions from a date
(ParameterValue) and `get_parameter(key, organization=…, on=date)` returns the value that
applied on that date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

KINDS = ("decimal", "int", "bool", "text", "list", "json", "percent")


@dataclass(frozen=True)
class Parameter:
    key: str
    label: str
    default: Any
    kind: str = "decimal"
    legal_reference: str = ""
    help_text: str = ""
    unit: str = ""
    choices: tuple = field(default_factory=tuple)

    def parse(self, raw: Any) -> Any:
        """Typed value from its stored (JSON) form; raises ValidationError in French."""
        try:
            if self.kind in ("decimal", "percent"):
                value = Decimal(str(raw).replace(",", ".").strip())
                if not value.is_finite():
                    raise ValueError
                return value
            if self.kind == "int":
                return int(str(raw).strip())
            if self.kind == "bool":
                if isinstance(raw, bool):
                    return raw
                return str(raw).strip().lower() in ("1", "true", "oui", "vrai")
            if self.kind == "list":
                if isinstance(raw, str):
                    return [item.strip() for item in raw.split(",") if item.strip()]
                return list(raw)
            return raw
        except (ValueError, ArithmeticError, TypeError) as error:
            raise ValidationError(f"Valeur invalide pour « {self.label} » : {raw!r}.") from error

    def to_json(self, value: Any) -> Any:
        if self.kind in ("decimal", "percent"):
            return str(value)
        return value


_REGISTRY: dict[str, Parameter] = {}
_loaded = False


def _load() -> None:
    global _loaded
    if _loaded:
        return
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.parameters")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.parameters":
                raise
            continue
        for parameter in getattr(module, "PARAMETERS", []):
            if parameter.key in _REGISTRY:
                raise RuntimeError(f"Parameter {parameter.key} declared twice")
            _REGISTRY[parameter.key] = parameter
    _loaded = True


def registry() -> dict[str, Parameter]:
    _load()
    return dict(_REGISTRY)


def parameter(key: str) -> Parameter:
    _load()
    return _REGISTRY[key]


def get_parameter(key: str, *, organization: Any, on: datetime.date | None = None) -> Any:
    """The value of `key` for `organization` on date `on` (today by default)."""
    from core.models import ParameterValue

    definition = parameter(key)
    on = on or timezone.localdate()
    org_id = getattr(organization, "pk", organization)
    stored = (
        ParameterValue.objects.filter(organization_id=org_id, key=key, valid_from__lte=on)
        .order_by("-valid_from")
        .values_list("value", flat=True)
        .first()
    )
    return definition.parse(definition.default if stored is None else stored)


# core's own settings (CNIL, "Personal data" in RULES.md).
PARAMETERS = [
    Parameter(
        "core.access_log_retention_months",
        "Durée de conservation des journaux de consultation et d'audit",
        12,
        kind="int",
        unit="mois",
        legal_reference="CNIL, référentiel logement social (6 à 12 mois)",
    ),
]
