"""Demo data of the social accompaniment: a year (and the year before, for the change) of
realistic activity for both demo landlords — accompaniments with their motives, contacts of
the social and arrears services, evaluations, orientations, appointments this week, a cold
wave, a heat wave and a running isolation campaign, adaptation requests (seed 001: 28
requests, 18 studied, 12 approved and delivered for 45 000 € of which 12 300 € co-funded), the
monthly social-action commission and the "Zéro expulsion locative" programme (seeds 002, 004).

Robust to the housing demo: uses whatever households exist (creates a few when there are
none). Idempotent: an organisation that already has accompaniments is left alone. Bulk
inserts: fast."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.context import organization_context

NOTES = [
    "Ménage reçu avec sa fille. Démarches CAF à relancer (APL suspendue depuis 2 mois).",
    "Visite : logement bien tenu, chauffage d'appoint au pétrole à proscrire. Orientation CCAS.",
    "Madame évoque des difficultés de santé ; propose un relais vers l'assistante sociale de secteur.",
    "Dossier FSL maintien constitué, pièces manquantes : avis d'imposition.",
    "Appel : reprise du loyer courant confirmée, plan d'apurement respecté ce mois-ci.",
    "Monsieur isolé depuis le décès de son épouse, accepte le passage d'une association de visiteurs.",
    "Demande de mutation pour sous-occupation : T4 occupé seul, souhaite un T2 en rez-de-chaussée.",
    "Budget travaillé ensemble : reste à vivre très faible, orientation vers la banque alimentaire.",
]
SUBJECTS = [
    "Point sur la situation",
    "Ouverture de droits",
    "Dossier FSL",
    "Plan d'apurement",
    "Demande de mutation",
    "Suivi après attribution",
    "Aide au budget",
    "Relais partenaire",
]
MOTIVE_WEIGHTS = [
    ("arrears", 30),
    ("access_to_rights", 25),
    ("transfer", 15),
    ("isolation", 10),
    ("allocation_follow_up", 10),
    ("adaptation", 5),
    ("other", 5),
]
KIND_WEIGHTS = [
    ("phone_out", 30),
    ("phone_in", 15),
    ("office_interview", 20),
    ("home_visit", 20),
    ("letter_email", 10),
    ("partner_meeting", 5),
]


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _users(org: Any) -> dict[str, list[Any]]:
    from organizations.models import Membership

    found: dict[str, list[Any]] = {}
    for membership in (
        Membership.objects.for_organization(org).filter(is_active=True).select_related("user")
    ):
        found.setdefault(membership.role, []).append(membership.user)
    return found


def _ensure_households(org: Any, rng: random.Random) -> list[Any]:
    from housing.models import Household, Person

    households = list(Household.objects.for_organization(org).order_by("pk"))
    if len(households) >= 20:
        return households
    names = ["Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
             "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
             "Morel", "Girard", "Andre", "Mercier"]  # fmt: skip
    created = []
    for i, name in enumerate(names[len(households) :]):
        alone = i % 3 == 0
        household = Household.objects.create(
            organization=org, name=f"Ménage {name} (démo social)", phone=f"06 00 00 00 {i:02d}",
            lives_alone=alone, socially_isolated=alone and i % 2 == 0,
        )  # fmt: skip
        Person.objects.create(
            organization=org, household=household, first_name="Camille", last_name=name,
            birth_date=datetime.date(rng.randint(1935, 1995), rng.randint(1, 12), rng.randint(1, 28)),
            relationship="reference",
        )  # fmt: skip
        created.append(household)
    return households + created


def load(stdout: Any) -> None:
    from organizations.models import Organization

    for slug in ("habitat-est", "rhone-logis"):
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            continue
        with organization_context(organization):
            from cases.models import SocialCase

            if SocialCase.objects.exists():
                continue
            counts = _load_organization(organization, random.Random(f"parcours-cases-{slug}"))
        stdout.write(f"  {organization.name} : {counts}")


def _load_organization(org: Any, rng: random.Random) -> str:
    from cases import models as m
    from core.models import TimelineEvent
    from housing.models import Lease, Partner, Person

    today = timezone.localdate()
    year_start = datetime.date(today.year, 1, 1)
    last_year = datetime.date(today.year - 1, 1, 1)
    users = _users(org)
    social = users.get("social_worker") or users.get("manager") or users.get("org_admin")
    if not social:
        return "aucun travailleur social : rien chargé"
    worker = social[0]
    arrears_officer = (users.get("arrears_officer") or [worker])[0]
    manager = (users.get("manager") or [worker])[0]
    households = _ensure_households(org, rng)
    tenant_ids = set(
        Lease.objects.for_organization(org)
        .filter(end_date__isnull=True)
        .values_list("household_id", flat=True)
    )
    tenants = [h for h in households if h.pk in tenant_ids] or households
    partners = list(Partner.objects.for_organization(org))
    by_kind: dict[str, list[Any]] = {}
    for p in partners:
        by_kind.setdefault(p.kind, []).append(p)
    associations = by_kind.get("association", [])
    now = timezone.now()
    events: list[Any] = []

    def event(
        household: Any,
        at: datetime.date,
        kind: str,
        title: str,
        subject: Any,
        actor: Any,
        summary: str = "",
    ) -> None:
        events.append(
            TimelineEvent(
                organization=org, household=household, category="cases", kind=kind, title=title,
                summary=summary, actor=actor, subject_type=subject._meta.label,
                subject_id=subject.public_id, created_by=actor,
                at=timezone.make_aware(datetime.datetime.combine(at, datetime.time(10, 0))),
            )
        )  # fmt: skip

    # --- Accompaniments: ~70 households over two years, the recent ones still running.
    followed = rng.sample(households, min(len(households), 70))
    cases: list[Any] = []
    for i, household in enumerate(followed):
        opened = _day(rng, last_year, today - datetime.timedelta(days=10))
        motives = sorted({_weighted(rng, MOTIVE_WEIGHTS) for _ in range(rng.choice([1, 1, 2]))})
        planned = opened + datetime.timedelta(days=122)
        running = opened > today - datetime.timedelta(days=150) or i % 9 == 0
        external = associations and i % 8 == 0
        case = m.SocialCase(
            organization=org, household=household, motives=motives,
            referent=worker if i % 3 else rng.choice(social), mode=("asll" if i % 16 == 0 else "avdl") if external else "internal",
            external_partner=rng.choice(associations) if external else None,
            opened_on=opened, planned_end_on=planned, note=rng.choice(NOTES),
            status="open" if running else "closed",
            closed_on=None if running else min(today, opened + datetime.timedelta(days=rng.randint(40, 260))),
            outcome="" if running else rng.choice(["goal_reached", "goal_reached", "partially_reached", "relayed", "abandoned", "moved_out"]),
            created_by=worker, updated_by=worker,
        )  # fmt: skip
        cases.append(case)
    m.SocialCase.objects.bulk_create(cases)
    for case in cases:
        event(
            case.household,
            case.opened_on,
            "social_case.opened",
            "Accompagnement social ouvert",
            case,
            case.referent,
        )
        if case.closed_on:
            event(
                case.household,
                case.closed_on,
                "social_case.closed",
                "Accompagnement social clos",
                case,
                case.referent,
            )
    running_by_household = {c.household_id: c for c in cases if c.status == "open"}

    # --- Interventions: +~50 % this year; 60 % of tenants met at home this year.
    interventions: list[Any] = []

    def contact(
        household: Any,
        day: datetime.date,
        kind: str,
        *,
        author: Any,
        service: str = "social",
        outcome: str = "done",
    ) -> None:
        interventions.append(
            m.Intervention(
                organization=org, household=household, author=author, service=service, kind=kind,
                social_case=running_by_household.get(household.pk) if service == "social" else None,
                occurred_on=day, duration_minutes={"home_visit": 60, "office_interview": 45, "partner_meeting": 90}.get(kind, rng.choice([5, 10, 15])),
                motive=_weighted(rng, MOTIVE_WEIGHTS), subject=rng.choice(SUBJECTS), outcome=outcome,
                note=rng.choice(NOTES) if rng.random() < 0.7 else "", created_by=author, updated_by=author,
            )
        )  # fmt: skip

    for _ in range(240):
        contact(
            rng.choice(followed),
            _day(rng, last_year, datetime.date(today.year - 1, 12, 31)),
            _weighted(rng, KIND_WEIGHTS),
            author=rng.choice(social),
        )
    visited = (
        rng.sample(tenants, int(len(tenants) * 0.6))
        if len(tenants) < 400
        else rng.sample(tenants, 240)
    )
    for household in visited:
        contact(household, _day(rng, year_start, today), "home_visit", author=rng.choice(social))
    for _ in range(max(0, 370 - len(visited))):
        contact(
            rng.choice(followed),
            _day(rng, year_start, today),
            _weighted(rng, KIND_WEIGHTS),
            author=rng.choice(social),
        )
    # The social worker's households: a recent contact for most, none for a few (caseload alert).
    for i, case in enumerate(c for c in cases if c.status == "open" and c.referent == worker):
        if i % 4:
            contact(
                case.household,
                today - datetime.timedelta(days=rng.randint(1, 20)),
                _weighted(rng, KIND_WEIGHTS),
                author=worker,
            )
    # The arrears service's own calls and meetings.
    for _ in range(120):
        kind = rng.choice(
            ["phone_out", "phone_out", "phone_in", "office_interview", "letter_email"]
        )
        contact(rng.choice(tenants), _day(rng, year_start, today), kind, author=arrears_officer, service="arrears",
                outcome="not_reached" if kind == "phone_out" and rng.random() < 0.3 else "done")  # fmt: skip
    m.Intervention.objects.bulk_create(interventions)
    from cases.enums import InterventionKind

    labels = dict(InterventionKind.choices)
    for i in interventions:
        event(
            i.household,
            i.occurred_on,
            "intervention.logged",
            str(labels[i.kind]),
            i,
            i.author,
            i.subject,
        )

    # --- Evaluations.
    evaluations = []
    for year_from, count in ((last_year, 38), (year_start, 46)):
        for _ in range(count):
            day = _day(rng, year_from, min(today, datetime.date(year_from.year, 12, 31)))
            evaluations.append(
                m.Evaluation(
                    organization=org, household=rng.choice(households), author=rng.choice(social),
                    context=rng.choice(["allocation", "allocation", "dalo", "arrears", "transfer", "adaptation"]),
                    evaluated_on=day, status="completed" if day < today - datetime.timedelta(days=15) else "draft",
                    situation_note="Famille monoparentale, deux enfants scolarisés.", resources_note="RSA et prestations familiales ; APL en tiers payant.",
                    autonomy_note="Autonome dans les démarches courantes.", needs_note="Aide à l'ouverture des droits, suivi budgétaire.",
                    conclusion_note="Accès au logement possible avec un accompagnement de quelques mois.",
                    recommendation=rng.choice(["none", "internal", "internal", "external", "referral"]),
                    created_by=worker, updated_by=worker,
                )
            )  # fmt: skip
    m.Evaluation.objects.bulk_create(evaluations)

    # --- Referrals to partners.
    targets = [
        p
        for p in partners
        if p.kind in ("ccas", "caf_msa", "carsat", "association", "mdph", "departement")
    ]
    referrals = []
    for _ in range(40 if targets else 0):
        day = _day(rng, year_start, today)
        status = rng.choice(["sent", "accepted", "accepted", "refused", "no_follow_up"])
        household = rng.choice(followed)
        referrals.append(
            m.Referral(
                organization=org, household=household, partner=rng.choice(targets),
                social_case=running_by_household.get(household.pk), motive=_weighted(rng, MOTIVE_WEIGHTS), sent_on=day,
                status=status, outcome_on=None if status == "sent" else min(today, day + datetime.timedelta(days=15)),
                outcome="" if status == "sent" else "Réponse du partenaire reçue", created_by=worker,
            )
        )  # fmt: skip
    m.Referral.objects.bulk_create(referrals)

    # --- Appointments this week for the social worker.
    tz = timezone.get_current_timezone()
    appointments = []
    week_start = today - datetime.timedelta(days=today.weekday())
    for i, case in enumerate([c for c in cases if c.status == "open" and c.referent == worker][:6]):
        day = week_start + datetime.timedelta(days=i % 5)
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + i, 30)), tz)
        appointments.append(
            m.Appointment(
                organization=org, household=case.household, social_case=case, worker=worker,
                kind="home_visit" if i % 2 else "office_interview", starts_at=max(starts, now + datetime.timedelta(hours=i + 1)),
                place="Au domicile" if i % 2 else "Agence", subject="Point d'étape", created_by=worker,
            )
        )  # fmt: skip
    m.Appointment.objects.bulk_create(appointments)
    for a in appointments:
        event(a.household, today, "appointment.planned", "Rendez-vous prévu", a, worker)

    # --- Outreach campaigns: cold wave, heat wave, and a running isolation campaign.
    older = set(
        Person.objects.for_organization(org)
        .filter(birth_date__lte=today.replace(year=today.year - 75))
        .values_list("household_id", flat=True)
    )
    vulnerable = [
        h for h in tenants if h.pk in older or h.lives_alone or h.socially_isolated
    ] or tenants[:30]
    callers = [*social, arrears_officer]
    campaigns = [
        ("Plan grand froid", "cold_wave", datetime.date(today.year, 1, 6), datetime.date(today.year, 2, 28), "closed", 216),
        ("Canicule", "heat_wave", datetime.date(today.year, 7, 1), datetime.date(today.year, 8, 31), "closed", 156),
        ("Rompre l'isolement", "isolation", today - datetime.timedelta(days=14), None, "active", 40),
    ]  # fmt: skip
    for name, kind, starts, ends, status, size in campaigns:
        if starts > today:
            continue
        campaign = m.OutreachCampaign.objects.create(
            organization=org, name=f"{name} {starts.year}", kind=kind, status=status, starts_on=starts, ends_on=ends,
            criteria={"min_age": 75, "lives_alone": kind == "isolation", "tenants_only": True},
            calls_per_week=2 if kind != "isolation" else 1, created_by=manager,
        )  # fmt: skip
        m.CampaignCaller.objects.bulk_create(
            [
                m.CampaignCaller(organization=org, campaign=campaign, user=u)
                for u in {u.pk: u for u in callers}.values()
            ]
        )
        listed = rng.sample(vulnerable, min(size, len(vulnerable)))
        rows, calls = [], []
        for j, household in enumerate(listed):
            caller = worker if status == "active" and j % 2 == 0 else callers[j % len(callers)]
            outcome = (
                "to_call"
                if status == "active" and j % 3 == 0
                else rng.choice(["reached", "reached", "reached", "not_reached", "follow_up"])
            )
            day = _day(rng, starts, min(today, ends or today))
            rows.append(
                m.CampaignTarget(
                    organization=org, campaign=campaign, household=household, assigned_to=caller, status=outcome,
                    recurring=household.lives_alone, attempts=0 if outcome == "to_call" else rng.randint(1, 3),
                    last_contact_on=None if outcome == "to_call" else day, next_call_on=today if outcome == "to_call" else None,
                    created_by=manager,
                )
            )  # fmt: skip
        m.CampaignTarget.objects.bulk_create(rows)
        for target in rows:
            if target.status == "to_call":
                continue
            calls.append(
                m.Intervention(
                    organization=org, household=target.household, campaign_target=target, author=target.assigned_to,
                    kind="campaign_call", occurred_on=target.last_contact_on, duration_minutes=5, motive="isolation",
                    subject=campaign.name, outcome={"reached": "done", "not_reached": "not_reached", "follow_up": "follow_up"}[target.status],
                    created_by=target.assigned_to,
                )
            )  # fmt: skip
        m.Intervention.objects.bulk_create(calls)

    # --- Adaptation requests (seed 001): 28 requested, 18 studied, 12 approved and delivered.
    persons = list(
        Person.objects.for_organization(org).filter(household__in=tenants).exclude(birth_date__isnull=True)
        .order_by("birth_date")[:60]
    )  # fmt: skip
    carsat = (by_kind.get("carsat") or [None])[0]
    mdph = (by_kind.get("mdph") or [None])[0]
    costs = [
        Decimal(c)
        for c in (
            "3450",
            "3980",
            "4120",
            "3600",
            "3870",
            "4010",
            "3520",
            "3750",
            "3890",
            "3640",
            "3670",
            "2500",
        )
    ]
    cofund = [
        Decimal(c)
        for c in (
            "1200",
            "1500",
            "1000",
            "1300",
            "900",
            "1100",
            "800",
            "1000",
            "1200",
            "1000",
            "700",
            "600",
        )
    ]
    requests = []
    for k in range(28 if persons else 0):
        person = persons[k % len(persons)]
        requested = _day(rng, year_start, min(today, datetime.date(today.year, 9, 30)))
        studied = requested + datetime.timedelta(days=30) if k < 18 else None
        if k < 12:
            status = "delivered"
        elif k < 16:
            status = "rejected"
        elif k < 18:
            status = "postponed"
        else:
            status = "submitted"
        requests.append(
            m.AdaptationRequest(
                organization=org, household_id=person.household_id, requester=person,
                kind="bath_to_shower" if k % 4 else "grab_bars", description="Remplacement de la baignoire par une douche à l'italienne",
                requested_on=requested, status=status, studied_on=min(studied, today) if studied else None,
                decision_reason="Hors critères (logement récent déjà adapté)" if status == "rejected" else "",
                works_started_on=min(today, requested + datetime.timedelta(days=50)) if k < 12 else None,
                delivered_on=min(today, requested + datetime.timedelta(days=60)) if k < 12 else None,
                estimated_cost=costs[k] if k < 12 else Decimal("3800"), final_cost=costs[k] if k < 12 else None,
                created_by=worker,
            )
        )  # fmt: skip
    m.AdaptationRequest.objects.bulk_create(requests)
    fundings = []
    for k, request in enumerate(requests[:12]):
        funder = carsat if k % 3 else (mdph or carsat)
        if funder is not None:
            fundings.append(
                m.AdaptationFunding(
                    organization=org, request=request, partner=funder, amount=cofund[k]
                )
            )
    m.AdaptationFunding.objects.bulk_create(fundings)

    # --- The monthly social-action commission.
    items = []
    for month in range(1, today.month + 1):
        held = datetime.date(today.year, month, 15)
        review = m.CaseReview.objects.create(
            organization=org,
            held_on=held,
            status="held" if held <= today else "planned",
            created_by=manager,
        )
        for household in rng.sample(followed, 3):
            items.append(
                m.CaseReviewItem(
                    organization=org, review=review, household=household, file_kind=rng.choice(["access", "transfer", "staying"]),
                    question="Situation complexe : quelle orientation ?", note=rng.choice(NOTES),
                    decision=rng.choice(["approved", "adjourned", "referred"]) if held <= today else "",
                    decision_text="Avis de la commission consigné" if held <= today else "", created_by=manager,
                )
            )  # fmt: skip
    m.CaseReviewItem.objects.bulk_create(items)

    # --- Support programme (seeds 002, 004).
    programme = m.SupportProgramme.objects.create(
        organization=org, name="Zéro expulsion locative", decision_body="Comité de pilotage (bailleur, État, CCAS)",
        funders="État — 10 000 logements accompagnés ; bailleur", operator=associations[0] if associations else None,
        starts_on=last_year, ends_on=datetime.date(today.year + 1, 6, 30), unit_cost_diagnostic=Decimal("300"),
        unit_cost_yearly_accompaniment=Decimal("1500"), unit_cost_collective_action=Decimal("1000"),
        collective_actions_held=3, target_access=10, target_staying=30, budget_planned=Decimal("63000"), created_by=manager,
    )  # fmt: skip
    enrolments = []
    for k, household in enumerate(rng.sample(followed, min(24, len(followed)))):
        status = "accepted" if k < 16 else ("refused" if k < 19 else "proposed")
        proposed = _day(rng, last_year, today - datetime.timedelta(days=20))
        enrolments.append(
            m.ProgrammeEnrolment(
                organization=org, programme=programme, household=household, kind="access" if k % 4 == 0 else "staying",
                status=status, proposed_on=proposed, decided_on=proposed + datetime.timedelta(days=10) if status != "proposed" else None,
                decision_text="Entrée validée par le comité" if status == "accepted" else "", diagnostic_done=status != "proposed",
                created_by=manager,
            )
        )  # fmt: skip
    m.ProgrammeEnrolment.objects.bulk_create(enrolments)

    TimelineEvent.objects.bulk_create(events, batch_size=1000)
    return (
        f"{len(cases)} accompagnements, {len(interventions)} interventions, {len(evaluations)} évaluations, "
        f"{len(requests)} demandes d'adaptation, {len(enrolments)} ménages en dispositif"
    )
