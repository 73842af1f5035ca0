from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from core.models import OrganizationOwnedModel
from housing.enums import (
    DwellingStatus,
    EmploymentStatus,
    Financing,
    HousingBenefitKind,
    ImportStatus,
    IncomeKind,
    LeaseEndReason,
    LeaseKind,
    PartnerKind,
    Relationship,
    Typology,
)

insee_validator = RegexValidator(
    r"^[0-9][0-9AB][0-9]{3}$", "Code INSEE à 5 caractères (ex. 57463, 2A004)."
)
MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Partner(OrganizationOwnedModel):
    """An outside body: orientation target, réservataire, co-funder, lessee association."""

    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=30, choices=PartnerKind.choices)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    address = models.CharField("adresse", max_length=250, blank=True)
    contact_name = models.CharField("contact", max_length=150, blank=True)
    # When the partner itself uses Parcours (an association under mandate, issue "partner access").
    linked_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisation Parcours du partenaire",
    )
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "partenaire"
        verbose_name_plural = "partenaires"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name", "kind"], name="partner_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Residence(OrganizationOwnedModel):
    """A building or group (groupe immobilier, résidence, programme)."""

    external_ref = models.CharField("référence (ERP)", max_length=60)
    name = models.CharField("nom", max_length=200)
    address = models.CharField("adresse", max_length=250)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune_name = models.CharField("commune", max_length=120)
    commune_insee = models.CharField("code INSEE", max_length=5, validators=[insee_validator])
    epci_code = models.CharField("EPCI (SIREN)", max_length=9, blank=True)
    epci_name = models.CharField("EPCI", max_length=150, blank=True)
    is_qpv = models.BooleanField("en QPV", default=False)
    territory = models.ForeignKey(
        "organizations.Territory",
        on_delete=models.PROTECT,
        related_name="residences",
        verbose_name="territoire",
    )

    class Meta:
        verbose_name = "résidence"
        verbose_name_plural = "résidences"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_ref"], name="residence_unique_ref"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.commune_name})"


class Dwelling(OrganizationOwnedModel):
    """A dwelling (logement) with what allocation and affordability need."""

    residence = models.ForeignKey(
        Residence, on_delete=models.PROTECT, related_name="dwellings", verbose_name="résidence"
    )
    reference = models.CharField("référence", max_length=60)
    typology = models.CharField("typologie", max_length=2, choices=Typology.choices)
    surface = models.DecimalField(
        "surface (m²)", max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("1"))]
    )
    floor = models.SmallIntegerField("étage", default=0)
    has_lift = models.BooleanField("ascenseur", default=False)
    is_pmr_accessible = models.BooleanField("accessible PMR", default=False)
    financing = models.CharField("financement", max_length=12, choices=Financing.choices)
    rent = models.DecimalField("loyer principal mensuel (€)", **MONEY)
    annex_rent = models.DecimalField("loyers annexes mensuels (€)", default=Decimal("0"), **MONEY)
    charges = models.DecimalField("charges récupérables mensuelles (€)", **MONEY)
    energy_contribution = models.DecimalField(
        "contribution travaux d'économie d'énergie (€)", default=Decimal("0"), **MONEY
    )
    individual_heating = models.BooleanField("chauffage individuel", default=False)
    individual_water = models.BooleanField("eau individuelle", default=False)
    status = models.CharField(
        "statut", max_length=12, choices=DwellingStatus.choices, default=DwellingStatus.VACANT
    )
    reserving_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reserved_dwellings",
        verbose_name="réservataire (contingent)",
    )

    class Meta:
        verbose_name = "logement"
        verbose_name_plural = "logements"
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"], name="dwelling_unique_reference"
            ),
            models.CheckConstraint(
                condition=Q(rent__gte=0) & Q(charges__gte=0), name="dwelling_money_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.typology}"

    @property
    def monthly_cost(self) -> Decimal:
        """Rent and charges billed each month (before housing benefit)."""
        return self.rent + self.annex_rent + self.charges + self.energy_contribution


class Household(OrganizationOwnedModel):
    """The unit of every case: the people living in the home (L442-12)."""

    external_ref = models.CharField("référence (ERP)", max_length=60, blank=True)
    name = models.CharField("nom du ménage", max_length=200)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    # Current address when not (or not yet) a tenant of the organisation.
    address = models.CharField("adresse actuelle", max_length=250, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune_name = models.CharField("commune", max_length=120, blank=True)
    housing_benefit_kind = models.CharField(
        "aide au logement", max_length=3, choices=HousingBenefitKind.choices, blank=True, default=""
    )
    housing_benefit = models.DecimalField(
        "aide au logement mensuelle (€)", default=Decimal("0"), **MONEY
    )
    housing_benefit_paid_to_landlord = models.BooleanField(
        "aide versée au bailleur (tiers payant)", default=True
    )
    # Vulnerability flags used by outreach campaigns (age and disability come from the members).
    lives_alone = models.BooleanField("vit seul(e)", default=False)
    socially_isolated = models.BooleanField("isolement social (sans entourage)", default=False)
    reduced_mobility = models.BooleanField("mobilité réduite", default=False)
    health_fragility = models.BooleanField("fragilité de santé signalée", default=False)
    digital_exclusion = models.BooleanField("difficulté avec le numérique", default=False)
    # Denormalised text for the one-box search (names, phones, address, references).
    search_text = models.TextField("texte de recherche", blank=True, editable=False)

    class Meta:
        verbose_name = "ménage"
        verbose_name_plural = "ménages"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_ref"],
                condition=~Q(external_ref=""),
                name="household_unique_ref",
            ),
        ]
        indexes = [
            # The households list's order (API, `name, pk`): a page reads 50 entries of it
            # instead of sorting the organisation's households.
            models.Index(fields=["organization", "name", "id"], name="household_org_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(OrganizationOwnedModel):
    """A member of the household."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name="ménage"
    )
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    birth_name = models.CharField("nom de naissance", max_length=100, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    relationship = models.CharField(
        "lien avec la personne de référence", max_length=12, choices=Relationship.choices
    )
    employment_status = models.CharField(
        "situation professionnelle",
        max_length=15,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.OTHER,
    )
    phone = models.CharField("téléphone", max_length=30, blank=True)
    # GDPR art. 9: only what the adapted-dwelling need requires.
    has_disability = models.BooleanField("handicap ou perte d'autonomie", default=False)
    needs_adapted_dwelling = models.BooleanField("besoin d'un logement adapté", default=False)
    disability_detail = models.CharField(
        "besoin d'adaptation (minimum nécessaire)",
        max_length=200,
        blank=True,
        help_text="Uniquement le besoin (ex. « plain-pied, douche »), jamais de diagnostic.",
    )

    class Meta:
        verbose_name = "membre du ménage"
        verbose_name_plural = "membres du ménage"
        ordering = ["household", "relationship", "birth_date"]
        indexes = [
            models.Index(fields=["organization", "last_name", "first_name"], name="person_name_idx")
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Income(OrganizationOwnedModel):
    """A monthly resource of a member; declared, and verified once proof is seen."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="incomes", verbose_name="membre"
    )
    kind = models.CharField("type", max_length=20, choices=IncomeKind.choices)
    declared_monthly_amount = models.DecimalField("montant mensuel déclaré (€)", **MONEY)
    verified_monthly_amount = models.DecimalField(
        "montant mensuel vérifié (€)",
        null=True,
        blank=True,
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    valid_from = models.DateField("depuis le", null=True, blank=True)
    valid_until = models.DateField("jusqu'au", null=True, blank=True)

    class Meta:
        verbose_name = "ressource"
        verbose_name_plural = "ressources"
        constraints = [
            models.CheckConstraint(
                condition=Q(declared_monthly_amount__gte=0), name="income_declared_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.declared_monthly_amount} €"

    @property
    def monthly_amount(self) -> Decimal:
        """The verified amount when known, else the declared one."""
        return (
            self.verified_monthly_amount
            if self.verified_monthly_amount is not None
            else self.declared_monthly_amount
        )


class Lease(OrganizationOwnedModel):
    """A lease of a dwelling: ordinary, sliding (held by an association, then slides to the
    household), sublet (the association is the lessee, the household the occupant), temporary."""

    dwelling = models.ForeignKey(
        Dwelling, on_delete=models.PROTECT, related_name="leases", verbose_name="logement"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="leases", verbose_name="ménage"
    )
    kind = models.CharField(
        "type de bail", max_length=12, choices=LeaseKind.choices, default=LeaseKind.ORDINARY
    )
    lessee_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leases",
        verbose_name="association locataire",
    )
    external_ref = models.CharField("référence (ERP)", max_length=60, blank=True)
    signed_on = models.DateField("signé le")
    start_date = models.DateField("date d'effet")
    slide_date = models.DateField("glissement au ménage le", null=True, blank=True)
    end_date = models.DateField("fin le", null=True, blank=True)
    end_reason = models.CharField(
        "motif de fin", max_length=12, choices=LeaseEndReason.choices, blank=True
    )

    class Meta:
        verbose_name = "bail"
        verbose_name_plural = "baux"
        ordering = ["-start_date"]
        constraints = [
            # At most one current lease per dwelling.
            models.UniqueConstraint(
                fields=["dwelling"],
                condition=Q(end_date__isnull=True),
                name="lease_one_current_per_dwelling",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="lease_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[LeaseKind.ORDINARY, LeaseKind.TEMPORARY])
                | Q(lessee_partner__isnull=False),
                name="lease_association_needs_partner",
            ),
            models.UniqueConstraint(
                fields=["organization", "external_ref"],
                condition=~Q(external_ref=""),
                name="lease_unique_ref",
            ),
        ]
        indexes = [
            # The leases list's order (`-start_date, -pk`): a page reads 50 entries of it
            # instead of sorting the organisation's leases.
            models.Index(fields=["organization", "-start_date", "-id"], name="lease_org_start_idx"),
        ]

    def __str__(self) -> str:
        return f"Bail {self.dwelling.reference} — {self.household}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class ImportJob(OrganizationOwnedModel):
    """A CSV import run in the background (core/imports.py): the file, its progress and its
    line-numbered error report. Nothing of a failed file is applied."""

    kind = models.CharField("type d'import", max_length=40)
    status = models.CharField(
        "statut", max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    file_name = models.CharField("fichier", max_length=200)
    content = models.BinaryField("contenu")
    total_rows = models.PositiveIntegerField("lignes", default=0)
    processed_rows = models.PositiveIntegerField("lignes traitées", default=0)
    errors = models.JSONField("erreurs", default=list, blank=True)
    summary = models.JSONField("bilan", default=dict, blank=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "import"
        verbose_name_plural = "imports"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} — {self.file_name}"

    @property
    def progress_percent(self) -> int:
        if self.status == ImportStatus.SUCCEEDED:
            return 100
        if not self.total_rows:
            return 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)
