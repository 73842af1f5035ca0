"""Demo data: demands, two commissions with their seats, a held session with decisions and an
offer (idempotent: does nothing when the organisation already has commissions)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from allocations import services
from allocations.enums import AttendanceStatus, Seat
from allocations.models import Commission
from core.context import organization_context
from housing.enums import Financing, Typology
from housing.models import Dwelling, Household, Residence
from organizations.models import Organization, Territory

FIRST = [
    "Martin",
    "Bernard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Michel",
    "Garcia",
    "Roux",
    "Fournier",
]


def _secretary(org: Organization) -> Any:
    """The demo writes as nobody in particular (memberships are only visible to their user)."""
    return None


def _stock(org: Organization, territory: Territory, prefix: str) -> list[Dwelling]:
    communes = territory.communes or ["57463"]
    residence, _ = Residence.objects.get_or_create(
        organization=org,
        external_ref=f"{prefix}-RES-ALLOC",
        defaults={
            "name": f"Résidence Les Acacias ({territory.name})",
            "address": "3 allée des Acacias",
            "postal_code": "57000",
            "commune_name": "Commune",
            "commune_insee": communes[0],
            "epci_code": "200039865",
            "territory": territory,
        },
    )
    dwellings = []
    for i, typology in enumerate([Typology.T2, Typology.T3, Typology.T3, Typology.T4]):
        dwelling, _ = Dwelling.objects.get_or_create(
            organization=org,
            reference=f"{prefix}-ALLOC-{i + 1:03d}",
            defaults={
                "residence": residence,
                "typology": typology,
                "surface": Decimal(45 + 12 * i),
                "floor": i,
                "has_lift": True,
                "financing": Financing.PLUS,
                "rent": Decimal(330 + 60 * i),
                "charges": Decimal("95.00"),
            },
        )
        dwellings.append(dwelling)
    return dwellings


def _load_org(org: Organization, stdout: Any) -> None:
    user = _secretary(org)
    territories = list(Territory.objects.filter(organization=org).order_by("name"))
    if not territories:
        return
    prefix = org.slug[:6].upper()
    commissions = []
    for territory in territories[:2]:
        commission = services.commission_create(
            organization=org,
            name=f"CALEOL {territory.name}",
            territory=territory,
            remote_allowed=True,
            created_by=user,
        )
        seats = [(f"Administrateur {n}", Seat.BOARD, True) for n in range(1, 6)]
        seats += [
            ("Représentante des locataires", Seat.TENANTS, True),
            ("Représentant du maire", Seat.MAYOR, True),
            ("Représentant du préfet", Seat.PREFET, True),
            ("Association d'insertion", Seat.ASSOCIATION, False),
        ]
        for i, (name, seat, voting) in enumerate(seats):
            services.commission_member_add(
                commission=commission,
                full_name=name,
                seat=seat,
                is_voting=voting,
                is_president=(i == 0),
                created_by=user,
            )
        commissions.append(commission)
    territory = territories[0]
    dwellings = _stock(org, territory, prefix)
    communes = territory.communes or ["57463"]
    applications = []
    today = timezone.localdate()
    for i in range(12):
        household, _ = Household.objects.get_or_create(
            organization=org,
            external_ref=f"{prefix}-DEM-{i:03d}",
            defaults={"name": f"Ménage {FIRST[i]}", "commune_name": "Metz"},
        )
        priorities = []
        if i % 4 == 0:
            priorities.append(
                {
                    "criterion": "dalo" if i == 0 else "homeless",
                    "proof_type": "Décision ou attestation",
                    "labelling_source": "dalo_commission" if i == 0 else "siao",
                }
            )
        applications.append(
            services.application_create(
                organization=org,
                household=household,
                registration_number=f"{communes[0]}{2025}{i:06d}",
                filed_on=today - datetime.timedelta(days=40 + 25 * i),
                created_by=user,
                desired_communes=[communes[0]],
                desired_typologies=["T2", "T3", "T4"],
                adults=1 + i % 2,
                children=i % 3,
                declared_monthly_resources=Decimal(900 + 110 * i),
                declared_annual_income=Decimal(11000 + 1300 * i),
                epci_code="200039865",
                score=Decimal(40 + 7 * i),
                score_source="imported",
                kind="transfer" if i == 11 else "new",
                transfer_reason="under_occupation" if i == 11 else "",
                priorities=priorities,
            )
        )
    commission = commissions[0]
    session = services.session_create(
        commission=commission,
        scheduled_at=timezone.now() - datetime.timedelta(days=2),
        place="Siège, salle du conseil",
        created_by=user,
    )
    items = []
    for n, dwelling in enumerate(dwellings[:2]):
        item = services.session_dwelling_add(session=session, dwelling=dwelling, added_by=user)
        for application in applications[n * 3 : n * 3 + 3]:
            services.candidacy_add(session_dwelling=item, application=application, added_by=user)
        items.append(item)
    services.session_publish_agenda(session=session, published_by=user)
    services.attendance_record(
        session=session,
        entries=[
            {
                "member": m,
                "status": AttendanceStatus.PRESENT if i != 3 else AttendanceStatus.REPRESENTED,
                "represented_by": "Administrateur 1" if i == 3 else "",
            }
            for i, m in enumerate(commission.members.all())
        ],
        recorded_by=user,
    )
    services.session_hold(session=session, held_by=user, president_name="Administrateur 1")
    for item in items:
        item.refresh_from_db()
        cands = list(item.candidacies.order_by("position"))
        services.decisions_record(
            session_dwelling=item,
            expected_version=item.version,
            decisions=[
                {"candidacy": cands[0], "kind": "attribution"},
                {"candidacy": cands[1], "kind": "ranked", "rank": 2},
                {
                    "candidacy": cands[2],
                    "kind": "non_attribution",
                    "reasons": "Taux d'effort de 41 % pour ce logement ; une typologie plus petite est recherchée.",
                },
            ],
            recorded_by=user,
        )
    services.session_close_decisions(session=session, closed_by=user)
    services.offer_make(
        session_dwelling=items[0], notified_on=today - datetime.timedelta(days=1), made_by=user
    )
    # A second session in preparation on the other dwellings.
    draft = services.session_create(
        commission=commission,
        scheduled_at=timezone.now() + datetime.timedelta(days=12),
        place="Agence de Metz",
        created_by=user,
    )
    services.session_dwelling_add(session=draft, dwelling=dwellings[2], added_by=user)
    stdout.write(
        f"  {org.name} : 2 commissions, 12 demandes, une séance tenue, une en préparation."
    )


def load(stdout: Any) -> None:
    for org in Organization.objects.order_by("pk"):
        with organization_context(org, user=_secretary(org)):
            if Commission.objects.filter(organization=org).exists():
                continue
            _load_org(org, stdout)
