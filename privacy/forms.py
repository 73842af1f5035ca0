from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from privacy.enums import ConsentPurpose, ErasureStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    start = forms.DateField(label="Du", widget=DATE)
    end = forms.DateField(label="Au (inclus)", widget=DATE)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "La fin doit suivre le début.")
            elif (end - start).days > 366:
                self.add_error("end", "Un an au plus par export.")
        return data


class DayForm(forms.Form):
    day = forms.DateField(
        label="Date de référence",
        widget=DATE,
        required=False,
        help_text="Simuler ce que la règle ferait à cette date (aujourd'hui par défaut).",
    )

    def day_or_today(self) -> datetime.date:
        if self.is_valid() and self.cleaned_data.get("day"):
            return self.cleaned_data["day"]
        return timezone.localdate()


class LegalHoldForm(forms.Form):
    reason = forms.CharField(label="Motif (ex. procédure d'expulsion en cours)", max_length=250)


class LegalHoldLiftForm(forms.Form):
    lift_reason = forms.CharField(label="Motif de la levée", max_length=250)


class ErasureRequestForm(forms.Form):
    requester_name = forms.CharField(label="Demandeur", max_length=200)
    received_on = forms.DateField(label="Reçue le", widget=DATE)
    scope = forms.CharField(label="Objet de la demande", widget=forms.Textarea(attrs={"rows": 3}))


class ErasureDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label="Décision",
        choices=[c for c in ErasureStatus.choices if c[0] != ErasureStatus.RECEIVED],
    )
    reason = forms.CharField(
        label="Motif (obligatoire en cas de refus, même partiel)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label="Finalité", choices=ConsentPurpose.choices)
    person = forms.ModelChoiceField(label="Personne", queryset=None, required=False)
    detail = forms.CharField(label="Précision", max_length=250, required=False)
    given_on = forms.DateField(label="Donné le", widget=DATE)
    expires_on = forms.DateField(
        label="Expire le", widget=DATE, required=False, help_text="Par défaut : durée paramétrée."
    )
    evidence = forms.CharField(label="Preuve (document, canal)", max_length=250, required=False)

    def __init__(self, *args, household=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = household.members.all()
