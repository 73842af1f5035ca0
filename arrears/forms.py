from __future__ import annotations

from typing import Any

from django import forms

from arrears.enums import (
    AidOutcome,
    Approver,
    BorlooBasis,
    ContactKind,
    FslForm,
    FslPurpose,
    JudgmentOutcome,
    StepKind,
    WriteOffCause,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
MONEY = {"max_digits": 10, "decimal_places": 2, "min_value": 0, "localize": True}


class MonthField(forms.DateField):
    """<input type="month"> (AAAA-MM), as the first day of the month."""

    widget = MONTH
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value: Any) -> Any:
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class StatementImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV des situations de compte",
        help_text="Séparateur « ; », UTF-8 ou Windows-1252. Colonnes : bail ; mois ; quittance ; "
        "aide_logement ; encaissements ; solde ; parti (facultative).",
    )


class StepForm(forms.Form):
    kind = forms.ChoiceField(label="Étape", choices=StepKind.choices)
    occurred_on = forms.DateField(label="Date", widget=DATE)
    outcome = forms.ChoiceField(
        label="Décision (jugement)", choices=[("", "—"), *JudgmentOutcome.choices], required=False
    )
    prefect_notified_on = forms.DateField(
        label="Notifiée au préfet le (assignation)", widget=DATE, required=False
    )
    reference = forms.CharField(label="Référence (acte, RG)", max_length=100, required=False)


class PlanForm(forms.Form):
    debt_at_signature = forms.DecimalField(label="Dette à la signature (€)", **MONEY)
    monthly_amount = forms.DecimalField(label="Mensualité (€)", **MONEY)
    start_month = MonthField(label="Première échéance (mois)")
    signed_on = forms.DateField(label="Signé le", widget=DATE)
    approver = forms.ChoiceField(label="Validé par", choices=Approver.choices)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label="Contact", choices=ContactKind.choices)
    occurred_on = forms.DateField(label="Date", widget=DATE)
    subject = forms.CharField(
        label="Objet (sans information confidentielle)", max_length=180, required=False
    )


class CloseForm(forms.Form):
    reason = forms.CharField(label="Motif de clôture", max_length=200)


class RelocationForm(forms.Form):
    requested_on = forms.DateField(label="Demandé le", widget=DATE)
    max_monthly_cost = forms.DecimalField(
        label="Loyer et charges visés au plus (€)", required=False, **MONEY
    )


class FslForm_(forms.Form):
    purpose = forms.ChoiceField(label="Objet", choices=FslPurpose.choices)
    form = forms.ChoiceField(label="Forme", choices=FslForm.choices)
    amount_requested = forms.DecimalField(label="Montant demandé (€)", **MONEY)
    requested_on = forms.DateField(label="Demandée le", widget=DATE)
    decision_body = forms.CharField(label="Instance de décision", max_length=150, required=False)


class WriteOffForm(forms.Form):
    amount = forms.DecimalField(label="Montant effacé (€)", **MONEY)
    written_off_on = forms.DateField(label="Effacée le", widget=DATE)
    cause = forms.ChoiceField(label="Cause", choices=WriteOffCause.choices)


class BorlooForm(forms.Form):
    basis = forms.ChoiceField(label="Fondement", choices=BorlooBasis.choices)
    signed_on = forms.DateField(label="Signé le", widget=DATE)
    ends_on = forms.DateField(label="Fin le", widget=DATE)
    debt_at_signature = forms.DecimalField(label="Dette à la signature (€)", **MONEY)
    monthly_amount = forms.DecimalField(label="Mensualité (€)", **MONEY)
    start_month = MonthField(label="Première échéance (mois)")


class FslDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Décision", choices=[("granted", "Accordée"), ("refused", "Refusée")]
    )
    decided_on = forms.DateField(label="Date de décision", widget=DATE)
    amount_granted = forms.DecimalField(label="Montant accordé (€)", required=False, **MONEY)
    paid_to_landlord_on = forms.DateField(
        label="Versée au bailleur le", widget=DATE, required=False
    )


class SubsidyForm(forms.Form):
    funder = forms.CharField(label="Financeur (CCAS, Action Logement…)", max_length=150)
    amount_requested = forms.DecimalField(label="Montant demandé (€)", **MONEY)
    requested_on = forms.DateField(label="Demandée le", widget=DATE)
    outcome = forms.ChoiceField(label="Issue", choices=AidOutcome.choices)
    amount_granted = forms.DecimalField(label="Montant accordé (€)", required=False, **MONEY)
    decided_on = forms.DateField(label="Décision le", widget=DATE, required=False)
