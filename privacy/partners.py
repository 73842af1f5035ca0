"""Partner access under mandate: services and selectors (GLOSSARY.md: PartnerAccessGrant).

The landlord's grant lists the households it covers (named ones, or resolved from a programme's
accepted enrolments or a residence's current leases, refreshed by `partner_grant_refresh`).
The database admits the partner to exactly those rows while the grant is valid and not
revoked (privacy/rls.py); the application filters on the same grants here (`granted_ids`),
so that the two agree — and so that the SQLite demo, which has no row-level security, too.

Who may do what, on the partner's side: the grant's permission AND the member's role in the
partner organisation (docs/privacy.md, "Partner access under mandate").
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
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
    # Every other right is exercised on the household's file: reading it comes with them.
    permissions = [*permissions, GrantPermission.READ_FILE]
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


# --- The partner's side ------------------------------------------------------------------------
# The partner reads another organisation's rows: the organisation-scoped managers would filter
# them out, so these reads use the plain base manager, always filtered on the grants here, and
# admitted by PostgreSQL only for granted households (privacy/rls.py).


def _active(prefix: str = "") -> Q:
    """Grants valid today and not revoked, made to the organisation in context (the same
    conditions as core_granted_household_ids, privacy/migrations/0003)."""
    today = timezone.localdate()
    return (
        Q(**{f"{prefix}partner_organization_id": current_organization_id()})
        & Q(**{f"{prefix}revoked_at__isnull": True})
        & Q(**{f"{prefix}valid_from__lte": today})
        & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today}))
    )


def granted_ids(permission: str = GrantPermission.READ_FILE) -> QuerySet:
    """Subquery: the ids of the households granted to the organisation in context for
    `permission`, today."""
    return (
        PartnerAccessGrantHousehold._base_manager.filter(
            _active("grant__"),
            partner_organization_id=current_organization_id(),
            grant__permissions__contains=[permission],
        )
        .values("household_id")
        .distinct()
    )


def has_granted_households() -> bool:
    """Whether any household is granted to the organisation in context (one cheap query; the
    household search only widens for partners)."""
    return granted_ids().exists()


def granted_households(*, permission: str = GrantPermission.READ_FILE, query: str = "") -> QuerySet:
    """The households granted to the organisation in context (another organisation's rows),
    with their landlord (`household.organization`), by name; `query`: every word in the
    household's search text (names, phones, references, address)."""
    from housing.models import Household
    from housing.search import query_terms

    households = Household._base_manager.filter(pk__in=granted_ids(permission))
    if query.strip():
        terms = query_terms(query)
        if not terms:
            return households.none()
        for term in terms:
            households = households.filter(search_text__contains=term)
    return households.select_related("organization").order_by("name", "pk")


def permissions_for(household: Any) -> set[str]:
    """The permissions the organisation in context holds today on a granted household."""
    rows = PartnerAccessGrant._base_manager.filter(
        _active(), organization_id=household.organization_id, households__household=household
    ).values_list("permissions", flat=True)
    return {permission for permissions in rows for permission in permissions}


def grant_for(household: Any, *permissions: str) -> PartnerAccessGrant | None:
    """The grant under which the partner acts on `household` with all `permissions` (the
    oldest valid one, so that a household's interventions stay under one mandate)."""
    grants = PartnerAccessGrant._base_manager.filter(
        _active(), organization_id=household.organization_id, households__household=household
    )
    for permission in permissions:
        grants = grants.filter(permissions__contains=[permission])
    return grants.order_by("valid_from", "pk").first()


def granted_household(*, public_id: Any) -> Any:
    """A household granted to the organisation in context, or None (then: 404)."""
    return granted_households().filter(public_id=public_id).first()


def granted_household_file(*, household: Any) -> dict[str, Any]:
    """A granted household's file as the partner may read it: members, leases (with their
    dwelling), timeline; the interventions its staff logged under mandate; and, under a grant
    with `read_notes`, the landlord's social follow-up (accompaniments, evaluations, every
    intervention). Whether a member may read the notes also depends on their role: the view
    decides (`notes_granted` is the grant's part)."""
    from cases.models import Evaluation, Intervention, SocialCase
    from core.models import TimelineEvent
    from housing.models import Lease, Person

    members = list(Person._base_manager.filter(household=household).order_by("pk"))
    leases = list(
        Lease._base_manager.filter(household=household)
        .select_related("dwelling__residence")
        .order_by("-start_date", "-pk")
    )
    events = list(
        TimelineEvent._base_manager.filter(household=household)
        .select_related("actor")
        .order_by("-at", "-pk")[:50]
    )
    interventions = Intervention._base_manager.filter(household=household).select_related(
        "author", "mandate__partner_organization"
    )
    permissions = permissions_for(household)
    granted_notes = GrantPermission.READ_NOTES in permissions
    if not granted_notes:
        interventions = interventions.filter(
            mandate__partner_organization_id=current_organization_id()
        )
    cases: list[Any] = []
    evaluations: list[Any] = []
    if granted_notes:
        cases = list(
            SocialCase._base_manager.filter(household=household)
            .select_related("referent")
            .order_by("-opened_on", "-pk")
        )
        evaluations = list(
            Evaluation._base_manager.filter(household=household)
            .select_related("author")
            .order_by("-evaluated_on", "-pk")
        )
    return {
        "household": household,
        "landlord": household.organization.name,
        "members": members,
        "leases": leases,
        "events": events,
        "interventions": list(interventions.order_by("-occurred_on", "-pk")[:100]),
        "cases": cases,
        "evaluations": evaluations,
        "notes_granted": granted_notes,
        "permissions": permissions,
    }


@transaction.atomic
def partner_intervention_log(
    *,
    household: Any,
    author: Any,
    kind: str,
    occurred_on: datetime.date | None = None,
    duration_minutes: int = 0,
    motive: str = "",
    subject: str = "",
    outcome: str = "",
    note: str = "",
) -> Any:
    """A partner's staff member logs a contact with a household granted to their organisation
    (seed 002: the association that manages the landlord's very-social stock accompanies its
    tenants). Under a grant with `log_interventions`, and with `write_notes` for a note. The
    intervention is the landlord's (its file, its reports: the landlord is the controller,
    the partner acts on its behalf — GDPR art. 28), attributed to the author and the grant;
    the database admits exactly this insert (privacy/rls.py)."""
    from cases import services as case_services
    from cases.enums import InterventionOutcome

    note = (note or "").strip()
    needed = [GrantPermission.LOG_INTERVENTIONS]
    if note:
        needed.append(GrantPermission.WRITE_NOTES)
    grant = grant_for(household, *needed)
    if grant is None:
        if note and grant_for(household, GrantPermission.LOG_INTERVENTIONS) is not None:
            raise ValidationError(
                {"note": "Votre mandat ne permet pas d'écrire des notes sociales pour ce ménage."}
            )
        raise ValidationError(
            "Votre mandat ne permet pas de saisir des interventions pour ce ménage."
        )
    return case_services.intervention_log(
        organization=household.organization,
        household=household,
        author=author,
        kind=kind,
        occurred_on=occurred_on,
        duration_minutes=duration_minutes,
        motive=motive,
        subject=subject,
        outcome=outcome or InterventionOutcome.DONE,
        note=note,
        mandate=grant,
    )
