"""Legal quotas of attributions (RULES.md "Mixité quotas", "Reservations"), as versioned
settings with their legal reference. `services.legal_targets_create` turns them into the
year's `QuotaTarget`s for a territory; the landlord may then adjust each target."""

from decimal import Decimal

from core.parameters import Parameter

PARAMETERS = [
    Parameter(
        "quotas.first_quartile_outside_qpv_min",
        "Part minimale des attributions hors QPV aux demandeurs du 1er quartile",
        Decimal("25"),
        kind="percent",
        unit="%",
        legal_reference="Loi n° 2017-86 Égalité et Citoyenneté art. 70 ; CCH L441-1",
    ),
    Parameter(
        "quotas.non_first_quartile_in_qpv_min",
        "Part minimale des attributions en QPV aux demandeurs hors 1er quartile (défaut)",
        Decimal("50"),
        kind="percent",
        unit="%",
        legal_reference="CCH L441-1 (taux par défaut, modulable par la conférence intercommunale)",
    ),
    Parameter(
        "quotas.priority_share_min",
        "Part minimale des attributions de chaque réservataire et du bailleur aux ménages "
        "DALO ou prioritaires",
        Decimal("25"),
        kind="percent",
        unit="%",
        legal_reference="CCH L441-1 (loi Égalité et Citoyenneté, art. 70)",
    ),
    Parameter(
        "quotas.prefet_share_max",
        "Part maximale du contingent préfectoral dans le flux annuel",
        Decimal("30"),
        kind="percent",
        unit="%",
        legal_reference="CCH L441-1 et R441-5",
    ),
]
