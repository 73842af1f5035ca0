"""Leasing activity (prospections, register context), relocation operations and collective
actions (issue 12). The registration desk is `allocations.HousingApplication.registration_desk`,
counted here, not duplicated."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from core.models import OrganizationOwnedModel
from operations.enums import (
    ActionKind,
    DwellingRole,
    ProspectionOutcome,
    RelocationKind,
    RelocationStatus,
)

MONEY = {
    "max_digits": 10,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0"))],
}


# --- Leasing activity ----------------------------------------------------------------------------


class Prospection(OrganizationOwnedModel):
    """A leasing officer's contact with an applicant about a vacant dwelling, before the CAL."""

    application = models.ForeignKey(
        "allocations.HousingApplication",
        on_delete=models.CASCADE,
        related_name="prospections",
        verbose_name="demande",
    )
    dwelling = models.ForeignKey(
        "housing.Dwelling",
        on_delete=models.PROTECT,
        related_name="prospections",
        verbose_name="logement",
    )
    # The dwelling's residence when the contact was logged (set by `prospection_log`): the
    # prospections of a year are counted by territory without joining every dwelling of the
    # organisation (docs/leasing-and-operations.md).
    residence = models.ForeignKey(
        "housing.Residence",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="résidence du logement",
    )
    session_dwelling = models.ForeignKey(
        "allocations.SessionDwelling",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prospections",
        verbose_name="logement examiné en séance",
    )
    outcome = models.CharField("résultat", max_length=20, choices=ProspectionOutcome.choices)
    contacted_on = models.DateField("date du contact")
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="chargé(e) de location",
    )

    class Meta:
        verbose_name = "prospection"
        verbose_name_plural = "prospections"
        ordering = ["-contacted_on", "-pk"]
        indexes = [
            # The year's prospections, and the list newest first (read backwards).
            models.Index(
                fields=["organization", "contacted_on", "id"], name="prospection_org_date_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.get_outcome_display()}"


class RegisterStatistic(OrganizationOwnedModel):
    """Active demands on the national register (SNE) in a territory on a date."""

    territory = models.ForeignKey(
        "organizations.Territory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="territoire",
    )
    on = models.DateField("date")
    active_demands = models.PositiveIntegerField("demandes actives au registre")
    source = models.CharField("source", max_length=120, blank=True)

    class Meta:
        verbose_name = "statistique du registre"
        verbose_name_plural = "statistiques du registre"
        ordering = ["-on", "territory__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "territory", "on"], name="register_stat_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory} au {self.on:%d/%m/%Y} : {self.active_demands}"


# --- Relocation operations -----------------------------------------------------------------------


class RelocationOperation(OrganizationOwnedModel):
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=20, choices=RelocationKind.choices)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin prévue", null=True, blank=True)
    description = models.TextField("description", blank=True)

    class Meta:
        verbose_name = "opération de relogement"
        verbose_name_plural = "opérations de relogement"
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="relocation_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class RelocationResidence(OrganizationOwnedModel):
    operation = models.ForeignKey(
        RelocationOperation, on_delete=models.CASCADE, related_name="residence_links"
    )
    residence = models.ForeignKey(
        "housing.Residence", on_delete=models.PROTECT, related_name="+", verbose_name="résidence"
    )

    class Meta:
        verbose_name = "résidence concernée"
        verbose_name_plural = "résidences concernées"
        constraints = [
            models.UniqueConstraint(fields=["operation", "residence"], name="relocation_res_unique")
        ]


class RelocationDwelling(OrganizationOwnedModel):
    operation = models.ForeignKey(
        RelocationOperation, on_delete=models.CASCADE, related_name="dwelling_links"
    )
    dwelling = models.ForeignKey(
        "housing.Dwelling", on_delete=models.PROTECT, related_name="+", verbose_name="logement"
    )
    role = models.CharField("rôle", max_length=10, choices=DwellingRole.choices)

    class Meta:
        verbose_name = "logement de l'opération"
        verbose_name_plural = "logements de l'opération"
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "dwelling", "role"], name="relocation_dwelling_unique"
            )
        ]


class RelocationPartner(OrganizationOwnedModel):
    operation = models.ForeignKey(
        RelocationOperation, on_delete=models.CASCADE, related_name="partner_links"
    )
    partner = models.ForeignKey(
        "housing.Partner", on_delete=models.PROTECT, related_name="+", verbose_name="partenaire"
    )
    role = models.CharField("rôle", max_length=120, blank=True)

    class Meta:
        verbose_name = "partenaire de l'opération"
        verbose_name_plural = "partenaires de l'opération"
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "partner"], name="relocation_partner_unique"
            )
        ]


class RelocationHousehold(OrganizationOwnedModel):
    """A household concerned by an operation, and where it stands."""

    operation = models.ForeignKey(
        RelocationOperation, on_delete=models.CASCADE, related_name="households"
    )
    household = models.ForeignKey(
        "housing.Household", on_delete=models.PROTECT, related_name="+", verbose_name="ménage"
    )
    status = models.CharField(
        "statut",
        max_length=20,
        choices=RelocationStatus.choices,
        default=RelocationStatus.IDENTIFIED,
    )
    met_on = models.DateField("rencontré le", null=True, blank=True)
    surveyed_on = models.DateField("besoins recensés le", null=True, blank=True)
    agreement_signed_on = models.DateField("protocole signé le", null=True, blank=True)
    rehoused_on = models.DateField("relogé le", null=True, blank=True)
    is_transfer = models.BooleanField("mutation / transfert dans le parc", default=False)
    social_case = models.ForeignKey(
        "cases.SocialCase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="accompagnement social",
    )
    notes = models.TextField("notes", blank=True)

    TRANSITIONS = {
        RelocationStatus.IDENTIFIED: (RelocationStatus.MET, RelocationStatus.WITHDRAWN),
        RelocationStatus.MET: (RelocationStatus.SURVEYED, RelocationStatus.WITHDRAWN),
        RelocationStatus.SURVEYED: (RelocationStatus.AGREEMENT_SIGNED, RelocationStatus.WITHDRAWN),
        RelocationStatus.AGREEMENT_SIGNED: (RelocationStatus.REHOUSED, RelocationStatus.WITHDRAWN),
        RelocationStatus.REHOUSED: (),
        RelocationStatus.WITHDRAWN: (),
    }
    DATE_FIELDS = {
        RelocationStatus.MET: "met_on",
        RelocationStatus.SURVEYED: "surveyed_on",
        RelocationStatus.AGREEMENT_SIGNED: "agreement_signed_on",
        RelocationStatus.REHOUSED: "rehoused_on",
    }

    class Meta:
        verbose_name = "ménage concerné"
        verbose_name_plural = "ménages concernés"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "household"], name="relocation_household_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status=RelocationStatus.REHOUSED) | Q(rehoused_on__isnull=False),
                name="relocation_rehoused_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} — {self.get_status_display()}"

    def can_transition(self, to: str) -> bool:
        return to in self.TRANSITIONS.get(RelocationStatus(self.status), ())


class RelocationPositioning(OrganizationOwnedModel):
    """A candidate positioned on a dwelling mobilised for the operation; the allocation offer,
    when there is one, is the allocations app's `Offer` (its status gives the refusal)."""

    relocation_household = models.ForeignKey(
        RelocationHousehold, on_delete=models.CASCADE, related_name="positionings"
    )
    dwelling = models.ForeignKey(
        "housing.Dwelling", on_delete=models.PROTECT, related_name="+", verbose_name="logement"
    )
    positioned_on = models.DateField("positionné le")
    offer = models.ForeignKey(
        "allocations.Offer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="proposition",
    )

    class Meta:
        verbose_name = "positionnement"
        verbose_name_plural = "positionnements"
        ordering = ["positioned_on", "pk"]


# --- Collective actions --------------------------------------------------------------------------


class CollectiveAction(OrganizationOwnedModel):
    name = models.CharField("intitulé", max_length=200)
    kind = models.CharField("type", max_length=20, choices=ActionKind.choices)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin", null=True, blank=True)
    neighbourhood = models.CharField("quartier (QPV)", max_length=150, blank=True)
    sessions = models.PositiveIntegerField("séances / ateliers tenus", default=1)
    participants = models.PositiveIntegerField("participants", default=0)
    households_reached = models.PositiveIntegerField("ménages touchés", default=0)
    back_to_work = models.PositiveIntegerField("retours à l'emploi", default=0)
    outcomes = models.TextField("résultats", blank=True)
    cost = models.DecimalField("coût (€)", default=Decimal("0"), **MONEY)

    class Meta:
        verbose_name = "action collective"
        verbose_name_plural = "actions collectives"
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="action_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(back_to_work__lte=F("participants")), name="action_back_to_work_le"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ActionResidence(OrganizationOwnedModel):
    action = models.ForeignKey(
        CollectiveAction, on_delete=models.CASCADE, related_name="residence_links"
    )
    residence = models.ForeignKey(
        "housing.Residence", on_delete=models.PROTECT, related_name="+", verbose_name="résidence"
    )

    class Meta:
        verbose_name = "site de l'action"
        verbose_name_plural = "sites de l'action"
        constraints = [
            models.UniqueConstraint(fields=["action", "residence"], name="action_res_unique")
        ]


class ActionPartner(OrganizationOwnedModel):
    action = models.ForeignKey(
        CollectiveAction, on_delete=models.CASCADE, related_name="partner_links"
    )
    partner = models.ForeignKey(
        "housing.Partner", on_delete=models.PROTECT, related_name="+", verbose_name="partenaire"
    )

    class Meta:
        verbose_name = "partenaire de l'action"
        verbose_name_plural = "partenaires de l'action"
        constraints = [
            models.UniqueConstraint(fields=["action", "partner"], name="action_partner_unique")
        ]


class ActionParticipant(OrganizationOwnedModel):
    """A named household taking part (where relevant)."""

    action = models.ForeignKey(
        CollectiveAction, on_delete=models.CASCADE, related_name="named_participants"
    )
    household = models.ForeignKey(
        "housing.Household", on_delete=models.PROTECT, related_name="+", verbose_name="ménage"
    )
    back_to_work = models.BooleanField("retour à l'emploi", default=False)

    class Meta:
        verbose_name = "ménage participant"
        verbose_name_plural = "ménages participants"
        constraints = [
            models.UniqueConstraint(fields=["action", "household"], name="action_household_unique")
        ]


class ActionFunding(OrganizationOwnedModel):
    """A funding line: funder, amount, period (e.g. €60,000 over three years)."""

    action = models.ForeignKey(CollectiveAction, on_delete=models.CASCADE, related_name="fundings")
    funder = models.ForeignKey(
        "housing.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="financeur (partenaire)",
    )
    funder_name = models.CharField("financeur", max_length=200)
    amount = models.DecimalField("montant (€)", **MONEY)
    starts_on = models.DateField("début de la période")
    ends_on = models.DateField("fin de la période")

    class Meta:
        verbose_name = "financement"
        verbose_name_plural = "financements"
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="funding_end_after_start"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_positive"),
        ]


class InsertionClause(OrganizationOwnedModel):
    """Employment-insertion hours required by a works contract, and achieved."""

    contract = models.CharField("marché de travaux", max_length=200)
    contractor = models.CharField("titulaire", max_length=200, blank=True)
    residence = models.ForeignKey(
        "housing.Residence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="résidence",
    )
    year = models.PositiveSmallIntegerField("année")
    required_hours = models.PositiveIntegerField("heures d'insertion exigées")
    achieved_hours = models.PositiveIntegerField("heures réalisées", default=0)

    class Meta:
        verbose_name = "clause d'insertion"
        verbose_name_plural = "clauses d'insertion"
        ordering = ["-year", "contract"]

    def __str__(self) -> str:
        return f"{self.contract} ({self.year})"
