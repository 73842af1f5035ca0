"""The privacy API: the access log (filtered by household and period), retention runs, and,
for partner organisations, the households granted to them under mandate: the list (with
search), a household's file, and the interventions their staff log there."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from cases.enums import InterventionKind, InterventionOutcome, Motive
from core.api import OrganizationAPIView, OrganizationViewSet, ReadOnlyOrganizationViewSet
from core.drf import Pagination
from core.models import AccessEvent
from core.services import access_log
from housing.models import Household
from privacy import partner_views, partners, selectors
from privacy.enums import GrantPermission
from privacy.models import RetentionRun


class AccessEventSerializer(serializers.ModelSerializer):
    user = serializers.EmailField(source="user.email", read_only=True)
    acting_organization = serializers.CharField(
        source="acting_organization.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = AccessEvent
        fields = [
            "at",
            "user",
            "acting_organization",
            "action",
            "object_type",
            "object_id",
            "household_id",
            "context",
        ]


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
        events = AccessEvent.objects.for_organization(self.organization).select_related(
            "user", "acting_organization"
        )
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
    landlord = serializers.CharField(source="organization.name")
    commune_name = serializers.CharField()


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
        operation_id="privacy_granted_households_list",
        parameters=[
            OpenApiParameter("q", str, description="Recherche (nom, téléphone, adresse…)"),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=GrantedHouseholdPageSerializer,
    )
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        households = partners.granted_households(query=request.query_params.get("q", ""))
        page = paginator.paginate_queryset(households, request, view=self)
        return paginator.get_paginated_response(GrantedHouseholdSerializer(page, many=True).data)


class GrantedMemberSerializer(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    relationship = serializers.CharField()


class GrantedLeaseSerializer(serializers.Serializer):
    dwelling = serializers.CharField(source="dwelling.reference")
    residence = serializers.CharField(source="dwelling.residence.name")
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)


class GrantedEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    category = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()


class GrantedInterventionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    kind = serializers.ChoiceField(choices=InterventionKind.choices)
    occurred_on = serializers.DateField(required=False)
    duration_minutes = serializers.IntegerField(min_value=0, max_value=1440, required=False)
    motive = serializers.ChoiceField(
        choices=[("", "—"), *Motive.choices], required=False, allow_blank=True
    )
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True)
    outcome = serializers.ChoiceField(choices=InterventionOutcome.choices, required=False)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Confidentielle : seulement avec le droit « Écrire des notes sociales ».",
    )
    partner_organization = serializers.SerializerMethodField()

    def get_partner_organization(self, obj: Any) -> str | None:
        mandate = getattr(obj, "mandate", None)
        return mandate.partner_organization.name if mandate else None

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        if instance not in self.context.get("visible_notes", ()):
            data.pop("note", None)
        return data


class GrantedCaseSerializer(serializers.Serializer):
    motives = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField()
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    note = serializers.CharField()


class GrantedEvaluationSerializer(serializers.Serializer):
    context = serializers.CharField()
    evaluated_on = serializers.DateField()
    status = serializers.CharField()
    situation_note = serializers.CharField()
    resources_note = serializers.CharField()
    autonomy_note = serializers.CharField()
    needs_note = serializers.CharField()
    conclusion_note = serializers.CharField()


class GrantedHouseholdFileSerializer(GrantedHouseholdSerializer):
    address = serializers.CharField()
    postal_code = serializers.CharField()
    permissions = serializers.ListField(child=serializers.CharField())
    members = GrantedMemberSerializer(many=True)
    leases = GrantedLeaseSerializer(many=True)
    events = GrantedEventSerializer(many=True)
    interventions = GrantedInterventionSerializer(many=True)
    cases = GrantedCaseSerializer(many=True)
    evaluations = GrantedEvaluationSerializer(many=True)


class GrantedHouseholdDetail(OrganizationAPIView):
    """Partner side: a granted household's file (members, leases, timeline, interventions; the
    landlord's social follow-up and notes under `read_notes`). Logged in the landlord's access
    log. Not granted, or no longer: 404."""

    model = Household
    read_action = "privacy.view_granted_households"

    @extend_schema(
        operation_id="privacy_granted_households_retrieve", responses=GrantedHouseholdFileSerializer
    )
    def get(self, request: Request, public_id: Any) -> Response:
        household = partner_views.granted_household_or_404(public_id)
        file = partners.granted_household_file(household=household)
        access_log(
            request=request._request,
            obj=household,
            household_id=household.public_id,
            context=f"API — mandat, dossier du ménage de {file['landlord']}",
            owner_organization_id=household.organization_id,
        )
        visible = partner_views.visible_notes(request._request, file)
        notes = file["notes_granted"] and visible
        payload = {
            **GrantedHouseholdSerializer(household).data,
            "address": household.address,
            "postal_code": household.postal_code,
            "permissions": sorted(file["permissions"]),
            "members": GrantedMemberSerializer(file["members"], many=True).data,
            "leases": GrantedLeaseSerializer(file["leases"], many=True).data,
            "events": GrantedEventSerializer(file["events"], many=True).data,
            "interventions": GrantedInterventionSerializer(
                file["interventions"], many=True, context={"visible_notes": visible}
            ).data,
            "cases": GrantedCaseSerializer(file["cases"] if notes else [], many=True).data,
            "evaluations": GrantedEvaluationSerializer(
                file["evaluations"] if notes else [], many=True
            ).data,
        }
        return Response(payload)


class GrantedInterventionCreate(OrganizationAPIView):
    """Partner side: log an intervention in a granted household's file (grant
    `log_interventions`, and `write_notes` for a note). The intervention is the landlord's,
    attributed to the author and the mandate."""

    model = Household
    read_action = "privacy.view_granted_households"
    write_action = "cases.log_intervention"

    @extend_schema(
        request=GrantedInterventionSerializer, responses={201: GrantedInterventionSerializer}
    )
    def post(self, request: Request, public_id: Any) -> Response:
        household = partner_views.granted_household_or_404(public_id)
        if GrantPermission.LOG_INTERVENTIONS not in partners.permissions_for(household):
            raise exceptions.PermissionDenied(
                "Votre mandat ne permet pas de saisir des interventions pour ce ménage."
            )
        data = GrantedInterventionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        intervention = partners.partner_intervention_log(
            household=household, author=request.user, **data.validated_data
        )
        return Response(
            GrantedInterventionSerializer(
                intervention, context={"visible_notes": [intervention]}
            ).data,
            status=status.HTTP_201_CREATED,
        )


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
    path(
        "privacy/granted-households/<uuid:public_id>/",
        GrantedHouseholdDetail.as_view(),
        name="privacy-granted-household",
    ),
    path(
        "privacy/granted-households/<uuid:public_id>/interventions/",
        GrantedInterventionCreate.as_view(),
        name="privacy-granted-household-interventions",
    ),
]
