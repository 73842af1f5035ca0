"""Counting for the yearly report (issue 12): leasing activity, relocation operations and
collective actions. Each figure is an `Indicator` (definitions in docs/indicators.md and
docs/leasing-and-operations.md); each selector takes `organization, year, territory=None`.

Territories: a prospection's is that of its dwelling's residence (recorded with it); an
application's is the territory one of whose communes it wishes (or, for a transfer, that of its
current lease); an operation's or an action's, that of one of its residences; a clause's, that
of its residence.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum

from operations.enums import ActionKind, DwellingRole, ProspectionOutcome, RelocationStatus
from operations.models import (
    ActionFunding,
    ActionResidence,
    CollectiveAction,
    InsertionClause,
    Prospection,
    RegisterStatistic,
    RelocationDwelling,
    RelocationHousehold,
    RelocationPositioning,
    RelocationResidence,
)
from reporting.indicators import Indicator, Unit, breakdown, pick, shared

LEASING = "commissions"
DEVELOPMENT = "local_development"


# --- Leasing activity ----------------------------------------------------------------------


def prospections_by_outcome(
    *, organization: Any, year: int, territory: Any = None
) -> dict[str, int]:
    qs = Prospection.objects.for_organization(organization).filter(contacted_on__year=year)
    if territory is not None:
        qs = qs.filter(residence__territory=territory)
    counts = dict(qs.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n"))
    return {o: counts.get(o, 0) for o in ProspectionOutcome.values}


def prospections(*, organization: Any, year: int, territory: Any = None) -> int:
    return sum(
        shared(prospections_by_outcome)(
            organization=organization, year=year, territory=territory
        ).values()
    )


def applications_by_desk(*, organization: Any, year: int, territory: Any = None) -> dict[str, int]:
    """New demands filed in `year`, by registration desk (landlord vs received)."""
    from allocations.enums import RegistrationDesk
    from allocations.models import HousingApplication

    qs = HousingApplication.objects.for_organization(organization).filter(filed_on__year=year)
    if territory is not None:
        communes = [c for c in (territory.communes or []) if c]
        qs = qs.filter(
            Q(desired_communes__overlap=communes)
            | Q(current_lease__dwelling__residence__territory=territory)
        )
    counts = dict(
        qs.values_list("registration_desk")
        .annotate(n=Count("pk"))
        .values_list("registration_desk", "n")
    )
    return {d: counts.get(d, 0) for d in RegistrationDesk.values}


def applications_by_desk_per_territory(
    *, organization: Any, year: int, territories: Any
) -> dict[int, dict[str, int]]:
    """`applications_by_desk` of each territory (by id) in ONE query, for the leasing page: the
    year's demands are counted by (desk, wished communes, territory of the current lease) —
    a few hundred groups, not one row per demand — and each group is given to the territories
    it belongs to here (the same rule as `applications_by_desk`: a wished commune of the
    territory, or the current lease in it). A territory per query read the year's demands
    and joined every lease and dwelling of the organisation each time (8 × 100-160 ms at
    100,000 dwellings). `COUNT(*)`: the year's demands are then read from the covering index
    `application_org_filed_idx` alone (a year's demands are scattered over every page of the
    table)."""
    from allocations.enums import RegistrationDesk
    from allocations.models import HousingApplication

    groups = (
        HousingApplication.objects.for_organization(organization)
        .filter(filed_on__year=year)
        .values_list(
            "registration_desk",
            "desired_communes",
            "current_lease__dwelling__residence__territory_id",
        )
        .annotate(n=Count("*"))
        .order_by()
    )
    communes = {t.pk: {c for c in (t.communes or []) if c} for t in territories}
    counts = {pk: dict.fromkeys(RegistrationDesk.values, 0) for pk in communes}
    for desk, wished, lease_territory_id, n in groups:
        wished = set(wished or ())
        for pk, own in communes.items():
            if lease_territory_id == pk or not own.isdisjoint(wished):
                counts[pk][desk] = counts[pk].get(desk, 0) + n
    return counts


def prospections_per_territory(*, organization: Any, year: int) -> dict[int, int]:
    """Prospections of `year` by territory id (one grouped query, over the prospections and
    the residences they record: no dwelling read)."""
    qs = Prospection.objects.for_organization(organization).filter(contacted_on__year=year)
    return dict(
        qs.values_list("residence__territory")
        .annotate(n=Count("pk"))
        .values_list("residence__territory", "n")
        .order_by()
    )


def _latest_register(organization: Any, year: int) -> Any:
    return (
        RegisterStatistic.objects.for_organization(organization)
        .filter(on__year=year)
        .filter(
            ~Exists(
                RegisterStatistic.objects.for_organization(organization).filter(
                    territory=OuterRef("territory"), on__year=year, on__gt=OuterRef("on")
                )
            )
        )
    )


def register_per_territory(*, organization: Any, year: int) -> dict[int, int]:
    """The year's latest active demands on the register by territory id (one query)."""
    return dict(_latest_register(organization, year).values_list("territory_id", "active_demands"))


def register_active_demands(*, organization: Any, year: int, territory: Any = None) -> int | None:
    """Active demands on the register at the latest date of `year` entered per territory,
    summed over territories (None when nothing was entered)."""
    latest = _latest_register(organization, year)
    if territory is not None:
        latest = latest.filter(territory=territory)
    total = latest.aggregate(total=Sum("active_demands"))["total"]
    return total


# --- Relocation operations ----------------------------------------------------------------


def _operations_filter(qs: Any, organization: Any, territory: Any, field: str = "operation") -> Any:
    if territory is None:
        return qs
    return qs.filter(
        Exists(
            RelocationResidence.objects.for_organization(organization).filter(
                operation=OuterRef(field), residence__territory=territory
            )
        )
    )


def relocation_summary(*, organization: Any, year: int, territory: Any = None) -> dict[str, Any]:
    """Per operation and in total, for operations running during `year`: dwellings concerned
    and mobilised, households concerned, met, surveyed, agreements signed in the year (or
    before), positioned, offers and refusals, rehoused (in the year), transfers, accompanied."""
    from allocations.enums import OfferStatus

    households = _operations_filter(
        RelocationHousehold.objects.for_organization(organization).filter(
            operation__starts_on__year__lte=year
        ),
        organization,
        territory,
    )
    dwellings = _operations_filter(
        RelocationDwelling.objects.for_organization(organization).filter(
            operation__starts_on__year__lte=year
        ),
        organization,
        territory,
    )
    positionings = RelocationPositioning.objects.for_organization(organization).filter(
        relocation_household__in=households, positioned_on__year__lte=year
    )
    done = ~Q(status=RelocationStatus.WITHDRAWN)
    agg = households.aggregate(
        concerned=Count("pk"),
        met=Count("pk", filter=Q(met_on__year__lte=year)),
        surveyed=Count("pk", filter=Q(surveyed_on__year__lte=year)),
        agreements=Count("pk", filter=Q(agreement_signed_on__year__lte=year)),
        rehoused=Count("pk", filter=Q(rehoused_on__year=year)),
        transfers=Count("pk", filter=Q(rehoused_on__year=year, is_transfer=True)),
        accompanied=Count("pk", filter=Q(social_case__isnull=False) & done),
    )
    dw = dwellings.aggregate(
        concerned=Count("dwelling", filter=Q(role=DwellingRole.CONCERNED), distinct=True),
        mobilised=Count("dwelling", filter=Q(role=DwellingRole.MOBILISED), distinct=True),
    )
    pos = positionings.aggregate(
        positioned=Count("relocation_household", distinct=True),
        offers=Count("offer", distinct=True),
        refusals=Count("offer", filter=Q(offer__status=OfferStatus.REFUSED), distinct=True),
    )
    return {
        "year": year,
        "dwellings_concerned": dw["concerned"],
        "dwellings_mobilised": dw["mobilised"],
        "households_concerned": agg["concerned"],
        "met": agg["met"],
        "surveyed": agg["surveyed"],
        "agreements_signed": agg["agreements"],
        "positioned": pos["positioned"],
        "offers": pos["offers"],
        "refusals": pos["refusals"],
        "rehoused": agg["rehoused"],
        "transfers": agg["transfers"],
        "accompanied": agg["accompanied"],
    }


def operation_dashboard(*, operation: Any) -> dict[str, Any]:
    """The counts of one operation, all years (its dashboard)."""
    from allocations.enums import OfferStatus

    households = operation.households.all()
    by_status = dict(
        households.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    positionings = RelocationPositioning.objects.for_organization(operation.organization_id).filter(
        relocation_household__operation=operation
    )
    dwellings = operation.dwelling_links.aggregate(
        concerned=Count("pk", filter=Q(role=DwellingRole.CONCERNED)),
        mobilised=Count("pk", filter=Q(role=DwellingRole.MOBILISED)),
    )
    pos = positionings.aggregate(
        positioned=Count("relocation_household", distinct=True),
        offers=Count("offer", distinct=True),
        refusals=Count("offer", filter=Q(offer__status=OfferStatus.REFUSED), distinct=True),
    )
    agg = households.aggregate(
        total=Count("pk"),
        met=Count("pk", filter=Q(met_on__isnull=False)),
        surveyed=Count("pk", filter=Q(surveyed_on__isnull=False)),
        agreements=Count("pk", filter=Q(agreement_signed_on__isnull=False)),
        rehoused=Count("pk", filter=Q(status=RelocationStatus.REHOUSED)),
        transfers=Count("pk", filter=Q(status=RelocationStatus.REHOUSED, is_transfer=True)),
        accompanied=Count("pk", filter=Q(social_case__isnull=False)),
    )
    return {
        "by_status": [(label, by_status.get(v, 0)) for v, label in RelocationStatus.choices],
        "dwellings_concerned": dwellings["concerned"],
        "dwellings_mobilised": dwellings["mobilised"],
        **pos,
        **agg,
    }


# --- Collective actions ------------------------------------------------------------------


def _actions(organization: Any, year: int, territory: Any) -> Any:
    qs = CollectiveAction.objects.for_organization(organization).filter(starts_on__year=year)
    if territory is not None:
        qs = qs.filter(
            Exists(
                ActionResidence.objects.for_organization(organization).filter(
                    action=OuterRef("pk"), residence__territory=territory
                )
            )
        )
    return qs


def collective_actions_summary(
    *, organization: Any, year: int, territory: Any = None
) -> dict[str, Any]:
    """Actions started in `year`: number and sessions by kind, participants, households
    reached, back to work, costs, and the funding lines of those actions (full amounts)."""
    qs = _actions(organization, year, territory)
    by_kind = dict(qs.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    sessions_by_kind = dict(
        qs.values_list("kind").annotate(n=Sum("sessions")).values_list("kind", "n")
    )
    agg = qs.aggregate(
        participants=Sum("participants"),
        households=Sum("households_reached"),
        back_to_work=Sum("back_to_work"),
        cost=Sum("cost"),
    )
    funding = (
        ActionFunding.objects.for_organization(organization)
        .filter(action__in=qs)
        .aggregate(total=Sum("amount"))["total"]
    )
    return {
        "year": year,
        "actions": sum(by_kind.values()),
        "by_kind": {k: by_kind.get(k, 0) for k in ActionKind.values},
        "sessions_by_kind": {k: sessions_by_kind.get(k) or 0 for k in ActionKind.values},
        "participants": agg["participants"] or 0,
        "households_reached": agg["households"] or 0,
        "back_to_work": agg["back_to_work"] or 0,
        "cost": agg["cost"] or Decimal("0"),
        "funding": funding or Decimal("0"),
    }


def insertion_hours(*, organization: Any, year: int, territory: Any = None) -> dict[str, int]:
    qs = InsertionClause.objects.for_organization(organization).filter(year=year)
    if territory is not None:
        qs = qs.filter(residence__territory=territory)
    agg = qs.aggregate(required=Sum("required_hours"), achieved=Sum("achieved_hours"))
    return {"required": agg["required"] or 0, "achieved": agg["achieved"] or 0}


# --- Registry ------------------------------------------------------------------------------


def _field(selector: Any, key: str, convert: Any = None) -> Any:
    """One figure of a summary selector; the figures of one summary share its result within a
    report's computation (reporting.indicators.pick / shared_results)."""
    return pick(selector, key, convert=convert)


def _outcome_breakdown(**kwargs: Any) -> list[dict]:
    return breakdown(shared(prospections_by_outcome)(**kwargs), ProspectionOutcome.choices)


def _desk_breakdown(**kwargs: Any) -> list[dict]:
    from allocations.enums import RegistrationDesk

    return breakdown(shared(applications_by_desk)(**kwargs), RegistrationDesk.choices)


def _landlord_registered(**kwargs: Any) -> int:
    return shared(applications_by_desk)(**kwargs).get("landlord", 0)


def _relocation(key: str) -> Any:
    return _field(relocation_summary, key)


def _rel(key: str, label: str, definition: str, formula: str) -> Indicator:
    return Indicator(
        key=f"operations.relocation_{key}",
        label=label,
        definition=definition,
        formula=formula,
        source="operations.RelocationOperation, RelocationHousehold, RelocationDwelling, "
        "RelocationPositioning — operations.indicators.relocation_summary",
        unit=Unit.COUNT,
        section=DEVELOPMENT,
        selector=_relocation(key),
        counts="ménages",
    )


INDICATORS = [
    Indicator(
        key="operations.prospections",
        label="Prospections",
        definition="Contacts d'un(e) chargé(e) de location avec un demandeur au sujet d'un "
        "logement vacant, avant la CAL, datés dans l'année.",
        formula="count(prospection) où date du contact ∈ N (territoire : résidence du logement)",
        source="operations.Prospection — operations.indicators.prospections",
        unit=Unit.COUNT,
        section=LEASING,
        selector=prospections,
        compare=True,
    ),
    Indicator(
        key="operations.prospections_by_outcome",
        label="Prospections par résultat",
        definition="Répartition des prospections de l'année par résultat (intéressé, pas "
        "intéressé, injoignable, pièces demandées).",
        formula="Comptage des prospections de l'année par résultat",
        source="operations.Prospection — operations.indicators.prospections_by_outcome",
        unit=Unit.BREAKDOWN,
        section=LEASING,
        selector=_outcome_breakdown,
        chart="bar",
        counts="prospections",
    ),
    Indicator(
        key="operations.applications_registered_by_landlord",
        label="Demandes enregistrées par le bailleur (guichet enregistreur)",
        definition="Demandes déposées dans l'année que le bailleur a lui-même enregistrées "
        "comme guichet enregistreur.",
        formula="count(demande) où date de dépôt ∈ N et guichet = bailleur",
        source="allocations.HousingApplication.registration_desk — "
        "operations.indicators.applications_by_desk",
        unit=Unit.COUNT,
        section=LEASING,
        selector=_landlord_registered,
        compare=True,
    ),
    Indicator(
        key="operations.applications_by_desk",
        label="Demandes par guichet d'enregistrement",
        definition="Demandes déposées dans l'année : enregistrées par le bailleur ou reçues "
        "d'un autre guichet.",
        formula="Comptage des demandes déposées en N par guichet",
        source="allocations.HousingApplication.registration_desk — "
        "operations.indicators.applications_by_desk",
        unit=Unit.BREAKDOWN,
        section=LEASING,
        selector=_desk_breakdown,
        chart="pie",
        counts="demandes",
    ),
    Indicator(
        key="operations.register_active_demands",
        label="Demandes actives au registre national (contexte)",
        definition="Nombre de demandes actives au Système national d'enregistrement sur le(s) "
        "territoire(s), à la dernière date de l'année saisie ou importée.",
        formula="Σ par territoire du dernier relevé de l'année",
        source="operations.RegisterStatistic — operations.indicators.register_active_demands",
        unit=Unit.COUNT,
        section=LEASING,
        selector=register_active_demands,
    ),
    _rel(
        "dwellings_mobilised",
        "Logements mobilisés pour les relogements",
        "Logements distincts mobilisés pour les opérations de relogement commencées au plus "
        "tard dans l'année.",
        "count(distinct logement de rôle « mobilisé »)",
    ),
    _rel(
        "households_concerned",
        "Ménages concernés par une opération de relogement",
        "Ménages rattachés aux opérations commencées au plus tard dans l'année.",
        "count(ménage concerné)",
    ),
    _rel(
        "agreements_signed",
        "Protocoles de relogement signés",
        "Ménages concernés dont le protocole a été signé au plus tard dans l'année (cumul).",
        "count(ménage concerné) où date du protocole ≤ 31/12/N",
    ),
    _rel(
        "positioned",
        "Candidats positionnés sur des logements mobilisés",
        "Ménages concernés positionnés au moins une fois sur un logement mobilisé pour "
        "l'opération (cumul au 31/12).",
        "count(distinct ménage) des positionnements datés ≤ 31/12/N",
    ),
    _rel(
        "refusals",
        "Refus de propositions de relogement",
        "Propositions d'attribution (allocations.Offer) liées à un positionnement et refusées.",
        "count(distinct proposition liée) où statut = refusée",
    ),
    _rel(
        "rehoused",
        "Ménages relogés",
        "Ménages concernés relogés dans l'année.",
        "count(ménage concerné) où date de relogement ∈ N",
    ),
    _rel(
        "transfers",
        "Mutations / transferts dans le parc",
        "Ménages relogés dans l'année par mutation dans le parc du bailleur.",
        "count(ménage relogé en N) où mutation = oui",
    ),
    _rel(
        "accompanied",
        "Ménages accompagnés dans le cadre d'un relogement",
        "Ménages concernés (hors sortis du dispositif) dont l'accompagnement social "
        "(cases.SocialCase) est lié.",
        "count(ménage concerné) où accompagnement lié et statut ≠ sorti",
    ),
    Indicator(
        key="operations.collective_actions_by_kind",
        label="Actions collectives par type",
        definition="Actions collectives commencées dans l'année, par type.",
        formula="Comptage des actions dont le début ∈ N par type",
        source="operations.CollectiveAction — operations.indicators.collective_actions_summary",
        unit=Unit.BREAKDOWN,
        section=DEVELOPMENT,
        selector=_field(
            collective_actions_summary,
            "by_kind",
            lambda d: breakdown(d, ActionKind.choices),
        ),
        chart="bar",
        counts="actions",
    ),
    Indicator(
        key="operations.collective_action_sessions",
        label="Séances d'actions collectives (ateliers)",
        definition="Séances tenues par les actions collectives commencées dans l'année.",
        formula="Σ séances des actions dont le début ∈ N",
        source="operations.CollectiveAction — operations.indicators.collective_actions_summary",
        unit=Unit.COUNT,
        section=DEVELOPMENT,
        selector=_field(collective_actions_summary, "sessions_by_kind", lambda d: sum(d.values())),
    ),
    Indicator(
        key="operations.collective_action_participants",
        label="Participants aux actions collectives",
        definition="Participants déclarés aux actions collectives commencées dans l'année.",
        formula="Σ participants des actions dont le début ∈ N",
        source="operations.CollectiveAction — operations.indicators.collective_actions_summary",
        unit=Unit.COUNT,
        section=DEVELOPMENT,
        selector=_field(collective_actions_summary, "participants"),
        compare=True,
        counts="personnes",
    ),
    Indicator(
        key="operations.collective_action_households",
        label="Ménages touchés par les actions collectives",
        definition="Ménages touchés déclarés par les actions commencées dans l'année.",
        formula="Σ ménages touchés des actions dont le début ∈ N",
        source="operations.CollectiveAction — operations.indicators.collective_actions_summary",
        unit=Unit.COUNT,
        section=DEVELOPMENT,
        selector=_field(collective_actions_summary, "households_reached"),
    ),
    Indicator(
        key="operations.back_to_work",
        label="Retours à l'emploi après une action collective",
        definition="Retours à l'emploi déclarés par les actions commencées dans l'année.",
        formula="Σ retours à l'emploi des actions dont le début ∈ N",
        source="operations.CollectiveAction — operations.indicators.collective_actions_summary",
        unit=Unit.COUNT,
        section=DEVELOPMENT,
        selector=_field(collective_actions_summary, "back_to_work"),
        counts="personnes",
    ),
    Indicator(
        key="operations.collective_action_funding",
        label="Financements obtenus pour les actions collectives",
        definition="Montant total des lignes de financement des actions commencées dans "
        "l'année (montant de la ligne entière, quelle que soit sa période).",
        formula="Σ montants des financements des actions dont le début ∈ N",
        source="operations.ActionFunding — operations.indicators.collective_actions_summary",
        unit=Unit.EUROS,
        section=DEVELOPMENT,
        selector=_field(collective_actions_summary, "funding"),
    ),
    Indicator(
        key="operations.collective_action_cost",
        label="Coût des actions collectives",
        definition="Coûts déclarés des actions commencées dans l'année.",
        formula="Σ coûts des actions dont le début ∈ N",
        source="operations.CollectiveAction — operations.indicators.collective_actions_summary",
        unit=Unit.EUROS,
        section=DEVELOPMENT,
        selector=_field(collective_actions_summary, "cost"),
    ),
    Indicator(
        key="operations.insertion_hours_achieved",
        label="Heures d'insertion réalisées (clauses des marchés)",
        definition="Heures d'insertion réalisées au titre des clauses des marchés de travaux "
        "de l'année.",
        formula="Σ heures réalisées des clauses de l'année N",
        source="operations.InsertionClause — operations.indicators.insertion_hours",
        unit=Unit.COUNT,
        section=DEVELOPMENT,
        selector=_field(insertion_hours, "achieved"),
        compare=True,
        counts="heures",
    ),
    Indicator(
        key="operations.insertion_hours_required",
        label="Heures d'insertion exigées (clauses des marchés)",
        definition="Heures d'insertion exigées par les clauses des marchés de travaux de l'année.",
        formula="Σ heures exigées des clauses de l'année N",
        source="operations.InsertionClause — operations.indicators.insertion_hours",
        unit=Unit.COUNT,
        section=DEVELOPMENT,
        selector=_field(insertion_hours, "required"),
        counts="heures",
    ),
]
