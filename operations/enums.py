"""Statuses and kinds of the operations app (transitions: docs/leasing-and-operations.md)."""

from django.db import models


class ProspectionOutcome(models.TextChoices):
    INTERESTED = "interested", "Intéressé"
    NOT_INTERESTED = "not_interested", "Pas intéressé"
    UNREACHABLE = "unreachable", "Injoignable"
    DOCUMENTS_REQUESTED = "documents_requested", "Pièces demandées"


class RelocationKind(models.TextChoices):
    URBAN_RENEWAL = "urban_renewal", "Renouvellement urbain / démolition"
    REHABILITATION = "rehabilitation", "Réhabilitation en site occupé"
    OTHER = "other", "Autre"


class DwellingRole(models.TextChoices):
    CONCERNED = "concerned", "Concerné par l'opération"
    MOBILISED = "mobilised", "Mobilisé pour le relogement"


class RelocationStatus(models.TextChoices):
    IDENTIFIED = "identified", "Identifié"
    MET = "met", "Rencontré"
    SURVEYED = "surveyed", "Besoins recensés"
    AGREEMENT_SIGNED = "agreement_signed", "Protocole signé"
    REHOUSED = "rehoused", "Relogé"
    WITHDRAWN = "withdrawn", "Sorti du dispositif"


class ActionKind(models.TextChoices):
    WORKSHOP = "workshop", "Atelier"
    RESIDENTS_PROJECT = "residents_project", "Projet d'habitants"
    EMPLOYMENT = "employment", "Action emploi / insertion"
    DIGITAL = "digital", "Inclusion numérique"
    HEALTH = "health", "Santé"
    ENVIRONMENT = "environment", "Environnement"
    OTHER = "other", "Autre"
