"""Reservation agreements (gestion en flux) and yearly quota targets. Rules: RULES.md
"Mixité quotas", "Reservations", "Accords collectifs"; docs/quotas.md."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.models import OrganizationOwnedModel
from quotas.enums import Direction, QuotaCategory, TargetKind

SHARE = {"max_digits": 5, "decimal_places": 2}


class ReservationAgreement(OrganizationOwnedModel):
    """A réservataire's share of the landlord's yearly flow of vacancies on a territory."""

    partner = models.ForeignKey(
        "housing.Partner", on_delete=models.PROTECT, related_name="+", verbose_name="réservataire"
    )
    territory = models.ForeignKey(
        "organizations.Territory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="territoire",
    )
    year = models.PositiveSmallIntegerField("année")
    flow_share = models.DecimalField(
        "part du flux annuel (%)",
        **SHARE,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    signed_on = models.DateField("signée le", null=True, blank=True)
    reference = models.CharField("référence de la convention", max_length=80, blank=True)

    class Meta:
        verbose_name = "convention de réservation"
        verbose_name_plural = "conventions de réservation"
        ordering = ["-year", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "partner", "territory", "year"],
                name="reservation_agreement_unique",
            ),
            models.CheckConstraint(
                condition=Q(flow_share__gte=0) & Q(flow_share__lte=100),
                name="reservation_agreement_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.territory} {self.year}"


class ExcludedDwelling(OrganizationOwnedModel):
    """A dwelling left out of an agreement's flow (explicit through model, organisation-owned)."""

    agreement = models.ForeignKey(
        ReservationAgreement,
        on_delete=models.CASCADE,
        related_name="exclusions",
        verbose_name="convention",
    )
    dwelling = models.ForeignKey(
        "housing.Dwelling", on_delete=models.PROTECT, related_name="+", verbose_name="logement"
    )
    reason = models.CharField("motif", max_length=200, blank=True)

    class Meta:
        verbose_name = "logement exclu du flux"
        verbose_name_plural = "logements exclus du flux"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "dwelling"], name="excluded_dwelling_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dwelling} hors flux ({self.agreement})"


class ProgrammeLabel(OrganizationOwnedModel):
    """A demand labelled for an accord-collectif programme ("MVS", "Accel'AIR"...)."""

    application = models.ForeignKey(
        "allocations.HousingApplication",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="demande",
    )
    programme = models.CharField("programme de l'accord collectif", max_length=80)
    labelled_on = models.DateField("labellisé le", null=True, blank=True)

    class Meta:
        verbose_name = "labellisation accord collectif"
        verbose_name_plural = "labellisations accord collectif"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "programme"], name="programme_label_unique"
            )
        ]

    def __str__(self) -> str:
        return self.programme


class QuotaTarget(OrganizationOwnedModel):
    """A yearly target of attributions for a category on a territory (count or percentage)."""

    territory = models.ForeignKey(
        "organizations.Territory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="territoire",
    )
    year = models.PositiveSmallIntegerField("année")
    category = models.CharField("catégorie", max_length=40, choices=QuotaCategory.choices)
    programme = models.CharField(
        "programme (accord collectif)", max_length=80, blank=True, default=""
    )
    partner = models.ForeignKey(
        "housing.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="réservataire (vide : contingent propre du bailleur)",
    )
    kind = models.CharField("type d'objectif", max_length=10, choices=TargetKind.choices)
    value = models.DecimalField(
        "objectif", max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    direction = models.CharField(
        "sens", max_length=10, choices=Direction.choices, default=Direction.AT_LEAST
    )
    is_legal = models.BooleanField("objectif légal", default=False)
    legal_reference = models.CharField("référence", max_length=200, blank=True)

    class Meta:
        verbose_name = "objectif d'attribution"
        verbose_name_plural = "objectifs d'attribution"
        ordering = ["year", "category", "programme", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "territory", "year", "category", "programme", "partner"],
                name="quota_target_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=~Q(category=QuotaCategory.COLLECTIVE_AGREEMENT) | ~Q(programme=""),
                name="quota_target_programme_named",
            ),
            models.CheckConstraint(
                condition=Q(kind=TargetKind.COUNT) | Q(value__lte=100),
                name="quota_target_percent_range",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="quota_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.year}"

    @property
    def label(self) -> str:
        if self.category == QuotaCategory.COLLECTIVE_AGREEMENT:
            return f"Accord collectif — {self.programme}"
        if self.category == QuotaCategory.PRIORITY_PER_RESERVATAIRE:
            who = self.partner.name if self.partner_id else "contingent propre du bailleur"
            return f"Ménages prioritaires — {who}"
        return str(QuotaCategory(self.category).label)
