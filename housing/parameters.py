"""Versioned settings of the housing app (core/parameters.py): affordability and occupancy.

Thresholds and scales are landlord practice, not law (RULES.md "Affordability"): each
organisation adds its own versions from a date.
"""

from decimal import Decimal

from core.parameters import Parameter

PARAMETERS = [
    Parameter(
        "housing.effort_rate_warning",
        "Taux d'effort : seuil de vigilance",
        Decimal("25"),
        kind="percent",
        unit="%",
        legal_reference="Pratique du bailleur (arrêté du 10 mars 2011 pour la formule)",
    ),
    Parameter(
        "housing.effort_rate_alert",
        "Taux d'effort : seuil d'alerte",
        Decimal("30"),
        kind="percent",
        unit="%",
        legal_reference="Pratique du bailleur (arrêté du 10 mars 2011 pour la formule)",
    ),
    Parameter(
        "housing.flat_charge_water",
        "Forfait eau ajouté quand l'eau est individualisée",
        Decimal("25.00"),
        unit="€ / mois",
        legal_reference="Arrêté du 10 mars 2011 (taux d'effort) — montant à paramétrer",
    ),
    Parameter(
        "housing.flat_charge_heating",
        "Forfait chauffage ajouté quand le chauffage est individuel",
        Decimal("55.00"),
        unit="€ / mois",
        legal_reference="Arrêté du 10 mars 2011 (taux d'effort) — montant à paramétrer",
    ),
    Parameter(
        "housing.residual_income_period",
        "Reste à vivre : période (jour ou mois)",
        "day",
        kind="text",
        choices=(("day", "par jour"), ("month", "par mois")),
    ),
    Parameter(
        "housing.days_per_month",
        "Reste à vivre : nombre de jours par mois",
        Decimal("30"),
        unit="jours",
    ),
    Parameter(
        "housing.cu_first_person",
        "Unités de consommation : première personne",
        Decimal("1"),
        unit="UC",
        legal_reference="Échelle OCDE modifiée (INSEE)",
    ),
    Parameter(
        "housing.cu_other_14_plus",
        "Unités de consommation : autre personne de 14 ans ou plus",
        Decimal("0.5"),
        unit="UC",
        legal_reference="Échelle OCDE modifiée (INSEE)",
    ),
    Parameter(
        "housing.cu_under_14",
        "Unités de consommation : enfant de moins de 14 ans",
        Decimal("0.3"),
        unit="UC",
        legal_reference="Échelle OCDE modifiée (INSEE)",
    ),
    Parameter(
        "housing.cu_age_threshold",
        "Unités de consommation : âge à partir duquel une personne compte comme adulte",
        14,
        kind="int",
        unit="ans",
    ),
    Parameter(
        "housing.under_occupation_margin",
        "Sous-occupation : pièces au-delà du nombre d'occupants + N",
        1,
        kind="int",
        unit="pièces",
        legal_reference="CCH L621-2 (pièces habitables > occupants + 1)",
    ),
    Parameter(
        "housing.max_persons_per_room",
        "Sur-occupation : nombre maximal d'occupants par pièce",
        Decimal("2"),
        unit="personnes",
    ),
    Parameter(
        "housing.min_surface_one_person",
        "Sur-occupation : surface minimale pour une personne",
        Decimal("9"),
        unit="m²",
        legal_reference="CCH R822-25 (9 m² pour une personne)",
    ),
    Parameter(
        "housing.min_surface_two_persons",
        "Sur-occupation : surface minimale pour deux personnes",
        Decimal("16"),
        unit="m²",
        legal_reference="CCH R822-25 (16 m² pour deux personnes)",
    ),
    Parameter(
        "housing.min_surface_per_extra_person",
        "Sur-occupation : surface par personne supplémentaire",
        Decimal("9"),
        unit="m²",
        legal_reference="CCH R822-25 (+ 9 m² par personne, 70 m² pour huit et plus)",
    ),
]
