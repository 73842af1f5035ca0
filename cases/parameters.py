"""Versioned settings of the social accompaniment (core/parameters.py)."""

from core.parameters import Parameter

PARAMETERS = [
    Parameter(
        "cases.planned_duration_months",
        "Durée prévue d'un accompagnement social",
        4,
        kind="int",
        unit="mois",
        help_text="Fin prévue proposée à l'ouverture ; prolongeable avec un motif.",
    ),
    Parameter(
        "cases.no_contact_alert_days",
        "Alerte « sans contact » d'un ménage accompagné",
        45,
        kind="int",
        unit="jours",
        help_text="Un ménage accompagné sans intervention depuis ce nombre de jours apparaît "
        "dans le portefeuille de son référent.",
    ),
    Parameter(
        "cases.campaign_default_min_age",
        "Âge minimal proposé pour les campagnes d'aller vers",
        75,
        kind="int",
        unit="ans",
    ),
]
