from django.db import models


class ApplicationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ATTRIBUTED = "attributed", "Radiée pour attribution"
    RADIATED = "radiated", "Radiée"


class RadiationReason(models.TextChoices):
    ATTRIBUTION = "attribution", "Attribution (bail signé)"
    RENUNCIATION = "renunciation", "Renonciation du demandeur"
    INADMISSIBILITY = "inadmissibility", "Irrecevabilité"
    NO_RENEWAL = "no_renewal", "Défaut de renouvellement"
    OTHER = "other", "Autre motif"


class ApplicationKind(models.TextChoices):
    NEW = "new", "Demande nouvelle"
    TRANSFER = "transfer", "Demande de mutation"


class TransferReason(models.TextChoices):
    NONE = "", "—"
    OVER_OCCUPATION = "over_occupation", "Sur-occupation"
    UNDER_OCCUPATION = "under_occupation", "Sous-occupation"
    COST = "cost", "Coût du logement"
    HEALTH = "health", "Santé"
    DISABILITY = "disability", "Handicap, perte d'autonomie"
    LIFE_EVENT = "life_event", "Événement familial ou professionnel"
    OTHER = "other", "Autre"


class RegistrationDesk(models.TextChoices):
    LANDLORD = "landlord", "Enregistrée par le bailleur"
    RECEIVED = "received", "Reçue d'un autre guichet"


class LabellingSource(models.TextChoices):
    DALO = "dalo_commission", "Commission de médiation DALO"
    SIAO = "siao", "SIAO"
    SYPLO = "syplo", "SYPLO"
    COLLECTIVE_AGREEMENT = "accord_collectif", "Accord collectif"
    LANDLORD = "landlord", "Bailleur"


class ScoreSource(models.TextChoices):
    IMPORTED = "imported", "Importée (SNE / système de cotation)"
    ENTERED = "entered", "Saisie"


class QuorumRule(models.TextChoices):
    MAJORITY = "majority", "Majorité des membres à voix délibérative concernés"
    FIXED = "fixed", "Nombre minimal de membres à voix délibérative"


class Seat(models.TextChoices):
    BOARD = "board", "Membre désigné par le conseil d'administration"
    TENANTS = "tenants", "Représentant des locataires"
    MAYOR = "mayor", "Maire de la commune (ou son représentant)"
    PREFET = "prefet", "Préfet (ou son représentant)"
    EPCI = "epci", "Président de l'EPCI (ou son représentant)"
    ASSOCIATION = "association", "Association d'insertion (voix consultative)"
    RESERVATAIRE = "reservataire", "Réservataire (voix consultative)"


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", "En présentiel"
    REMOTE = "remote", "Dématérialisée (à distance)"


class SessionStatus(models.TextChoices):
    DRAFT = "draft", "En préparation"
    AGENDA_PUBLISHED = "agenda_published", "Ordre du jour publié"
    HELD = "held", "Tenue"
    DECISIONS_RECORDED = "decisions_recorded", "Décisions enregistrées"
    MINUTES_SIGNED = "minutes_signed", "Procès-verbal signé"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Présent(e)"
    REPRESENTED = "represented", "Représenté(e)"
    ABSENT = "absent", "Absent(e)"


class Flow(models.TextChoices):
    LANDLORD = "landlord", "Contingent propre du bailleur"
    RESERVATAIRE = "reservataire", "Flux d'un réservataire"


class CandidateException(models.TextChoices):
    NONE = "", "Aucune (au moins trois candidats)"
    TOO_FEW = "too_few_candidates", "Insuffisance de candidats"
    DALO = "dalo_prefet", "Ménage DALO désigné par le préfet"
    PLAI_ADAPTED = "plai_adapte", "Logement financé en PLAI adapté"


class DecisionKind(models.TextChoices):
    ATTRIBUTION = "attribution", "Attribution"
    RANKED = "ranked", "Attribution avec rang"
    CONDITIONAL = "conditional", "Attribution sous condition suspensive"
    NON_ATTRIBUTION = "non_attribution", "Non-attribution"
    REJECTION = "rejection", "Rejet pour irrecevabilité"


ATTRIBUTING_KINDS = (DecisionKind.ATTRIBUTION, DecisionKind.RANKED, DecisionKind.CONDITIONAL)


class OfferStatus(models.TextChoices):
    PENDING = "pending", "En attente de réponse"
    ACCEPTED = "accepted", "Acceptée"
    REFUSED = "refused", "Refusée"
    LEASE_SIGNED = "lease_signed", "Bail signé"


class OccupancyCriterion(models.TextChoices):
    OVER_OCCUPATION = "over_occupation", "Sur-occupation"
    UNDER_OCCUPATION = "under_occupation", "Sous-occupation"
    ADAPTED_NOT_NEEDED = "adapted_not_needed", "Logement adapté dont l'adaptation n'est plus utile"
    DISABILITY = "disability", "Handicap ou perte d'autonomie"
    OVER_INCOME = "over_income", "Dépassement du plafond de ressources"


class OccupancyReviewStatus(models.TextChoices):
    IDENTIFIED = "identified", "À examiner"
    SCHEDULED = "scheduled", "Inscrit en séance"
    REVIEWED = "reviewed", "Avis rendu"
    NOTIFIED = "notified", "Locataire informé"
