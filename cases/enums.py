"""Statuses and lists of the social accompaniment. Transitions: docs/cases.md."""

from django.db import models


class Motive(models.TextChoices):
    ACCESS_TO_RIGHTS = "access_to_rights", "Accès aux droits"
    TRANSFER = "transfer", "Demande de mutation"
    ARREARS = "arrears", "Impayé de loyer"
    ADAPTATION = "adaptation", "Adaptation du logement"
    ISOLATION = "isolation", "Isolement, vulnérabilité"
    ALLOCATION_FOLLOW_UP = "allocation_follow_up", "Suivi après attribution"
    OTHER = "other", "Autre"


class CaseStatus(models.TextChoices):
    OPEN = "open", "En cours"
    SUSPENDED = "suspended", "Suspendu"
    CLOSED = "closed", "Clos"


class CaseMode(models.TextChoices):
    INTERNAL = "internal", "Interne (service social)"
    ASLL = "asll", "Externe — ASLL"
    AVDL = "avdl", "Externe — AVDL"


class CaseOutcome(models.TextChoices):
    GOAL_REACHED = "goal_reached", "Objectifs atteints"
    PARTIALLY_REACHED = "partially_reached", "Objectifs partiellement atteints"
    RELAYED = "relayed", "Relais pris par un partenaire"
    ABANDONED = "abandoned", "Abandon / refus du ménage"
    MOVED_OUT = "moved_out", "Départ du logement"
    OTHER = "other", "Autre"


class EvaluationContext(models.TextChoices):
    ALLOCATION = "allocation", "À l'attribution"
    DALO = "dalo", "Recours DALO"
    ARREARS = "arrears", "Impayé"
    TRANSFER = "transfer", "Mutation"
    ADAPTATION = "adaptation", "Adaptation du logement"
    OTHER = "other", "Autre"


class Recommendation(models.TextChoices):
    NONE = "none", "Pas de suivi nécessaire"
    INTERNAL = "internal", "Accompagnement interne"
    EXTERNAL = "external", "Accompagnement externe (ASLL, AVDL)"
    REFERRAL = "referral", "Orientation vers un partenaire"


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", "En cours"
    COMPLETED = "completed", "Terminée"


class InterventionKind(models.TextChoices):
    HOME_VISIT = "home_visit", "Visite à domicile"
    OFFICE_INTERVIEW = "office_interview", "Entretien au bureau"
    PHONE_IN = "phone_in", "Appel entrant"
    PHONE_OUT = "phone_out", "Appel sortant"
    LETTER_EMAIL = "letter_email", "Courrier ou e-mail"
    PARTNER_MEETING = "partner_meeting", "Réunion avec un partenaire"
    CAMPAIGN_CALL = "campaign_call", "Appel de campagne (aller vers)"


PHONE_KINDS = frozenset(
    {InterventionKind.PHONE_IN, InterventionKind.PHONE_OUT, InterventionKind.CAMPAIGN_CALL}
)
MEETING_KINDS = frozenset(
    {
        InterventionKind.HOME_VISIT,
        InterventionKind.OFFICE_INTERVIEW,
        InterventionKind.PARTNER_MEETING,
    }
)


class Service(models.TextChoices):
    SOCIAL = "social", "Service social"
    ARREARS = "arrears", "Service contentieux / impayés"


class InterventionOutcome(models.TextChoices):
    DONE = "done", "Réalisé"
    NOT_REACHED = "not_reached", "Ménage non joint"
    FOLLOW_UP = "follow_up", "Suite à donner"
    REFERRED = "referred", "Orienté vers un partenaire"


class ReferralStatus(models.TextChoices):
    SENT = "sent", "Envoyée"
    ACCEPTED = "accepted", "Prise en charge"
    REFUSED = "refused", "Refusée"
    NO_FOLLOW_UP = "no_follow_up", "Sans suite"


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", "Prévu"
    DONE = "done", "Réalisé"
    CANCELLED = "cancelled", "Annulé"
    MISSED = "missed", "Ménage absent"


class CampaignKind(models.TextChoices):
    COLD_WAVE = "cold_wave", "Grand froid"
    HEAT_WAVE = "heat_wave", "Canicule"
    ISOLATION = "isolation", "Rompre l'isolement"
    OTHER = "other", "Autre"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "En préparation"
    ACTIVE = "active", "En cours"
    CLOSED = "closed", "Terminée"


class ContactStatus(models.TextChoices):
    TO_CALL = "to_call", "À appeler"
    REACHED = "reached", "Joint"
    NOT_REACHED = "not_reached", "Non joint"
    FOLLOW_UP = "follow_up", "Suite à donner"


class AdaptationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Demandée"
    APPROVED = "approved", "Accordée"
    POSTPONED = "postponed", "Ajournée"
    REJECTED = "rejected", "Refusée"
    IN_WORKS = "in_works", "Travaux en cours"
    DELIVERED = "delivered", "Livrée"
    CANCELLED = "cancelled", "Annulée"


class AdaptationKind(models.TextChoices):
    BATH_TO_SHOWER = "bath_to_shower", "Remplacement baignoire par douche"
    GRAB_BARS = "grab_bars", "Barres d'appui"
    RAISED_TOILET = "raised_toilet", "WC rehaussé"
    ACCESS = "access", "Accès (rampe, seuil, porte)"
    OTHER = "other", "Autre"


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", "Prévue"
    HELD = "held", "Tenue"


class ReviewFileKind(models.TextChoices):
    ACCESS = "access", "Accès au logement"
    TRANSFER = "transfer", "Mutation"
    STAYING = "staying", "Maintien dans le logement"


class ReviewDecision(models.TextChoices):
    PENDING = "", "À examiner"
    APPROVED = "approved", "Avis favorable"
    ADJOURNED = "adjourned", "Ajourné (compléments)"
    REJECTED = "rejected", "Avis défavorable"
    REFERRED = "referred", "Orienté (accompagnement, partenaire)"


class ProgrammeStatus(models.TextChoices):
    ACTIVE = "active", "En cours"
    CLOSED = "closed", "Terminé"


class EnrolmentKind(models.TextChoices):
    ACCESS = "access", "Accès au logement"
    STAYING = "staying", "Maintien dans le logement"


class EnrolmentStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposé"
    ACCEPTED = "accepted", "Accepté par l'instance"
    REFUSED = "refused", "Refusé par l'instance"
    ENDED = "ended", "Sorti du dispositif"
