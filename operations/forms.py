"""Page forms of the operations app. They only clean input; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from housing.forms import HouseholdLookupField
from operations.enums import ActionKind, RelocationKind, RelocationStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _scoped(label: str, organization: Any) -> Any:
    from django.apps import apps

    return apps.get_model(label).objects.for_organization(organization)


class RegisterStatisticForm(forms.Form):
    territory = forms.ModelChoiceField(label="Territoire", queryset=None)
    on = forms.DateField(label="Date", widget=DATE, initial=timezone.localdate)
    active_demands = forms.IntegerField(label="Demandes actives au registre", min_value=0)
    source = forms.CharField(label="Source", max_length=120, required=False)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = _scoped("organizations.Territory", organization)


class RegisterImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV (territoire ; date ; demandes actives)",
        help_text="En-têtes : territoire;date;demandes_actives (date JJ/MM/AAAA ou AAAA-MM-JJ).",
    )


class RelocationOperationForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=200)
    kind = forms.ChoiceField(label="Type", choices=RelocationKind.choices)
    starts_on = forms.DateField(label="Début", widget=DATE)
    ends_on = forms.DateField(label="Fin prévue", widget=DATE, required=False)
    description = forms.CharField(label="Description", widget=forms.Textarea, required=False)
    residences = forms.ModelMultipleChoiceField(label="Résidences", queryset=None, required=False)
    partners = forms.ModelMultipleChoiceField(
        label="Partenaires (ville, ANRU…)", queryset=None, required=False
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["residences"].queryset = _scoped("housing.Residence", organization)
        self.fields["partners"].queryset = _scoped("housing.Partner", organization)


class DwellingsForm(forms.Form):
    """Dwellings of the operation by reference (one per line)."""

    role = forms.ChoiceField(
        label="Rôle",
        choices=[("concerned", "Concernés par l'opération"), ("mobilised", "Mobilisés")],
    )
    references = forms.CharField(
        label="Références des logements (une par ligne)", widget=forms.Textarea
    )


class RelocationHouseholdForm(forms.Form):
    household = HouseholdLookupField()

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].organization = organization


class AdvanceForm(forms.Form):
    status = forms.ChoiceField(label="Nouveau statut", choices=RelocationStatus.choices)
    on = forms.DateField(label="Date", widget=DATE, initial=timezone.localdate)
    is_transfer = forms.BooleanField(label="Mutation dans le parc", required=False)


class CollectiveActionForm(forms.Form):
    name = forms.CharField(label="Intitulé", max_length=200)
    kind = forms.ChoiceField(label="Type", choices=ActionKind.choices)
    starts_on = forms.DateField(label="Début", widget=DATE)
    ends_on = forms.DateField(label="Fin", widget=DATE, required=False)
    neighbourhood = forms.CharField(label="Quartier (QPV)", max_length=150, required=False)
    sessions = forms.IntegerField(label="Séances tenues", min_value=0, initial=1)
    participants = forms.IntegerField(label="Participants", min_value=0, initial=0)
    households_reached = forms.IntegerField(label="Ménages touchés", min_value=0, initial=0)
    back_to_work = forms.IntegerField(label="Retours à l'emploi", min_value=0, initial=0)
    outcomes = forms.CharField(label="Résultats", widget=forms.Textarea, required=False)
    cost = forms.DecimalField(label="Coût (€)", min_value=0, decimal_places=2, initial=0)
    residences = forms.ModelMultipleChoiceField(label="Résidences", queryset=None, required=False)
    partners = forms.ModelMultipleChoiceField(label="Partenaires", queryset=None, required=False)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["residences"].queryset = _scoped("housing.Residence", organization)
        self.fields["partners"].queryset = _scoped("housing.Partner", organization)


class FundingForm(forms.Form):
    funder_name = forms.CharField(label="Financeur", max_length=200)
    amount = forms.DecimalField(label="Montant (€)", min_value=0, decimal_places=2)
    starts_on = forms.DateField(label="Début de la période", widget=DATE)
    ends_on = forms.DateField(label="Fin de la période", widget=DATE)


class InsertionClauseForm(forms.Form):
    contract = forms.CharField(label="Marché de travaux", max_length=200)
    contractor = forms.CharField(label="Titulaire", max_length=200, required=False)
    residence = forms.ModelChoiceField(label="Résidence", queryset=None, required=False)
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    required_hours = forms.IntegerField(label="Heures exigées", min_value=0)
    achieved_hours = forms.IntegerField(label="Heures réalisées", min_value=0, initial=0)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["residence"].queryset = _scoped("housing.Residence", organization)


class _OperationHouseholdForm(forms.Form):
    """A household already concerned by the operation (choices: this operation's households)."""

    link = forms.ModelChoiceField(
        label="Ménage",
        queryset=None,
        error_messages={"invalid_choice": "Ce ménage n'est pas concerné par l'opération."},
    )

    def __init__(self, *args: Any, organization: Any, operation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["link"].queryset = (
            _scoped("operations.RelocationHousehold", organization)
            .filter(operation=operation)
            .select_related("household")
            .order_by("household__name")
        )
        self.fields["link"].label_from_instance = lambda link: link.household.name


class PositionForm(_OperationHouseholdForm):
    dwelling = forms.ModelChoiceField(
        label="Logement mobilisé",
        queryset=None,
        error_messages={"invalid_choice": "Ce logement n'est pas mobilisé pour l'opération."},
    )
    positioned_on = forms.DateField(label="Date", widget=DATE, initial=timezone.localdate)
    offer = forms.ModelChoiceField(
        label="Proposition d'attribution (facultatif)",
        queryset=None,
        required=False,
        error_messages={
            "invalid_choice": "Cette proposition ne concerne aucun ménage de l'opération."
        },
    )

    def __init__(self, *args: Any, organization: Any, operation: Any, **kwargs: Any) -> None:
        super().__init__(*args, organization=organization, operation=operation, **kwargs)
        self.fields["dwelling"].queryset = (
            _scoped("housing.Dwelling", organization)
            .filter(pk__in=operation.dwelling_links.filter(role="mobilised").values("dwelling"))
            .order_by("reference")
        )
        # The offers made to the operation's households (not every offer of the organisation).
        self.fields["offer"].queryset = (
            _scoped("allocations.Offer", organization)
            .filter(application__household__in=operation.households.values("household"))
            .select_related("application__household", "session_dwelling__dwelling")
            .order_by("-pk")
        )


class AccompanimentForm(_OperationHouseholdForm):
    social_case = forms.ModelChoiceField(
        label="Accompagnement",
        queryset=None,
        error_messages={"invalid_choice": "Accompagnement inconnu."},
    )

    def __init__(self, *args: Any, organization: Any, operation: Any, **kwargs: Any) -> None:
        super().__init__(*args, organization=organization, operation=operation, **kwargs)
        self.fields["social_case"].queryset = (
            _scoped("cases.SocialCase", organization)
            .filter(household__in=operation.households.values("household"))
            .select_related("household")
        )


class ParticipantForm(forms.Form):
    household = HouseholdLookupField()
    back_to_work = forms.BooleanField(label="Retour à l'emploi", required=False)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].organization = organization
