from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from privacy.enums import ConsentPurpose, ErasureStatus, GrantPermission, GrantScope

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


class PartnerGrantForm(forms.Form):
    partner_slug = forms.SlugField(
        label="Identifiant court de l'organisation partenaire",
        help_text="Tel qu'il figure dans Parcours (ex. association-lorraine-logement).",
    )
    mandate_reference = forms.CharField(label="Référence du mandat", max_length=120)
    scope = forms.ChoiceField(label="Périmètre", choices=GrantScope.choices)
    households = forms.CharField(
        label="Ménages désignés (identifiants, un par ligne)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    programme = forms.ModelChoiceField(label="Dispositif", queryset=None, required=False)
    residence = forms.ModelChoiceField(label="Résidence", queryset=None, required=False)
    permissions = forms.MultipleChoiceField(
        label="Droits", choices=GrantPermission.choices, widget=forms.CheckboxSelectMultiple
    )
    valid_from = forms.DateField(label="À partir du", widget=DATE)
    valid_until = forms.DateField(label="Jusqu'au", widget=DATE, required=False)

    def __init__(self, *args, organization=None, **kwargs) -> None:
        from cases.models import SupportProgramme
        from housing.models import Residence

        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = SupportProgramme.objects.for_organization(organization)
        self.fields["residence"].queryset = Residence.objects.for_organization(organization)
        self.organization = organization

    def clean_partner_slug(self):
        from organizations.models import Organization

        slug = self.cleaned_data["partner_slug"]
        partner = Organization.objects.filter(slug=slug).first()
        if partner is None:
            raise forms.ValidationError("Aucune organisation n'a cet identifiant.")
        return partner

    def clean_households(self):
        import uuid

        from housing.models import Household

        raw = [
            line.strip() for line in self.cleaned_data["households"].splitlines() if line.strip()
        ]
        try:
            ids = [uuid.UUID(value) for value in raw]
        except ValueError as error:
            raise forms.ValidationError("Identifiant de ménage invalide.") from error
        households = list(
            Household.objects.for_organization(self.organization).filter(public_id__in=ids)
        )
        if len(households) != len(set(ids)):
            raise forms.ValidationError("Ménage inconnu dans cette organisation.")
        return households
