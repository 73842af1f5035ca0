from django.db import models


class OrganizationKind(models.TextChoices):
    ESH = "esh", "Entreprise sociale pour l'habitat (ESH)"
    OPH = "oph", "Office public de l'habitat (OPH)"
    SEM = "sem", "Société d'économie mixte (SEM)"
    COOPERATIVE = "cooperative", "Coopérative HLM"
    ASSOCIATION = "association", "Association"


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", "Administrateur de l'organisation"
    MANAGER = "manager", "Responsable"
    SOCIAL_WORKER = "social_worker", "Conseiller(ère) social(e)"
    COMMISSION_SECRETARY = "commission_secretary", "Chargé(e) de location / secrétaire de CAL"
    COMMISSION_MEMBER = "commission_member", "Membre de CAL"
    ARREARS_OFFICER = "arrears_officer", "Chargé(e) de contentieux"
    READ_ONLY = "read_only", "Lecture seule"
