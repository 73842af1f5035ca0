from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from core.models import AccessEvent
from privacy.models import ConsentRecord, ErasureRequest, LegalHold, RetentionRun


def _day_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    begin = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    finish = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    return begin, finish


def access_log_for_period(
    *, organization: Any, start: datetime.date, end: datetime.date
) -> QuerySet[AccessEvent]:
    """The organisation's access log from `start` to `end` included, oldest first."""
    begin, finish = _day_bounds(start, end)
    return (
        AccessEvent.objects.for_organization(organization)
        .filter(at__gte=begin, at__lt=finish)
        .select_related("user", "acting_organization")
        .order_by("at", "pk")
    )


def retention_runs(*, organization: Any) -> QuerySet[RetentionRun]:
    return RetentionRun.objects.for_organization(organization).select_related("created_by")


def legal_holds(*, organization: Any, active_only: bool = False) -> QuerySet[LegalHold]:
    holds = LegalHold.objects.for_organization(organization).select_related("household")
    if active_only:
        holds = holds.active_on(timezone.localdate())
    return holds


def household_legal_holds(*, organization: Any, household: Any) -> QuerySet[LegalHold]:
    return LegalHold.objects.for_organization(organization).filter(household=household)


def erasure_requests(*, organization: Any) -> QuerySet[ErasureRequest]:
    return ErasureRequest.objects.for_organization(organization).select_related(
        "household", "decided_by"
    )


def household_consents(*, organization: Any, household: Any) -> QuerySet[ConsentRecord]:
    return (
        ConsentRecord.objects.for_organization(organization)
        .filter(household=household)
        .select_related("person")
    )
