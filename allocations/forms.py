from __future__ import annotations

from typing import Any

from django import forms

from allocations.enums import (
    ApplicationKind,
    AttendanceStatus,
    CandidateException,
    DecisionKind,
    RegistrationDesk,
    SessionMode,
    TransferReason,
)
from housing.enums import Typology


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]


class ApplicationForm(forms.Form):
    household = forms.ModelChoiceField(queryset=None, label="Ménage")
    registration_number = forms.CharField(label="Numéro unique d'enregistrement", max_length=40)
    filed_on = forms.DateField(
        label="Date de dépôt initial", widget=forms.DateInput(attrs={"type": "date"})
    )
    renewed_on = forms.DateField(
        label="Dernier renouvellement",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
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

    def __init__(self, *args: Any, households: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households

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
        label="Vacant le", required=False, widget=forms.DateInput(attrs={"type": "date"})
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
        label="Date limite", required=False, widget=forms.DateInput(attrs={"type": "date"})
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
        label="Notifiée le", widget=forms.DateInput(attrs={"type": "date"})
    )


class OfferAnswerForm(forms.Form):
    ACTIONS = [("accept", "Acceptée"), ("refuse", "Refusée"), ("sign", "Bail signé")]
    action = forms.ChoiceField(label="Réponse", choices=ACTIONS)
    on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
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
