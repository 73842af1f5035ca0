"""Arrears and prevention of evictions: monthly account statements, arrears cases and their
procedure, repayment plans, Borloo protocols, FSL aid, other subsidies, write-offs,
relocation requests. Transitions: docs/arrears.md."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from arrears.enums import (
    AidOutcome,
    Approver,
    BorlooBasis,
    BorlooStatus,
    CaseStatus,
    FslForm,
    FslPurpose,
    InstallmentStatus,
    JudgmentOutcome,
    PlanStatus,
    RelocationStatus,
    Stage,
    StepKind,
    WriteOffCause,
)
from core.models import OrganizationOwnedModel

MONEY: dict[str, Any] = {"max_digits": 10, "decimal_places": 2}
ZERO = Decimal("0.00")


class AccountStatement(OrganizationOwnedModel):
    """The account of one lease for one month, as the landlord's accounting system exports it.

    `balance` is the tenant's debt at the end of the month (positive: the tenant owes).
    """

    # The largest table of the app (12 rows per lease and year, imported in bulk): no index that
    # another one already covers — (lease, month) is unique, (organization, month) is indexed,
    # and created_by / updated_by are never searched.
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organisation",
        db_index=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créé par",
        db_index=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modifié par",
        db_index=False,
    )
    lease = models.ForeignKey(
        "housing.Lease",
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name="bail",
        db_index=False,
    )
    month = models.DateField("mois", help_text="Premier jour du mois.")
    billed = models.DecimalField("quittancé (loyer et charges, €)", **MONEY)
    housing_benefit = models.DecimalField(
        "aide au logement versée au bailleur (€)", default=ZERO, **MONEY
    )
    payments = models.DecimalField("encaissements du locataire (€)", default=ZERO, **MONEY)
    balance = models.DecimalField("solde fin de mois (€)", **MONEY)
    tenant_departed = models.BooleanField("locataire parti", default=False)

    class Meta:
        verbose_name = "situation de compte"
        verbose_name_plural = "situations de compte"
        ordering = ["lease", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["lease", "month"], name="statement_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="statement_month_first_day"),
            models.CheckConstraint(
                condition=Q(billed__gte=0) & Q(housing_benefit__gte=0) & Q(payments__gte=0),
                name="statement_amounts_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "month"], name="statement_org_month_idx"),
            # Each lease's last statement of a year (`selectors._year_end_balances`): one
            # probe of this index per lease instead of sorting a year's statements on disk.
            models.Index(
                fields=["organization", "lease", "-month"],
                name="statement_org_lease_month_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lease_id} {self.month:%m/%Y} : {self.balance} €"

    @property
    def net_billed(self) -> Decimal:
        """Rent and charges net of the housing benefit paid to the landlord."""
        return self.billed - self.housing_benefit


class ArrearsCase(OrganizationOwnedModel):
    """An arrears file (dossier d'impayé) of one lease."""

    lease = models.ForeignKey(
        "housing.Lease", on_delete=models.PROTECT, related_name="arrears_cases", verbose_name="bail"
    )
    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.PROTECT,
        related_name="arrears_cases",
        verbose_name="ménage",
    )
    territory = models.ForeignKey(
        "organizations.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="territoire",
    )
    officer = models.ForeignKey(
        "organizations.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="arrears_cases",
        verbose_name="chargé(e) de contentieux",
    )
    status = models.CharField(
        "statut", max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    stage = models.CharField("étape", max_length=20, choices=Stage.choices, default=Stage.AMICABLE)
    arrears_on = models.DateField("impayé constaté le")
    opened_on = models.DateField("ouvert le")
    debt_at_opening = models.DecimalField("dette à l'ouverture (€)", **MONEY)
    current_debt = models.DecimalField("dette actuelle (€)", **MONEY)
    monthly_net_rent = models.DecimalField(
        "loyer et charges mensuels nets de l'aide (€)", default=ZERO, **MONEY
    )
    next_deadline_on = models.DateField("prochaine échéance", null=True, blank=True)
    next_deadline_label = models.CharField("objet de l'échéance", max_length=200, blank=True)
    closure_proposed_on = models.DateField("clôture proposée le", null=True, blank=True)
    closed_on = models.DateField("clos le", null=True, blank=True)
    closure_reason = models.CharField("motif de clôture", max_length=200, blank=True)
    # Relocation at the arrears service's request (until allocations.HousingApplication exists).
    relocation_status = models.CharField(
        "relogement demandé par le service",
        max_length=20,
        choices=RelocationStatus.choices,
        blank=True,
    )

    class Meta:
        verbose_name = "dossier d'impayé"
        verbose_name_plural = "dossiers d'impayé"
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lease"],
                condition=~Q(status=CaseStatus.CLOSED),
                name="arrears_case_one_open_per_lease",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(status=CaseStatus.CLOSED),
                name="arrears_case_closed_on_only_when_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "stage"], name="arrears_case_stage_idx"),
            models.Index(fields=["organization", "next_deadline_on"], name="arrears_case_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Impayé {self.household} ({self.opened_on:%d/%m/%Y})"

    def can_transition(self, target: str) -> bool:
        return target in CASE_TRANSITIONS.get(self.status, set())


CASE_TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.OPEN: {CaseStatus.CLOSURE_PROPOSED, CaseStatus.CLOSED},
    CaseStatus.CLOSURE_PROPOSED: {CaseStatus.OPEN, CaseStatus.CLOSED},
    CaseStatus.CLOSED: set(),
}


class ProcedureStep(OrganizationOwnedModel):
    """One act of the eviction-prevention procedure (rules: arrears/procedure.py)."""

    case = models.ForeignKey(
        ArrearsCase, on_delete=models.CASCADE, related_name="steps", verbose_name="dossier"
    )
    kind = models.CharField("étape", max_length=20, choices=StepKind.choices)
    occurred_on = models.DateField("date")
    outcome = models.CharField(
        "décision", max_length=20, choices=JudgmentOutcome.choices, blank=True
    )
    prefect_notified_on = models.DateField("notifiée au préfet le", null=True, blank=True)
    reference = models.CharField("référence (acte, RG)", max_length=100, blank=True)
    deadline_on = models.DateField("échéance qui en découle", null=True, blank=True)
    recorded_by = models.ForeignKey(
        "organizations.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistré par",
    )

    class Meta:
        verbose_name = "étape de procédure"
        verbose_name_plural = "étapes de procédure"
        ordering = ["case", "occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=StepKind.JUDGMENT, outcome__gt="")
                | (~Q(kind=StepKind.JUDGMENT) & Q(outcome="")),
                name="procedure_step_outcome_only_judgment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} le {self.occurred_on:%d/%m/%Y}"


class RepaymentPlan(OrganizationOwnedModel):
    """A plan d'apurement: the debt at signature paid back in monthly instalments, on top of the
    current rent. A renegotiation replaces the plan by a new one (`previous`), keeping both."""

    case = models.ForeignKey(
        ArrearsCase, on_delete=models.PROTECT, related_name="plans", verbose_name="dossier"
    )
    lease = models.ForeignKey(
        "housing.Lease", on_delete=models.PROTECT, related_name="+", verbose_name="bail"
    )
    household = models.ForeignKey(
        "housing.Household", on_delete=models.PROTECT, related_name="+", verbose_name="ménage"
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renegotiated_as",
        verbose_name="plan renégocié",
    )
    debt_at_signature = models.DecimalField("dette à la signature (€)", **MONEY)
    monthly_amount = models.DecimalField("mensualité (€)", **MONEY)
    start_month = models.DateField("première échéance (mois)")
    signed_on = models.DateField("signé le")
    approver = models.CharField("validé par", max_length=10, choices=Approver.choices)
    status = models.CharField(
        "statut", max_length=15, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    paid_total = models.DecimalField("total rapproché (€)", default=ZERO, **MONEY)
    breached_on = models.DateField("non-respect constaté le", null=True, blank=True)

    class Meta:
        verbose_name = "plan d'apurement"
        verbose_name_plural = "plans d'apurement"
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(debt_at_signature__gt=0)
                & Q(monthly_amount__gt=0)
                & Q(monthly_amount__lte=F("debt_at_signature")),
                name="plan_amounts_valid",
            ),
            models.CheckConstraint(
                condition=Q(paid_total__gte=0) & Q(paid_total__lte=F("debt_at_signature")),
                name="plan_paid_within_debt",
            ),
            models.CheckConstraint(condition=Q(start_month__day=1), name="plan_start_first_day"),
        ]

    def __str__(self) -> str:
        return f"Plan de {self.debt_at_signature} € ({self.monthly_amount} €/mois)"

    def can_transition(self, target: str) -> bool:
        return target in PLAN_TRANSITIONS.get(self.status, set())

    @property
    def remaining(self) -> Decimal:
        return self.debt_at_signature - self.paid_total


PLAN_TRANSITIONS: dict[str, set[str]] = {
    PlanStatus.ACTIVE: {
        PlanStatus.BREACHED,
        PlanStatus.RENEGOTIATED,
        PlanStatus.COMPLETED,
        PlanStatus.CANCELLED,
    },
    PlanStatus.BREACHED: {PlanStatus.RENEGOTIATED, PlanStatus.CANCELLED, PlanStatus.ACTIVE},
    PlanStatus.RENEGOTIATED: set(),
    PlanStatus.COMPLETED: set(),
    PlanStatus.CANCELLED: set(),
}


class Installment(OrganizationOwnedModel):
    """One monthly instalment. The instalments of a plan add up exactly to its debt: a
    deferred constraint trigger checks it at commit (migration 0002)."""

    plan = models.ForeignKey(
        RepaymentPlan, on_delete=models.CASCADE, related_name="installments", verbose_name="plan"
    )
    number = models.PositiveSmallIntegerField("n°")
    due_month = models.DateField("mois")
    amount = models.DecimalField("montant (€)", **MONEY)
    paid_amount = models.DecimalField("payé (€)", default=ZERO, **MONEY)
    status = models.CharField(
        "statut", max_length=10, choices=InstallmentStatus.choices, default=InstallmentStatus.DUE
    )

    class Meta:
        verbose_name = "échéance"
        verbose_name_plural = "échéances"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="installment_unique_number"),
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(paid_amount__gte=0) & Q(paid_amount__lte=F("amount")),
                name="installment_amounts_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Échéance {self.number} ({self.due_month:%m/%Y}) : {self.amount} €"


class BorlooProtocol(OrganizationOwnedModel):
    """Protocole de cohésion sociale (CCH L353-15-2, L442-6-5): a right of occupation after the
    lease was terminated in court for unpaid rent (or after a PRP write-off), ≤ 2 years, one
    amendment ≤ 3 more years, carrying a repayment plan."""

    case = models.ForeignKey(
        ArrearsCase,
        on_delete=models.PROTECT,
        related_name="borloo_protocols",
        verbose_name="dossier",
    )
    basis = models.CharField("fondement", max_length=20, choices=BorlooBasis.choices)
    judgment = models.ForeignKey(
        ProcedureStep,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="jugement de résiliation",
    )
    write_off = models.ForeignKey(
        "arrears.DebtWriteOff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="effacement de dette",
    )
    plan = models.OneToOneField(
        RepaymentPlan,
        on_delete=models.PROTECT,
        related_name="borloo_protocol",
        verbose_name="plan d'apurement",
    )
    signed_on = models.DateField("signé le")
    ends_on = models.DateField("fin le")
    amendment_signed_on = models.DateField("avenant signé le", null=True, blank=True)
    amendment_ends_on = models.DateField("fin de l'avenant le", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=BorlooStatus.choices, default=BorlooStatus.ACTIVE
    )
    outcome_on = models.DateField("issue constatée le", null=True, blank=True)
    new_lease_due_on = models.DateField("nouveau bail à signer avant le", null=True, blank=True)
    new_lease_signed_on = models.DateField("nouveau bail signé le", null=True, blank=True)

    class Meta:
        verbose_name = "protocole Borloo"
        verbose_name_plural = "protocoles Borloo"
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("signed_on")), name="borloo_ends_after_signature"
            ),
            models.CheckConstraint(
                condition=Q(amendment_ends_on__isnull=True)
                | Q(amendment_ends_on__gt=F("ends_on"), amendment_signed_on__isnull=False),
                name="borloo_amendment_extends",
            ),
            models.CheckConstraint(
                condition=Q(basis=BorlooBasis.LEASE_TERMINATED, judgment__isnull=False)
                | Q(basis=BorlooBasis.DEBT_WRITE_OFF, write_off__isnull=False),
                name="borloo_has_its_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"Protocole Borloo du {self.signed_on:%d/%m/%Y}"

    def can_transition(self, target: str) -> bool:
        return target in BORLOO_TRANSITIONS.get(self.status, set())


BORLOO_TRANSITIONS: dict[str, set[str]] = {
    BorlooStatus.ACTIVE: {BorlooStatus.RESPECTED, BorlooStatus.BREACHED},
    BorlooStatus.RESPECTED: {BorlooStatus.NEW_LEASE_SIGNED},
    BorlooStatus.NEW_LEASE_SIGNED: set(),
    BorlooStatus.BREACHED: set(),
}


class FslAid(OrganizationOwnedModel):
    """An aid of the Fonds de solidarité pour le logement (run by the département)."""

    household = models.ForeignKey(
        "housing.Household", on_delete=models.PROTECT, related_name="+", verbose_name="ménage"
    )
    case = models.ForeignKey(
        ArrearsCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fsl_aids",
        verbose_name="dossier",
    )
    purpose = models.CharField("objet", max_length=20, choices=FslPurpose.choices)
    form = models.CharField("forme", max_length=10, choices=FslForm.choices)
    amount_requested = models.DecimalField("montant demandé (€)", **MONEY)
    amount_granted = models.DecimalField("montant accordé (€)", null=True, blank=True, **MONEY)
    requested_on = models.DateField("demandée le")
    outcome = models.CharField(
        "décision", max_length=10, choices=AidOutcome.choices, default=AidOutcome.REQUESTED
    )
    decided_on = models.DateField("décision le", null=True, blank=True)
    decision_body = models.CharField("instance de décision", max_length=150, blank=True)
    paid_to_landlord_on = models.DateField("versée au bailleur le", null=True, blank=True)

    class Meta:
        verbose_name = "aide FSL"
        verbose_name_plural = "aides FSL"
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0)
                & (Q(amount_granted__isnull=True) | Q(amount_granted__gte=0)),
                name="fsl_amounts_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome=AidOutcome.REQUESTED)
                | Q(outcome=AidOutcome.REFUSED, decided_on__isnull=False)
                | Q(
                    outcome=AidOutcome.GRANTED,
                    decided_on__isnull=False,
                    amount_granted__isnull=False,
                ),
                name="fsl_decision_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"FSL {self.get_purpose_display()} ({self.get_form_display()})"


class FslLoanRepayment(OrganizationOwnedModel):
    """A repayment of an FSL loan by the household."""

    aid = models.ForeignKey(
        FslAid, on_delete=models.CASCADE, related_name="repayments", verbose_name="aide FSL"
    )
    paid_on = models.DateField("payé le")
    amount = models.DecimalField("montant (€)", **MONEY)

    class Meta:
        verbose_name = "remboursement de prêt FSL"
        verbose_name_plural = "remboursements de prêt FSL"
        ordering = ["aid", "paid_on"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fsl_repayment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount} € le {self.paid_on:%d/%m/%Y}"


class SubsidyRequest(OrganizationOwnedModel):
    """Another aid requested for the household (CCAS, Action Logement, funds...) and its outcome."""

    household = models.ForeignKey(
        "housing.Household", on_delete=models.PROTECT, related_name="+", verbose_name="ménage"
    )
    case = models.ForeignKey(
        ArrearsCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidy_requests",
        verbose_name="dossier",
    )
    funder = models.CharField("financeur", max_length=150)
    amount_requested = models.DecimalField("montant demandé (€)", **MONEY)
    amount_granted = models.DecimalField("montant accordé (€)", null=True, blank=True, **MONEY)
    requested_on = models.DateField("demandée le")
    outcome = models.CharField(
        "décision", max_length=10, choices=AidOutcome.choices, default=AidOutcome.REQUESTED
    )
    decided_on = models.DateField("décision le", null=True, blank=True)

    class Meta:
        verbose_name = "autre aide demandée"
        verbose_name_plural = "autres aides demandées"
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0), name="subsidy_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} : {self.amount_requested} €"


class DebtWriteOff(OrganizationOwnedModel):
    """A rent debt written off (over-indebtedness PRP, FSL, landlord decision)."""

    household = models.ForeignKey(
        "housing.Household", on_delete=models.PROTECT, related_name="+", verbose_name="ménage"
    )
    lease = models.ForeignKey(
        "housing.Lease",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="bail",
    )
    case = models.ForeignKey(
        ArrearsCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="write_offs",
        verbose_name="dossier",
    )
    amount = models.DecimalField("montant effacé (€)", **MONEY)
    written_off_on = models.DateField("effacée le")
    cause = models.CharField("cause", max_length=20, choices=WriteOffCause.choices)

    class Meta:
        verbose_name = "effacement de dette"
        verbose_name_plural = "effacements de dette"
        ordering = ["-written_off_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="write_off_amount_positive")
        ]

    def __str__(self) -> str:
        return f"Effacement de {self.amount} € ({self.get_cause_display()})"


class RelocationRequest(OrganizationOwnedModel):
    """A transfer to a cheaper dwelling requested by the arrears service, linked to the case and,
    once filed, to the household's transfer application (allocations.HousingApplication)."""

    case = models.ForeignKey(
        ArrearsCase, on_delete=models.PROTECT, related_name="relocations", verbose_name="dossier"
    )
    household = models.ForeignKey(
        "housing.Household", on_delete=models.PROTECT, related_name="+", verbose_name="ménage"
    )
    requested_on = models.DateField("demandée le")
    max_monthly_cost = models.DecimalField(
        "loyer et charges visés au plus (€)", null=True, blank=True, **MONEY
    )
    status = models.CharField(
        "statut",
        max_length=20,
        choices=RelocationStatus.choices,
        default=RelocationStatus.REQUESTED,
    )
    housing_application = models.ForeignKey(
        "allocations.HousingApplication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="arrears_relocations",
        verbose_name="demande de mutation",
    )
    relocated_on = models.DateField("relogé(e) le", null=True, blank=True)

    class Meta:
        verbose_name = "relogement demandé par le contentieux"
        verbose_name_plural = "relogements demandés par le contentieux"
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RelocationStatus.RELOCATED) | Q(relocated_on__isnull=False),
                name="relocation_date_when_relocated",
            )
        ]

    def __str__(self) -> str:
        return f"Relogement demandé le {self.requested_on:%d/%m/%Y}"


class StatementImport(OrganizationOwnedModel):
    """One import of account statements: who, when, which file (SHA-256) and what it did.

    Statements themselves are not audited row by row (core/db.py UNAUDITED_TABLES): they are
    copies of the accounting system; this row, audited like any other, is the trace.
    """

    file_sha256 = models.CharField("empreinte SHA-256 du fichier", max_length=64)
    rows = models.PositiveIntegerField("lignes")
    created_count = models.PositiveIntegerField("créées")
    updated_count = models.PositiveIntegerField("modifiées")
    unchanged_count = models.PositiveIntegerField("inchangées")

    class Meta:
        verbose_name = "import de situations de compte"
        verbose_name_plural = "imports de situations de compte"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import du {self.created_at:%d/%m/%Y %H:%M} ({self.rows} lignes)"
