"""Versioned settings of the arrears app (core/parameters.py), seeded from RULES.md.

Durations are JSON: {"months": 2} or {"weeks": 6} (calendar months and weeks, as the texts say).

The law changed on 29 July 2023 (loi n° 2023-668 of 27 July 2023, "Kasbarian-Bergé"): the
payment order leaves 6 weeks instead of 2 months, and the summons is notified to the préfet at
least 6 weeks instead of 2 months before the hearing. The `default` of each Parameter is the
current rule; `LEGAL_HISTORY` carries the earlier versions with their dates, so a case is judged
with the rule of its day. An organisation may add its own versions (ParameterValue); on a date,
the version with the latest `valid_from` on or before it wins (a stored one on a tie).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from core.parameters import Parameter

REFORM_2023 = datetime.date(2023, 7, 29)

PARAMETERS = [
    Parameter(
        "arrears.threshold_months",
        "Seuil d'impayé (en mois de loyer et charges, net de l'aide versée au bailleur)",
        Decimal("2"),
        kind="decimal",
        unit="mois",
        legal_reference="CCH L824-2 et R824-1 (impayé de dépense de logement)",
    ),
    Parameter(
        "arrears.caf_report_delay",
        "Délai de signalement de l'impayé à la CAF/MSA",
        {"months": 2},
        kind="json",
        legal_reference="CCH L824-2, R824-3",
    ),
    Parameter(
        "arrears.ccapex_before_summons",
        "Saisine de la CCAPEX avant l'assignation (délai minimal)",
        {"months": 2},
        kind="json",
        legal_reference="Loi n° 89-462 du 6 juillet 1989, art. 24 II",
    ),
    Parameter(
        "arrears.payment_order_delay",
        "Délai laissé par le commandement de payer visant la clause résolutoire",
        {"weeks": 6},
        kind="json",
        legal_reference="Loi n° 89-462, art. 24 I (loi n° 2023-668 : 6 semaines, avant : 2 mois)",
    ),
    Parameter(
        "arrears.summons_prefect_notice",
        "Notification de l'assignation au préfet avant l'audience (délai minimal)",
        {"weeks": 6},
        kind="json",
        legal_reference="Loi n° 89-462, art. 24 III (loi n° 2023-668 : 6 semaines, avant : 2 mois)",
    ),
    Parameter(
        "arrears.order_to_leave_delay",
        "Délai du commandement de quitter les lieux",
        {"months": 2},
        kind="json",
        legal_reference="Code des procédures civiles d'exécution, L412-1",
    ),
    Parameter(
        "arrears.police_assistance_delay",
        "Délai de réponse du préfet à la réquisition de la force publique",
        {"months": 2},
        kind="json",
        legal_reference="Code des procédures civiles d'exécution, R153-1",
    ),
    Parameter(
        "arrears.winter_truce",
        "Trêve hivernale (aucune expulsion), début et fin (MM-JJ)",
        {"start": "11-01", "end": "03-31"},
        kind="json",
        legal_reference="Code des procédures civiles d'exécution, L412-6",
    ),
    Parameter(
        "arrears.plan_breach_installments",
        "Échéances impayées ou incomplètes avant de constater le non-respect d'un plan",
        2,
        kind="int",
        unit="échéances",
        legal_reference="Pratique du bailleur",
    ),
    Parameter(
        "arrears.borloo_max_months",
        "Durée maximale d'un protocole Borloo",
        24,
        kind="int",
        unit="mois",
        legal_reference="CCH L353-15-2, L442-6-5",
    ),
    Parameter(
        "arrears.borloo_amendment_max_months",
        "Durée maximale de l'avenant de prolongation d'un protocole Borloo",
        36,
        kind="int",
        unit="mois",
        legal_reference="CCH L353-15-2, L442-6-5",
    ),
    Parameter(
        "arrears.borloo_new_lease_months",
        "Délai de signature du nouveau bail après un protocole Borloo respecté",
        3,
        kind="int",
        unit="mois",
        legal_reference="CCH L353-15-2, L442-6-5",
    ),
]

# Earlier versions of the law, oldest first: (valid_from, value). The Parameter's default
# applies from the date of the last change (REFORM_2023 for the two durations below).
LEGAL_HISTORY: dict[str, list[tuple[datetime.date, Any]]] = {
    "arrears.payment_order_delay": [
        (datetime.date(1989, 7, 8), {"months": 2}),
        (REFORM_2023, {"weeks": 6}),
    ],
    "arrears.summons_prefect_notice": [
        (datetime.date(1989, 7, 8), {"months": 2}),
        (REFORM_2023, {"weeks": 6}),
    ],
}


def rule(key: str, *, organization: Any, on: datetime.date) -> Any:
    """The value of `key` on date `on`: the organisation's stored versions and the legal
    history, the latest applicable one winning (a stored version wins a tie)."""
    from core.models import ParameterValue
    from core.parameters import parameter

    definition = parameter(key)
    org_id = getattr(organization, "pk", organization)
    candidates: list[tuple[datetime.date, int, Any]] = [
        (valid_from, 0, value)
        for valid_from, value in LEGAL_HISTORY.get(key, [(datetime.date.min, definition.default)])
        if valid_from <= on
    ]
    stored = (
        ParameterValue.objects.filter(organization_id=org_id, key=key, valid_from__lte=on)
        .order_by("-valid_from")
        .values_list("valid_from", "value")
        .first()
    )
    if stored is not None:
        candidates.append((stored[0], 1, stored[1]))
    if not candidates:
        return definition.parse(definition.default)
    return definition.parse(max(candidates, key=lambda c: (c[0], c[1]))[2])
