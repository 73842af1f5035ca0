from django.db import models


class QuotaCategory(models.TextChoices):
    DALO = "dalo", "Ménages reconnus prioritaires DALO"
    SHELTER_LEAVERS = "shelter_leavers", "Sortants d'hébergement"
    COLLECTIVE_AGREEMENT = "collective_agreement", "Accord collectif (programme)"
    DOMESTIC_VIOLENCE = "domestic_violence", "Victimes de violences conjugales"
    DISABILITY = "disability", "Ménages en situation de handicap"
    FIRST_QUARTILE_OUTSIDE_QPV = (
        "first_quartile_outside_qpv",
        "Demandeurs du 1er quartile hors QPV",
    )
    NON_FIRST_QUARTILE_IN_QPV = (
        "non_first_quartile_in_qpv",
        "Demandeurs hors 1er quartile en QPV",
    )
    PRIORITY_PER_RESERVATAIRE = (
        "priority_per_reservataire",
        "Ménages prioritaires (DALO et L441-1) par réservataire",
    )
    PREFET_SHARE = "prefet_share", "Part du contingent préfectoral dans le flux"


# Categories counted from a priority criterion of the demand (allocations.priority_criteria).
CRITERION_OF = {
    QuotaCategory.DALO: "dalo",
    QuotaCategory.SHELTER_LEAVERS: "emergency_accommodation",
    QuotaCategory.DOMESTIC_VIOLENCE: "domestic_violence",
    QuotaCategory.DISABILITY: "disability",
}


class TargetKind(models.TextChoices):
    COUNT = "count", "Nombre de ménages"
    PERCENT = "percent", "Pourcentage des attributions"


class Direction(models.TextChoices):
    AT_LEAST = "at_least", "Au moins"
    AT_MOST = "at_most", "Au plus"


class TargetStatus(models.TextChoices):
    MET = "met", "Atteint"
    ON_TRACK = "on_track", "En bonne voie"
    BEHIND = "behind", "En retard"
    EXCEEDED = "exceeded", "Plafond dépassé"
    NO_DATA = "no_data", "Pas encore d'attribution"
