"""Demo data of the housing app, for the two demo landlords (organizations/demo.py): partners,
residences (some in QPV) and a few hundred dwellings, households with realistic compositions,
ages and resources (wages, pensions, RSA, AAH, ASPA, family allowances, APL), ordinary leases,
sliding leases and sublets to associations, a few transfers, and one possible duplicate person
for the merge assistant. Bulk inserts: a few seconds on SQLite. Idempotent: an organisation that
already has residences is left alone."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.context import organization_context
from core.models import TimelineEvent
from housing import search
from housing.enums import DwellingStatus, LeaseKind, PartnerKind
from housing.models import Dwelling, Household, Income, Lease, Partner, Person, Residence
from organizations.models import Organization, Territory

TODAY = datetime.date(2026, 1, 15)

PARTNERS = {
    "habitat-est": [
        ("CCAS de Metz", PartnerKind.CCAS, "22-24 rue du Wad Billy, 57000 Metz", "03 87 75 11 11"),
        ("CCAS de Nancy", PartnerKind.CCAS, "2 rue Pierre Fourier, 54000 Nancy", "03 83 39 03 00"),
        ("CAF de la Moselle", PartnerKind.CAF_MSA, "4 boulevard du Pontiffroy, 57000 Metz", ""),
        ("CAF de Meurthe-et-Moselle", PartnerKind.CAF_MSA, "21 rue de Saint-Lambert, Nancy", ""),
        ("CARSAT Nord-Est", PartnerKind.CARSAT, "81-85 rue de Metz, 54000 Nancy", ""),
        ("AMLI Moselle", PartnerKind.ASSOCIATION, "13 rue du Général Ferrié, 57000 Metz", ""),
        ("ARS Nancy (Accueil et Réinsertion Sociale)", PartnerKind.ASSOCIATION, "Nancy", ""),
        ("Association Adoma Alsace", PartnerKind.ASSOCIATION, "Strasbourg", ""),
        ("Préfecture de la Moselle", PartnerKind.PREFECTURE, "9 place de la Préfecture, Metz", ""),
        (
            "Préfecture du Bas-Rhin",
            PartnerKind.PREFECTURE,
            "5 place de la République, Strasbourg",
            "",
        ),
        ("Action Logement Services Grand Est", PartnerKind.ACTION_LOGEMENT, "Metz", ""),
        ("SIAO 57", PartnerKind.SIAO, "Metz", ""),
        ("MDPH de la Moselle", PartnerKind.MDPH, "Metz", ""),
        ("Département de la Moselle (FSL)", PartnerKind.DEPARTEMENT, "Metz", ""),
    ],
    "rhone-logis": [
        ("CCAS de Lyon", PartnerKind.CCAS, "4 rue Ferrandière, 69002 Lyon", "04 72 10 42 00"),
        ("CCAS de Vénissieux", PartnerKind.CCAS, "5 avenue Marcel Houël, Vénissieux", ""),
        ("CAF du Rhône", PartnerKind.CAF_MSA, "67 boulevard Vivier Merle, 69003 Lyon", ""),
        ("CAF de l'Isère", PartnerKind.CAF_MSA, "3 rue des Alliés, 38000 Grenoble", ""),
        ("CARSAT Rhône-Alpes", PartnerKind.CARSAT, "35 rue Maurice Flandin, 69003 Lyon", ""),
        ("Habitat et Humanisme Rhône", PartnerKind.ASSOCIATION, "Lyon 7e", ""),
        ("Alynea", PartnerKind.ASSOCIATION, "Lyon", ""),
        ("Un Toit Pour Tous", PartnerKind.ASSOCIATION, "Grenoble", ""),
        ("Préfecture du Rhône", PartnerKind.PREFECTURE, "18 rue de Bonnel, 69003 Lyon", ""),
        ("Préfecture de l'Isère", PartnerKind.PREFECTURE, "12 place de Verdun, Grenoble", ""),
        ("Action Logement Services Auvergne-Rhône-Alpes", PartnerKind.ACTION_LOGEMENT, "Lyon", ""),
        ("Maison de la Veille Sociale (SIAO 69)", PartnerKind.SIAO, "Lyon", ""),
        ("Maison de la Métropole de Lyon (FSL)", PartnerKind.DEPARTEMENT, "Lyon", ""),
    ],
}

# (ref, name, address, postal code, commune, INSEE, EPCI SIREN, EPCI, QPV, territory, dwellings)
RESIDENCES = {
    "habitat-est": [
        (
            "GR0101",
            "Les Hauts de Borny",
            "12 rue de Toulouse",
            "57070",
            "Metz",
            "57463",
            "200039865",
            "Metz Métropole",
            True,
            "Lorraine",
            40,
        ),
        (
            "GR0102",
            "Résidence du Sablon",
            "8 rue Saint-Pierre",
            "57000",
            "Metz",
            "57463",
            "200039865",
            "Metz Métropole",
            False,
            "Lorraine",
            24,
        ),
        (
            "GR0103",
            "Le Haut-du-Lièvre",
            "3 boulevard Cattenoz",
            "54000",
            "Nancy",
            "54395",
            "245400676",
            "Métropole du Grand Nancy",
            True,
            "Lorraine",
            36,
        ),
        (
            "GR0104",
            "Les Vergers de la Moselotte",
            "21 rue d'Alsace",
            "88000",
            "Épinal",
            "88160",
            "200068757",
            "CA d'Épinal",
            False,
            "Lorraine",
            18,
        ),
        (
            "GR0105",
            "Cité du Neuhof",
            "14 rue de Stosswihr",
            "67100",
            "Strasbourg",
            "67482",
            "246700488",
            "Eurométropole de Strasbourg",
            True,
            "Alsace",
            32,
        ),
        (
            "GR0106",
            "Les Coteaux",
            "40 rue de Provence",
            "68200",
            "Mulhouse",
            "68224",
            "200066009",
            "Mulhouse Alsace Agglomération",
            True,
            "Alsace",
            26,
        ),
    ],
    "rhone-logis": [
        (
            "RL0201",
            "Les Minguettes — Tour Démocratie",
            "2 avenue Jean Cagne",
            "69200",
            "Vénissieux",
            "69259",
            "200046977",
            "Métropole de Lyon",
            True,
            "Lyon Métropole",
            40,
        ),
        (
            "RL0202",
            "Résidence Croix-Luizet",
            "55 rue Octavie",
            "69100",
            "Villeurbanne",
            "69266",
            "200046977",
            "Métropole de Lyon",
            False,
            "Lyon Métropole",
            28,
        ),
        (
            "RL0203",
            "Les Pentes",
            "17 montée de la Grande-Côte",
            "69001",
            "Lyon",
            "69123",
            "200046977",
            "Métropole de Lyon",
            False,
            "Lyon Métropole",
            20,
        ),
        (
            "RL0204",
            "La Villeneuve — Arlequin",
            "110 galerie de l'Arlequin",
            "38100",
            "Grenoble",
            "38185",
            "200040715",
            "Grenoble-Alpes Métropole",
            True,
            "Isère",
            34,
        ),
        (
            "RL0205",
            "Le Parc Renaudie",
            "6 rue Ambroise Croizat",
            "38400",
            "Saint-Martin-d'Hères",
            "38421",
            "200040715",
            "Grenoble-Alpes Métropole",
            False,
            "Isère",
            22,
        ),
    ],
}

LAST_NAMES = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Müller",
    "Schmitt",
    "Meyer",
    "Klein",
    "Weber",
    "Wagner",
    "Becker",
    "Haddad",
    "Benali",
    "Mansouri",
    "Diallo",
    "Traoré",
    "Nguyen",
    "Da",
    "Silva",
    "Pereira",
    "Ferreira",
    "Yilmaz",
    "Kaya",
    "Boucher",
    "Gauthier",
    "Perrin",
    "Chevalier",
    "Mathieu",
    "Lemaire",
    "Colin",
    "Hoarau",
    "Zimmermann",
    "Koenig",
]
FIRST_F = [
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Sandrine",
    "Hélène",
    "Céline",
    "Aurélie",
    "Julie",
    "Camille",
    "Léa",
    "Chloé",
    "Manon",
    "Inès",
    "Yasmina",
    "Fatou",
    "Aïcha",
    "Sophie",
    "Élodie",
    "Laëtitia",
    "Josiane",
    "Monique",
    "Odette",
]
FIRST_M = [
    "Jean",
    "Michel",
    "Philippe",
    "Alain",
    "Patrick",
    "Nicolas",
    "Christophe",
    "Pierre",
    "Laurent",
    "Julien",
    "Karim",
    "Mohamed",
    "Mamadou",
    "Thomas",
    "Lucas",
    "Hugo",
    "Enzo",
    "Noah",
    "Théo",
    "Jérôme",
    "René",
    "Gérard",
    "Marcel",
    "André",
]

TYPOLOGIES = [("T1", 10), ("T2", 24), ("T3", 34), ("T4", 22), ("T5", 8), ("T6", 2)]
SURFACES = {
    "T1": (24, 33),
    "T2": (42, 54),
    "T3": (58, 71),
    "T4": (72, 86),
    "T5": (88, 102),
    "T6": (105, 124),
}
FINANCINGS = [("plus", 58), ("plai", 22), ("pls", 12), ("plai_adapte", 5), ("pli", 3)]
RENT_PER_M2 = {"plai": "5.35", "plai_adapte": "4.95", "plus": "6.05", "pls": "8.40", "pli": "10.10"}


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _birth(rng: random.Random, low: int, high: int) -> datetime.date:
    age = rng.randint(low, high)
    return datetime.date(TODAY.year - age, rng.randint(1, 12), rng.randint(1, 28))


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def load(stdout: Any) -> None:
    for slug in ("habitat-est", "rhone-logis"):
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            continue
        with organization_context(organization):
            if Residence.objects.exists():
                continue
            counts = _load_organization(organization, random.Random(f"parcours-{slug}"))
        stdout.write(f"  {organization.name} : {counts}")


def _load_organization(org: Organization, rng: random.Random) -> str:
    now = timezone.now()
    partners = Partner.objects.bulk_create(
        [
            Partner(organization=org, name=name, kind=kind, address=address, phone=phone)
            for name, kind, address, phone in PARTNERS[org.slug]
        ]
    )
    associations = [p for p in partners if p.kind == PartnerKind.ASSOCIATION]
    reservers = [
        p for p in partners if p.kind in (PartnerKind.PREFECTURE, PartnerKind.ACTION_LOGEMENT)
    ]
    territories = {t.name: t for t in Territory.objects.all()}
    residences, dwellings = [], []
    for ref, name, address, cp, commune, insee, epci, epci_name, qpv, territory, n in RESIDENCES[
        org.slug
    ]:
        residence = Residence(
            organization=org,
            external_ref=ref,
            name=name,
            address=address,
            postal_code=cp,
            commune_name=commune,
            commune_insee=insee,
            epci_code=epci,
            epci_name=epci_name,
            is_qpv=qpv,
            territory=territories[territory],
        )
        residences.append(residence)
        for i in range(n):
            typology = _weighted(rng, TYPOLOGIES)
            surface = Decimal(rng.randint(*SURFACES[typology]))
            financing = _weighted(rng, FINANCINGS)
            rent = (surface * Decimal(RENT_PER_M2[financing])).quantize(Decimal("0.01"))
            floor = rng.randint(0, 9 if qpv else 4)
            dwellings.append(
                Dwelling(
                    organization=org,
                    residence=residence,
                    reference=f"{ref}-{i + 1:04d}",
                    typology=typology,
                    surface=surface,
                    floor=floor,
                    has_lift=floor > 3 or qpv,
                    is_pmr_accessible=floor == 0 and rng.random() < 0.5,
                    financing=financing,
                    rent=rent,
                    annex_rent=Decimal("0") if rng.random() < 0.6 else Decimal("25.00"),
                    charges=_money(float(surface) * rng.uniform(1.4, 2.1)),
                    energy_contribution=Decimal("12.00") if rng.random() < 0.1 else Decimal("0"),
                    individual_heating=rng.random() < 0.35,
                    individual_water=rng.random() < 0.2,
                    status=DwellingStatus.VACANT,
                    reserving_partner=rng.choice(reservers) if rng.random() < 0.3 else None,
                )
            )
    Residence.objects.bulk_create(residences)
    for dwelling in dwellings:
        dwelling.residence_id = dwelling.residence.pk

    households, persons, incomes, leases, events = [], [], [], [], []
    members_of: dict[int, list[Person]] = {}
    occupied = [d for d in dwellings if rng.random() < 0.88]
    for dwelling in dwellings:
        if rng.random() < 0.04 and dwelling not in occupied:
            dwelling.status = DwellingStatus.UNAVAILABLE
    applicants = 12
    for index in range(len(occupied) + applicants):
        dwelling = occupied[index] if index < len(occupied) else None
        household, members, member_incomes = _household(org, rng, index, dwelling)
        households.append(household)
        members_of[index] = members
        persons.extend(members)
        incomes.extend(member_incomes)
    Household.objects.bulk_create(households)
    for index, household in enumerate(households):
        for person in members_of[index]:
            person.household_id = household.pk
    # One possible duplicate for the merge assistant: the same person registered twice.
    original = members_of[0][0]
    duplicate = Person(
        organization=org,
        household_id=households[-1].pk,
        first_name=original.first_name,
        last_name=original.last_name.upper(),
        birth_date=original.birth_date,
        relationship="other",
        employment_status=original.employment_status,
    )
    persons.append(duplicate)
    Person.objects.bulk_create(persons)
    for income in incomes:
        income.person_id = income.person.pk
    Income.objects.bulk_create(incomes)

    sliding = sublet = 0
    for index, dwelling in enumerate(occupied):
        household = households[index]
        start = TODAY - datetime.timedelta(days=rng.randint(60, 365 * 18))
        kind, partner, slide = LeaseKind.ORDINARY, None, None
        if sliding < 4 and rng.random() < 0.06:
            kind, partner, sliding = LeaseKind.SLIDING, rng.choice(associations), sliding + 1
            start = TODAY - datetime.timedelta(days=rng.randint(90, 600))
        elif sublet < 3 and rng.random() < 0.05:
            kind, partner, sublet = LeaseKind.SUBLET, rng.choice(associations), sublet + 1
        if index % 17 == 5 and start < TODAY - datetime.timedelta(days=800):
            # A transfer: an earlier lease elsewhere in the stock, ended the day before.
            previous = dwellings[(index * 7) % len(dwellings)]
            if previous is not dwelling:
                before = start - datetime.timedelta(days=rng.randint(800, 3000))
                leases.append(
                    Lease(
                        organization=org,
                        dwelling=previous,
                        household=household,
                        kind=LeaseKind.ORDINARY,
                        signed_on=before,
                        start_date=before,
                        end_date=start - datetime.timedelta(days=1),
                        end_reason="transfer",
                        external_ref=f"B{org.pk}{index:05d}A",
                    )
                )
        leases.append(
            Lease(
                organization=org,
                dwelling=dwelling,
                household=household,
                kind=kind,
                lessee_partner=partner,
                signed_on=start - datetime.timedelta(days=10),
                start_date=start,
                slide_date=slide,
                external_ref=f"B{org.pk}{index:05d}",
            )
        )
        dwelling.status = DwellingStatus.OCCUPIED
    Dwelling.objects.bulk_create(dwellings)
    for lease in leases:
        lease.dwelling_id = lease.dwelling.pk
        lease.household_id = lease.household.pk
    Lease.objects.bulk_create(leases)

    by_household: dict[int, list[Lease]] = {}
    for lease in leases:
        by_household.setdefault(lease.household_id, []).append(lease)
        start_at = timezone.make_aware(
            datetime.datetime.combine(lease.start_date, datetime.time(12))
        )
        events.append(
            TimelineEvent(
                organization=org,
                household_id=lease.household_id,
                at=start_at,
                category="housing",
                kind="lease.started",
                title=f"Entrée dans le logement {lease.dwelling.reference} ({lease.get_kind_display()})",
                summary=str(lease.dwelling.residence),
                subject_type="housing.Lease",
                subject_id=lease.public_id,
            )
        )
        if lease.end_date:
            events.append(
                TimelineEvent(
                    organization=org,
                    household_id=lease.household_id,
                    at=timezone.make_aware(
                        datetime.datetime.combine(lease.end_date, datetime.time(12))
                    ),
                    category="housing",
                    kind="lease.ended",
                    title=f"Fin du bail du logement {lease.dwelling.reference} (Mutation dans le parc)",
                    subject_type="housing.Lease",
                    subject_id=lease.public_id,
                )
            )
    for household in households:
        events.append(
            TimelineEvent(
                organization=org,
                household_id=household.pk,
                at=now,
                category="housing",
                kind="household.created",
                title="Création du dossier ménage (reprise des données)",
                subject_type="housing.Household",
                subject_id=household.public_id,
            )
        )
    TimelineEvent.objects.bulk_create(events)

    # Search text, from what is in memory (the same content as services.household_reindex).
    person_rows: dict[int, list[Person]] = {}
    for person in persons:
        person_rows.setdefault(person.household_id, []).append(person)
    for household in households:
        parts = [
            household.name,
            household.external_ref,
            household.phone,
            search.PHONE_CHARS.sub("", household.phone),
        ]
        for person in person_rows.get(household.pk, []):
            parts += [person.first_name, person.last_name, person.birth_name]
        for lease in by_household.get(household.pk, []):
            parts += [
                lease.dwelling.reference,
                lease.external_ref,
                lease.dwelling.residence.address,
                lease.dwelling.residence.commune_name,
            ]
        household.search_text = search.normalize(" ".join(p for p in parts if p))
    Household.objects.bulk_update(households, ["search_text"])
    return (
        f"{len(partners)} partenaires, {len(residences)} résidences, {len(dwellings)} logements, "
        f"{len(households)} ménages, {len(persons)} personnes, {len(leases)} baux"
    )


def _household(
    org: Organization, rng: random.Random, index: int, dwelling: Dwelling | None
) -> tuple[Household, list[Person], list[Income]]:
    rooms = int(dwelling.typology[1:]) if dwelling else rng.randint(1, 4)
    size = max(1, min(7, rooms + rng.choice([-1, -1, 0, 0, 0, 1])))
    last = rng.choice(LAST_NAMES)
    profile = _weighted(
        rng,
        [("senior", 22), ("single_parent", 18), ("couple", 35), ("single", 17), ("disabled", 8)],
    )
    if size == 1 and profile in ("single_parent", "couple"):
        profile = "single"
    members: list[Person] = []
    incomes: list[Income] = []
    female = rng.random() < 0.6
    ref_age = (66, 92) if profile == "senior" else (22, 62)
    reference = Person(
        organization=org,
        first_name=rng.choice(FIRST_F if female else FIRST_M),
        last_name=last,
        birth_date=_birth(rng, *ref_age),
        relationship="reference",
    )
    members.append(reference)
    household = Household(
        organization=org,
        external_ref=f"M{org.pk}{index:06d}",
        name=f"Ménage {last}",
        phone=f"0{rng.choice([3, 6, 7])} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
        lives_alone=size == 1,
    )
    if dwelling is None:
        household.address = f"{rng.randint(1, 80)} rue de la Gare"
        household.commune_name = "Metz" if org.slug == "habitat-est" else "Lyon"
    if profile == "senior":
        reference.employment_status = "retired"
        kind = "aspa" if rng.random() < 0.35 else "pension"
        amount = rng.uniform(1012, 1035) if kind == "aspa" else rng.uniform(950, 1900)
        incomes.append(
            Income(
                organization=org,
                person=reference,
                kind=kind,
                declared_monthly_amount=_money(amount),
            )
        )
        household.socially_isolated = size == 1 and rng.random() < 0.3
        if rng.random() < 0.25:
            reference.has_disability = True
            reference.needs_adapted_dwelling = True
            reference.disability_detail = "plain-pied ou ascenseur, douche sans ressaut"
            household.reduced_mobility = True
        if size >= 2:
            members.append(
                Person(
                    organization=org,
                    first_name=rng.choice(FIRST_M if female else FIRST_F),
                    last_name=last,
                    birth_date=_birth(rng, 66, 90),
                    relationship="spouse",
                    employment_status="retired",
                )
            )
            incomes.append(
                Income(
                    organization=org,
                    person=members[-1],
                    kind="pension",
                    declared_monthly_amount=_money(rng.uniform(700, 1500)),
                )
            )
        size = min(size, 2)
    elif profile == "disabled":
        reference.employment_status = "inactive"
        reference.has_disability = True
        reference.needs_adapted_dwelling = rng.random() < 0.5
        reference.disability_detail = (
            "fauteuil roulant : logement accessible PMR" if reference.needs_adapted_dwelling else ""
        )
        incomes.append(
            Income(
                organization=org,
                person=reference,
                kind="aah",
                declared_monthly_amount=Decimal("1016.05"),
            )
        )
    else:
        status = _weighted(
            rng, [("permanent", 40), ("temporary", 20), ("unemployed", 18), ("inactive", 22)]
        )
        reference.employment_status = status
        kind, low, high = {
            "permanent": ("salary", 1450, 2500),
            "temporary": ("salary", 850, 1500),
            "unemployment": ("unemployment", 650, 1250),
            "unemployed": ("unemployment", 650, 1250),
            "inactive": ("rsa", 607, 650),
        }[status]
        incomes.append(
            Income(
                organization=org,
                person=reference,
                kind=kind,
                declared_monthly_amount=_money(rng.uniform(low, high)),
                verified_monthly_amount=None,
            )
        )
        if kind == "salary" and rng.random() < 0.4:
            incomes.append(
                Income(
                    organization=org,
                    person=reference,
                    kind="prime_activite",
                    declared_monthly_amount=_money(rng.uniform(90, 260)),
                )
            )
        if profile == "couple":
            partner_status = _weighted(
                rng, [("permanent", 45), ("temporary", 20), ("inactive", 35)]
            )
            partner = Person(
                organization=org,
                first_name=rng.choice(FIRST_M if female else FIRST_F),
                last_name=rng.choice([last, rng.choice(LAST_NAMES)]),
                birth_date=_birth(rng, 22, 62),
                relationship="spouse",
                employment_status=partner_status,
            )
            members.append(partner)
            if partner_status != "inactive":
                incomes.append(
                    Income(
                        organization=org,
                        person=partner,
                        kind="salary",
                        declared_monthly_amount=_money(rng.uniform(900, 2100)),
                    )
                )
    children = max(0, size - len(members))
    for _ in range(children):
        members.append(
            Person(
                organization=org,
                first_name=rng.choice(FIRST_F + FIRST_M),
                last_name=last,
                birth_date=_birth(rng, 0, 19),
                relationship="child",
                employment_status="child",
            )
        )
    if children:
        allowance = Decimal("148.52") * max(0, children - 1) + (
            Decimal("60") if children >= 3 else 0
        )
        if allowance > 0:
            incomes.append(
                Income(
                    organization=org,
                    person=reference,
                    kind="family",
                    declared_monthly_amount=allowance.quantize(Decimal("0.01")),
                )
            )
        if profile == "single_parent" and rng.random() < 0.5:
            incomes.append(
                Income(
                    organization=org,
                    person=reference,
                    kind="alimony",
                    declared_monthly_amount=_money(rng.uniform(120, 300)),
                )
            )
    total = sum((i.declared_monthly_amount for i in incomes), Decimal("0"))
    if dwelling is not None and total < Decimal("1900"):
        household.housing_benefit_kind = "apl"
        cost = dwelling.rent + dwelling.charges
        household.housing_benefit = _money(
            float(cost) * rng.uniform(0.45, 0.85) * (1900 - float(total)) / 1900 + 40
        )
        household.housing_benefit_paid_to_landlord = rng.random() < 0.9
    for income in incomes:
        if rng.random() < 0.6:
            income.verified_monthly_amount = income.declared_monthly_amount
    return household, members, incomes
