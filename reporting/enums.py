from django.db import models


class ReportKind(models.TextChoices):
    ANNUAL_ACTIVITY = "annual_activity", "Rapport d'activité annuel"
    RESERVATION_REVIEW = "reservation_review", "Bilan annuel aux réservataires"


class ReportStatus(models.TextChoices):
    REQUESTED = "requested", "Demandé"
    QUEUED = "queued", "En file d'attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminé"
    FAILED = "failed", "Échec"


# A job in one of these states is "pending": at most one identical job may be pending
# (database constraint `reportjob_one_pending_per_request`).
PENDING_STATUSES = (ReportStatus.REQUESTED, ReportStatus.QUEUED, ReportStatus.RUNNING)

# The legal transitions (docs/reporting.md). `queued → queued` is a re-dispatch (broker down
# or message lost), `running → queued` a job whose worker died (lease expired).
TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.REQUESTED: frozenset({ReportStatus.QUEUED, ReportStatus.FAILED}),
    ReportStatus.QUEUED: frozenset(
        {ReportStatus.QUEUED, ReportStatus.RUNNING, ReportStatus.FAILED}
    ),
    ReportStatus.RUNNING: frozenset(
        {ReportStatus.RUNNING, ReportStatus.QUEUED, ReportStatus.DONE, ReportStatus.FAILED}
    ),
    ReportStatus.DONE: frozenset(),
    ReportStatus.FAILED: frozenset({ReportStatus.QUEUED}),
}
