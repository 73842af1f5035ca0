from django.db import models


class SecurityEventKind(models.TextChoices):
    SECOND_FACTOR_ENROLLED = "2fa_enrolled", "Second facteur activé"
    RECOVERY_CODES_GENERATED = "2fa_recovery_codes", "Codes de secours générés"
    RECOVERY_CODE_USED = "2fa_recovery_used", "Code de secours utilisé"
    SECOND_FACTOR_RESET = "2fa_reset", "Second facteur réinitialisé par un administrateur"


class RetentionRunStatus(models.TextChoices):
    DRY_RUN = "dry_run", "Simulation"
    APPLIED = "applied", "Appliquée"
    FAILED = "failed", "Échec"


class ErasureStatus(models.TextChoices):
    RECEIVED = "received", "Reçue"
    ACCEPTED = "accepted", "Acceptée (effacement réalisé)"
    PARTIALLY_ACCEPTED = "partial", "Acceptée en partie"
    REFUSED = "refused", "Refusée (motif légal)"


class ConsentPurpose(models.TextChoices):
    PARTNER_SHARING = "partner_sharing", "Transmission à un partenaire"
    SOCIAL_FOLLOWUP = "social_followup", "Accompagnement social"
    HEALTH_DATA = "health_data", "Données de santé / handicap"
    CONTACT = "contact", "Contact (SMS, e-mail)"
    OTHER = "other", "Autre"


class GrantScope(models.TextChoices):
    HOUSEHOLDS = "households", "Ménages désignés"
    PROGRAMME = "programme", "Ménages accueillis dans un dispositif"
    RESIDENCE = "residence", "Locataires d'une résidence"


class GrantPermission(models.TextChoices):
    READ_FILE = "read_file", "Lire le dossier du ménage"
    LOG_INTERVENTIONS = "log_interventions", "Saisir des interventions"
    READ_NOTES = "read_notes", "Lire les notes sociales"
    WRITE_NOTES = "write_notes", "Écrire des notes sociales"
