"""Social accompaniment: accompaniments, evaluations, interventions, referrals, appointments,
outreach campaigns, adaptation requests, social-action commission, support programmes.

Confidential narrative text is always in fields named `note` / `*_note` (masked by the audit
trigger, shown only to the roles `cases/policy.py` grants, each display access-logged).
Statuses are state machines: `TRANSITIONS` lists the legal moves (docs/cases.md), the model
says whether a move is legal, the service (cases/services.py) makes it and logs it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from cases.enums import (
    AdaptationKind,
    AdaptationStatus,
    AppointmentStatus,
    CampaignKind,
    CampaignStatus,
    CaseMode,
    CaseOutcome,
    CaseStatus,
    ContactStatus,
    EnrolmentKind,
    EnrolmentStatus,
    EvaluationContext,
    EvaluationStatus,
    InterventionKind,
    InterventionOutcome,
    Motive,
    ProgrammeStatus,
    Recommendation,
    ReferralStatus,
    ReviewDecision,
    ReviewFileKind,
    ReviewStatus,
    Service,
)
from core.fields import StringListField
from core.models import (
    OrganizationOwnedModel,
    OrganizationScopedManager,
    OrganizationScopedQuerySet,
)

MONEY: dict[str, Any] = {
    "max_digits": 10,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0"))],
}
USER = settings.AUTH_USER_MODEL


class StateMachine(models.Model):
    """A model with a `status` and a table of legal transitions {(from, to): verb}."""

    TRANSITIONS: dict[tuple[str, str], str] = {}

    class Meta:
        abstract = True

    def can_transition(self, to: str) -> bool:
        return (self.status, str(to)) in self.TRANSITIONS  # type: ignore[attr-defined]

    def allowed_transitions(self) -> list[str]:
        return [to for (frm, to) in self.TRANSITIONS if frm == self.status]  # type: ignore[attr-defined]


class StatusChange(OrganizationOwnedModel):
    """One status transition of a cases object, with its actor (the state machines' log)."""

    subject_type = models.CharField("type d'objet", max_length=100)
    subject_id = models.UUIDField("objet")
    from_status = models.CharField("de", max_length=30, blank=True)
    to_status = models.CharField("vers", max_length=30)
    actor = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="par"
    )
    at = models.DateTimeField("le", auto_now_add=True)
    reason = models.CharField("motif", max_length=250, blank=True)

    class Meta:
        verbose_name = "changement de statut"
        verbose_name_plural = "changements de statut"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="cases_change_subject")]

    def __str__(self) -> str:
        return f"{self.subject_type} {self.from_status} → {self.to_status}"


# --- Accompaniment ---------------------------------------------------------------------------------


class SocialCaseQuerySet(OrganizationScopedQuerySet):
    def active(self) -> SocialCaseQuerySet:
        return self.exclude(status=CaseStatus.CLOSED)

    def running_in(self, start: datetime.date, end: datetime.date) -> SocialCaseQuerySet:
        return self.filter(opened_on__lte=end).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=start)
        )


class SocialCase(StateMachine, OrganizationOwnedModel):
    """An accompaniment (suivi social) of a household by a referent, for one or more motives."""

    TRANSITIONS = {
        (CaseStatus.OPEN, CaseStatus.SUSPENDED): "suspendre",
        (CaseStatus.SUSPENDED, CaseStatus.OPEN): "reprendre",
        (CaseStatus.OPEN, CaseStatus.CLOSED): "clore",
        (CaseStatus.SUSPENDED, CaseStatus.CLOSED): "clore",
        (CaseStatus.CLOSED, CaseStatus.OPEN): "rouvrir",
    }

    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.PROTECT,
        related_name="social_cases",
        verbose_name="ménage",
    )
    motives = StringListField(
        models.CharField(max_length=30, choices=Motive.choices), verbose_name="motifs", size=7
    )
    referent = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name="référent(e)"
    )
    status = models.CharField(
        "statut", max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    mode = models.CharField(
        "type d'accompagnement", max_length=10, choices=CaseMode.choices, default=CaseMode.INTERNAL
    )
    external_partner = models.ForeignKey(
        "housing.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="social_cases",
        verbose_name="association (ASLL, AVDL)",
    )
    opened_on = models.DateField("ouvert le")
    planned_end_on = models.DateField("fin prévue le")
    closed_on = models.DateField("clos le", null=True, blank=True)
    outcome = models.CharField(
        "issue", max_length=20, choices=CaseOutcome.choices, blank=True, default=""
    )
    programme = models.ForeignKey(
        "SupportProgramme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_cases",
        verbose_name="dispositif",
    )
    note = models.TextField("note confidentielle", blank=True)

    objects = OrganizationScopedManager.from_queryset(SocialCaseQuerySet)()

    class Meta:
        verbose_name = "accompagnement social"
        verbose_name_plural = "accompagnements sociaux"
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end_on__gte=models.F("opened_on")),
                name="socialcase_planned_end_after_open",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="socialcase_closed_after_open",
            ),
            models.CheckConstraint(
                condition=Q(mode=CaseMode.INTERNAL) | Q(external_partner__isnull=False),
                name="socialcase_external_needs_partner",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CLOSED) | Q(closed_on__isnull=False),
                name="socialcase_closed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "referent", "status"], name="case_ref_idx"),
            # Running accompaniments by planned end: the home page's overdue alert (a count of
            # those past their end) and the running cases list, in its order.
            models.Index(
                fields=["organization", "planned_end_on", "id"],
                name="case_running_end_idx",
                condition=~Q(status="closed"),
            ),
        ]

    def __str__(self) -> str:
        return f"Accompagnement {self.household} ({self.opened_on:%d/%m/%Y})"

    def get_motives_display(self) -> str:
        labels = dict(Motive.choices)
        return ", ".join(str(labels.get(m, m)) for m in self.motives)

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.status != CaseStatus.CLOSED and self.planned_end_on < timezone.localdate()

    def can_extend(self) -> bool:
        return self.status in (CaseStatus.OPEN, CaseStatus.SUSPENDED)


class CaseExtension(OrganizationOwnedModel):
    """A prolongation of an accompaniment's planned end, with its reason."""

    social_case = models.ForeignKey(
        SocialCase, on_delete=models.CASCADE, related_name="extensions", verbose_name="suivi"
    )
    previous_end_on = models.DateField("fin prévue précédente")
    new_end_on = models.DateField("nouvelle fin prévue")
    reason = models.CharField("motif de la prolongation", max_length=250)

    class Meta:
        verbose_name = "prolongation"
        verbose_name_plural = "prolongations"
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_end_on__gt=models.F("previous_end_on")),
                name="extension_moves_end_later",
            )
        ]

    def __str__(self) -> str:
        return f"Prolongation au {self.new_end_on:%d/%m/%Y}"


# --- Evaluation -------------------------------------------------------------------------------------


class Evaluation(StateMachine, OrganizationOwnedModel):
    """A social evaluation (diagnostic social): context, structured findings, recommendation."""

    TRANSITIONS = {
        (EvaluationStatus.DRAFT, EvaluationStatus.COMPLETED): "terminer",
        (EvaluationStatus.COMPLETED, EvaluationStatus.DRAFT): "rouvrir",
    }

    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name="ménage",
    )
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="par")
    context = models.CharField("contexte", max_length=12, choices=EvaluationContext.choices)
    evaluated_on = models.DateField("date de l'évaluation")
    status = models.CharField(
        "statut", max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    # Structured findings: confidential narrative.
    situation_note = models.TextField("situation familiale et sociale", blank=True)
    resources_note = models.TextField("ressources et budget", blank=True)
    autonomy_note = models.TextField("autonomie, capacité à habiter", blank=True)
    needs_note = models.TextField("besoins identifiés", blank=True)
    conclusion_note = models.TextField("conclusion", blank=True)
    recommendation = models.CharField(
        "préconisation", max_length=10, choices=Recommendation.choices, blank=True, default=""
    )
    social_case = models.ForeignKey(
        SocialCase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name="accompagnement ouvert",
    )

    class Meta:
        verbose_name = "évaluation sociale"
        verbose_name_plural = "évaluations sociales"
        ordering = ["-evaluated_on", "-pk"]

    def __str__(self) -> str:
        return f"Évaluation {self.household} ({self.evaluated_on:%d/%m/%Y})"


NOTE_FIELDS = {
    "SocialCase": ("note",),
    "Evaluation": (
        "situation_note",
        "resources_note",
        "autonomy_note",
        "needs_note",
        "conclusion_note",
    ),
    "Intervention": ("note",),
    "Referral": ("note",),
    "AdaptationRequest": ("note",),
    "CaseReviewItem": ("note",),
}


# --- Interventions and appointments -----------------------------------------------------------------


class Intervention(OrganizationOwnedModel):
    """One contact with a household: visit, interview, call, letter, partner meeting. Logged by
    the social service or by the arrears service (their calls and meetings count too)."""

    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.PROTECT,
        related_name="interventions",
        verbose_name="ménage",
    )
    social_case = models.ForeignKey(
        SocialCase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventions",
        verbose_name="accompagnement",
    )
    campaign_target = models.ForeignKey(
        "CampaignTarget",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name="appel de campagne",
    )
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="par")
    service = models.CharField(
        "service", max_length=10, choices=Service.choices, default=Service.SOCIAL
    )
    kind = models.CharField("type", max_length=20, choices=InterventionKind.choices)
    occurred_on = models.DateField("date")
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=0)
    motive = models.CharField("motif", max_length=30, choices=Motive.choices, blank=True)
    subject = models.CharField("objet", max_length=200, blank=True)
    outcome = models.CharField(
        "résultat",
        max_length=12,
        choices=InterventionOutcome.choices,
        default=InterventionOutcome.DONE,
    )
    note = models.TextField("note confidentielle", blank=True)
    # Logged by a partner's staff under mandate (privacy/partners.py): the intervention is the
    # landlord's (its file, its reports), attributed to the partner through the grant.
    mandate = models.ForeignKey(
        "privacy.PartnerAccessGrant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
        verbose_name="saisie au titre du mandat",
    )

    class Meta:
        verbose_name = "intervention sociale"
        verbose_name_plural = "interventions sociales"
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            # Also the contacts API's order, read backwards (-occurred_on, -pk; keyset pages).
            models.Index(
                fields=["organization", "occurred_on", "id"], name="intervention_date_idx"
            ),
            models.Index(fields=["household", "occurred_on"], name="intervention_hh_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__lte=1440), name="intervention_duration_le_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.household} ({self.occurred_on:%d/%m/%Y})"


class Appointment(StateMachine, OrganizationOwnedModel):
    """A planned intervention (date and time), in the caseload and on the timeline."""

    TRANSITIONS = {
        (AppointmentStatus.PLANNED, AppointmentStatus.DONE): "réaliser",
        (AppointmentStatus.PLANNED, AppointmentStatus.CANCELLED): "annuler",
        (AppointmentStatus.PLANNED, AppointmentStatus.MISSED): "noter l'absence",
    }

    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name="ménage",
    )
    social_case = models.ForeignKey(
        SocialCase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name="accompagnement",
    )
    worker = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name="avec"
    )
    kind = models.CharField("type", max_length=20, choices=InterventionKind.choices)
    starts_at = models.DateTimeField("date et heure")
    duration_minutes = models.PositiveSmallIntegerField("durée prévue (minutes)", default=45)
    place = models.CharField("lieu", max_length=200, blank=True)
    subject = models.CharField("objet", max_length=200, blank=True)
    status = models.CharField(
        "statut",
        max_length=10,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.PLANNED,
    )
    intervention = models.OneToOneField(
        Intervention,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment",
        verbose_name="intervention réalisée",
    )

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["organization", "worker", "starts_at"], name="appt_idx")]

    def __str__(self) -> str:
        return f"Rendez-vous {self.household} le {self.starts_at:%d/%m/%Y %H:%M}"


# --- Referrals -----------------------------------------------------------------------------------------


class Referral(StateMachine, OrganizationOwnedModel):
    """An orientation of the household to a partner (CCAS, CAF, CARSAT, association…)."""

    TRANSITIONS = {
        (ReferralStatus.SENT, ReferralStatus.ACCEPTED): "prise en charge",
        (ReferralStatus.SENT, ReferralStatus.REFUSED): "refus",
        (ReferralStatus.SENT, ReferralStatus.NO_FOLLOW_UP): "sans suite",
    }

    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name="ménage",
    )
    social_case = models.ForeignKey(
        SocialCase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name="accompagnement",
    )
    partner = models.ForeignKey(
        "housing.Partner",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name="partenaire",
    )
    motive = models.CharField("motif", max_length=30, choices=Motive.choices)
    sent_on = models.DateField("orienté le")
    status = models.CharField(
        "statut", max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    outcome_on = models.DateField("réponse le", null=True, blank=True)
    outcome = models.CharField("suite donnée", max_length=250, blank=True)
    note = models.TextField("note confidentielle", blank=True)

    class Meta:
        verbose_name = "orientation"
        verbose_name_plural = "orientations"
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return f"Orientation vers {self.partner} ({self.sent_on:%d/%m/%Y})"


# --- Outreach campaigns -----------------------------------------------------------------------------


class OutreachCampaign(StateMachine, OrganizationOwnedModel):
    """An "aller vers" campaign: a list of vulnerable households called (and visited)."""

    TRANSITIONS = {
        (CampaignStatus.DRAFT, CampaignStatus.ACTIVE): "lancer",
        (CampaignStatus.ACTIVE, CampaignStatus.CLOSED): "terminer",
        (CampaignStatus.CLOSED, CampaignStatus.ACTIVE): "relancer",
    }

    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=12, choices=CampaignKind.choices)
    status = models.CharField(
        "statut", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin", null=True, blank=True)
    # {"min_age": 75, "lives_alone": true, "socially_isolated": true, "reduced_mobility": …,
    #  "health_fragility": …, "digital_exclusion": …, "tenants_only": true, "territory": uuid}
    criteria = models.JSONField("critères de ciblage", default=dict, blank=True)
    calls_per_week = models.PositiveSmallIntegerField(
        "appels répétés par semaine (ménages les plus fragiles)", default=0
    )
    callers = models.ManyToManyField(
        USER,
        through="CampaignCaller",
        through_fields=("campaign", "user"),
        related_name="+",
        verbose_name="appelants",
    )

    class Meta:
        verbose_name = "campagne d'aller vers"
        verbose_name_plural = "campagnes d'aller vers"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(calls_per_week__lte=14), name="campaign_calls_per_week_max"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignCaller(OrganizationOwnedModel):
    campaign = models.ForeignKey(
        OutreachCampaign, on_delete=models.CASCADE, related_name="caller_links"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "appelant(e)"
        verbose_name_plural = "appelant(e)s"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="campaign_caller_unique")
        ]

    def __str__(self) -> str:
        return str(self.user_id)


class CampaignTarget(OrganizationOwnedModel):
    """A household on a campaign's list, its caller and where its contact stands."""

    campaign = models.ForeignKey(
        OutreachCampaign, on_delete=models.CASCADE, related_name="targets", verbose_name="campagne"
    )
    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.CASCADE,
        related_name="campaign_targets",
        verbose_name="ménage",
    )
    assigned_to = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="appelant(e)",
    )
    status = models.CharField(
        "contact", max_length=12, choices=ContactStatus.choices, default=ContactStatus.TO_CALL
    )
    recurring = models.BooleanField("appels répétés", default=False)
    last_contact_on = models.DateField("dernier appel", null=True, blank=True)
    next_call_on = models.DateField("prochain appel", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    social_case = models.ForeignKey(
        SocialCase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="accompagnement ouvert",
    )

    class Meta:
        verbose_name = "ménage ciblé"
        verbose_name_plural = "ménages ciblés"
        ordering = ["next_call_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "household"], name="campaign_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.household} — {self.campaign}"


# --- Adaptation (bien vivre, bien vieillir) ------------------------------------------------------------


class AdaptationRequest(StateMachine, OrganizationOwnedModel):
    """A request to adapt the dwelling (bath → shower…), studied by the adaptation commission,
    then works, delivery, cost and co-funding (CARSAT, MDPH)."""

    TRANSITIONS = {
        (AdaptationStatus.SUBMITTED, AdaptationStatus.APPROVED): "accorder",
        (AdaptationStatus.SUBMITTED, AdaptationStatus.POSTPONED): "ajourner",
        (AdaptationStatus.SUBMITTED, AdaptationStatus.REJECTED): "refuser",
        (AdaptationStatus.POSTPONED, AdaptationStatus.APPROVED): "accorder",
        (AdaptationStatus.POSTPONED, AdaptationStatus.REJECTED): "refuser",
        (AdaptationStatus.APPROVED, AdaptationStatus.IN_WORKS): "commencer les travaux",
        (AdaptationStatus.IN_WORKS, AdaptationStatus.DELIVERED): "livrer",
        (AdaptationStatus.SUBMITTED, AdaptationStatus.CANCELLED): "annuler",
        (AdaptationStatus.POSTPONED, AdaptationStatus.CANCELLED): "annuler",
        (AdaptationStatus.APPROVED, AdaptationStatus.CANCELLED): "annuler",
    }

    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.PROTECT,
        related_name="adaptation_requests",
        verbose_name="ménage",
    )
    requester = models.ForeignKey(
        "housing.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adaptation_requests",
        verbose_name="demandeur",
    )
    kind = models.CharField("aménagement", max_length=20, choices=AdaptationKind.choices)
    description = models.CharField("demande", max_length=250, blank=True)
    requested_on = models.DateField("demandé le")
    status = models.CharField(
        "statut",
        max_length=12,
        choices=AdaptationStatus.choices,
        default=AdaptationStatus.SUBMITTED,
    )
    studied_on = models.DateField("étudiée en commission le", null=True, blank=True)
    decision_reason = models.CharField("motif de la décision", max_length=250, blank=True)
    works_started_on = models.DateField("travaux commencés le", null=True, blank=True)
    delivered_on = models.DateField("livré le", null=True, blank=True)
    estimated_cost = models.DecimalField("coût estimé (€)", null=True, blank=True, **MONEY)
    final_cost = models.DecimalField("coût final (€)", null=True, blank=True, **MONEY)
    note = models.TextField("note confidentielle", blank=True)

    class Meta:
        verbose_name = "demande d'adaptation du logement"
        verbose_name_plural = "demandes d'adaptation du logement"
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(final_cost__isnull=True) | Q(final_cost__gte=0))
                & (Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0)),
                name="adaptation_cost_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.household}"

    @property
    def cost(self) -> Decimal:
        return (
            self.final_cost if self.final_cost is not None else (self.estimated_cost or Decimal(0))
        )


class AdaptationFunding(OrganizationOwnedModel):
    """A partner's share of an adaptation's cost (CARSAT, MDPH…)."""

    request = models.ForeignKey(
        AdaptationRequest, on_delete=models.CASCADE, related_name="fundings"
    )
    partner = models.ForeignKey(
        "housing.Partner",
        on_delete=models.PROTECT,
        related_name="adaptation_fundings",
        verbose_name="financeur",
    )
    amount = models.DecimalField("montant (€)", **MONEY)

    class Meta:
        verbose_name = "cofinancement"
        verbose_name_plural = "cofinancements"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="adaptation_funding_positive"),
            models.UniqueConstraint(
                fields=["request", "partner"], name="adaptation_funding_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} : {self.amount} €"


# --- Social-action commission -------------------------------------------------------------------------


class CaseReview(StateMachine, OrganizationOwnedModel):
    """A meeting of the social-action commission (monthly): difficult access/transfer files."""

    TRANSITIONS = {(ReviewStatus.PLANNED, ReviewStatus.HELD): "tenir"}

    held_on = models.DateField("date de la commission")
    title = models.CharField("intitulé", max_length=200, default="Commission d'action sociale")
    status = models.CharField(
        "statut", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PLANNED
    )

    class Meta:
        verbose_name = "commission d'action sociale"
        verbose_name_plural = "commissions d'action sociale"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} du {self.held_on:%d/%m/%Y}"


class CaseReviewItem(OrganizationOwnedModel):
    """A file on the commission's agenda, and the decision taken on it."""

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="items")
    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.PROTECT,
        related_name="case_review_items",
        verbose_name="ménage",
    )
    social_case = models.ForeignKey(
        SocialCase, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_kind = models.CharField("type de dossier", max_length=10, choices=ReviewFileKind.choices)
    question = models.CharField("question posée", max_length=250)
    decision = models.CharField(
        "décision", max_length=10, choices=ReviewDecision.choices, blank=True, default=""
    )
    decision_text = models.CharField("décision motivée", max_length=250, blank=True)
    note = models.TextField("note confidentielle", blank=True)

    class Meta:
        verbose_name = "dossier examiné"
        verbose_name_plural = "dossiers examinés"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "household"], name="review_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.household} — {self.get_file_kind_display()}"


# --- Support programmes (dispositifs) --------------------------------------------------------------------


class SupportProgramme(StateMachine, OrganizationOwnedModel):
    """A funded programme (e.g. "10 000 logements accompagnés", "Zéro expulsion locative"):
    decision body, funders, unit costs, targets, enrolled households, budget."""

    TRANSITIONS = {
        (ProgrammeStatus.ACTIVE, ProgrammeStatus.CLOSED): "clore",
        (ProgrammeStatus.CLOSED, ProgrammeStatus.ACTIVE): "rouvrir",
    }

    name = models.CharField("nom", max_length=200)
    decision_body = models.CharField("instance de décision", max_length=200, blank=True)
    funders = models.CharField("financeurs", max_length=250, blank=True)
    operator = models.ForeignKey(
        "housing.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name="opérateur",
    )
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.ACTIVE
    )
    unit_cost_diagnostic = models.DecimalField("coût d'un diagnostic (€)", default=0, **MONEY)
    unit_cost_yearly_accompaniment = models.DecimalField(
        "coût annuel d'un accompagnement (€)", default=0, **MONEY
    )
    unit_cost_collective_action = models.DecimalField(
        "coût d'une action collective (€)", default=0, **MONEY
    )
    collective_actions_held = models.PositiveSmallIntegerField(
        "actions collectives réalisées", default=0
    )
    target_access = models.PositiveSmallIntegerField("objectif : ménages en accès", default=0)
    target_staying = models.PositiveSmallIntegerField("objectif : ménages en maintien", default=0)
    budget_planned = models.DecimalField("budget prévu (€)", default=0, **MONEY)

    class Meta:
        verbose_name = "dispositif d'accompagnement"
        verbose_name_plural = "dispositifs d'accompagnement"
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_planned__gte=0), name="programme_budget_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeEnrolment(StateMachine, OrganizationOwnedModel):
    """A household proposed to a programme, and the decision of its body."""

    TRANSITIONS = {
        (EnrolmentStatus.PROPOSED, EnrolmentStatus.ACCEPTED): "accepter",
        (EnrolmentStatus.PROPOSED, EnrolmentStatus.REFUSED): "refuser",
        (EnrolmentStatus.ACCEPTED, EnrolmentStatus.ENDED): "sortir",
    }

    programme = models.ForeignKey(
        SupportProgramme, on_delete=models.CASCADE, related_name="enrolments"
    )
    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.PROTECT,
        related_name="programme_enrolments",
        verbose_name="ménage",
    )
    kind = models.CharField("volet", max_length=10, choices=EnrolmentKind.choices)
    status = models.CharField(
        "statut",
        max_length=10,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.PROPOSED,
    )
    proposed_on = models.DateField("proposé le")
    decided_on = models.DateField("décision de l'instance le", null=True, blank=True)
    decision_text = models.CharField("décision", max_length=250, blank=True)
    diagnostic_done = models.BooleanField("diagnostic réalisé", default=False)
    ended_on = models.DateField("sorti le", null=True, blank=True)

    class Meta:
        verbose_name = "ménage inscrit"
        verbose_name_plural = "ménages inscrits"
        ordering = ["-proposed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "household"], name="programme_enrolment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} — {self.programme}"
