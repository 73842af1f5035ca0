"""Retention periods by purpose, seeded from RULES.md ("Personal data (CNIL)"). Each
organisation may set its own from a date (versioned: a past run is explained by the rule of
its day)."""

from core.parameters import Parameter

PARAMETERS = [
    Parameter(
        "privacy.retention_enabled",
        "Application automatique quotidienne des durées de conservation",
        True,
        kind="bool",
        help_text="Désactiver le temps que le délégué à la protection des données relise la "
        "simulation.",
    ),
    Parameter(
        "privacy.allocation_social_data_days",
        "Données de difficultés sociales d'une demande sans suivi : conservation après "
        "l'attribution",
        0,
        kind="int",
        unit="jours",
        legal_reference="CNIL, référentiel gestion locative sociale : supprimées dès l'attribution",
    ),
    Parameter(
        "privacy.followup_retention_months",
        "Données de l'accompagnement social : conservation après la clôture (archivage)",
        0,
        kind="int",
        unit="mois",
        legal_reference="CNIL : supprimées à la fin du suivi, plus la durée d'archivage choisie",
    ),
    Parameter(
        "privacy.application_retention_months",
        "Demandes de logement : conservation après la radiation",
        12,
        kind="int",
        unit="mois",
        legal_reference="CNIL : un an après la radiation (CCH R441-2-8)",
    ),
    Parameter(
        "privacy.former_tenant_retention_months",
        "Dossier d'un ancien locataire : conservation après la fin du dernier bail",
        60,
        kind="int",
        unit="mois",
        legal_reference="Prescription des actions civiles (C. civ. 2224, 5 ans)",
    ),
    Parameter(
        "privacy.arrears_retention_months",
        "Dossiers d'impayé clos : conservation après la clôture",
        36,
        kind="int",
        unit="mois",
        legal_reference="Prescription des loyers et charges (loi 89-462, art. 7-1 : 3 ans)",
    ),
    Parameter(
        "privacy.consent_validity_months",
        "Durée de validité proposée d'un consentement",
        24,
        kind="int",
        unit="mois",
        legal_reference="RGPD art. 7 (consentement renouvelé à échéance)",
    ),
]
