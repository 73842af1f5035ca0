"""Sections of the household file contributed by each app, in `<app>/household.py`:

    SECTIONS = [HouseholdSection("cases.view_caseload", "cases/_household_section.html",
                                 context=lambda request, household: {...}, order=30)]

The household file (housing) renders, in order, the sections the user's role may see. Each
section's context function must run a constant number of queries (the file has a budget).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.http import HttpRequest

from core.access import can


@dataclass(frozen=True)
class HouseholdSection:
    action: str
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any]] | None = None
    order: int = 100
    title: str = ""


def household_sections(
    request: HttpRequest, household: Any
) -> list[tuple[HouseholdSection, dict[str, Any]]]:
    found: list[HouseholdSection] = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.household")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.household":
                raise
            continue
        found.extend(getattr(module, "SECTIONS", []))
    found.sort(key=lambda section: section.order)
    return [
        (section, section.context(request, household) if section.context else {})
        for section in found
        if can(request, section.action)
    ]
