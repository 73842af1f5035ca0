from django.db import models


class PartnerKind(models.TextChoices):
    ASSOCIATION = "association", "Association"
    CCAS = "ccas", "CCAS"
    CAF_MSA = "caf_msa", "CAF / MSA"
    MDPH = "mdph", "MDPH"
    CARSAT = "carsat", "CARSAT"
    ACTION_LOGEMENT = "action_logement", "Action Logement"
    PREFECTURE = "prefecture", "Préfecture"
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    SIAO = "siao", "SIAO"
    DEPARTEMENT = "departement", "Département (FSL)"
    OTHER = "other", "Autre"


class Typology(models.TextChoices):
    T1 = "T1", "T1"
    T2 = "T2", "T2"
    T3 = "T3", "T3"
    T4 = "T4", "T4"
    T5 = "T5", "T5"
    T6 = "T6", "T6 et plus"


class Financing(models.TextChoices):
    PLAI = "plai", "PLAI"
    PLAI_ADAPTED = "plai_adapte", "PLAI adapté"
    PLUS = "plus", "PLUS"
    PLS = "pls", "PLS"
    PLI = "pli", "PLI"


class DwellingStatus(models.TextChoices):
    OCCUPIED = "occupied", "Occupé"
    VACANT = "vacant", "Vacant"
    UNAVAILABLE = "unavailable", "Indisponible"


class Relationship(models.TextChoices):
    REFERENCE = "reference", "Personne de référence"
    SPOUSE = "spouse", "Conjoint(e) / co-titulaire"
    CHILD = "child", "Enfant"
    RELATIVE = "relative", "Autre membre de la famille"
    OTHER = "other", "Autre personne au foyer"


class EmploymentStatus(models.TextChoices):
    PERMANENT = "permanent", "Emploi stable (CDI, fonctionnaire)"
    TEMPORARY = "temporary", "Emploi précaire (CDD, intérim)"
    SELF_EMPLOYED = "self_employed", "Indépendant"
    UNEMPLOYED = "unemployed", "Demandeur d'emploi"
    RETIRED = "retired", "Retraité(e)"
    STUDENT = "student", "Étudiant(e), apprenti(e)"
    INACTIVE = "inactive", "Sans activité"
    CHILD = "child", "Enfant, scolarisé(e)"
    OTHER = "other", "Autre"


class IncomeKind(models.TextChoices):
    SALARY = "salary", "Salaire"
    UNEMPLOYMENT = "unemployment", "Allocation chômage (ARE)"
    PENSION = "pension", "Retraite, pension"
    RSA = "rsa", "RSA"
    AAH = "aah", "AAH"
    ASS = "ass", "ASS"
    ASPA = "aspa", "ASPA (minimum vieillesse)"
    FAMILY = "family", "Prestations familiales"
    PRIME_ACTIVITE = "prime_activite", "Prime d'activité"
    ALIMONY = "alimony", "Pension alimentaire"
    OTHER = "other", "Autre"


# Minima sociaux, as the seeds count them.
MINIMA_SOCIAUX = frozenset({IncomeKind.RSA, IncomeKind.AAH, IncomeKind.ASS, IncomeKind.ASPA})


class HousingBenefitKind(models.TextChoices):
    NONE = "", "Aucune"
    APL = "apl", "APL"
    AL = "al", "AL (ALF / ALS)"


class LeaseKind(models.TextChoices):
    ORDINARY = "ordinary", "Bail ordinaire"
    SLIDING = "sliding", "Bail glissant"
    SUBLET = "sublet", "Sous-location (association locataire)"
    TEMPORARY = "temporary", "Logement temporaire / de transition"


class LeaseEndReason(models.TextChoices):
    TRANSFER = "transfer", "Mutation dans le parc"
    MOVED_OUT = "moved_out", "Départ (congé)"
    EVICTION = "eviction", "Expulsion"
    DEATH = "death", "Décès"
    SLID = "slid", "Glissement du bail au ménage"
    OTHER = "other", "Autre"


class ImportKind(models.TextChoices):
    STOCK = "stock", "Patrimoine (résidences et logements)"
    HOUSEHOLDS = "households", "Ménages, membres et baux"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    SUCCEEDED = "succeeded", "Terminé"
    FAILED = "failed", "Refusé (rien n'a été importé)"
