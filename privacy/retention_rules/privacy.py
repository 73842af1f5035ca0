"""privacy's own records: consents that have expired or been withdrawn for a year."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from privacy.retention import RetentionRule


def stale_consents(organization: Any, today: datetime.date) -> QuerySet:
    from privacy.models import ConsentRecord

    year_ago = today - datetime.timedelta(days=365)
    return ConsentRecord.objects.for_organization(organization).filter(
        Q(expires_on__lt=year_ago) | Q(withdrawn_on__lt=year_ago)
    )


RULES = [
    RetentionRule(
        "privacy.stale_consents",
        "Consentements expirés ou retirés depuis plus d'un an",
        queryset_fn=stale_consents,
        legal_basis="RGPD art. 7 et 5.1.e (preuve conservée un an après la fin)",
    ),
]
