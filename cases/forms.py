"""Page forms of the social accompaniment. They only clean input; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from cases.enums import (
    AdaptationKind,
    AdaptationStatus,
    AppointmentStatus,
    CampaignKind,
    CaseMode,
    CaseOutcome,
    CaseStatus,
    ContactStatus,
    EnrolmentKind,
    EnrolmentStatus,
    EvaluationContext,
    InterventionKind,
    InterventionOutcome,
    Motive,
    Recommendation,
    ReferralStatus,
    ReviewDecision,
    ReviewFileKind,
)
from housing.forms import HouseholdLookupField
from organizations.enums import Role

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NOTE = forms.Textarea(attrs={"rows": 4, "class": "confidential-input"})
CASE_ROLES = (Role.SOCIAL_WORKER, Role.MANAGER, Role.ORG_ADMIN)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.email


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.email


def organization_users(organization: Any, roles: tuple | None = None) -> Any:
    from organizations.models import Membership, User

    memberships = Membership.objects.for_organization(organization).filter(is_active=True)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by(
        "last_name", "first_name"
    )


def partners(organization: Any) -> Any:
    from housing.models import Partner

    return Partner.objects.for_organization(organization).filter(is_active=True).order_by("name")


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=InterventionKind.choices)
    occurred_on = forms.DateField(label="Date", widget=DATE, initial=timezone.localdate)
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", min_value=0, max_value=1440, initial=30
    )
    motive = forms.ChoiceField(label="Motif", choices=[("", "—"), *Motive.choices], required=False)
    subject = forms.CharField(label="Objet", max_length=200, required=False)
    outcome = forms.ChoiceField(
        label="Résultat", choices=InterventionOutcome.choices, initial=InterventionOutcome.DONE
    )
    note = forms.CharField(
        label="Note confidentielle",
        required=False,
        widget=NOTE,
        help_text="Visible seulement des travailleurs sociaux ; chaque lecture est journalisée.",
    )


class SocialCaseOpenForm(forms.Form):
    motives = forms.MultipleChoiceField(
        label="Motifs", choices=Motive.choices, widget=forms.CheckboxSelectMultiple
    )
    referent = UserChoiceField(label="Référent(e)", queryset=None)
    mode = forms.ChoiceField(label="Type", choices=CaseMode.choices, initial=CaseMode.INTERNAL)
    external_partner = forms.ModelChoiceField(
        label="Association (ASLL, AVDL)", queryset=None, required=False
    )
    opened_on = forms.DateField(label="Ouvert le", widget=DATE, initial=timezone.localdate)
    planned_end_on = forms.DateField(
        label="Fin prévue",
        widget=DATE,
        required=False,
        help_text="Vide : durée par défaut de l'organisation (paramètre).",
    )
    note = forms.CharField(label="Note confidentielle", required=False, widget=NOTE)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = organization_users(organization, CASE_ROLES)
        self.fields["external_partner"].queryset = partners(organization)


class ExtendForm(forms.Form):
    new_end_on = forms.DateField(label="Nouvelle fin prévue", widget=DATE)
    reason = forms.CharField(label="Motif de la prolongation", max_length=250)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label="Issue", choices=CaseOutcome.choices)
    closed_on = forms.DateField(label="Clos le", widget=DATE, initial=timezone.localdate)


class CaseStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Nouveau statut",
        choices=[
            (CaseStatus.OPEN, "En cours (reprendre, rouvrir)"),
            (CaseStatus.SUSPENDED, "Suspendu"),
        ],
    )
    reason = forms.CharField(label="Motif", max_length=250, required=False)


class EvaluationForm(forms.Form):
    context = forms.ChoiceField(label="Contexte", choices=EvaluationContext.choices)
    evaluated_on = forms.DateField(label="Date", widget=DATE, initial=timezone.localdate)
    situation_note = forms.CharField(
        label="Situation familiale et sociale", required=False, widget=NOTE
    )
    resources_note = forms.CharField(label="Ressources et budget", required=False, widget=NOTE)
    autonomy_note = forms.CharField(
        label="Autonomie, capacité à habiter", required=False, widget=NOTE
    )
    needs_note = forms.CharField(label="Besoins identifiés", required=False, widget=NOTE)
    recommendation = forms.ChoiceField(
        label="Préconisation", choices=[("", "—"), *Recommendation.choices], required=False
    )
    conclusion_note = forms.CharField(label="Conclusion", required=False, widget=NOTE)


class EvaluationCompleteForm(forms.Form):
    open_case = forms.BooleanField(label="Ouvrir l'accompagnement préconisé", required=False)
    motives = forms.MultipleChoiceField(
        label="Motifs (si ouverture)",
        choices=Motive.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ReferralForm(forms.Form):
    partner = forms.ModelChoiceField(label="Partenaire", queryset=None)
    motive = forms.ChoiceField(label="Motif", choices=Motive.choices)
    sent_on = forms.DateField(label="Orienté le", widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label="Note confidentielle", required=False, widget=NOTE)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners(organization)


class ReferralOutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label="Suite", choices=[c for c in ReferralStatus.choices if c[0] != ReferralStatus.SENT]
    )
    outcome = forms.CharField(label="Précisions", max_length=250, required=False)
    outcome_on = forms.DateField(label="Réponse le", widget=DATE, initial=timezone.localdate)


class AppointmentForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=InterventionKind.choices)
    starts_at = forms.DateTimeField(label="Date et heure", widget=DATETIME)
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", min_value=5, max_value=480, initial=45
    )
    place = forms.CharField(label="Lieu", max_length=200, required=False)
    subject = forms.CharField(label="Objet", max_length=200, required=False)
    worker = UserChoiceField(label="Avec", queryset=None)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = organization_users(organization)


class AppointmentStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Statut",
        choices=[c for c in AppointmentStatus.choices if c[0] != AppointmentStatus.PLANNED],
    )
    outcome = forms.ChoiceField(
        label="Résultat", choices=InterventionOutcome.choices, initial=InterventionOutcome.DONE
    )
    note = forms.CharField(label="Note confidentielle", required=False, widget=NOTE)


class CampaignForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=200)
    kind = forms.ChoiceField(label="Type", choices=CampaignKind.choices)
    starts_on = forms.DateField(label="Début", widget=DATE, initial=timezone.localdate)
    ends_on = forms.DateField(label="Fin", widget=DATE, required=False)
    min_age = forms.IntegerField(
        label="Âge minimal d'un membre", min_value=1, max_value=119, required=False
    )
    lives_alone = forms.BooleanField(label="Vit seul(e)", required=False)
    socially_isolated = forms.BooleanField(label="Isolement social", required=False)
    reduced_mobility = forms.BooleanField(label="Mobilité réduite", required=False)
    health_fragility = forms.BooleanField(label="Fragilité de santé signalée", required=False)
    digital_exclusion = forms.BooleanField(label="Difficulté avec le numérique", required=False)
    tenants_only = forms.BooleanField(
        label="Locataires en place seulement", required=False, initial=True
    )
    territory = forms.ModelChoiceField(label="Territoire", queryset=None, required=False)
    calls_per_week = forms.IntegerField(
        label="Appels répétés par semaine (ménages seuls ou isolés)",
        min_value=0,
        max_value=14,
        initial=0,
    )
    callers = UsersChoiceField(
        label="Appelant(e)s", queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        from organizations.models import Territory

        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.for_organization(organization)
        self.fields["callers"].queryset = organization_users(organization)

    def criteria(self) -> dict:
        data = self.cleaned_data
        criteria: dict[str, Any] = {"tenants_only": bool(data.get("tenants_only"))}
        if data.get("min_age"):
            criteria["min_age"] = data["min_age"]
        for flag in (
            "lives_alone",
            "socially_isolated",
            "reduced_mobility",
            "health_fragility",
            "digital_exclusion",
        ):
            if data.get(flag):
                criteria[flag] = True
        if data.get("territory"):
            criteria["territory"] = str(data["territory"].public_id)
        return criteria


class ContactForm(forms.Form):
    status = forms.ChoiceField(
        label="Résultat de l'appel",
        choices=[c for c in ContactStatus.choices if c[0] != ContactStatus.TO_CALL],
        widget=forms.RadioSelect,
    )
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", min_value=0, max_value=240, initial=5
    )
    note = forms.CharField(label="Note confidentielle", required=False, widget=NOTE)


class AdaptationForm(forms.Form):
    kind = forms.ChoiceField(label="Aménagement", choices=AdaptationKind.choices)
    requester = forms.ModelChoiceField(label="Demandeur", queryset=None, required=False)
    description = forms.CharField(label="Demande", max_length=250, required=False)
    requested_on = forms.DateField(label="Demandé le", widget=DATE, initial=timezone.localdate)
    estimated_cost = forms.DecimalField(
        label="Coût estimé (€)", min_value=0, max_digits=10, decimal_places=2, required=False
    )
    note = forms.CharField(label="Note confidentielle", required=False, widget=NOTE)

    def __init__(self, *args: Any, household: Any, **kwargs: Any) -> None:
        from housing.models import Person

        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = Person.objects.filter(household=household)


class AdaptationDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label="Décision de la commission",
        choices=[
            (AdaptationStatus.APPROVED, "Accordée"),
            (AdaptationStatus.POSTPONED, "Ajournée"),
            (AdaptationStatus.REJECTED, "Refusée"),
        ],
    )
    studied_on = forms.DateField(label="Commission du", widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label="Motif", max_length=250, required=False)
    estimated_cost = forms.DecimalField(
        label="Coût estimé (€)", min_value=0, max_digits=10, decimal_places=2, required=False
    )


class AdaptationProgressForm(forms.Form):
    status = forms.ChoiceField(
        label="Étape",
        choices=[
            (AdaptationStatus.IN_WORKS, "Travaux commencés"),
            (AdaptationStatus.DELIVERED, "Livrée"),
            (AdaptationStatus.CANCELLED, "Annulée"),
        ],
    )
    on = forms.DateField(label="Le", widget=DATE, initial=timezone.localdate)
    final_cost = forms.DecimalField(
        label="Coût final (€)", min_value=0, max_digits=10, decimal_places=2, required=False
    )


class FundingForm(forms.Form):
    partner = forms.ModelChoiceField(label="Financeur", queryset=None)
    amount = forms.DecimalField(label="Montant (€)", min_value=0, max_digits=10, decimal_places=2)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners(organization)


class CaseReviewForm(forms.Form):
    held_on = forms.DateField(label="Date", widget=DATE)
    title = forms.CharField(label="Intitulé", max_length=200, initial="Commission d'action sociale")


class ReviewItemForm(forms.Form):
    household = HouseholdLookupField()
    file_kind = forms.ChoiceField(label="Type de dossier", choices=ReviewFileKind.choices)
    question = forms.CharField(label="Question posée", max_length=250)
    note = forms.CharField(label="Note confidentielle", required=False, widget=NOTE)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].organization = organization


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision", choices=[c for c in ReviewDecision.choices if c[0]]
    )
    decision_text = forms.CharField(label="Décision motivée", max_length=250, required=False)


class ProgrammeForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=200)
    decision_body = forms.CharField(label="Instance de décision", max_length=200, required=False)
    funders = forms.CharField(label="Financeurs", max_length=250, required=False)
    operator = forms.ModelChoiceField(label="Opérateur", queryset=None, required=False)
    starts_on = forms.DateField(label="Début", widget=DATE)
    ends_on = forms.DateField(label="Fin", widget=DATE, required=False)
    unit_cost_diagnostic = forms.DecimalField(
        label="Coût d'un diagnostic (€)", min_value=0, max_digits=10, decimal_places=2, initial=0
    )
    unit_cost_yearly_accompaniment = forms.DecimalField(
        label="Coût annuel d'un accompagnement (€)",
        min_value=0,
        max_digits=10,
        decimal_places=2,
        initial=0,
    )
    unit_cost_collective_action = forms.DecimalField(
        label="Coût d'une action collective (€)",
        min_value=0,
        max_digits=10,
        decimal_places=2,
        initial=0,
    )
    collective_actions_held = forms.IntegerField(
        label="Actions collectives réalisées", min_value=0, initial=0
    )
    target_access = forms.IntegerField(label="Objectif : ménages en accès", min_value=0, initial=0)
    target_staying = forms.IntegerField(
        label="Objectif : ménages en maintien", min_value=0, initial=0
    )
    budget_planned = forms.DecimalField(
        label="Budget prévu (€)", min_value=0, max_digits=10, decimal_places=2, initial=0
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = partners(organization)


class EnrolForm(forms.Form):
    household = HouseholdLookupField()
    kind = forms.ChoiceField(label="Volet", choices=EnrolmentKind.choices)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].organization = organization


class EnrolDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label="Décision",
        choices=[c for c in EnrolmentStatus.choices if c[0] != EnrolmentStatus.PROPOSED],
    )
    on = forms.DateField(label="Le", widget=DATE, initial=timezone.localdate)
    decision_text = forms.CharField(label="Décision", max_length=250, required=False)
    diagnostic_done = forms.BooleanField(label="Diagnostic réalisé", required=False)
