"""The privacy API: the access log (filtered by household and period), retention runs, and,
for partner organisations, the households granted to them under mandate (read-only)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import OrganizationAPIView, OrganizationViewSet, ReadOnlyOrganizationViewSet
from core.drf import Pagination
from core.models import AccessEvent
from privacy import partners, selectors
from privacy.models import RetentionRun


class AccessEventSerializer(serializers.ModelSerializer):
    user = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = AccessEvent
        fields = ["at", "user", "action", "object_type", "object_id", "household_id", "context"]


@extend_schema(
    parameters=[
        OpenApiParameter("household", str, description="Identifiant public du ménage"),
        OpenApiParameter("start", datetime.date, description="Depuis le (inclus)"),
        OpenApiParameter("end", datetime.date, description="Jusqu'au (inclus)"),
    ]
)
class AccessEventViewSet(mixins.ListModelMixin, OrganizationViewSet):
    """Who saw what: the organisation's access log, newest first."""

    model = AccessEvent
    read_action = "privacy.view_access_log"
    serializer_class = AccessEventSerializer

    def scoped_queryset(self) -> Any:
        params = self.request.query_params
        events = AccessEvent.objects.for_organization(self.organization).select_related("user")
        if params.get("household"):
            events = events.filter(household_id=params["household"])
        try:
            if params.get("start"):
                start = datetime.date.fromisoformat(params["start"])
                events = events.filter(at__gte=selectors._day_bounds(start, start)[0])
            if params.get("end"):
                end = datetime.date.fromisoformat(params["end"])
                events = events.filter(at__lt=selectors._day_bounds(end, end)[1])
        except ValueError as error:
            raise serializers.ValidationError({"start": "Date invalide (AAAA-MM-JJ)."}) from error
        return events.order_by("-at", "-pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().list(request, *args, **kwargs)
        except ValueError as error:  # an invalid household id
            raise serializers.ValidationError({"household": "Identifiant invalide."}) from error


class RetentionRunSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = RetentionRun
        fields = ["id", "day", "status", "started_at", "finished_at", "total", "results", "error"]


class RetentionRunViewSet(ReadOnlyOrganizationViewSet):
    model = RetentionRun
    read_action = "privacy.view_retention"
    serializer_class = RetentionRunSerializer

    def scoped_queryset(self) -> Any:
        return selectors.retention_runs(organization=self.organization)


class GrantedHouseholdSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    landlord = serializers.CharField()


class GrantedHouseholdPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = GrantedHouseholdSerializer(many=True)


class GrantedHouseholdList(OrganizationAPIView):
    """Partner side: the households granted to this organisation, each with its landlord."""

    read_action = "privacy.view_granted_households"
    serializer_class = GrantedHouseholdSerializer

    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=GrantedHouseholdPageSerializer,
    )
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        page = paginator.paginate_queryset(partners.granted_households(), request, view=self)
        landlords = partners.landlord_names([h.pk for h in page])
        for household in page:
            household.landlord = landlords.get(household.pk, "")
        return paginator.get_paginated_response(GrantedHouseholdSerializer(page, many=True).data)


ROUTES = [
    ("privacy/access-events", AccessEventViewSet, "privacy-access-event"),
    ("privacy/retention-runs", RetentionRunViewSet, "privacy-retention-run"),
]

API_PATHS = [
    path(
        "privacy/granted-households/",
        GrantedHouseholdList.as_view(),
        name="privacy-granted-households",
    ),
]
