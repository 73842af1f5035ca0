"""Housing applications, commissions (CAL / CALEOL), sessions, decisions, offers and occupancy
reviews. Rules: RULES.md "Allocation commission" and "Demands"; state machines in
docs/allocations.md."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from allocations.enums import (
    ApplicationKind,
    ApplicationStatus,
    AttendanceStatus,
    CandidateException,
    DecisionKind,
    Flow,
    LabellingSource,
    OccupancyReviewStatus,
    OfferStatus,
    QuorumRule,
    RadiationReason,
    RegistrationDesk,
    ScoreSource,
    Seat,
    SessionMode,
    SessionStatus,
    TransferReason,
)
from core.fields import ListGinIndex, StringListField
from core.models import OrganizationOwnedModel

MONEY = {"max_digits": 10, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0"))]


# --- Applications --------------------------------------------------------------------------------


class HousingApplication(OrganizationOwnedModel):
    """A demand for social housing (demande de logement social), new or transfer."""

    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name="ménage",
    )
    registration_number = models.CharField("numéro unique d'enregistrement", max_length=40)
    filed_on = models.DateField("date de dépôt initial (ancienneté)")
    renewed_on = models.DateField("dernier renouvellement", null=True, blank=True)
    expires_on = models.DateField("date d'expiration")
    status = models.CharField(
        "statut", max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.ACTIVE
    )
    radiation_reason = models.CharField(
        "motif de radiation", max_length=20, choices=RadiationReason.choices, blank=True
    )
    radiated_on = models.DateField("radiée le", null=True, blank=True)
    kind = models.CharField(
        "type", max_length=10, choices=ApplicationKind.choices, default=ApplicationKind.NEW
    )
    transfer_reason = models.CharField(
        "motif de mutation", max_length=20, choices=TransferReason.choices, blank=True
    )
    current_lease = models.ForeignKey(
        "housing.Lease",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfer_applications",
        verbose_name="bail actuel (mutation)",
    )
    registration_desk = models.CharField(
        "guichet d'enregistrement",
        max_length=10,
        choices=RegistrationDesk.choices,
        default=RegistrationDesk.LANDLORD,
    )
    # Wishes
    desired_communes = StringListField(
        models.CharField(max_length=5),
        verbose_name="communes souhaitées (INSEE)",
        default=list,
        blank=True,
        help_text="Vide : toutes les communes.",
    )
    desired_typologies = StringListField(
        models.CharField(max_length=2), verbose_name="typologies souhaitées", default=list
    )
    max_rent = models.DecimalField(
        "loyer maximal souhaité (€)", null=True, blank=True, validators=POSITIVE, **MONEY
    )
    max_floor = models.SmallIntegerField("étage maximal", null=True, blank=True)
    needs_lift = models.BooleanField("ascenseur nécessaire", default=False)
    needs_accessibility = models.BooleanField("logement accessible PMR", default=False)
    # Composition and resources as declared in the demand.
    adults = models.PositiveSmallIntegerField("adultes", default=1)
    children = models.PositiveSmallIntegerField("enfants", default=0)
    declared_monthly_resources = models.DecimalField(
        "ressources mensuelles déclarées (€)", default=Decimal("0"), validators=POSITIVE, **MONEY
    )
    verified_monthly_resources = models.DecimalField(
        "ressources mensuelles vérifiées (€)", null=True, blank=True, validators=POSITIVE, **MONEY
    )
    declared_annual_income = models.DecimalField(
        "revenu fiscal de référence déclaré (€/an)", null=True, blank=True, **MONEY
    )
    verified_annual_income = models.DecimalField(
        "revenu fiscal de référence vérifié (€/an)", null=True, blank=True, **MONEY
    )
    epci_code = models.CharField("EPCI de la demande (SIREN)", max_length=9, blank=True)
    first_quartile = models.BooleanField("demandeur du premier quartile", default=False)
    # Priority (denormalised from ApplicationPriority by the services, for the assistant).
    priority_level = models.PositiveSmallIntegerField(
        "niveau de priorité", default=0, help_text="2 : DALO ; 1 : prioritaire ; 0 : aucun."
    )
    score = models.DecimalField("cotation", max_digits=8, decimal_places=2, null=True, blank=True)
    score_source = models.CharField(
        "origine de la cotation", max_length=10, choices=ScoreSource.choices, blank=True
    )
    reminder_sent_on = models.DateField("relance de renouvellement le", null=True, blank=True)
    flagged_for_radiation = models.BooleanField("à radier (expirée)", default=False)

    class Meta:
        verbose_name = "demande de logement social"
        verbose_name_plural = "demandes de logement social"
        ordering = ["filed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "registration_number"],
                name="application_unique_number",
            ),
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.ACTIVE) | ~Q(radiation_reason=""),
                name="application_radiation_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(kind=ApplicationKind.NEW) | ~Q(transfer_reason=""),
                name="application_transfer_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("filed_on")), name="application_expiry_after"
            ),
        ]
        indexes = [
            # The candidate assistant's order (active demands by priority, score with the
            # unscored last, seniority) is indexed on PostgreSQL only, by migration 0006
            # (`score DESC NULLS LAST` cannot be declared here: SQLite refuses it).
            ListGinIndex(fields=["desired_typologies"], name="application_typologies_gin"),
            ListGinIndex(fields=["desired_communes"], name="application_communes_gin"),
            models.Index(
                fields=["organization", "status", "expires_on"], name="application_expiry_idx"
            ),
            # The applications list's order, whatever the status (`selectors.application_list`).
            models.Index(
                fields=["organization", "-priority_level", "filed_on", "id"],
                name="application_org_priority_idx",
            ),
            # The demands filed in a period grouped by desk, wished communes and current lease
            # (leasing activity): read from the index alone (PostgreSQL; SQLite ignores
            # INCLUDE). A year's demands are scattered over every page of the table.
            models.Index(
                fields=["organization", "filed_on"],
                include=["registration_desk", "desired_communes", "current_lease"],
                name="application_org_filed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_number} — {self.household}"

    @property
    def household_size(self) -> int:
        return self.adults + self.children

    @property
    def monthly_resources(self) -> Decimal:
        if self.verified_monthly_resources is not None:
            return self.verified_monthly_resources
        return self.declared_monthly_resources

    @property
    def annual_income(self) -> Decimal | None:
        if self.verified_annual_income is not None:
            return self.verified_annual_income
        return self.declared_annual_income

    def seniority_months(self, on: datetime.date) -> int:
        return max(0, (on.year - self.filed_on.year) * 12 + on.month - self.filed_on.month)


class ApplicationPriority(OrganizationOwnedModel):
    """A priority criterion (L441-1) of a demand: the type of proof, never a narrative."""

    application = models.ForeignKey(
        HousingApplication,
        on_delete=models.CASCADE,
        related_name="priorities",
        verbose_name="demande",
    )
    criterion = models.CharField("critère de priorité", max_length=40)
    proof_type = models.CharField("type de justificatif", max_length=120)
    labelling_source = models.CharField(
        "labellisé par", max_length=20, choices=LabellingSource.choices
    )
    labelled_on = models.DateField("labellisé le", null=True, blank=True)

    class Meta:
        verbose_name = "critère de priorité"
        verbose_name_plural = "critères de priorité"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="priority_unique_criterion"
            )
        ]

    def __str__(self) -> str:
        return self.criterion


# --- Commissions ---------------------------------------------------------------------------------


class Commission(OrganizationOwnedModel):
    """A CAL / CALEOL with its territorial competence and the settings of its internal rules."""

    name = models.CharField("nom", max_length=150)
    territory = models.ForeignKey(
        "organizations.Territory",
        on_delete=models.PROTECT,
        related_name="commissions",
        verbose_name="compétence territoriale",
    )
    quorum_rule = models.CharField(
        "règle de quorum", max_length=10, choices=QuorumRule.choices, default=QuorumRule.MAJORITY
    )
    quorum_minimum = models.PositiveSmallIntegerField("quorum minimal (membres votants)", default=3)
    remote_allowed = models.BooleanField("séances dématérialisées autorisées", default=False)
    voting_window_hours = models.PositiveSmallIntegerField(
        "durée du vote à distance (h)", default=24
    )
    internal_rules_adopted_on = models.DateField(
        "règlement intérieur adopté le", null=True, blank=True
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "commission d'attribution (CALEOL)"
        verbose_name_plural = "commissions d'attribution (CALEOL)"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="commission_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class CommissionMember(OrganizationOwnedModel):
    """A seat of the commission (R441-9): who, in which quality, voting or consultative."""

    commission = models.ForeignKey(
        Commission, on_delete=models.CASCADE, related_name="members", verbose_name="commission"
    )
    full_name = models.CharField("nom", max_length=150)
    seat = models.CharField("qualité", max_length=15, choices=Seat.choices)
    is_voting = models.BooleanField("voix délibérative", default=True)
    is_president = models.BooleanField("président(e)", default=False)
    user = models.ForeignKey(
        "organizations.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="compte Parcours",
    )
    # The mayor's seat counts for the dwellings of its commune, the EPCI's for its territory, a
    # réservataire's for its own dwellings.
    commune_insee = models.CharField("commune (INSEE)", max_length=5, blank=True)
    epci_code = models.CharField("EPCI (SIREN)", max_length=9, blank=True)
    partner = models.ForeignKey(
        "housing.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="réservataire",
    )
    is_active = models.BooleanField("en fonction", default=True)

    class Meta:
        verbose_name = "membre de commission"
        verbose_name_plural = "membres de commission"
        ordering = ["commission", "seat", "full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_seat_display()})"

    def concerns(self, dwelling) -> bool:  # type: ignore[no-untyped-def]
        """Whether this seat sits for `dwelling` (R441-9)."""
        residence = dwelling.residence
        if self.seat == Seat.MAYOR:
            return not self.commune_insee or self.commune_insee == residence.commune_insee
        if self.seat == Seat.EPCI:
            return not self.epci_code or self.epci_code == residence.epci_code
        if self.seat == Seat.RESERVATAIRE:
            return self.partner_id is not None and self.partner_id == dwelling.reserving_partner_id
        return True


class CommissionSession(OrganizationOwnedModel):
    """A session (séance) of a commission: draft → agenda published → held → decisions recorded
    → minutes signed (docs/allocations.md)."""

    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="sessions", verbose_name="commission"
    )
    scheduled_at = models.DateTimeField("date et heure")
    place = models.CharField("lieu", max_length=200, blank=True)
    mode = models.CharField(
        "modalité", max_length=10, choices=SessionMode.choices, default=SessionMode.IN_PERSON
    )
    status = models.CharField(
        "statut", max_length=20, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    voting_opens_at = models.DateTimeField("ouverture du vote", null=True, blank=True)
    voting_closes_at = models.DateTimeField("clôture du vote", null=True, blank=True)
    agenda_published_at = models.DateTimeField("ordre du jour publié le", null=True, blank=True)
    held_at = models.DateTimeField("tenue le", null=True, blank=True)
    decisions_recorded_at = models.DateTimeField("décisions arrêtées le", null=True, blank=True)
    minutes_signed_at = models.DateTimeField("PV signé le", null=True, blank=True)
    president_name = models.CharField("président(e) de séance", max_length=150, blank=True)

    TRANSITIONS = {
        SessionStatus.DRAFT: (SessionStatus.AGENDA_PUBLISHED,),
        SessionStatus.AGENDA_PUBLISHED: (SessionStatus.HELD, SessionStatus.DRAFT),
        SessionStatus.HELD: (SessionStatus.DECISIONS_RECORDED,),
        SessionStatus.DECISIONS_RECORDED: (SessionStatus.MINUTES_SIGNED, SessionStatus.HELD),
        SessionStatus.MINUTES_SIGNED: (),
    }

    class Meta:
        verbose_name = "séance de commission"
        verbose_name_plural = "séances de commission"
        ordering = ["-scheduled_at"]
        indexes = [
            models.Index(
                fields=["organization", "status", "scheduled_at"], name="session_status_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(voting_closes_at__isnull=True)
                | Q(voting_closes_at__gt=models.F("voting_opens_at")),
                name="session_voting_window_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commission} — {self.scheduled_at:%d/%m/%Y}"

    def can_transition(self, target: str) -> bool:
        return target in self.TRANSITIONS.get(SessionStatus(self.status), ())

    @property
    def is_editable(self) -> bool:
        """Dwellings and candidates may be changed until the session is held."""
        return self.status in (SessionStatus.DRAFT, SessionStatus.AGENDA_PUBLISHED)

    @property
    def accepts_decisions(self) -> bool:
        return self.status == SessionStatus.HELD


class Attendance(OrganizationOwnedModel):
    """Whether a member was present or represented (proof of composition, TA Paris 2024)."""

    session = models.ForeignKey(
        CommissionSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name="séance",
    )
    member = models.ForeignKey(
        CommissionMember,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name="membre",
    )
    status = models.CharField("présence", max_length=12, choices=AttendanceStatus.choices)
    represented_by = models.CharField("représenté(e) par", max_length=150, blank=True)

    class Meta:
        verbose_name = "présence"
        verbose_name_plural = "présences"
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_unique_member"),
            models.CheckConstraint(
                condition=~Q(status=AttendanceStatus.REPRESENTED) | ~Q(represented_by=""),
                name="attendance_representative_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} : {self.get_status_display()}"


class SessionDwelling(OrganizationOwnedModel):
    """A vacancy examined in a session, with ≥ 3 candidates or a recorded exception (R441-3).

    `flow` and `reserving_partner` record on whose flow the vacancy counts (réservataire's or
    the landlord's own), for reservations and quotas. `version` is the optimistic lock that
    protects the dwelling's decisions against a concurrent edit."""

    session = models.ForeignKey(
        CommissionSession, on_delete=models.CASCADE, related_name="dwellings", verbose_name="séance"
    )
    dwelling = models.ForeignKey(
        "housing.Dwelling", on_delete=models.PROTECT, related_name="+", verbose_name="logement"
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    vacancy_on = models.DateField("vacant le", null=True, blank=True)
    flow = models.CharField("flux", max_length=12, choices=Flow.choices, default=Flow.LANDLORD)
    reserving_partner = models.ForeignKey(
        "housing.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="réservataire",
    )
    candidate_exception = models.CharField(
        "exception à la règle des trois candidats",
        max_length=20,
        choices=CandidateException.choices,
        blank=True,
    )
    exception_justification = models.TextField("justification de l'exception", blank=True)
    quorum_voting_present = models.PositiveSmallIntegerField(
        "votants présents ou représentés", null=True, blank=True
    )
    quorum_required = models.PositiveSmallIntegerField("quorum requis", null=True, blank=True)
    version = models.PositiveIntegerField("version", default=0)

    class Meta:
        verbose_name = "logement présenté en commission"
        verbose_name_plural = "logements présentés en commission"
        ordering = ["session", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "dwelling"], name="session_dwelling_unique"),
            models.CheckConstraint(
                condition=Q(candidate_exception="") | ~Q(exception_justification=""),
                name="session_dwelling_exception_justified",
            ),
            models.CheckConstraint(
                condition=Q(flow=Flow.LANDLORD) | Q(reserving_partner__isnull=False),
                name="session_dwelling_reservataire_flow",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dwelling} ({self.session})"


class Candidacy(OrganizationOwnedModel):
    """An application examined for a dwelling, with the figures computed for that dwelling."""

    session_dwelling = models.ForeignKey(
        SessionDwelling,
        on_delete=models.CASCADE,
        related_name="candidacies",
        verbose_name="logement examiné",
    )
    application = models.ForeignKey(
        HousingApplication,
        on_delete=models.PROTECT,
        related_name="candidacies",
        verbose_name="demande",
    )
    position = models.PositiveSmallIntegerField("ordre de présentation", default=0)
    effort_rate = models.DecimalField(
        "taux d'effort (%)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    residual_income = models.DecimalField(
        "reste à vivre (€/UC/mois)", null=True, blank=True, **MONEY
    )
    score = models.DecimalField("cotation", max_digits=8, decimal_places=2, null=True, blank=True)
    proposed_by = models.ForeignKey(
        "housing.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="proposé par (réservataire)",
    )

    class Meta:
        verbose_name = "candidature"
        verbose_name_plural = "candidatures"
        ordering = ["session_dwelling", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session_dwelling", "application"], name="candidacy_unique_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} pour {self.session_dwelling.dwelling}"


class RemoteVote(OrganizationOwnedModel):
    """In a remote session, one member's rank for one candidate (3DS: a voting window)."""

    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="votes", verbose_name="candidature"
    )
    member = models.ForeignKey(
        CommissionMember, on_delete=models.PROTECT, related_name="votes", verbose_name="membre"
    )
    rank = models.PositiveSmallIntegerField("rang proposé", null=True, blank=True)
    cast_at = models.DateTimeField("exprimé le", auto_now=True)

    class Meta:
        verbose_name = "vote à distance"
        verbose_name_plural = "votes à distance"
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "member"], name="vote_unique_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} : {self.rank}"


class Decision(OrganizationOwnedModel):
    """The commission's decision for one candidate (R441-3 a–e)."""

    candidacy = models.OneToOneField(
        Candidacy, on_delete=models.CASCADE, related_name="decision", verbose_name="candidature"
    )
    session_dwelling = models.ForeignKey(
        SessionDwelling,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name="logement examiné",
    )
    kind = models.CharField("décision", max_length=20, choices=DecisionKind.choices)
    rank = models.PositiveSmallIntegerField("rang", null=True, blank=True)
    missing_document = models.CharField("pièce manquante", max_length=150, blank=True)
    condition_deadline = models.DateField("date limite de production", null=True, blank=True)
    reasons = models.TextField("motifs", blank=True)
    legal_basis = models.CharField("fondement juridique", max_length=250, blank=True)
    departs_from_score = models.BooleanField("écart à l'ordre de cotation", default=False)
    score_departure_reason = models.TextField("motif de l'écart à la cotation", blank=True)
    decided_on = models.DateField("décidé le")

    class Meta:
        verbose_name = "décision de commission"
        verbose_name_plural = "décisions de commission"
        ordering = ["session_dwelling", "rank", "pk"]
        # The decisions API lists by (-decided_on, session_dwelling, rank, pk) (`decision_list`,
        # paged by keyset): an index in that order lets a page start at its position and stop
        # after its rows instead of sorting them all.
        indexes = [
            models.Index(
                fields=["organization", "-decided_on", "session_dwelling", "rank", "id"],
                name="decision_org_decided_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session_dwelling", "rank"],
                condition=Q(rank__isnull=False),
                name="decision_unique_rank",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["attribution", "ranked", "conditional"], rank__gte=1)
                | Q(kind__in=["non_attribution", "rejection"], rank__isnull=True),
                name="decision_rank_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="attribution") | Q(rank=1), name="decision_attribution_rank_one"
            ),
            models.CheckConstraint(
                condition=~Q(kind="conditional")
                | (~Q(missing_document="") & Q(condition_deadline__isnull=False)),
                name="decision_condition_complete",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["non_attribution", "rejection"]) | ~Q(reasons=""),
                name="decision_reasons_required",
            ),
            models.CheckConstraint(
                condition=~Q(kind="rejection") | ~Q(legal_basis=""),
                name="decision_rejection_legal_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.candidacy.application}"

    @property
    def attributes(self) -> bool:
        return self.kind in ("attribution", "ranked", "conditional")


class Offer(OrganizationOwnedModel):
    """A proposal of the dwelling to the candidate holding the best rank (R441-10)."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="offers", verbose_name="décision"
    )
    session_dwelling = models.ForeignKey(
        SessionDwelling,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name="logement examiné",
    )
    application = models.ForeignKey(
        HousingApplication, on_delete=models.PROTECT, related_name="offers", verbose_name="demande"
    )
    notified_on = models.DateField("notifiée le")
    answer_deadline = models.DateField("date limite de réponse")
    status = models.CharField(
        "statut", max_length=15, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    answered_on = models.DateField("réponse le", null=True, blank=True)
    refusal_reason = models.CharField("motif du refus", max_length=60, blank=True)
    refused_by_silence = models.BooleanField("refus par silence", default=False)
    lease = models.ForeignKey(
        "housing.Lease",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="bail",
    )
    lease_signed_on = models.DateField("bail signé le", null=True, blank=True)

    TRANSITIONS = {
        OfferStatus.PENDING: (OfferStatus.ACCEPTED, OfferStatus.REFUSED),
        OfferStatus.ACCEPTED: (OfferStatus.LEASE_SIGNED, OfferStatus.REFUSED),
        OfferStatus.REFUSED: (),
        OfferStatus.LEASE_SIGNED: (),
    }

    class Meta:
        verbose_name = "proposition de logement"
        verbose_name_plural = "propositions de logement"
        ordering = ["-notified_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    answer_deadline__gte=models.F("notified_on") + datetime.timedelta(days=10)
                ),
                name="offer_deadline_ten_days",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="offer_refusal_has_reason",
            ),
            models.UniqueConstraint(
                fields=["session_dwelling"],
                condition=Q(status__in=["pending", "accepted"]),
                name="offer_one_open_per_dwelling",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "status", "answer_deadline"], name="offer_deadline_idx"
            ),
            # The offers API's order (`offer_list`, paged by keyset).
            models.Index(
                fields=["organization", "answer_deadline", "id"], name="offer_org_deadline_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Proposition {self.session_dwelling.dwelling} à {self.application}"

    def can_transition(self, target: str) -> bool:
        return target in self.TRANSITIONS.get(OfferStatus(self.status), ())


# --- Occupancy review (CALEOL, L442-5-2) ---------------------------------------------------------


class OccupancyReview(OrganizationOwnedModel):
    """A lease reaching its three-year review, the criteria met, and the commission's opinion."""

    lease = models.ForeignKey(
        "housing.Lease", on_delete=models.PROTECT, related_name="+", verbose_name="bail"
    )
    household = models.ForeignKey(
        "housing.Household", on_delete=models.PROTECT, related_name="+", verbose_name="ménage"
    )
    due_on = models.DateField("échéance d'examen")
    criteria = StringListField(
        models.CharField(max_length=20), verbose_name="critères relevés", default=list
    )
    status = models.CharField(
        "statut",
        max_length=12,
        choices=OccupancyReviewStatus.choices,
        default=OccupancyReviewStatus.IDENTIFIED,
    )
    session = models.ForeignKey(
        CommissionSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occupancy_reviews",
        verbose_name="séance",
    )
    opinion = models.TextField("avis de la commission", blank=True)
    suitable_dwelling = models.TextField("logement adapté décrit", blank=True)
    reviewed_on = models.DateField("examiné le", null=True, blank=True)
    notified_on = models.DateField("locataire informé le", null=True, blank=True)

    class Meta:
        verbose_name = "examen de l'occupation"
        verbose_name_plural = "examens de l'occupation"
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["lease", "due_on"], name="occupancy_review_unique"),
            models.CheckConstraint(
                condition=~Q(status__in=["reviewed", "notified"]) | ~Q(opinion=""),
                name="occupancy_review_opinion_required",
            ),
        ]

    def __str__(self) -> str:
        return f"Examen d'occupation {self.household} ({self.due_on:%d/%m/%Y})"
