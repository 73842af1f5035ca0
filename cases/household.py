"""The "Accompagnement social" section of the household file (housing). Notes are shown only
to roles the policy allows (cases/policy.py) and each note shown is access-logged."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.sections import HouseholdSection


def section_context(request: HttpRequest, household: Any) -> dict[str, Any]:
    from cases.selectors import household_overview
    from cases.views import _log_notes

    overview = household_overview(organization=request.organization, household=household)  # type: ignore[attr-defined]
    for obj in overview["cases"] + overview["interventions"]:
        obj.household = household
    visible = _log_notes(
        request, overview["interventions"] + overview["cases"], "Dossier du ménage"
    )
    return {"overview": overview, "visible_notes": visible}


SECTIONS = [
    HouseholdSection(
        "cases.view_cases",
        "cases/_household_section.html",
        context=section_context,
        order=30,
        title="Accompagnement social",
    )
]
