"""API of the quotas app: reservation agreements and quota targets (with achieved values
computed by the one definition of an attribution). Writes go through the services."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, serializers

from core.api import OrganizationViewSet
from housing.models import Partner
from organizations.models import Territory
from quotas import selectors, services
from quotas.models import QuotaTarget, ReservationAgreement


class _ScopedSerializer(serializers.ModelSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        organization = getattr(request, "organization", None)
        if organization is not None:
            self.fields["territory"].queryset = Territory.objects.for_organization(organization)
            self.fields["partner"].queryset = Partner.objects.for_organization(organization)


class ReservationAgreementSerializer(_ScopedSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    partner = serializers.SlugRelatedField(slug_field="public_id", queryset=Partner.objects.none())
    territory = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Territory.objects.none()
    )
    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = ReservationAgreement
        fields = [
            "id",
            "partner",
            "partner_name",
            "territory",
            "year",
            "flow_share",
            "signed_on",
            "reference",
        ]
        validators: list = []


class AgreementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationViewSet,
):
    model = ReservationAgreement
    serializer_class = ReservationAgreementSerializer
    read_action = "quotas.view_quotas"
    write_action = "quotas.manage_quotas"

    def scoped_queryset(self) -> Any:
        return selectors.agreement_list(organization=self.organization)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.agreement_create(
            organization=self.organization,
            created_by=self.request.user,
            **serializer.validated_data,
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.agreement_update(
            agreement=serializer.instance,
            updated_by=self.request.user,
            **serializer.validated_data,
        )


class QuotaTargetSerializer(_ScopedSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    territory = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Territory.objects.none()
    )
    partner = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Partner.objects.none(), allow_null=True, required=False
    )
    label = serializers.CharField(read_only=True)
    achieved = serializers.SerializerMethodField()

    class Meta:
        model = QuotaTarget
        fields = [
            "id",
            "territory",
            "year",
            "category",
            "programme",
            "partner",
            "label",
            "kind",
            "value",
            "direction",
            "is_legal",
            "legal_reference",
            "achieved",
        ]
        read_only_fields = ["is_legal", "legal_reference"]
        validators: list = []

    def get_achieved(self, target: QuotaTarget) -> dict[str, Any] | None:
        progress = self.context.get("progress", {}).get(target.pk)
        if progress is None:
            progress = selectors.progress_for_targets(
                organization=target.organization_id, targets=[target], with_households=False
            )[target.pk]
        return {
            "numerator": progress.numerator,
            "denominator": progress.denominator,
            "value": None if progress.achieved is None else str(progress.achieved),
            "gap": None if progress.gap is None else str(progress.gap),
            "projection": None if progress.projection is None else str(progress.projection),
            "status": progress.status,
            "alert": progress.alert,
        }


class TargetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationViewSet,
):
    model = QuotaTarget
    serializer_class = QuotaTargetSerializer
    read_action = "quotas.view_quotas"
    write_action = "quotas.manage_quotas"
    filterset_fields = ["year", "category"]

    def scoped_queryset(self) -> Any:
        return selectors.target_list(organization=self.organization)

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        items = list(page if page is not None else queryset)
        progress = selectors.progress_for_targets(
            organization=self.organization, targets=items, with_households=False
        )
        serializer = self.get_serializer(
            items, many=True, context={**self.get_serializer_context(), "progress": progress}
        )
        if page is not None:
            return self.get_paginated_response(serializer.data)
        from rest_framework.response import Response

        return Response(serializer.data)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.target_create(
            organization=self.organization,
            created_by=self.request.user,
            **serializer.validated_data,
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.target_update(
            target=serializer.instance,
            updated_by=self.request.user,
            **serializer.validated_data,
        )


ROUTES = [
    ("reservation-agreements", AgreementViewSet, "reservation-agreement"),
    ("quota-targets", TargetViewSet, "quota-target"),
]
