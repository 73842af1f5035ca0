"""Demo data: for each organisation's first territory, reservation agreements (préfet 30 %,
Action Logement 20 %), the year's legal targets plus accord-collectif and priority targets,
and a year of attributions (signed leases after accepted offers) with some targets met and
some not (DALO 9 on 9; sortants d'hébergement 7 on 14). Idempotent: does nothing when the
organisation already has agreements. Attributions are written directly (demo rows of a past
session), without the allocations workflow, to stay fast."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from allocations.enums import DecisionKind, Flow, LabellingSource, OfferStatus, SessionStatus
from allocations.models import (
    ApplicationPriority,
    Candidacy,
    Commission,
    CommissionSession,
    Decision,
    HousingApplication,
    Offer,
    SessionDwelling,
)
from core.context import organization_context
from housing.enums import Financing, Typology
from housing.models import Dwelling, Household, Partner, Residence
from organizations.models import Organization, Territory
from quotas import services
from quotas.enums import QuotaCategory, TargetKind
from quotas.models import ProgrammeLabel, ReservationAgreement

# (criteria, programme, qpv, flow, verified annual income) — 2 adults + 1 child = 1.8 UC.
PLAN = (
    [(["dalo"], "", False, "prefet", 14000)] * 5
    + [(["dalo"], "", True, "prefet", 26000)] * 2
    + [(["dalo", "emergency_accommodation"], "MVS", False, "landlord", 15000)] * 2
    + [(["emergency_accommodation"], "MVS", True, "al", 30000)] * 2
    + [(["emergency_accommodation"], "", False, "landlord", 12000)] * 3
    + [(["domestic_violence"], "", True, "landlord", 30000)]
    + [([], "", False, "al", 32000)] * 6
    + [([], "", True, "landlord", 15000)] * 4
    + [([], "", False, "landlord", 34000)] * 5
)


def _load_org(org: Organization, stdout: Any) -> None:
    territory = Territory.objects.filter(organization=org).order_by("name").first()
    if territory is None:
        return
    commission = Commission.objects.filter(organization=org, territory=territory).first()
    if commission is None:
        return
    today = timezone.localdate()
    year = today.year
    prefix = org.slug[:6].upper()
    prefet, _ = Partner.objects.get_or_create(
        organization=org, name="Préfecture de la Moselle", kind="prefecture"
    )
    al, _ = Partner.objects.get_or_create(
        organization=org, name="Action Logement Services", kind="action_logement"
    )
    for partner, share in ((prefet, Decimal("30")), (al, Decimal("20"))):
        services.agreement_create(
            organization=org,
            created_by=None,
            partner=partner,
            territory=territory,
            year=year,
            flow_share=share,
            reference=f"CR-{year}-{partner.kind[:4].upper()}",
        )
    services.legal_targets_create(organization=org, territory=territory, year=year, created_by=None)
    for category, programme, value in (
        (QuotaCategory.DALO, "", 9),
        (QuotaCategory.SHELTER_LEAVERS, "", 14),
        (QuotaCategory.COLLECTIVE_AGREEMENT, "MVS", 4),
        (QuotaCategory.COLLECTIVE_AGREEMENT, "Accel'AIR", 3),
        (QuotaCategory.DOMESTIC_VIOLENCE, "", 2),
    ):
        services.target_create(
            organization=org,
            created_by=None,
            territory=territory,
            year=year,
            category=category,
            programme=programme,
            kind=TargetKind.COUNT,
            value=Decimal(value),
        )
    residences = {}
    for qpv in (False, True):
        residences[qpv], _ = Residence.objects.get_or_create(
            organization=org,
            external_ref=f"{prefix}-RES-QUOTA-{'QPV' if qpv else 'HQ'}",
            defaults={
                "name": "Résidence Les Tilleuls (QPV)" if qpv else "Résidence Le Parc",
                "address": "1 rue du Parc",
                "postal_code": "57000",
                "commune_name": "Metz",
                "commune_insee": (territory.communes or ["57463"])[0],
                "epci_code": "200039865",
                "is_qpv": qpv,
                "territory": territory,
            },
        )
    session = CommissionSession.objects.create(
        organization=org,
        commission=commission,
        scheduled_at=timezone.make_aware(datetime.datetime(year, 1, 8, 14)),
        place="Siège",
        status=SessionStatus.MINUTES_SIGNED,
        president_name="Présidence de séance",
    )
    elapsed = max((today - datetime.date(year, 1, 25)).days, 1)
    for i, (criteria, programme, qpv, flow, income) in enumerate(PLAN):
        signed = datetime.date(year, 1, 25) + datetime.timedelta(days=elapsed * i // len(PLAN))
        household = Household.objects.create(organization=org, name=f"Ménage Démo-Quota {i + 1}")
        application = HousingApplication.objects.create(
            organization=org,
            household=household,
            registration_number=f"{prefix}Q{year}{i + 1:04d}",
            filed_on=datetime.date(year - 1, 3, 1),
            expires_on=datetime.date(year, 3, 1),
            status="attributed",
            radiation_reason="attribution",
            radiated_on=signed,
            adults=2,
            children=1,
            declared_monthly_resources=Decimal(income) / 12,
            declared_annual_income=Decimal(income),
            verified_annual_income=Decimal(income),
            epci_code="200039865",
        )
        for criterion in criteria:
            ApplicationPriority.objects.create(
                organization=org,
                application=application,
                criterion=criterion,
                proof_type="Justificatif",
                labelling_source=LabellingSource.DALO
                if criterion == "dalo"
                else LabellingSource.SIAO,
            )
        if programme:
            ProgrammeLabel.objects.create(
                organization=org, application=application, programme=programme
            )
        dwelling = Dwelling.objects.create(
            organization=org,
            residence=residences[qpv],
            reference=f"{prefix}-QUOTA-{i + 1:03d}",
            typology=Typology.T3,
            surface=Decimal("64"),
            floor=1,
            has_lift=True,
            financing=Financing.PLUS,
            rent=Decimal("410"),
            charges=Decimal("100"),
            status="occupied",
        )
        partner = {"prefet": prefet, "al": al}.get(flow)
        item = SessionDwelling.objects.create(
            organization=org,
            session=session,
            dwelling=dwelling,
            position=i,
            flow=Flow.RESERVATAIRE if partner else Flow.LANDLORD,
            reserving_partner=partner,
        )
        candidacy = Candidacy.objects.create(
            organization=org, session_dwelling=item, application=application
        )
        decision = Decision.objects.create(
            organization=org,
            candidacy=candidacy,
            session_dwelling=item,
            kind=DecisionKind.ATTRIBUTION,
            rank=1,
            decided_on=datetime.date(year, 1, 8),
        )
        notified = signed - datetime.timedelta(days=12)
        Offer.objects.create(
            organization=org,
            decision=decision,
            session_dwelling=item,
            application=application,
            notified_on=notified,
            answer_deadline=notified + datetime.timedelta(days=10),
            status=OfferStatus.LEASE_SIGNED,
            answered_on=notified + datetime.timedelta(days=3),
            lease_signed_on=signed,
        )
    stdout.write(
        f"  {org.name} : 2 conventions de réservation, objectifs {year}, {len(PLAN)} attributions."
    )


def load(stdout: Any) -> None:
    for org in Organization.objects.order_by("pk"):
        with organization_context(org):
            if ReservationAgreement.objects.filter(organization=org).exists():
                continue
            _load_org(org, stdout)
