"""The arrears section of the household file (core/sections.py): cases, debt, stage, plans.
Three queries whatever the household."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.sections import HouseholdSection


def arrears_section(request: HttpRequest, household: Any) -> dict[str, Any]:
    from arrears.selectors import household_arrears

    return household_arrears(organization=request.organization, household=household)


SECTIONS = [
    HouseholdSection(
        "arrears.view_household_arrears",
        "arrears/_household_section.html",
        context=arrears_section,
        order=50,
        title="Impayés et prévention des expulsions",
    )
]
