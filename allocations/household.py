from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from allocations import selectors
from core.sections import HouseholdSection


def _context(request: HttpRequest, household: Any) -> dict[str, Any]:
    return {
        "allocation_applications": selectors.household_applications(
            organization=request.organization,  # type: ignore[attr-defined]
            household=household,
        )
    }


SECTIONS = [
    HouseholdSection(
        "allocations.view_applications",
        "allocations/_household_section.html",
        context=_context,
        order=40,
        title="Demandes de logement",
    )
]
