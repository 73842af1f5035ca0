"""Demo data of leasing activity, relocation operations and collective actions, with figures
resembling the seeds: prospections and the register's context (seed 000), an urban-renewal
operation (18 dwellings mobilised, 26 candidates positioned, 6 rehoused) and a rehabilitation
in occupied buildings (138 dwellings, 79 agreements, 3 transfers, 21 accompanied) (seed 001),
18 youth workshops with 150 young people, 9,360 insertion hours (seed 000), a job dating
(24 attendees, 6 back to work, seed 001) and a social-innovation-fund project (1,224 households
on 9 sites, €60,000 over three years, seed 003).

Uses whatever stock and households exist. Idempotent: an organisation that already has
collective actions is left alone. Bulk inserts: fast."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.context import organization_context


def load(stdout: Any) -> None:
    from organizations.models import Organization

    for slug in ("habitat-est", "rhone-logis"):
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            continue
        with organization_context(organization):
            from operations.models import CollectiveAction

            if CollectiveAction.objects.exists():
                continue
            counts = load_organization(organization, random.Random(f"parcours-operations-{slug}"))
        stdout.write(f"  {organization.name} : {counts}")


def load_organization(org: Any, rng: random.Random) -> str:
    from allocations.models import HousingApplication
    from cases.models import SocialCase
    from housing.models import Dwelling, Household, Partner, Residence
    from operations import models as m
    from operations.enums import (
        ActionKind,
        DwellingRole,
        ProspectionOutcome,
        RelocationKind,
        RelocationStatus,
    )
    from organizations.models import Territory

    today = timezone.localdate()
    year = today.year
    base = {"organization": org}
    residences = list(Residence.objects.order_by("pk")[:12])
    residence_of = dict(Dwelling.objects.order_by("pk").values_list("pk", "residence_id")[:400])
    dwellings = list(residence_of)
    households = list(Household.objects.order_by("pk").values_list("pk", flat=True)[:200])
    applications = list(
        HousingApplication.objects.order_by("pk").values_list("pk", flat=True)[:300]
    )

    # Prospections (seed 000: 9,523 a year for a large landlord; a sample here).
    outcomes = [o for o, _ in ProspectionOutcome.choices]
    prospections = []
    if dwellings and applications:
        for _ in range(300):
            day = datetime.date(year, 1, 1) + datetime.timedelta(
                days=rng.randrange(max(1, (today - datetime.date(year, 1, 1)).days + 1))
            )
            dwelling_id = rng.choice(dwellings)
            prospections.append(
                m.Prospection(
                    **base,
                    application_id=rng.choice(applications),
                    dwelling_id=dwelling_id,
                    residence_id=residence_of[dwelling_id],
                    outcome=rng.choices(outcomes, weights=[45, 20, 25, 10])[0],
                    contacted_on=day,
                )
            )
        m.Prospection.objects.bulk_create(prospections)

    # Register context: the register's active demands per territory.
    stats = []
    for i, territory in enumerate(Territory.objects.order_by("name")):
        for on, demands in (
            (datetime.date(year - 1, 12, 31), 14000 + 1000 * i),
            (today, 14500 + 1000 * i),
        ):
            stats.append(
                m.RegisterStatistic(
                    **base,
                    territory=territory,
                    on=on,
                    active_demands=demands,
                    source="SNE — statistiques",
                )
            )
    m.RegisterStatistic.objects.bulk_create(stats, ignore_conflicts=True)

    partners = list(Partner.objects.order_by("pk")[:2])
    start = datetime.date(year, 1, 15)

    # Urban renewal: 18 dwellings mobilised, 26 candidates positioned, 6 rehoused.
    renewal = m.RelocationOperation.objects.create(
        **base,
        name="Renouvellement urbain — quartier Borny",
        kind=RelocationKind.URBAN_RENEWAL,
        starts_on=start,
        ends_on=datetime.date(year + 3, 12, 31),
    )
    rehab = m.RelocationOperation.objects.create(
        **base,
        name="Réhabilitation en site occupé — Saint-Eloy",
        kind=RelocationKind.REHABILITATION,
        starts_on=start,
    )
    for op, res in ((renewal, residences[:1]), (rehab, residences[1:2])):
        m.RelocationResidence.objects.bulk_create(
            [m.RelocationResidence(**base, operation=op, residence=r) for r in res]
        )
        m.RelocationPartner.objects.bulk_create(
            [
                m.RelocationPartner(**base, operation=op, partner=p, role="Ville / ANRU")
                for p in partners
            ]
        )
    mobilised = dwellings[:18]
    concerned = dwellings[18:156]
    m.RelocationDwelling.objects.bulk_create(
        [
            m.RelocationDwelling(
                **base, operation=renewal, dwelling_id=d, role=DwellingRole.MOBILISED
            )
            for d in mobilised
        ]
        + [
            m.RelocationDwelling(
                **base, operation=rehab, dwelling_id=d, role=DwellingRole.CONCERNED
            )
            for d in concerned
        ]
    )
    day = today - datetime.timedelta(days=30)
    renewal_households = [
        m.RelocationHousehold(
            **base,
            operation=renewal,
            household_id=h,
            status=RelocationStatus.AGREEMENT_SIGNED,
            met_on=day,
            surveyed_on=day,
            agreement_signed_on=day,
        )
        for h in households[:26]
    ]
    for link in renewal_households[:6]:
        link.status, link.rehoused_on = RelocationStatus.REHOUSED, today
    m.RelocationHousehold.objects.bulk_create(renewal_households)
    if mobilised:
        m.RelocationPositioning.objects.bulk_create(
            [
                m.RelocationPositioning(
                    **base,
                    relocation_household=link,
                    dwelling_id=mobilised[i % len(mobilised)],
                    positioned_on=day,
                )
                for i, link in enumerate(renewal_households)
            ]
        )
    cases = dict(SocialCase.objects.values_list("household_id", "pk"))
    rehab_households = []
    accompanied = 0
    for i, h in enumerate(households[26:164]):
        link = m.RelocationHousehold(**base, operation=rehab, household_id=h, met_on=day)
        link.status = RelocationStatus.MET
        if i < 79:
            link.status = RelocationStatus.AGREEMENT_SIGNED
            link.surveyed_on = link.agreement_signed_on = day
        if i < 3:
            link.status, link.rehoused_on, link.is_transfer = RelocationStatus.REHOUSED, today, True
        if accompanied < 21 and h in cases:
            link.social_case_id = cases[h]
            accompanied += 1
        rehab_households.append(link)
    m.RelocationHousehold.objects.bulk_create(rehab_households)

    # Collective actions.
    workshops = m.CollectiveAction.objects.create(
        **base,
        name="Ateliers jeunes (chantiers éducatifs)",
        kind=ActionKind.WORKSHOP,
        starts_on=start,
        ends_on=datetime.date(year, 12, 15),
        neighbourhood="Borny (QPV)",
        sessions=18,
        participants=150,
        cost=Decimal("27000.00"),
    )
    job_dating = m.CollectiveAction.objects.create(
        **base,
        name="Job dating avec les entreprises des chantiers",
        kind=ActionKind.EMPLOYMENT,
        starts_on=start + datetime.timedelta(days=60),
        sessions=1,
        participants=24,
        back_to_work=6,
        outcomes="6 retours à l'emploi (CDD, intérim, alternance).",
        cost=Decimal("1500.00"),
    )
    fund = m.CollectiveAction.objects.create(
        **base,
        name="Projets d'habitants — fonds d'innovation sociale",
        kind=ActionKind.RESIDENTS_PROJECT,
        starts_on=start,
        ends_on=datetime.date(year + 2, 12, 31),
        households_reached=1224,
        sessions=9,
        cost=Decimal("45000.00"),
    )
    m.ActionResidence.objects.bulk_create(
        [m.ActionResidence(**base, action=workshops, residence=r) for r in residences[:1]]
        + [m.ActionResidence(**base, action=fund, residence=r) for r in residences[:9]]
    )
    m.ActionPartner.objects.bulk_create(
        [m.ActionPartner(**base, action=job_dating, partner=p) for p in partners[:1]]
    )
    m.ActionFunding.objects.create(
        **base,
        action=fund,
        funder_name="Fonds d'innovation sociale",
        amount=Decimal("60000.00"),
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year + 2, 12, 31),
    )
    m.InsertionClause.objects.bulk_create(
        [
            m.InsertionClause(
                **base,
                contract="Réhabilitation Saint-Eloy — lot 1",
                contractor="BTP Est",
                residence=residences[1] if len(residences) > 1 else None,
                year=year,
                required_hours=5000,
                achieved_hours=5200,
            ),
            m.InsertionClause(
                **base,
                contract="Démolition Borny",
                contractor="Démolition Lorraine",
                residence=residences[0] if residences else None,
                year=year,
                required_hours=4000,
                achieved_hours=4160,
            ),
        ]
    )
    return (
        f"{len(prospections)} prospections, 2 opérations de relogement "
        f"({len(renewal_households) + len(rehab_households)} ménages), 3 actions collectives, "
        "9 360 heures d'insertion"
    )
