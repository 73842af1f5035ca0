"""The household timeline: every app adds its events here, from its services, in the same
transaction as the change they describe.

    timeline.record(household=h, category="cases", kind="intervention.logged",
                    title="Visite à domicile", actor=user, subject=intervention, at=...)

Categories are the apps' labels; their French names for the filter are in CATEGORIES. Never
pass a confidential note as `summary`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from core.models import TimelineEvent

CATEGORIES = {
    "housing": "Logement et ménage",
    "cases": "Accompagnement social",
    "allocations": "Demande et attribution",
    "arrears": "Impayés et prévention",
    "reporting": "Rapports",
    "privacy": "Données personnelles",
}


def record(
    *,
    household: Any,
    category: str,
    kind: str,
    title: str,
    actor: Any = None,
    subject: Any = None,
    summary: str = "",
    at: datetime.datetime | datetime.date | None = None,
    url: str = "",
) -> TimelineEvent:
    if category not in CATEGORIES:
        raise ValueError(f"Unknown timeline category {category!r}")
    if isinstance(at, datetime.date) and not isinstance(at, datetime.datetime):
        at = timezone.make_aware(datetime.datetime.combine(at, datetime.time(12, 0)))
    return TimelineEvent.objects.create(
        organization_id=household.organization_id,
        household=household,
        at=at or timezone.now(),
        category=category,
        kind=kind,
        title=title[:250],
        summary=summary,
        actor=actor,
        subject_type=subject._meta.label if subject is not None else "",
        subject_id=getattr(subject, "public_id", None),
        url=url,
        created_by=actor,
    )


def household_timeline(*, household: Any, category: str | None = None) -> QuerySet[TimelineEvent]:
    events = TimelineEvent.objects.filter(household=household).select_related("actor")
    if category:
        events = events.filter(category=category)
    return events.order_by("-at", "-pk")
