from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from organizations.enums import Role
from organizations.models import Organization, Territory


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


class InviteForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)
    territories = forms.ModelMultipleChoiceField(
        label="Territoires (facultatif)",
        queryset=Territory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territories"].queryset = Territory.objects.for_organization(organization)


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)
    territories = forms.ModelMultipleChoiceField(
        label="Territoires (facultatif)",
        queryset=Territory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label="Accès actif", required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territories"].queryset = Territory.objects.for_organization(organization)


class TerritoryForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=120)
    communes = forms.CharField(
        label="Communes (codes INSEE, séparés par des virgules)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_communes(self) -> list[str]:
        raw = self.cleaned_data["communes"]
        return [
            code.strip().upper()
            for code in raw.replace(";", ",").replace("\n", ",").split(",")
            if code.strip()
        ]


class ParameterValueForm(forms.Form):
    value = forms.CharField(label="Nouvelle valeur", max_length=500)
    valid_from = forms.DateField(
        label="Applicable à partir du",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    legal_reference = forms.CharField(
        label="Référence (texte, délibération)", max_length=250, required=False
    )
    note = forms.CharField(label="Commentaire", max_length=250, required=False)
