from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from organizations.models import Territory
from reporting.enums import ReportKind
from reporting.sections import available_sections


def year_choices(count: int = 6) -> list[tuple[int, str]]:
    current = timezone.localdate().year
    return [(year, str(year)) for year in range(current, current - count, -1)]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type de rapport", choices=ReportKind.choices, initial=ReportKind.ANNUAL_ACTIVITY
    )
    year = forms.TypedChoiceField(label="Année", coerce=int, choices=year_choices)
    territory = forms.ModelChoiceField(
        label="Périmètre",
        queryset=Territory.objects.none(),
        required=False,
        empty_label="Ensemble de l'organisation",
    )
    sections = forms.MultipleChoiceField(
        label="Sections à inclure",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Aucune case cochée : toutes les sections disponibles.",
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.for_organization(organization)
        self.fields["year"].initial = timezone.localdate().year - 1
        self.fields["sections"].choices = [(s.key, s.title) for s in available_sections()]


class IndicatorFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="Année", coerce=int, choices=year_choices, required=False)
    territory = forms.ModelChoiceField(
        label="Périmètre",
        queryset=Territory.objects.none(),
        required=False,
        empty_label="Ensemble de l'organisation",
        to_field_name="public_id",
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.for_organization(organization)
        self.fields["year"].initial = timezone.localdate().year

    def filters(self) -> tuple[int, Any]:
        """(year, territory) asked for, defaulting to this year and the whole organisation."""
        if self.is_valid():
            return (
                self.cleaned_data.get("year") or timezone.localdate().year,
                self.cleaned_data.get("territory"),
            )
        return timezone.localdate().year, None
