"""A partner under mandate, like seed 002 (an association manages the very-social stock of an
owner and accompanies its tenants): "Habiter Ensemble" receives from Habitat de l'Est an access
to the current tenants of one residence, with every right, and has already logged a visit."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone

from core.context import organization_context
from organizations.enums import OrganizationKind, Role
from organizations.models import Membership, Organization

PARTNER = {
    "slug": "habiter-ensemble",
    "name": "Association Habiter Ensemble",
    "kind": OrganizationKind.ASSOCIATION,
    "siren": "781234567",
}
USERS = {
    Role.SOCIAL_WORKER: ("asso.social-worker@parcours.demo", "Nadia", "Accompagnante"),
    Role.MANAGER: ("asso.manager@parcours.demo", "Pierre", "Coordinateur"),
}
MANDATE = "MANDAT-GESTION-2026-01"


def load(stdout: Any) -> None:
    from cases.models import Intervention
    from housing.models import Residence
    from organizations.demo import _user
    from privacy import partners

    landlord = Organization.objects.filter(slug="habitat-est").first()
    if landlord is None:
        return
    partner, _ = Organization.objects.get_or_create(
        slug=PARTNER["slug"],
        defaults={"name": PARTNER["name"], "kind": PARTNER["kind"], "siren": PARTNER["siren"]},
    )
    users = {role: _user(email, first, last) for role, (email, first, last) in USERS.items()}
    with organization_context(partner):
        for role, user in users.items():
            Membership.objects.get_or_create(
                organization=partner, user=user, defaults={"role": role}
            )
    with organization_context(landlord):
        admin = Membership.objects.filter(role=Role.ORG_ADMIN).select_related("user").first()
        residence = (
            Residence.objects.filter(dwellings__leases__end_date__isnull=True)
            .annotate(tenants=Count("dwellings__leases"))
            .order_by("-tenants", "name")
            .first()
        )
        if residence is None or admin is None:
            return
        grant = (
            partners.grants_given(organization=landlord).filter(mandate_reference=MANDATE).first()
        )
        grant = grant or partners.partner_grant_create(
            organization=landlord,
            partner_organization=partner,
            scope="residence",
            residence=residence,
            permissions=["read_file", "log_interventions", "read_notes", "write_notes"],
            valid_from=timezone.localdate() - datetime.timedelta(days=180),
            mandate_reference=MANDATE,
            acting_user=admin.user,
        )
        household = grant.households.select_related("household").first()
    if household is None:
        return
    worker = users[Role.SOCIAL_WORKER]
    with organization_context(partner, user=worker):
        granted = partners.granted_household(public_id=household.household.public_id)
        if not Intervention._base_manager.filter(household=granted, mandate=grant).exists():
            partners.partner_intervention_log(
                household=granted,
                author=worker,
                kind="home_visit",
                occurred_on=timezone.localdate() - datetime.timedelta(days=12),
                duration_minutes=60,
                subject="Visite au titre du mandat de gestion",
                note="Logement bien entretenu ; dossier FSL à préparer avec le bailleur.",
            )
    stdout.write(
        f"Démo : {partner.name} accède aux locataires de {residence.name} "
        f"(mandat {MANDATE} de {landlord.name})."
    )


def print_logins(stdout: Any) -> None:
    stdout.write(f"  {PARTNER['name']} (partenaire sous mandat de Habitat de l'Est) :")
    for role, (email, _, _) in USERS.items():
        stdout.write(f"    {role.label:<45} {email}")
