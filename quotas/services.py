"""Writes of the quotas app: keyword-only, atomic, French messages keyed by field."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from core.parameters import get_parameter, parameter
from quotas.enums import Direction, QuotaCategory, TargetKind
from quotas.models import ExcludedDwelling, QuotaTarget, ReservationAgreement

RESERVATAIRE_KINDS = ("prefecture", "action_logement", "commune", "epci", "other")

AGREEMENT_FIELDS = ("partner", "territory", "year", "flow_share", "signed_on", "reference")
TARGET_FIELDS = (
    "territory",
    "year",
    "category",
    "programme",
    "partner",
    "kind",
    "value",
    "direction",
)


def _same_org(organization: Any, obj: Any, field: str, label: str) -> None:
    if obj is not None and obj.organization_id != organization.pk:
        raise ValidationError({field: f"{label} inconnu(e)."})


def _check_agreement(agreement: ReservationAgreement) -> None:
    errors: dict[str, str] = {}
    if agreement.partner.kind not in RESERVATAIRE_KINDS:
        errors["partner"] = (
            "Ce partenaire ne peut pas être réservataire (préfecture, Action Logement, commune, "
            "EPCI ou autre)."
        )
    share = agreement.flow_share
    if share is None or share < 0 or share > 100:
        errors["flow_share"] = "La part du flux doit être comprise entre 0 et 100 %."
    if not (2000 <= int(agreement.year or 0) <= 2100):
        errors["year"] = "Année invalide."
    if errors:
        raise ValidationError(errors)
    others = (
        ReservationAgreement.objects.for_organization(agreement.organization_id)
        .filter(territory=agreement.territory_id, year=agreement.year)
        .exclude(pk=agreement.pk)
    )
    if others.filter(partner=agreement.partner_id).exists():
        raise ValidationError(
            {
                "partner": "Une convention existe déjà pour ce réservataire, ce territoire et cette année."
            }
        )
    total = (others.aggregate(s=Sum("flow_share"))["s"] or Decimal(0)) + share
    if total > 100:
        raise ValidationError(
            {"flow_share": f"Les parts réservées du territoire dépasseraient 100 % ({total} %)."}
        )


@transaction.atomic
def agreement_create(*, organization: Any, created_by: Any, **data: Any) -> ReservationAgreement:
    _same_org(organization, data.get("partner"), "partner", "Réservataire")
    _same_org(organization, data.get("territory"), "territory", "Territoire")
    agreement = ReservationAgreement(
        organization=organization,
        created_by=created_by,
        updated_by=created_by,
        **{k: v for k, v in data.items() if k in AGREEMENT_FIELDS},
    )
    _check_agreement(agreement)
    agreement.save()
    return agreement


@transaction.atomic
def agreement_update(
    *, agreement: ReservationAgreement, updated_by: Any, **data: Any
) -> ReservationAgreement:
    for key, value in data.items():
        if key in AGREEMENT_FIELDS:
            setattr(agreement, key, value)
    _same_org(agreement.organization, agreement.partner, "partner", "Réservataire")
    _same_org(agreement.organization, agreement.territory, "territory", "Territoire")
    _check_agreement(agreement)
    agreement.updated_by = updated_by
    agreement.save()
    return agreement


@transaction.atomic
def exclusion_add(
    *, agreement: ReservationAgreement, dwelling: Any, reason: str, created_by: Any
) -> ExcludedDwelling:
    """Leave a dwelling out of a réservataire's flow (e.g. kept for internal transfers or an
    urban-renewal rehousing): its attributions no longer count in the agreement's review."""
    if dwelling is None or dwelling.organization_id != agreement.organization_id:
        raise ValidationError({"dwelling": "Logement inconnu."})
    if (
        ExcludedDwelling.objects.for_organization(agreement.organization_id)
        .filter(agreement=agreement, dwelling=dwelling)
        .exists()
    ):
        raise ValidationError({"dwelling": "Ce logement est déjà exclu du flux de la convention."})
    return ExcludedDwelling.objects.create(
        organization_id=agreement.organization_id,
        agreement=agreement,
        dwelling=dwelling,
        reason=(reason or "").strip()[:200],
        created_by=created_by,
        updated_by=created_by,
    )


@transaction.atomic
def exclusion_remove(*, exclusion: ExcludedDwelling, removed_by: Any) -> None:
    """Put a dwelling back into the agreement's flow (the audit trail keeps the exclusion)."""
    exclusion.delete()


def _check_target(target: QuotaTarget) -> None:
    errors: dict[str, str] = {}
    if target.category not in QuotaCategory.values:
        errors["category"] = "Catégorie inconnue."
    if target.kind not in TargetKind.values:
        errors["kind"] = "Type d'objectif inconnu (nombre ou pourcentage)."
    if target.direction not in Direction.values:
        errors["direction"] = "Sens inconnu (au moins / au plus)."
    if target.value is None or Decimal(target.value) < 0:
        errors["value"] = "L'objectif doit être positif."
    elif target.kind == TargetKind.PERCENT and Decimal(target.value) > 100:
        errors["value"] = "Un pourcentage ne peut dépasser 100 %."
    if target.category == QuotaCategory.COLLECTIVE_AGREEMENT and not target.programme.strip():
        errors["programme"] = "Nommez le programme de l'accord collectif (ex. « MVS »)."
    if target.category != QuotaCategory.COLLECTIVE_AGREEMENT:
        target.programme = ""
    if target.category != QuotaCategory.PRIORITY_PER_RESERVATAIRE:
        target.partner = None
    if (
        target.category
        in (
            QuotaCategory.FIRST_QUARTILE_OUTSIDE_QPV,
            QuotaCategory.NON_FIRST_QUARTILE_IN_QPV,
            QuotaCategory.PRIORITY_PER_RESERVATAIRE,
            QuotaCategory.PREFET_SHARE,
        )
        and target.kind != TargetKind.PERCENT
    ):
        errors["kind"] = "Cet objectif s'exprime en pourcentage des attributions."
    if not (2000 <= int(target.year or 0) <= 2100):
        errors["year"] = "Année invalide."
    if errors:
        raise ValidationError(errors)
    duplicate = (
        QuotaTarget.objects.for_organization(target.organization_id)
        .filter(
            territory=target.territory_id,
            year=target.year,
            category=target.category,
            programme=target.programme,
            partner=target.partner_id,
        )
        .exclude(pk=target.pk)
    )
    if duplicate.exists():
        raise ValidationError(
            {
                "category": "Un objectif existe déjà pour cette catégorie, ce territoire et cette année."
            }
        )


@transaction.atomic
def target_create(*, organization: Any, created_by: Any, **data: Any) -> QuotaTarget:
    _same_org(organization, data.get("territory"), "territory", "Territoire")
    _same_org(organization, data.get("partner"), "partner", "Réservataire")
    target = QuotaTarget(
        organization=organization,
        created_by=created_by,
        updated_by=created_by,
        **{k: v for k, v in data.items() if k in TARGET_FIELDS and v is not None},
    )
    target.programme = (target.programme or "").strip()
    _check_target(target)
    target.save()
    return target


@transaction.atomic
def target_update(*, target: QuotaTarget, updated_by: Any, **data: Any) -> QuotaTarget:
    for key, value in data.items():
        if key in TARGET_FIELDS:
            setattr(target, key, value)
    target.programme = (target.programme or "").strip()
    _same_org(target.organization, target.territory, "territory", "Territoire")
    _same_org(target.organization, target.partner, "partner", "Réservataire")
    _check_target(target)
    target.updated_by = updated_by
    target.save()
    return target


LEGAL = [
    # (category, parameter, direction, per réservataire)
    (
        QuotaCategory.FIRST_QUARTILE_OUTSIDE_QPV,
        "quotas.first_quartile_outside_qpv_min",
        Direction.AT_LEAST,
    ),
    (
        QuotaCategory.NON_FIRST_QUARTILE_IN_QPV,
        "quotas.non_first_quartile_in_qpv_min",
        Direction.AT_LEAST,
    ),
    (QuotaCategory.PREFET_SHARE, "quotas.prefet_share_max", Direction.AT_MOST),
]


@transaction.atomic
def legal_targets_create(
    *, organization: Any, territory: Any, year: int, created_by: Any
) -> list[QuotaTarget]:
    """The year's legal targets for a territory, from the versioned settings in force on
    1 January: the two mixité quotas, the préfet's ceiling, and 25 % of priority households for
    the landlord's own flow and for each réservataire holding an agreement that year. Existing
    targets are left as they are (safe to run twice)."""
    if territory.organization_id != organization.pk:
        raise ValidationError({"territory": "Territoire inconnu."})
    on = datetime.date(year, 1, 1)
    wanted: list[tuple[str, str, str, Any]] = [(c, k, d, None) for c, k, d in LEGAL]
    partners = [None] + [
        a.partner
        for a in ReservationAgreement.objects.for_organization(organization)
        .filter(territory=territory, year=year)
        .select_related("partner")
    ]
    for partner in partners:
        wanted.append(
            (
                QuotaCategory.PRIORITY_PER_RESERVATAIRE,
                "quotas.priority_share_min",
                Direction.AT_LEAST,
                partner,
            )
        )
    created = []
    for category, key, direction, partner in wanted:
        exists = (
            QuotaTarget.objects.for_organization(organization)
            .filter(
                territory=territory,
                year=year,
                category=category,
                programme="",
                partner=partner,
            )
            .exists()
        )
        if exists:
            continue
        created.append(
            QuotaTarget.objects.create(
                organization=organization,
                territory=territory,
                year=year,
                category=category,
                partner=partner,
                kind=TargetKind.PERCENT,
                value=get_parameter(key, organization=organization, on=on),
                direction=direction,
                is_legal=True,
                legal_reference=parameter(key).legal_reference,
                created_by=created_by,
                updated_by=created_by,
            )
        )
    return created
