"""Partner access under mandate: services and selectors (GLOSSARY.md: PartnerAccessGrant).

The landlord's grant lists the households it covers (named ones, or resolved from a programme's
accepted enrolments or a residence's current leases, refreshed by `partner_grant_refresh`).
The database admits the partner to exactly those rows while the grant is valid and not
revoked (privacy/rls.py); the partner's pages read them here, filtered on the same grants.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from core.context import current_organization_id
from privacy.enums import GrantPermission, GrantScope
from privacy.models import PartnerAccessGrant, PartnerAccessGrantHousehold

# The partner reads another organisation's rows: the organisation-scoped managers would filter
# them out, so these reads use the plain base manager, always filtered on the grant here, and
# admitted by PostgreSQL only for granted households (privacy/rls.py).


def _resolve_households(grant: PartnerAccessGrant, households: list[Any]) -> list[int]:
    from housing.models import Household

    landlord = grant.organization_id
    if grant.scope == GrantScope.HOUSEHOLDS:
        ids = [h.pk for h in households if h.organization_id == landlord]
        if len(ids) != len(households):
            raise ValidationError({"households": "Ménage inconnu dans cette organisation."})
        return ids
    if grant.scope == GrantScope.PROGRAMME:
        from cases.models import ProgrammeEnrolment

        return list(
            ProgrammeEnrolment.objects.for_organization(landlord)
            .filter(programme_id=grant.programme_id, status="accepted")
            .values_list("household_id", flat=True)
        )
    return list(
        Household.objects.for_organization(landlord)
        .filter(leases__dwelling__residence_id=grant.residence_id, leases__end_date__isnull=True)
        .values_list("pk", flat=True)
        .distinct()
    )


def _sync(grant: PartnerAccessGrant, ids: list[int], acting_user: Any) -> int:
    existing = set(
        PartnerAccessGrantHousehold.objects.filter(grant=grant).values_list(
            "household_id", flat=True
        )
    )
    wanted = set(ids)
    PartnerAccessGrantHousehold.objects.filter(grant=grant).exclude(
        household_id__in=wanted
    ).delete()
    PartnerAccessGrantHousehold.objects.bulk_create(
        [
            PartnerAccessGrantHousehold(
                organization_id=grant.organization_id,
                grant=grant,
                household_id=household_id,
                partner_organization_id=grant.partner_organization_id,
                created_by=acting_user,
                updated_by=acting_user,
            )
            for household_id in sorted(wanted - existing)
        ]
    )
    return len(wanted)


@transaction.atomic
def partner_grant_create(
    *,
    organization: Any,
    partner_organization: Any,
    scope: str,
    permissions: list[str],
    valid_from: datetime.date,
    mandate_reference: str,
    acting_user: Any,
    valid_until: datetime.date | None = None,
    households: list[Any] | None = None,
    programme: Any = None,
    residence: Any = None,
) -> PartnerAccessGrant:
    """Grant a partner organisation access to some households under a mandate. Only what the
    mandate needs (GDPR art. 5.1.c): a scope, permissions, dates, the mandate's reference."""
    if partner_organization.pk == organization.pk:
        raise ValidationError({"partner_organization": "Choisissez une autre organisation."})
    if not permissions or set(permissions) - set(GrantPermission.values):
        raise ValidationError({"permissions": "Choisissez au moins un droit."})
    if not (mandate_reference or "").strip():
        raise ValidationError({"mandate_reference": "La référence du mandat est obligatoire."})
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": "La fin doit suivre le début."})
    if scope == GrantScope.HOUSEHOLDS and not households:
        raise ValidationError({"households": "Désignez au moins un ménage."})
    if scope == GrantScope.PROGRAMME and (
        programme is None or programme.organization_id != organization.pk
    ):
        raise ValidationError({"programme": "Choisissez un dispositif de l'organisation."})
    if scope == GrantScope.RESIDENCE and (
        residence is None or residence.organization_id != organization.pk
    ):
        raise ValidationError({"residence": "Choisissez une résidence de l'organisation."})
    grant = PartnerAccessGrant.objects.create(
        organization=organization,
        partner_organization=partner_organization,
        scope=scope,
        programme=programme if scope == GrantScope.PROGRAMME else None,
        residence=residence if scope == GrantScope.RESIDENCE else None,
        permissions=sorted(set(permissions)),
        valid_from=valid_from,
        valid_until=valid_until,
        mandate_reference=mandate_reference.strip()[:120],
        created_by=acting_user,
        updated_by=acting_user,
    )
    _sync(grant, _resolve_households(grant, list(households or [])), acting_user)
    return grant


@transaction.atomic
def partner_grant_refresh(*, grant: PartnerAccessGrant, acting_user: Any = None) -> int:
    """Re-resolve a programme or residence grant (enrolments and leases change)."""
    if grant.scope == GrantScope.HOUSEHOLDS:
        return grant.households.count()
    return _sync(grant, _resolve_households(grant, []), acting_user)


@transaction.atomic
def partner_grant_revoke(*, grant: PartnerAccessGrant, acting_user: Any) -> PartnerAccessGrant:
    """Revoke now: the database stops admitting the partner from its next statement."""
    if grant.revoked_at is not None:
        raise ValidationError("Cet accès est déjà révoqué.")
    grant.revoked_at = timezone.now()
    grant.revoked_by = acting_user
    grant.updated_by = acting_user
    grant.save(update_fields=["revoked_at", "revoked_by", "updated_by", "updated_at"])
    return grant


def grants_given(*, organization: Any) -> QuerySet[PartnerAccessGrant]:
    return (
        PartnerAccessGrant.objects.for_organization(organization)
        .select_related("partner_organization", "programme", "residence")
        .order_by("-valid_from", "-pk")
    )


def _granted_ids(permission: str) -> RawSQL:
    return RawSQL("SELECT core_granted_household_ids(%s)", [permission])


def granted_households(*, permission: str = GrantPermission.READ_FILE) -> QuerySet:
    """The households granted to the organisation in context (another organisation's rows):
    filtered here on the grants, admitted by RLS on the same grants."""
    from housing.models import Household

    return Household._base_manager.filter(pk__in=_granted_ids(permission)).order_by("name")


def landlord_names(household_ids: list[int]) -> dict[int, str]:
    """The landlord of each granted household (shown on every line: the data is theirs)."""
    from organizations.models import Organization

    pairs = dict(
        PartnerAccessGrantHousehold._base_manager.filter(
            household_id__in=household_ids, partner_organization_id=current_organization_id()
        ).values_list("household_id", "organization_id")
    )
    names = dict(Organization.objects.filter(pk__in=set(pairs.values())).values_list("pk", "name"))
    return {household_id: names.get(org_id, "") for household_id, org_id in pairs.items()}


def granted_household_file(*, public_id: Any) -> dict[str, Any] | None:
    """A granted household's file as the partner may read it (members, leases, timeline)."""
    from core.models import TimelineEvent
    from housing.models import Lease, Person

    household = granted_households().filter(public_id=public_id).first()
    if household is None:
        return None
    members = list(Person._base_manager.filter(household=household).order_by("pk"))
    leases = list(
        Lease._base_manager.filter(household=household)
        .values("start_date", "end_date", "kind")
        .order_by("-start_date")
    )
    events = list(
        TimelineEvent._base_manager.filter(household=household)
        .only("at", "title", "category")
        .order_by("-at")[:50]
    )
    return {
        "household": household,
        "landlord": landlord_names([household.pk]).get(household.pk, ""),
        "members": members,
        "leases": leases,
        "events": events,
    }
