"""API of leasing activity, relocation operations and collective actions. Writes go through
the services; a `django.core.exceptions.ValidationError` becomes a 400 with the field and its
French reason (core.drf.exception_handler)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import OrganizationViewSet
from core.drf import KeysetPagination
from operations import selectors, services
from operations.enums import (
    ActionKind,
    DwellingRole,
    ProspectionOutcome,
    RelocationKind,
    RelocationStatus,
)
from operations.models import CollectiveAction, Prospection, RelocationOperation


class ScopedSlugField(serializers.SlugRelatedField):
    """A related object by its public id, looked up in the request's organisation."""

    def __init__(self, model_label: str, **kwargs: Any) -> None:
        self.model_label = model_label
        kwargs.setdefault("slug_field", "public_id")
        if not kwargs.get("read_only"):
            kwargs["queryset"] = self._model().objects.none()
        super().__init__(**kwargs)

    def _model(self) -> Any:
        from django.apps import apps

        return apps.get_model(self.model_label)

    def get_queryset(self) -> Any:
        return self._model().objects.for_organization(self.context["request"].organization)

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            raise
        except Exception as error:  # invalid UUID
            raise serializers.ValidationError("Identifiant invalide.") from error


class ListRetrieveCreate(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OrganizationViewSet
):
    pass


# --- Prospections --------------------------------------------------------------------------


class ProspectionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    application = ScopedSlugField("allocations.HousingApplication")
    dwelling = ScopedSlugField("housing.Dwelling")
    session_dwelling = ScopedSlugField(
        "allocations.SessionDwelling", required=False, allow_null=True
    )
    outcome = serializers.ChoiceField(choices=ProspectionOutcome.choices)
    contacted_on = serializers.DateField(required=False)

    class Meta:
        model = Prospection
        fields = ["id", "application", "dwelling", "session_dwelling", "outcome", "contacted_on"]


class ProspectionPagination(KeysetPagination):
    # `prospection_org_date_idx` (organisation, date, id), read backwards; prospections
    # accumulate (90,000 an organisation at 100,000 dwellings): no count.
    ordering = ("-contacted_on", "-pk")


class ProspectionViewSet(ListRetrieveCreate):
    """Prospections, newest first, paged by cursor (no count). Filters: `year`, `outcome`,
    `application`."""

    model = Prospection
    pagination_class = ProspectionPagination
    read_action = "operations.view_leasing"
    write_action = "operations.log_prospection"
    serializer_class = ProspectionSerializer

    def scoped_queryset(self) -> Any:
        # Only the relations whose public ids are serialized (the session dwelling's was read
        # once per row).
        qs = (
            selectors.prospection_list(organization=self.organization)
            .select_related(None)
            .select_related("application", "dwelling", "session_dwelling")
        )
        params = self.request.query_params
        if params.get("year", "").isdigit():
            qs = qs.filter(contacted_on__year=int(params["year"]))
        if params.get("outcome"):
            qs = qs.filter(outcome=params["outcome"])
        if params.get("application"):
            qs = qs.filter(application__public_id=params["application"])
        return qs

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.prospection_log(
            organization=self.organization, user=self.request.user, **serializer.validated_data
        )


# --- Relocation operations ------------------------------------------------------------------


class RelocationOperationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    kind = serializers.ChoiceField(choices=RelocationKind.choices)
    residences = ScopedSlugField("housing.Residence", many=True, required=False)
    concerned_dwellings = ScopedSlugField("housing.Dwelling", many=True, required=False)
    mobilised_dwellings = ScopedSlugField("housing.Dwelling", many=True, required=False)
    partners = ScopedSlugField("housing.Partner", many=True, required=False)
    counts = serializers.SerializerMethodField()

    class Meta:
        model = RelocationOperation
        fields = [
            "id",
            "name",
            "kind",
            "starts_on",
            "ends_on",
            "description",
            "residences",
            "concerned_dwellings",
            "mobilised_dwellings",
            "partners",
            "counts",
        ]

    def to_representation(self, instance: Any) -> Any:
        dwellings = self._dwelling_ids(instance)
        return {
            "id": str(instance.public_id),
            "name": instance.name,
            "kind": instance.kind,
            "starts_on": instance.starts_on.isoformat(),
            "ends_on": instance.ends_on.isoformat() if instance.ends_on else None,
            "description": instance.description,
            "residences": [str(r.residence.public_id) for r in instance.residence_links.all()],
            "concerned_dwellings": dwellings[DwellingRole.CONCERNED],
            "mobilised_dwellings": dwellings[DwellingRole.MOBILISED],
            "partners": [str(p.partner.public_id) for p in instance.partner_links.all()],
            "counts": self.get_counts(instance),
        }

    @staticmethod
    def _dwelling_ids(instance: Any) -> dict[str, list[str]]:
        """Public ids of the dwellings by role: computed by the list's query
        (`relocation_operation_list(with_dwellings=True)`), else read here (a new operation)."""
        if all(hasattr(instance, f"{role}_dwelling_ids") for role in DwellingRole.values):
            return {role: getattr(instance, f"{role}_dwelling_ids") for role in DwellingRole.values}
        found: dict[str, list[str]] = {role: [] for role in DwellingRole.values}
        for role, public_id in instance.dwelling_links.order_by("pk").values_list(
            "role", "dwelling__public_id"
        ):
            found[role].append(str(public_id))
        return found

    def get_counts(self, instance: Any) -> dict[str, int]:
        counts = {s: getattr(instance, f"n_{s}", None) for s in RelocationStatus.values}
        if None in counts.values():
            counts = dict.fromkeys(RelocationStatus.values, 0)
            for link in instance.households.all():
                counts[link.status] += 1
        return counts


class RelocationHouseholdSerializer(serializers.Serializer):
    household = ScopedSlugField("housing.Household")
    social_case = ScopedSlugField("cases.SocialCase", required=False, allow_null=True)


class RelocationAdvanceSerializer(serializers.Serializer):
    household = ScopedSlugField("housing.Household")
    status = serializers.ChoiceField(choices=RelocationStatus.choices)
    on = serializers.DateField(required=False)
    is_transfer = serializers.BooleanField(required=False, allow_null=True, default=None)


class RelocationPositionSerializer(serializers.Serializer):
    household = ScopedSlugField("housing.Household")
    dwelling = ScopedSlugField("housing.Dwelling")
    positioned_on = serializers.DateField(required=False)
    offer = ScopedSlugField("allocations.Offer", required=False, allow_null=True)


class RelocationAccompanimentSerializer(serializers.Serializer):
    household = ScopedSlugField("housing.Household")
    social_case = ScopedSlugField("cases.SocialCase", allow_null=True)


class RelocationOperationViewSet(ListRetrieveCreate, mixins.UpdateModelMixin):
    """Relocation operations, with their households' counts by status. Actions:
    `households` (add a household), `advance` (move a household to a status)."""

    model = RelocationOperation
    read_action = "operations.view_relocations"
    write_action = "operations.manage_relocations"
    serializer_class = RelocationOperationSerializer

    def scoped_queryset(self) -> Any:
        return selectors.relocation_operation_list(
            organization=self.organization, with_dwellings=True
        )

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.relocation_operation_save(
            organization=self.organization, user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        data = {
            "name": serializer.instance.name,
            "kind": serializer.instance.kind,
            "starts_on": serializer.instance.starts_on,
            "ends_on": serializer.instance.ends_on,
            "description": serializer.instance.description,
            **serializer.validated_data,
        }
        serializer.instance = services.relocation_operation_save(
            organization=self.organization,
            user=self.request.user,
            operation=serializer.instance,
            **data,
        )

    @extend_schema(request=RelocationHouseholdSerializer, responses=RelocationOperationSerializer)
    @action(detail=True, methods=["post"])
    def households(self, request: Request, public_id: str | None = None) -> Response:
        operation = self.get_object()
        data = RelocationHouseholdSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        services.relocation_household_add(
            operation=operation, user=request.user, **data.validated_data
        )
        operation = self.get_object()  # counts again
        return Response(self.get_serializer(operation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RelocationAdvanceSerializer, responses=RelocationOperationSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, public_id: str | None = None) -> Response:
        operation = self.get_object()
        data = RelocationAdvanceSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        link = operation.households.filter(household=data.validated_data["household"]).first()
        if link is None:
            raise serializers.ValidationError(
                {"household": "Ce ménage n'est pas concerné par l'opération."}
            )
        services.relocation_household_advance(
            link=link,
            to=data.validated_data["status"],
            user=request.user,
            on=data.validated_data.get("on"),
            is_transfer=data.validated_data.get("is_transfer"),
        )
        return Response(self.get_serializer(self.get_object()).data)

    def _link(self, operation: Any, household: Any) -> Any:
        link = operation.households.filter(household=household).first()
        if link is None:
            raise serializers.ValidationError(
                {"household": "Ce ménage n'est pas concerné par l'opération."}
            )
        return link

    @extend_schema(request=RelocationPositionSerializer, responses=RelocationOperationSerializer)
    @action(detail=True, methods=["post"])
    def position(self, request: Request, public_id: str | None = None) -> Response:
        """Position a household on a mobilised dwelling, with the allocation offer if any."""
        operation = self.get_object()
        data = RelocationPositionSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        services.relocation_position(
            link=self._link(operation, values.pop("household")), user=request.user, **values
        )
        return Response(self.get_serializer(self.get_object()).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RelocationAccompanimentSerializer, responses=RelocationOperationSerializer
    )
    @action(detail=True, methods=["post"])
    def accompaniment(self, request: Request, public_id: str | None = None) -> Response:
        """Link the household's accompaniment (cases.SocialCase)."""
        operation = self.get_object()
        data = RelocationAccompanimentSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        services.relocation_accompaniment_link(
            link=self._link(operation, data.validated_data["household"]),
            social_case=data.validated_data["social_case"],
            user=request.user,
        )
        return Response(self.get_serializer(self.get_object()).data)


# --- Collective actions ---------------------------------------------------------------------


class CollectiveActionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    residences = ScopedSlugField("housing.Residence", many=True, required=False)
    partners = ScopedSlugField("housing.Partner", many=True, required=False)
    funding = serializers.SerializerMethodField()

    class Meta:
        model = CollectiveAction
        fields = [
            "id",
            "name",
            "kind",
            "starts_on",
            "ends_on",
            "neighbourhood",
            "sessions",
            "participants",
            "households_reached",
            "back_to_work",
            "outcomes",
            "cost",
            "residences",
            "partners",
            "funding",
        ]

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        data["residences"] = [str(r.residence.public_id) for r in instance.residence_links.all()]
        data["partners"] = [str(p.partner.public_id) for p in instance.partner_links.all()]
        return data

    def get_funding(self, instance: Any) -> list[dict[str, Any]]:
        return [
            {
                "funder": f.funder_name,
                "amount": str(f.amount),
                "starts_on": f.starts_on.isoformat(),
                "ends_on": f.ends_on.isoformat(),
            }
            for f in instance.fundings.all()
        ]


class ActionFundingSerializer(serializers.Serializer):
    funder_name = serializers.CharField(max_length=200)
    funder = ScopedSlugField("housing.Partner", required=False, allow_null=True)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class ActionParticipantSerializer(serializers.Serializer):
    household = ScopedSlugField("housing.Household")
    back_to_work = serializers.BooleanField(required=False, default=False)


class CollectiveActionViewSet(ListRetrieveCreate, mixins.UpdateModelMixin):
    """Collective actions. Filters: `year`, `kind`."""

    model = CollectiveAction
    read_action = "operations.view_actions"
    write_action = "operations.manage_actions"
    serializer_class = CollectiveActionSerializer

    def scoped_queryset(self) -> Any:
        qs = selectors.collective_action_list(organization=self.organization)
        params = self.request.query_params
        if params.get("year", "").isdigit():
            qs = qs.filter(starts_on__year=int(params["year"]))
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        return qs

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.collective_action_save(
            organization=self.organization, user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        current = serializer.instance
        data = {
            f: getattr(current, f)
            for f in (
                "name",
                "kind",
                "starts_on",
                "ends_on",
                "neighbourhood",
                "sessions",
                "participants",
                "households_reached",
                "back_to_work",
                "outcomes",
                "cost",
            )
        }
        data.update(serializer.validated_data)
        serializer.instance = services.collective_action_save(
            organization=self.organization, user=self.request.user, action=current, **data
        )

    @extend_schema(request=ActionFundingSerializer, responses=CollectiveActionSerializer)
    @action(detail=True, methods=["post"])
    def fundings(self, request: Request, public_id: str | None = None) -> Response:
        """Add a funding line (funder, amount, period)."""
        collective_action = self.get_object()
        data = ActionFundingSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        services.action_funding_add(
            action=collective_action, user=request.user, **data.validated_data
        )
        return Response(self.get_serializer(self.get_object()).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ActionParticipantSerializer, responses=CollectiveActionSerializer)
    @action(detail=True, methods=["post"])
    def participants(self, request: Request, public_id: str | None = None) -> Response:
        """Name a participating household (where relevant)."""
        collective_action = self.get_object()
        data = ActionParticipantSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        services.action_participant_add(
            action=collective_action, user=request.user, **data.validated_data
        )
        return Response(self.get_serializer(self.get_object()).data, status=status.HTTP_201_CREATED)


ROUTES = [
    ("prospections", ProspectionViewSet, "prospection"),
    ("relocation-operations", RelocationOperationViewSet, "relocation-operation"),
    ("collective-actions", CollectiveActionViewSet, "collective-action"),
]
