"""Versioned settings of the allocations app (RULES.md "Demands", "Allocation commission",
"Affordability"): every duration, threshold and list is data."""

from decimal import Decimal

from core.parameters import Parameter

PRIORITY_CRITERIA = {
    "dalo": "Reconnu prioritaire DALO",
    "disability": "Handicap (ou personne à charge handicapée)",
    "badly_housed": "Mal logé ou en difficulté financière",
    "emergency_accommodation": "Hébergé en structure d'urgence ou temporaire",
    "return_to_work": "Reprise d'activité après chômage de longue durée",
    "unfit_housing": "Logement indigne ou insalubre",
    "domestic_violence": "Violences au sein du couple (y compris ordonnance de protection)",
    "sexual_violence": "Violences sexuelles au domicile",
    "prostitution_exit": "Sortie de la prostitution ou de la traite",
    "minors_overcrowded": "Mineurs en logement sur-occupé ou non décent",
    "homeless": "Sans logement, y compris hébergé chez des tiers",
    "eviction_threat": "Menacé d'expulsion sans relogement",
    "child_welfare_exit": "Jeune sortant de l'aide sociale à l'enfance",
}

REFUSAL_REASONS = {
    "location": "Localisation (quartier, commune)",
    "cost": "Loyer ou charges trop élevés",
    "size": "Taille ou typologie inadaptée",
    "floor_access": "Étage, ascenseur, accessibilité",
    "condition": "État du logement",
    "personal": "Raisons personnelles ou familiales",
    "other_offer": "A accepté une autre proposition",
    "silence": "Absence de réponse dans le délai (vaut refus)",
    "other": "Autre motif",
}

# Arrêté du 22 décembre 1993 (liste des pièces justificatives) — the official list, as data.
OFFICIAL_DOCUMENTS = [
    "Pièce d'identité ou titre de séjour",
    "Avis d'imposition N-2",
    "Avis d'imposition N-1",
    "Justificatifs de ressources des trois derniers mois",
    "Attestation de la CAF (droits aux prestations)",
    "Jugement de divorce ou ordonnance de non-conciliation",
    "Justificatif de situation professionnelle",
    "Quittance ou attestation de l'hébergeant",
]

# PLUS ceilings (€/year, revenu fiscal de référence) by household category 1..6 — province
# values as seeded; PLAI about 55 %, PLS 130 %.
INCOME_CEILINGS = {
    "plus": {"1": 24316, "2": 32473, "3": 39052, "4": 47145, "5": 55460, "6": 62504},
    "plai": {"1": 13378, "2": 19492, "3": 23440, "4": 26080, "5": 30513, "6": 34388},
    "plai_adapte": {"1": 13378, "2": 19492, "3": 23440, "4": 26080, "5": 30513, "6": 34388},
    "pls": {"1": 31611, "2": 42215, "3": 50768, "4": 61289, "5": 72098, "6": 81255},
    "pli": {"1": 33437, "2": 44652, "3": 53697, "4": 64824, "5": 76258, "6": 85942},
}

PARAMETERS = [
    Parameter(
        "allocations.validity_months",
        "Durée de validité d'une demande (depuis le dépôt ou le renouvellement)",
        12,
        kind="int",
        unit="mois",
        legal_reference="CCH R441-2-7",
    ),
    Parameter(
        "allocations.renewal_notice_days",
        "Relance de renouvellement avant expiration",
        30,
        kind="int",
        unit="jours",
        legal_reference="CCH R441-2-8 (au moins un mois avant)",
    ),
    Parameter(
        "allocations.offer_answer_days",
        "Délai de réponse à une proposition",
        10,
        kind="int",
        unit="jours",
        legal_reference="CCH R441-10 (au moins dix jours) ; CPC 641 et 642",
    ),
    Parameter(
        "allocations.minimum_candidates",
        "Nombre minimal de candidats par logement",
        3,
        kind="int",
        legal_reference="CCH R441-3",
    ),
    Parameter(
        "allocations.priority_criteria",
        "Critères de priorité (clé : libellé)",
        PRIORITY_CRITERIA,
        kind="json",
        legal_reference="CCH L441-1",
    ),
    Parameter(
        "allocations.refusal_reasons",
        "Catalogue des motifs de refus d'une proposition",
        REFUSAL_REASONS,
        kind="json",
    ),
    Parameter(
        "allocations.official_documents",
        "Liste officielle des pièces justificatives (condition suspensive)",
        OFFICIAL_DOCUMENTS,
        kind="list",
        legal_reference="Arrêté du 22 décembre 1993 modifié ; CCH R441-3 c)",
    ),
    Parameter(
        "allocations.first_quartile_thresholds",
        "Seuil du premier quartile des demandeurs, par EPCI (€/UC/an)",
        {"200039865": 9846, "246700488": 10254, "200046977": 10712, "default": 10000},
        kind="json",
        help_text="Arrêté annuel ; clé : SIREN de l'EPCI, « default » sinon.",
        legal_reference="Loi Égalité et Citoyenneté art. 70 ; CCH L441-1",
    ),
    Parameter(
        "allocations.income_ceilings",
        "Plafonds de ressources par financement et catégorie de ménage (€/an)",
        INCOME_CEILINGS,
        kind="json",
        legal_reference="Arrêté du 29 juillet 1987 modifié (revalorisation annuelle)",
    ),
    Parameter(
        "allocations.residual_income_threshold",
        "Seuil d'alerte du reste à vivre (€ par UC, dans la période de housing.residual_income_period)",
        Decimal("10"),
        kind="decimal",
        unit="€/UC",
        help_text="Pratique du bailleur ; le taux d'effort utilise les seuils de housing.",
    ),
    Parameter(
        "allocations.occupancy_review_years",
        "Périodicité de l'examen de l'occupation (depuis la signature du bail)",
        3,
        kind="int",
        unit="ans",
        legal_reference="CCH L442-5-2 (loi ELAN)",
    ),
    Parameter(
        "allocations.appeal_route",
        "Voie de recours indiquée dans les lettres",
        "Recours gracieux auprès de la commission dans un délai de deux mois, ou recours "
        "contentieux devant le tribunal administratif dans le même délai.",
        kind="text",
    ),
]
