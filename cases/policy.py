"""Who may do what in the social accompaniment, and who may read its confidential notes.

Confidentiality (RULES.md, "Personal data"): narrative notes of interventions, evaluations and
accompaniments are for social workers only. Commission members and arrears officers may learn
that an accompaniment exists and its motives (`household_social_synthesis`), never a note.
Arrears officers read back the notes of the contacts their own service logged (service
"arrears"), never the social service's.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from organizations.enums import Role

SOCIAL = {Role.SOCIAL_WORKER}
LEADS = {Role.ORG_ADMIN, Role.MANAGER}
STAFF = {
    Role.ORG_ADMIN,
    Role.MANAGER,
    Role.SOCIAL_WORKER,
    Role.COMMISSION_SECRETARY,
    Role.ARREARS_OFFICER,
    Role.READ_ONLY,
}

RULES = {
    # The social worker's home page.
    "view_caseload": SOCIAL | LEADS | {Role.ARREARS_OFFICER},
    # Accompaniments, interventions, evaluations… without their notes.
    "view_cases": STAFF,
    "manage_cases": SOCIAL | LEADS,
    "log_intervention": SOCIAL | LEADS | {Role.ARREARS_OFFICER},
    "view_evaluations": SOCIAL | LEADS,
    "manage_evaluations": SOCIAL,
    "manage_referrals": SOCIAL | LEADS,
    "manage_appointments": SOCIAL | LEADS | {Role.ARREARS_OFFICER},
    # Outreach ("aller vers") campaigns: managers and social workers set them up; any staff
    # member may be a caller.
    "view_campaigns": STAFF,
    "manage_campaigns": SOCIAL | LEADS,
    "call_campaign": SOCIAL | LEADS | {Role.ARREARS_OFFICER, Role.COMMISSION_SECRETARY},
    "view_adaptations": STAFF,
    "manage_adaptations": SOCIAL | LEADS,
    "view_case_reviews": SOCIAL | LEADS,
    "manage_case_reviews": SOCIAL | LEADS,
    "view_programmes": STAFF,
    "manage_programmes": SOCIAL | LEADS,
    "view_indicators": SOCIAL | LEADS | {Role.READ_ONLY},
    # Confidential notes (each display is access-logged).
    "view_notes": SOCIAL,
    "view_arrears_notes": SOCIAL | {Role.ARREARS_OFFICER},
}


def _role(request: HttpRequest) -> str | None:
    membership = getattr(request, "membership", None)
    return membership.role if membership else None


def can_read_note(request: HttpRequest, obj: Any) -> bool:
    """Whether the current member may read the notes of `obj` (one rule for pages, API,
    exports and the household file)."""
    from core import policy

    role = _role(request)
    if policy.is_allowed(role, "cases.view_notes"):
        return True
    service = getattr(obj, "service", None)
    return service == "arrears" and policy.is_allowed(role, "cases.view_arrears_notes")
