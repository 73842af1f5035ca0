from __future__ import annotations

from typing import Any

from django import forms

from allocations.enums import (
    ApplicationKind,
    AttendanceStatus,
    CandidateException,
    DecisionKind,
    LabellingSource,
    QuorumRule,
    RadiationReason,
    RegistrationDesk,
    Seat,
    SessionMode,
    TransferReason,
)
from housing.enums import Typology
from housing.forms import HouseholdLookupField


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]


class ApplicationForm(forms.Form):
    household = HouseholdLookupField()
    registration_number = forms.CharField(label="Numéro unique d'enregistrement", max_length=40)
    filed_on = forms.DateField(
        label="Date de dépôt initial",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    renewed_on = forms.DateField(
        label="Dernier renouvellement",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    kind = forms.ChoiceField(label="Type", choices=ApplicationKind.choices)
    transfer_reason = forms.ChoiceField(
        label="Motif de mutation", choices=TransferReason.choices, required=False
    )
    registration_desk = forms.ChoiceField(label="Guichet", choices=RegistrationDesk.choices)
    desired_communes = forms.CharField(
        label="Communes souhaitées (codes INSEE, séparés par des virgules)", required=False
    )
    desired_typologies = forms.MultipleChoiceField(
        label="Typologies souhaitées", choices=Typology.choices, widget=forms.CheckboxSelectMultiple
    )
    max_rent = forms.DecimalField(label="Loyer maximal (€)", required=False, min_value=0)
    needs_lift = forms.BooleanField(label="Ascenseur nécessaire", required=False)
    needs_accessibility = forms.BooleanField(label="Logement accessible PMR", required=False)
    adults = forms.IntegerField(label="Adultes", min_value=1, initial=1)
    children = forms.IntegerField(label="Enfants", min_value=0, initial=0)
    declared_monthly_resources = forms.DecimalField(
        label="Ressources mensuelles déclarées (€)", min_value=0
    )
    declared_annual_income = forms.DecimalField(
        label="Revenu fiscal de référence déclaré (€)", min_value=0, required=False
    )
    epci_code = forms.CharField(label="EPCI (SIREN)", max_length=9, required=False)
    score = forms.DecimalField(label="Cotation", required=False)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].organization = organization

    def clean_desired_communes(self) -> list[str]:
        return _split(self.cleaned_data["desired_communes"])


class SessionForm(forms.Form):
    commission = forms.ModelChoiceField(queryset=None, label="Commission")
    scheduled_at = forms.DateTimeField(
        label="Date et heure", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    mode = forms.ChoiceField(label="Modalité", choices=SessionMode.choices)
    place = forms.CharField(label="Lieu", required=False, max_length=200)

    def __init__(self, *args: Any, commissions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = commissions


class SessionDwellingForm(forms.Form):
    dwelling = forms.ModelChoiceField(queryset=None, label="Logement vacant")
    vacancy_on = forms.DateField(
        label="Vacant le",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, dwellings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dwelling"].queryset = dwellings


class ExceptionForm(forms.Form):
    candidate_exception = forms.ChoiceField(
        label="Exception", choices=CandidateException.choices, required=False
    )
    exception_justification = forms.CharField(
        label="Justification", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label="Décision", choices=DecisionKind.choices)
    rank = forms.IntegerField(label="Rang", min_value=1, required=False)
    missing_document = forms.ChoiceField(label="Pièce manquante", required=False)
    condition_deadline = forms.DateField(
        label="Date limite",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    reasons = forms.CharField(
        label="Motifs", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_basis = forms.CharField(label="Fondement juridique", required=False, max_length=250)
    score_departure_reason = forms.CharField(
        label="Motif d'écart à la cotation", required=False, max_length=500
    )

    def __init__(self, *args: Any, documents: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["missing_document"].choices = [("", "—")] + [(d, d) for d in documents]


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(label="Présence", choices=AttendanceStatus.choices)
    represented_by = forms.CharField(label="Représenté(e) par", required=False, max_length=150)


class OfferMakeForm(forms.Form):
    notified_on = forms.DateField(
        label="Notifiée le", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


class OfferAnswerForm(forms.Form):
    ACTIONS = [("accept", "Acceptée"), ("refuse", "Refusée"), ("sign", "Bail signé")]
    action = forms.ChoiceField(label="Réponse", choices=ACTIONS)
    on = forms.DateField(
        label="Date", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    reason = forms.ChoiceField(label="Motif du refus", required=False)

    def __init__(self, *args: Any, reasons: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "—")] + [
            (k, v) for k, v in reasons.items() if k != "silence"
        ]


class OccupancyOpinionForm(forms.Form):
    opinion = forms.CharField(
        label="Avis de la commission", widget=forms.Textarea(attrs={"rows": 3})
    )
    suitable_dwelling = forms.CharField(
        label="Logement adapté décrit", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommissionForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=150)
    territory = forms.ModelChoiceField(queryset=None, label="Compétence territoriale")
    quorum_rule = forms.ChoiceField(label="Règle de quorum", choices=QuorumRule.choices)
    quorum_minimum = forms.IntegerField(
        label="Quorum minimal (membres votants)", min_value=1, initial=3
    )
    remote_allowed = forms.BooleanField(label="Séances dématérialisées autorisées", required=False)
    voting_window_hours = forms.IntegerField(
        label="Durée du vote à distance (h)", min_value=1, initial=24
    )
    internal_rules_adopted_on = forms.DateField(
        label="Règlement intérieur adopté le",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    is_active = forms.BooleanField(label="Active", required=False, initial=True)

    def __init__(self, *args: Any, territories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories


class CommissionMemberForm(forms.Form):
    full_name = forms.CharField(label="Nom", max_length=150)
    seat = forms.ChoiceField(label="Qualité", choices=Seat.choices)
    is_voting = forms.BooleanField(
        label="Voix délibérative",
        required=False,
        initial=True,
        help_text="Les sièges de réservataire et d'association n'ont qu'une voix consultative.",
    )
    is_president = forms.BooleanField(label="Président(e)", required=False)
    commune_insee = forms.CharField(
        label="Commune (INSEE, siège du maire)", max_length=5, required=False
    )
    epci_code = forms.CharField(label="EPCI (SIREN, siège de l'EPCI)", max_length=9, required=False)
    partner = forms.ModelChoiceField(
        queryset=None, label="Réservataire (siège de réservataire)", required=False
    )
    user = forms.ModelChoiceField(
        queryset=None,
        label="Compte Parcours (vote à distance)",
        required=False,
        help_text="Le membre relié à un compte classe les candidats des séances à distance.",
    )
    is_active = forms.BooleanField(label="En fonction", required=False, initial=True)

    def __init__(self, *args: Any, partners: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["user"].queryset = users


class ApplicationEditForm(forms.Form):
    """Wishes, composition, resources and score of an existing demand."""

    kind = forms.ChoiceField(label="Type", choices=ApplicationKind.choices)
    transfer_reason = forms.ChoiceField(
        label="Motif de mutation", choices=TransferReason.choices, required=False
    )
    desired_communes = forms.CharField(
        label="Communes souhaitées (codes INSEE, séparés par des virgules)", required=False
    )
    desired_typologies = forms.MultipleChoiceField(
        label="Typologies souhaitées", choices=Typology.choices, widget=forms.CheckboxSelectMultiple
    )
    max_rent = forms.DecimalField(label="Loyer maximal (€)", required=False, min_value=0)
    max_floor = forms.IntegerField(label="Étage maximal", required=False, min_value=0)
    needs_lift = forms.BooleanField(label="Ascenseur nécessaire", required=False)
    needs_accessibility = forms.BooleanField(label="Logement accessible PMR", required=False)
    adults = forms.IntegerField(label="Adultes", min_value=1)
    children = forms.IntegerField(label="Enfants", min_value=0)
    declared_monthly_resources = forms.DecimalField(
        label="Ressources mensuelles déclarées (€)", min_value=0
    )
    verified_monthly_resources = forms.DecimalField(
        label="Ressources mensuelles vérifiées (€)", min_value=0, required=False
    )
    declared_annual_income = forms.DecimalField(
        label="Revenu fiscal de référence déclaré (€)", min_value=0, required=False
    )
    verified_annual_income = forms.DecimalField(
        label="Revenu fiscal de référence vérifié (€)", min_value=0, required=False
    )
    epci_code = forms.CharField(label="EPCI (SIREN)", max_length=9, required=False)
    score = forms.DecimalField(label="Cotation", required=False)

    def clean_desired_communes(self) -> list[str]:
        return _split(self.cleaned_data["desired_communes"])


class PriorityForm(forms.Form):
    criterion = forms.ChoiceField(label="Critère de priorité", required=False)
    proof_type = forms.CharField(label="Type de justificatif", max_length=120, required=False)
    labelling_source = forms.ChoiceField(
        label="Labellisé par", choices=[("", "—"), *LabellingSource.choices], required=False
    )
    labelled_on = forms.DateField(
        label="Labellisé le",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, criteria: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", "—"), *criteria.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("criterion") and not data.get("proof_type"):
            self.add_error("proof_type", "Indiquez le type de justificatif de ce critère.")
        if data.get("criterion") and not data.get("labelling_source"):
            self.add_error("labelling_source", "Indiquez qui a labellisé ce critère.")
        return data


class RenewForm(forms.Form):
    renewed_on = forms.DateField(
        label="Renouvelée le", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


class RadiateForm(forms.Form):
    reason = forms.ChoiceField(
        label="Motif de radiation",
        choices=[(v, label) for v, label in RadiationReason.choices if v != "attribution"],
    )
    on = forms.DateField(
        label="Radiée le", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
