"""Statuses and lists of the arrears app. Transitions: docs/arrears.md."""

from django.db import models


class CaseStatus(models.TextChoices):
    OPEN = "open", "En cours"
    CLOSURE_PROPOSED = "closure_proposed", "Clôture proposée (dette soldée)"
    CLOSED = "closed", "Clos"


class Stage(models.TextChoices):
    """Where a case stands: the latest procedure step recorded (amicable before any)."""

    AMICABLE = "amicable", "Phase amiable"
    CAF_REPORT = "caf_report", "Signalé à la CAF/MSA"
    CCAPEX_REFERRAL = "ccapex_referral", "Saisine de la CCAPEX"
    PAYMENT_ORDER = "payment_order", "Commandement de payer"
    SUMMONS = "summons", "Assignation"
    HEARING = "hearing", "Audience"
    JUDGMENT = "judgment", "Jugement"
    ORDER_TO_LEAVE = "order_to_leave", "Commandement de quitter les lieux"
    POLICE_REQUEST = "police_request", "Réquisition de la force publique"
    EVICTION = "eviction", "Expulsion"


class StepKind(models.TextChoices):
    CAF_REPORT = "caf_report", "Signalement à la CAF/MSA"
    CCAPEX_REFERRAL = "ccapex_referral", "Saisine de la CCAPEX"
    PAYMENT_ORDER = "payment_order", "Commandement de payer (clause résolutoire)"
    SUMMONS = "summons", "Assignation"
    HEARING = "hearing", "Audience"
    JUDGMENT = "judgment", "Jugement"
    ORDER_TO_LEAVE = "order_to_leave", "Commandement de quitter les lieux"
    POLICE_REQUEST = "police_request", "Réquisition de la force publique"
    EVICTION = "eviction", "Expulsion"


class JudgmentOutcome(models.TextChoices):
    LEASE_TERMINATED = "lease_terminated", "Résiliation du bail"
    PAYMENT_DELAYS = "payment_delays", "Délais de paiement accordés"
    REJECTED = "rejected", "Demande rejetée"


class Approver(models.TextChoices):
    LANDLORD = "landlord", "Bailleur"
    CAF_MSA = "caf_msa", "CAF / MSA"
    FSL = "fsl", "FSL"


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "En cours"
    BREACHED = "breached", "Non respecté"
    RENEGOTIATED = "renegotiated", "Renégocié (remplacé)"
    COMPLETED = "completed", "Soldé"
    CANCELLED = "cancelled", "Annulé"


class InstallmentStatus(models.TextChoices):
    DUE = "due", "À échoir"
    PAID = "paid", "Payée"
    SHORT = "short", "Payée partiellement"
    MISSED = "missed", "Impayée"


class BorlooBasis(models.TextChoices):
    LEASE_TERMINATED = "lease_terminated", "Résiliation judiciaire du bail pour impayés"
    DEBT_WRITE_OFF = "debt_write_off", "Effacement de dette (rétablissement personnel)"


class BorlooStatus(models.TextChoices):
    ACTIVE = "active", "En cours"
    RESPECTED = "respected", "Respecté (nouveau bail à signer)"
    NEW_LEASE_SIGNED = "new_lease_signed", "Nouveau bail signé"
    BREACHED = "breached", "Non respecté (procédure pouvant reprendre)"


class FslPurpose(models.TextChoices):
    ACCESS = "access", "Accès au logement"
    UPKEEP = "upkeep", "Maintien dans le logement (impayés)"
    ENERGY_WATER = "energy_water", "Énergie, eau, téléphone"
    SOCIAL_SUPPORT = "social_support", "Accompagnement social (ASLL)"


class FslForm(models.TextChoices):
    GRANT = "grant", "Subvention"
    LOAN = "loan", "Prêt / avance"
    GUARANTEE = "guarantee", "Garantie"


class AidOutcome(models.TextChoices):
    REQUESTED = "requested", "Demandée"
    GRANTED = "granted", "Accordée"
    REFUSED = "refused", "Refusée"


class WriteOffCause(models.TextChoices):
    PRP = "prp", "Surendettement — rétablissement personnel (PRP)"
    FSL = "fsl", "FSL"
    LANDLORD_DECISION = "landlord_decision", "Décision du bailleur"


class RelocationStatus(models.TextChoices):
    REQUESTED = "requested", "Demandée"
    APPLICATION_FILED = "application_filed", "Demande de mutation déposée"
    RELOCATED = "relocated", "Relogé(e)"
    ABANDONED = "abandoned", "Abandonnée"


class ContactKind(models.TextChoices):
    CALL_RECEIVED = "call_received", "Appel reçu"
    CALL_MADE = "call_made", "Appel passé"
    MEETING = "meeting", "Rencontre"
