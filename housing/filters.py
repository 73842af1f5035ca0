"""django-filter filter sets of the housing API."""

from __future__ import annotations

import django_filters

from housing import search
from housing.enums import DwellingStatus, Financing, LeaseKind, PartnerKind, Typology
from housing.models import Dwelling, Household, Lease, Partner, Residence


class PartnerFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices)
    name = django_filters.CharFilter(lookup_expr="icontains")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Partner
        fields = ["kind", "name", "is_active"]


class ResidenceFilter(django_filters.FilterSet):
    is_qpv = django_filters.BooleanFilter()
    commune_insee = django_filters.CharFilter()
    territory = django_filters.UUIDFilter(field_name="territory__public_id")
    external_ref = django_filters.CharFilter()

    class Meta:
        model = Residence
        fields = ["is_qpv", "commune_insee", "territory", "external_ref"]


class DwellingFilter(django_filters.FilterSet):
    residence = django_filters.UUIDFilter(field_name="residence__public_id")
    status = django_filters.ChoiceFilter(choices=DwellingStatus.choices)
    typology = django_filters.ChoiceFilter(choices=Typology.choices)
    financing = django_filters.ChoiceFilter(choices=Financing.choices)
    is_pmr_accessible = django_filters.BooleanFilter()
    reference = django_filters.CharFilter()
    max_rent = django_filters.NumberFilter(field_name="rent", lookup_expr="lte")

    class Meta:
        model = Dwelling
        fields = ["residence", "status", "typology", "financing", "is_pmr_accessible", "reference"]


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Recherche")
    external_ref = django_filters.CharFilter()

    class Meta:
        model = Household
        fields = ["external_ref"]

    def filter_search(self, queryset, name, value):
        return search.search(queryset, value) if value.strip() else queryset


class LeaseFilter(django_filters.FilterSet):
    household = django_filters.UUIDFilter(field_name="household__public_id")
    dwelling = django_filters.UUIDFilter(field_name="dwelling__public_id")
    kind = django_filters.ChoiceFilter(choices=LeaseKind.choices)
    current = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull")

    class Meta:
        model = Lease
        fields = ["household", "dwelling", "kind", "current"]
