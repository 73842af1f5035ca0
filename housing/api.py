"""The housing API: residences, dwellings, partners, households (with members, incomes and the
computed indicators) and leases. Writes go through the services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import OrganizationViewSet
from core.drf import KeysetPagination
from housing import affordability, selectors, services
from housing.filters import (
    DwellingFilter,
    HouseholdFilter,
    LeaseFilter,
    PartnerFilter,
    ResidenceFilter,
)
from housing.models import Dwelling, Household, Income, Lease, Partner, Person, Residence
from organizations.models import Territory


class ScopedSlugField(serializers.SlugRelatedField):
    """A related object by its public id, looked up in the request's organisation."""

    def __init__(self, model: Any, **kwargs: Any) -> None:
        self.scoped_model = model
        kwargs.setdefault("slug_field", "public_id")
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self) -> Any:
        organization = self.context["request"].organization
        return self.scoped_model.objects.for_organization(organization)

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            raise
        except Exception as error:  # invalid UUID
            raise serializers.ValidationError("Identifiant invalide.") from error


class PartnerSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Partner
        fields = ["id", "name", "kind", "contact_name", "email", "phone", "address", "is_active"]


class ResidenceSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    territory = ScopedSlugField(Territory)

    class Meta:
        model = Residence
        fields = [
            "id",
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


class DwellingSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    residence = ScopedSlugField(Residence)
    reserving_partner = ScopedSlugField(Partner, required=False, allow_null=True)

    class Meta:
        model = Dwelling
        fields = [
            "id",
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


class IncomeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Income
        fields = [
            "id",
            "kind",
            "declared_monthly_amount",
            "verified_monthly_amount",
            "valid_from",
            "valid_until",
        ]


class PersonSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    incomes = IncomeSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "birth_name",
            "birth_date",
            "relationship",
            "employment_status",
            "phone",
            "has_disability",
            "needs_adapted_dwelling",
            "incomes",
        ]


HOUSEHOLD_FIELDS = [
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


class HouseholdSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    members = PersonSerializer(many=True, read_only=True)
    current_dwelling = serializers.SerializerMethodField()
    resources = serializers.SerializerMethodField()
    effort_rate = serializers.SerializerMethodField()
    effort_level = serializers.SerializerMethodField()
    residual_income = serializers.SerializerMethodField()
    residual_income_period = serializers.SerializerMethodField()
    occupancy = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = [
            "id",
            *HOUSEHOLD_FIELDS,
            "members",
            "current_dwelling",
            "resources",
            "effort_rate",
            "effort_level",
            "residual_income",
            "residual_income_period",
            "occupancy",
        ]

    def _indicators(self, household: Household) -> affordability.Indicators:
        cache = self.context.setdefault("_indicators", {})
        if household.pk not in cache:
            settings = self.context.get("affordability_settings")
            if settings is None:
                settings = affordability.AffordabilitySettings.load(
                    organization=household.organization_id
                )
                self.context["affordability_settings"] = settings
            cache[household.pk] = affordability.household_indicators(
                household=household, organization=household.organization_id, settings=settings
            )
        return cache[household.pk]

    def get_current_dwelling(self, household: Household) -> str | None:
        dwelling = affordability.current_dwelling(household)
        return str(dwelling.public_id) if dwelling else None

    def get_resources(self, household: Household) -> str:
        return str(self._indicators(household).resources)

    def get_effort_rate(self, household: Household) -> str | None:
        effort = self._indicators(household).effort
        return str(effort.rate) if effort and effort.rate is not None else None

    def get_effort_level(self, household: Household) -> str | None:
        effort = self._indicators(household).effort
        return effort.level if effort else None

    def get_residual_income(self, household: Household) -> str | None:
        residual = self._indicators(household).residual
        return str(residual.amount) if residual else None

    def get_residual_income_period(self, household: Household) -> str | None:
        residual = self._indicators(household).residual
        return residual.period if residual else None

    def get_occupancy(self, household: Household) -> str | None:
        occupancy = self._indicators(household).occupancy
        return occupancy.status if occupancy else None


class LeaseSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    household = ScopedSlugField(Household)
    dwelling = ScopedSlugField(Dwelling)
    lessee_partner = ScopedSlugField(Partner, required=False, allow_null=True)
    end_reason = serializers.CharField(read_only=True, help_text="Motif de fin (vide si en cours)")

    class Meta:
        model = Lease
        fields = [
            "id",
            "household",
            "dwelling",
            "kind",
            "lessee_partner",
            "external_ref",
            "signed_on",
            "start_date",
            "slide_date",
            "end_date",
            "end_reason",
        ]
        read_only_fields = ["slide_date", "end_date", "end_reason"]
        extra_kwargs = {"signed_on": {"required": False}}


class LeaseEndSerializer(serializers.Serializer):
    end_date = serializers.DateField(label="Fin du bail le")
    end_reason = serializers.CharField(label="Motif")


class WritableViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationViewSet,
):
    save_service: Any = None
    instance_kwarg = ""

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = type(self).save_service(
            organization=self.organization,
            acting_user=self.request.user,
            **serializer.validated_data,
        )

    def perform_update(self, serializer: Any) -> None:
        instance = type(serializer.instance).objects.get(pk=serializer.instance.pk)
        serializer.instance = type(self).save_service(
            organization=self.organization,
            acting_user=self.request.user,
            **{self.instance_kwarg: instance},
            **serializer.validated_data,
        )


class PartnerViewSet(WritableViewSet):
    model = Partner
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilter
    read_action = "housing.view_partners"
    write_action = "housing.edit_partners"
    save_service = services.partner_save
    instance_kwarg = "partner"

    def scoped_queryset(self) -> Any:
        return selectors.partner_list(organization=self.organization)


class ResidenceViewSet(WritableViewSet):
    model = Residence
    serializer_class = ResidenceSerializer
    filterset_class = ResidenceFilter
    read_action = "housing.view_stock"
    write_action = "housing.edit_stock"
    save_service = services.residence_save
    instance_kwarg = "residence"

    def scoped_queryset(self) -> Any:
        return selectors.residence_list(organization=self.organization)


class DwellingViewSet(WritableViewSet):
    model = Dwelling
    serializer_class = DwellingSerializer
    filterset_class = DwellingFilter
    read_action = "housing.view_stock"
    write_action = "housing.edit_stock"
    save_service = services.dwelling_save
    instance_kwarg = "dwelling"

    def scoped_queryset(self) -> Any:
        return selectors.dwelling_list(organization=self.organization)


class HouseholdPagination(KeysetPagination):
    # `household_org_name_idx`; households stay (a former tenant's is anonymised, not deleted).
    ordering = ("name", "pk")

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> tuple[str, ...]:
        # `?q=` with typos only: the closest households first (housing.search).
        if "search_rank" in queryset.query.annotations:
            return ("-search_rank", "name", "pk")
        return self.ordering


class HouseholdViewSet(WritableViewSet):
    model = Household
    serializer_class = HouseholdSerializer
    pagination_class = HouseholdPagination
    filterset_class = HouseholdFilter
    read_action = "housing.view_household"
    write_action = "housing.edit_household"
    save_service = services.household_save
    instance_kwarg = "household"

    def scoped_queryset(self) -> Any:
        return selectors.household_list_for_api(organization=self.organization).order_by(
            "name", "pk"
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self.request, "organization", None) is not None:
            context["affordability_settings"] = affordability.AffordabilitySettings.load(
                organization=self.request.organization
            )
        return context

    def perform_create(self, serializer: Any) -> None:
        super().perform_create(serializer)
        serializer.instance = selectors.household_file(organization=self.organization).get(
            pk=serializer.instance.pk
        )

    def perform_update(self, serializer: Any) -> None:
        super().perform_update(serializer)
        serializer.instance = selectors.household_file(organization=self.organization).get(
            pk=serializer.instance.pk
        )


class LeaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OrganizationViewSet
):
    """Leases: create one (the dwelling becomes occupied); end one with POST …/end/."""

    model = Lease
    serializer_class = LeaseSerializer
    filterset_class = LeaseFilter
    read_action = "housing.view_household"
    write_action = "housing.edit_household"

    def scoped_queryset(self) -> Any:
        return selectors.lease_list(organization=self.organization)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.lease_create(
            household=data["household"],
            dwelling=data["dwelling"],
            acting_user=self.request.user,
            start_date=data["start_date"],
            signed_on=data.get("signed_on"),
            kind=data.get("kind", "ordinary"),
            lessee_partner=data.get("lessee_partner"),
            external_ref=data.get("external_ref", ""),
        )

    @extend_schema(request=LeaseEndSerializer, responses=LeaseSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, public_id: Any = None) -> Response:
        """End a current lease (the dwelling becomes vacant)."""
        lease = self.get_object()
        data = LeaseEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lease = services.lease_end(
            lease=lease,
            end_date=data.validated_data["end_date"],
            reason=data.validated_data["end_reason"],
            acting_user=request.user,
        )
        return Response(LeaseSerializer(lease, context=self.get_serializer_context()).data)


ROUTES = [
    ("partners", PartnerViewSet, "partner"),
    ("residences", ResidenceViewSet, "residence"),
    ("dwellings", DwellingViewSet, "dwelling"),
    ("households", HouseholdViewSet, "household"),
    ("leases", LeaseViewSet, "lease"),
]
