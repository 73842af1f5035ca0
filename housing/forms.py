"""Page forms: labels and help from the models (French); services do the saving."""

from __future__ import annotations

from typing import Any

from django import forms

from housing.enums import LeaseEndReason, LeaseKind
from housing.models import Dwelling, Household, Income, Lease, Partner, Person, Residence
from organizations.models import Territory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScopedModelForm(forms.ModelForm):
    """A model form whose foreign-key choices are limited to the organisation."""

    scoped_fields: dict[str, Any] = {}

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        for name, model in self.scoped_fields.items():
            if name in self.fields:
                self.fields[name].queryset = model.objects.for_organization(organization)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DATE
            if isinstance(field, forms.DecimalField):
                # French input: "412,50" as well as "412.50".
                field.localize = True
                field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
                field.widget.is_localized = True

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PartnerForm(ScopedModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "contact_name", "email", "phone", "address", "is_active"]


class ResidenceForm(ScopedModelForm):
    scoped_fields = {"territory": Territory}

    class Meta:
        model = Residence
        fields = [
            "external_ref",
            "name",
            "address",
            "postal_code",
            "commune_name",
            "commune_insee",
            "epci_code",
            "epci_name",
            "is_qpv",
            "territory",
        ]


class DwellingForm(ScopedModelForm):
    scoped_fields = {"residence": Residence, "reserving_partner": Partner}

    class Meta:
        model = Dwelling
        fields = [
            "residence",
            "reference",
            "typology",
            "surface",
            "floor",
            "has_lift",
            "is_pmr_accessible",
            "financing",
            "rent",
            "annex_rent",
            "charges",
            "energy_contribution",
            "individual_heating",
            "individual_water",
            "status",
            "reserving_partner",
        ]


class HouseholdForm(ScopedModelForm):
    class Meta:
        model = Household
        fields = [
            "name",
            "external_ref",
            "phone",
            "email",
            "address",
            "postal_code",
            "commune_name",
            "housing_benefit_kind",
            "housing_benefit",
            "housing_benefit_paid_to_landlord",
            "lives_alone",
            "socially_isolated",
            "reduced_mobility",
            "health_fragility",
            "digital_exclusion",
        ]


class PersonForm(ScopedModelForm):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "birth_name",
            "birth_date",
            "relationship",
            "employment_status",
            "phone",
            "has_disability",
            "needs_adapted_dwelling",
            "disability_detail",
        ]

    def __init__(self, *args: Any, show_disability: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_disability:
            for name in ("has_disability", "needs_adapted_dwelling", "disability_detail"):
                del self.fields[name]


class IncomeForm(ScopedModelForm):
    class Meta:
        model = Income
        fields = [
            "kind",
            "declared_monthly_amount",
            "verified_monthly_amount",
            "valid_from",
            "valid_until",
        ]


class LeaseForm(ScopedModelForm):
    scoped_fields = {"dwelling": Dwelling, "lessee_partner": Partner}

    class Meta:
        model = Lease
        fields = ["dwelling", "kind", "lessee_partner", "signed_on", "start_date", "external_ref"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dwelling"].queryset = (
            self.fields["dwelling"].queryset.select_related("residence").order_by("reference")
        )
        self.fields["signed_on"].required = False
        self.fields["kind"].choices = LeaseKind.choices


class LeaseEndForm(forms.Form):
    end_date = forms.DateField(label="Fin du bail le", widget=DATE)
    reason = forms.ChoiceField(label="Motif", choices=LeaseEndReason.choices)


class LeaseSlideForm(forms.Form):
    slide_date = forms.DateField(label="Glissement au ménage le", widget=DATE)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="Type de fichier")
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Séparateur « ; » ou « , », encodage UTF-8 (avec ou sans BOM) ou Windows-1252.",
    )

    def __init__(self, *args: Any, choices: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = choices

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("Le fichier dépasse 20 Mo : découpez-le.")
        return upload


class MergeForm(forms.Form):
    keep = forms.UUIDField(widget=forms.HiddenInput)
    duplicate = forms.UUIDField(widget=forms.HiddenInput)


class HouseholdLookupField(forms.CharField):
    """One household of the organisation, typed as one would in the search box (name, first
    name, phone, reference) or given by its public id — instead of a select listing every
    household (a hundred thousand at a large landlord). Several matches: the error lists a few
    to tell them apart. Set `organization` before validating (the form's __init__)."""

    MAX_LISTED = 5

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Ménage")
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", "Nom et prénom, téléphone ou référence du ménage.")
        super().__init__(**kwargs)
        self.organization: Any = None

    def clean(self, value: Any) -> Any:
        import uuid

        from housing import selectors

        text = super().clean(value)
        if not text:
            return None
        households = Household.objects.for_organization(self.organization)
        try:
            found = list(households.filter(public_id=uuid.UUID(text))[:1])
        except ValueError:
            found = list(
                selectors.household_list(organization=self.organization, query=text).filter(
                    organization_id=self.organization.pk
                )[: self.MAX_LISTED + 1]
            )
        if not found:
            raise forms.ValidationError(f"Aucun ménage ne correspond à « {text} ».")
        if len(found) > 1:
            names = ", ".join(h.name for h in found[: self.MAX_LISTED])
            more = " …" if len(found) > self.MAX_LISTED else ""
            raise forms.ValidationError(
                f"Plusieurs ménages correspondent ({names}{more}) : précisez (prénom, téléphone "
                "ou référence)."
            )
        return found[0]
