from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.models import OrganizationOwnedModel
from reporting.enums import PENDING_STATUSES, TRANSITIONS, ReportKind, ReportStatus


class ReportJob(OrganizationOwnedModel):
    """A report built in the background. The row is the truth; the broker only carries the
    wake-up (docs/reporting.md: states, dispatch, leases)."""

    kind = models.CharField(
        "type de rapport",
        max_length=30,
        choices=ReportKind.choices,
        default=ReportKind.ANNUAL_ACTIVITY,
    )
    year = models.PositiveSmallIntegerField(
        "année", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    territory = models.ForeignKey(
        "organizations.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="territoire",
    )
    sections = models.JSONField("sections", default=list, blank=True)
    # kind, year, territory and sections: identical requests share it (one pending at a time).
    request_key = models.CharField("clé de la demande", max_length=250, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="demandé par",
    )
    status = models.CharField(
        "statut", max_length=10, choices=ReportStatus.choices, default=ReportStatus.REQUESTED
    )
    progress = models.PositiveSmallIntegerField(
        "avancement (%)", default=0, validators=[MaxValueValidator(100)]
    )
    current_step = models.CharField("étape en cours", max_length=120, blank=True)
    # Dispatch bookkeeping: when the broker last accepted the job (null: never, or it refused).
    dispatched_at = models.DateTimeField("envoyé au worker le", null=True, blank=True)
    dispatch_count = models.PositiveIntegerField("nombre d'envois", default=0)
    # Each run takes a new attempt number; a run whose number is no longer the job's stops.
    attempt = models.PositiveIntegerField("tentative", default=0)
    lease_expires_at = models.DateTimeField("bail du worker jusqu'au", null=True, blank=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    document = models.ForeignKey(
        "core.StoredDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="document",
    )
    checksum = models.CharField("empreinte SHA-256 du fichier", max_length=64, blank=True)
    snapshot = models.JSONField("indicateurs figés", null=True, blank=True)
    snapshot_checksum = models.CharField(
        "empreinte SHA-256 des indicateurs", max_length=64, blank=True
    )
    timings = models.JSONField("durées (s)", default=dict, blank=True)
    error = models.TextField("erreur", blank=True)

    class Meta:
        verbose_name = "rapport"
        verbose_name_plural = "rapports"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "request_key"],
                condition=Q(status__in=PENDING_STATUSES),
                name="reportjob_one_pending_per_request",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="reportjob_progress_max"),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.DONE) | Q(document__isnull=False),
                name="reportjob_done_has_document",
            ),
        ]
        indexes = [models.Index(fields=["status", "organization"], name="reportjob_status_idx")]

    def __str__(self) -> str:
        where = f" — {self.territory}" if self.territory_id else ""
        return f"{self.get_kind_display()} {self.year}{where}"

    @staticmethod
    def make_request_key(
        *, kind: str, year: int, territory_id: int | None, sections: list[str]
    ) -> str:
        return f"{kind}:{year}:{territory_id or '*'}:{','.join(sorted(sections))}"

    def can_become(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    @property
    def duration(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class IndicatorSnapshot(OrganizationOwnedModel):
    """The indicators of one (year, territory) as computed at `computed_at`: what the
    dashboard, the home panel, the CSV exports and the indicators API serve, so that a page
    does not recompute a year of records on each view (docs/reporting.md, "Snapshots").

    Refreshed in the background (`reporting.refresh_indicator_snapshot`): every night for the
    current and the previous year, on demand ("Actualiser"), and when a page finds it older
    than a day. Figures only: nothing here is personal data."""

    year = models.PositiveSmallIntegerField(
        "année", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    territory = models.ForeignKey(
        "organizations.Territory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="territoire",
    )
    # The sections as `selectors.indicator_sections` returns them; empty until computed.
    sections = models.JSONField("indicateurs", default=list, blank=True)
    # Counts of the home panel's alerts that are computed with the indicators ({key: count}).
    alerts = models.JSONField("alertes", default=dict, blank=True)
    # The registry it was computed with (indicators and sections): another one makes it stale.
    fingerprint = models.CharField("empreinte du registre", max_length=64, blank=True)
    computed_at = models.DateTimeField("calculé le", null=True, blank=True)
    compute_seconds = models.FloatField("durée du calcul (s)", null=True, blank=True)
    # A refresh asked for and not finished yet (null: none pending).
    refresh_requested_at = models.DateTimeField("actualisation demandée le", null=True, blank=True)

    class Meta:
        verbose_name = "instantané d'indicateurs"
        verbose_name_plural = "instantanés d'indicateurs"
        constraints = [
            # One row per (organisation, year, territory); NULL territory = the organisation.
            models.UniqueConstraint(
                fields=["organization", "year"],
                condition=Q(territory__isnull=True),
                name="indicatorsnapshot_one_per_year",
            ),
            models.UniqueConstraint(
                fields=["organization", "year", "territory"],
                condition=Q(territory__isnull=False),
                name="indicatorsnapshot_one_per_year_territory",
            ),
        ]

    def __str__(self) -> str:
        where = f" — {self.territory}" if self.territory_id else ""
        return f"Indicateurs {self.year}{where}"
