from __future__ import annotations

from typing import Any

from django import forms

from housing.models import Partner
from organizations.models import Territory
from quotas.enums import Direction, QuotaCategory, TargetKind
from quotas.services import RESERVATAIRE_KINDS


class _OrgForm(forms.Form):
    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "territory" in self.fields:
            self.fields["territory"].queryset = Territory.objects.for_organization(organization)
        if "partner" in self.fields:
            self.fields["partner"].queryset = Partner.objects.for_organization(organization).filter(
                kind__in=RESERVATAIRE_KINDS
            )


class AgreementForm(_OrgForm):
    partner = forms.ModelChoiceField(queryset=None, label="Réservataire")
    territory = forms.ModelChoiceField(queryset=None, label="Territoire")
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    flow_share = forms.DecimalField(
        label="Part du flux annuel (%)", min_value=0, max_value=100, decimal_places=2
    )
    signed_on = forms.DateField(
        label="Signée le",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    reference = forms.CharField(label="Référence", max_length=80, required=False)


class ExclusionForm(forms.Form):
    dwelling_reference = forms.CharField(label="Référence du logement", max_length=50)
    reason = forms.CharField(label="Motif", max_length=200, required=False)


class TargetForm(_OrgForm):
    territory = forms.ModelChoiceField(queryset=None, label="Territoire")
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    category = forms.ChoiceField(label="Catégorie", choices=QuotaCategory.choices)
    programme = forms.CharField(label="Programme (accord collectif)", max_length=80, required=False)
    partner = forms.ModelChoiceField(
        queryset=None, label="Réservataire (ménages prioritaires par réservataire)", required=False
    )
    kind = forms.ChoiceField(label="Type d'objectif", choices=TargetKind.choices)
    value = forms.DecimalField(label="Objectif", min_value=0, decimal_places=2)
    direction = forms.ChoiceField(label="Sens", choices=Direction.choices)


class LegalTargetsForm(_OrgForm):
    territory = forms.ModelChoiceField(queryset=None, label="Territoire")
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
