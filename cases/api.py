"""The social accompaniment API. Same policy and the same confidentiality as the pages: note
fields are serialized only for roles `cases.policy.can_read_note` allows, and every note
served is access-logged. Writes go through the services (400 with field and French reason)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.enums import (
    AdaptationKind,
    AppointmentStatus,
    CampaignKind,
    CaseMode,
    CaseOutcome,
    CaseStatus,
    ContactStatus,
    EnrolmentKind,
    EvaluationContext,
    InterventionKind,
    InterventionOutcome,
    Motive,
    Recommendation,
    ReferralStatus,
    Service,
)
from cases.models import (
    NOTE_FIELDS,
    AdaptationRequest,
    Appointment,
    CampaignTarget,
    Evaluation,
    Intervention,
    OutreachCampaign,
    ProgrammeEnrolment,
    Referral,
    SocialCase,
    SupportProgramme,
)
from cases.policy import can_read_note
from core.access import can
from core.api import OrganizationViewSet
from core.drf import KeysetPagination
from core.services import access_log_many
from organizations.enums import Role

# --- fields -------------------------------------------------------------------------------------------


class ScopedSlugField(serializers.SlugRelatedField):
    """A related object by its public id, looked up in the request's organisation."""

    def __init__(self, model_label: str, **kwargs: Any) -> None:
        self.model_label = model_label
        kwargs.setdefault("slug_field", "public_id")
        if not kwargs.get("read_only"):
            kwargs["queryset"] = _model(model_label).objects.none()
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        return _model(self.model_label).objects.for_organization(
            self.context["request"].organization
        )

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            raise
        except Exception as error:  # invalid UUID
            raise serializers.ValidationError("Identifiant invalide.") from error


def _model(label: str) -> Any:
    from django.apps import apps

    return apps.get_model(label)


class MemberField(serializers.SlugRelatedField):
    """A user of the organisation, by public id."""

    def __init__(self, **kwargs: Any) -> None:
        from organizations.models import User

        super().__init__(slug_field="public_id", queryset=User.objects.none(), **kwargs)

    def get_queryset(self) -> Any:
        from cases.forms import organization_users

        return organization_users(self.context["request"].organization)

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            raise
        except Exception as error:
            raise serializers.ValidationError("Identifiant invalide.") from error


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {"id": {"type": "string", "format": "uuid"}, "name": {"type": "string"}},
    }
)
class PersonNameField(serializers.Field):
    def to_representation(self, value: Any) -> Any:
        if value is None:
            return None
        return {"id": str(value.public_id), "name": value.get_full_name() or value.email}


# --- base ---------------------------------------------------------------------------------------------


class NotesSerializer(serializers.ModelSerializer):
    """Drops note fields unless the member may read them; remembers what it served."""

    id = serializers.UUIDField(source="public_id", read_only=True)

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        notes = NOTE_FIELDS.get(type(instance).__name__, ())
        request = self.context.get("request")
        if not notes or request is None:
            return data
        if can_read_note(request, instance):
            if any(getattr(instance, f, "") for f in notes):
                self.context.setdefault("noted", []).append(instance)
        else:
            for field in notes:
                data.pop(field, None)
        return data


class CasesViewSet(OrganizationViewSet):
    """Serves notes per the policy and access-logs them; another organisation's object is a
    404 before any write permission is considered."""

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        self._noted: list[Any] = context.setdefault("noted", [])
        return context

    def check_permissions(self, request: Request) -> None:
        if (
            self.kwargs.get(self.lookup_url_kwarg or "")
            and request.method not in permissions.SAFE_METHODS
            and request.user.is_authenticated
            and getattr(request, "organization", None) is not None
            and self.read_action
            and can(request, self.read_action)
        ):
            get_object_or_404(self.get_queryset(), public_id=self.kwargs[self.lookup_url_kwarg])
        super().check_permissions(request)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        noted = getattr(self, "_noted", [])
        if noted and getattr(response, "status_code", 500) < 400:
            seen = {id(o): o for o in noted}
            access_log_many(
                request=request._request,
                objects=list(seen.values()),
                household_id_of=lambda o: o.household.public_id,
                context=f"API {request.path}"[:200],
            )
            self._noted = []
        return super().finalize_response(request, response, *args, **kwargs)

    @property
    def user(self) -> Any:
        return self.request.user

    def _param(self, name: str) -> str:
        return self.request.query_params.get(name, "")

    def _run(self, serializer_class: Any, call: Any, instance: Any = None) -> Response:
        """Validate the body with `serializer_class`, run the service, answer with the object."""
        data = serializer_class(data=self.request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        result = call(data.validated_data)
        result = result if result is not None else instance
        return Response(self.get_serializer(result).data, status=status.HTTP_200_OK)


class ListRetrieveCreate(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, CasesViewSet
):
    pass


# --- Accompaniments -----------------------------------------------------------------------------------


class SocialCaseSerializer(NotesSerializer):
    household = ScopedSlugField("housing.Household")
    motives = serializers.ListField(child=serializers.ChoiceField(choices=Motive.choices))
    referent = MemberField()
    external_partner = ScopedSlugField("housing.Partner", required=False, allow_null=True)
    programme = ScopedSlugField("cases.SupportProgramme", required=False, allow_null=True)
    opened_on = serializers.DateField(required=False)
    planned_end_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = SocialCase
        fields = [
            "id",
            "household",
            "motives",
            "referent",
            "status",
            "mode",
            "external_partner",
            "programme",
            "opened_on",
            "planned_end_on",
            "closed_on",
            "outcome",
            "note",
        ]
        read_only_fields = ["status", "closed_on", "outcome"]


class SocialCaseUpdateSerializer(serializers.Serializer):
    motives = serializers.ListField(
        child=serializers.ChoiceField(choices=Motive.choices), required=False
    )
    referent = MemberField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class ExtendSerializer(serializers.Serializer):
    new_end_on = serializers.DateField()
    reason = serializers.CharField(max_length=250)


class CloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CaseOutcome.choices)
    closed_on = serializers.DateField(required=False)


class CaseStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[CaseStatus.OPEN, CaseStatus.SUSPENDED])
    reason = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")


class SocialCaseViewSet(ListRetrieveCreate, mixins.UpdateModelMixin):
    """Accompaniments. Filters: `status` (or `active`), `motive`, `referent`, `household`."""

    model = SocialCase
    serializer_class = SocialCaseSerializer
    read_action = "cases.view_cases"
    write_action = "cases.manage_cases"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self) -> Any:
        qs = SocialCase.objects.for_organization(self.organization).select_related(
            "household", "referent", "external_partner", "programme"
        )
        status_ = self._param("status")
        if status_ == "active":
            qs = qs.exclude(status=CaseStatus.CLOSED)
        elif status_:
            qs = qs.filter(status=status_)
        if self._param("motive"):
            qs = qs.filter(motives__contains=[self._param("motive")])
        if self._param("referent"):
            qs = qs.filter(referent__public_id=self._param("referent"))
        if self._param("household"):
            qs = qs.filter(household__public_id=self._param("household"))
        return qs.order_by("-opened_on", "-pk")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.social_case_open(
            organization=self.organization, opened_by=self.user, **data
        )

    @extend_schema(request=SocialCaseUpdateSerializer, responses=SocialCaseSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        social_case = self.get_object()
        return self._run(
            SocialCaseUpdateSerializer,
            lambda d: services.social_case_update(
                social_case=social_case, updated_by=self.user, **d
            ),
        )

    @extend_schema(request=ExtendSerializer, responses=SocialCaseSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, public_id: str) -> Response:
        social_case = self.get_object()
        data = ExtendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.social_case_extend(
            social_case=social_case, extended_by=self.user, **data.validated_data
        )
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=CloseSerializer, responses=SocialCaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, public_id: str) -> Response:
        social_case = self.get_object()
        return self._run(
            CloseSerializer,
            lambda d: services.social_case_close(social_case=social_case, closed_by=self.user, **d),
        )

    @extend_schema(request=CaseStatusSerializer, responses=SocialCaseSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, public_id: str) -> Response:
        social_case = self.get_object()
        return self._run(
            CaseStatusSerializer,
            lambda d: services.social_case_set_status(
                social_case=social_case, actor=self.user, **d
            ),
        )


# --- Evaluations --------------------------------------------------------------------------------------


class EvaluationSerializer(NotesSerializer):
    household = ScopedSlugField("housing.Household")
    author = PersonNameField(read_only=True)
    social_case = ScopedSlugField("cases.SocialCase", read_only=True)
    evaluated_on = serializers.DateField(required=False)
    recommendation = serializers.ChoiceField(
        choices=Recommendation.choices, required=False, allow_blank=True
    )

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "household",
            "author",
            "context",
            "evaluated_on",
            "status",
            "situation_note",
            "resources_note",
            "autonomy_note",
            "needs_note",
            "conclusion_note",
            "recommendation",
            "social_case",
        ]
        read_only_fields = ["status"]


class EvaluationUpdateSerializer(serializers.Serializer):
    context = serializers.ChoiceField(choices=EvaluationContext.choices, required=False)
    evaluated_on = serializers.DateField(required=False)
    situation_note = serializers.CharField(required=False, allow_blank=True)
    resources_note = serializers.CharField(required=False, allow_blank=True)
    autonomy_note = serializers.CharField(required=False, allow_blank=True)
    needs_note = serializers.CharField(required=False, allow_blank=True)
    conclusion_note = serializers.CharField(required=False, allow_blank=True)
    recommendation = serializers.ChoiceField(
        choices=Recommendation.choices, required=False, allow_blank=True
    )


class EvaluationCompleteSerializer(serializers.Serializer):
    open_case = serializers.BooleanField(required=False, default=False)
    motives = serializers.ListField(
        child=serializers.ChoiceField(choices=Motive.choices), required=False
    )
    referent = MemberField(required=False)
    mode = serializers.ChoiceField(
        choices=CaseMode.choices, required=False, default=CaseMode.INTERNAL
    )
    external_partner = ScopedSlugField("housing.Partner", required=False, allow_null=True)


class EvaluationViewSet(ListRetrieveCreate, mixins.UpdateModelMixin):
    """Social evaluations. Filters: `household`, `context`, `status`, `year`."""

    model = Evaluation
    serializer_class = EvaluationSerializer
    read_action = "cases.view_evaluations"
    write_action = "cases.manage_evaluations"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self) -> Any:
        qs = selectors.evaluation_list(organization=self.organization)
        for param, field in (
            ("household", "household__public_id"),
            ("context", "context"),
            ("status", "status"),
        ):
            if self._param(param):
                qs = qs.filter(**{field: self._param(param)})
        if self._param("year").isdigit():
            qs = qs.filter(evaluated_on__year=int(self._param("year")))
        return qs

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.evaluation_create(
            organization=self.organization, author=self.user, **data
        )

    @extend_schema(request=EvaluationUpdateSerializer, responses=EvaluationSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        evaluation = self.get_object()
        return self._run(
            EvaluationUpdateSerializer,
            lambda d: services.evaluation_update(evaluation=evaluation, updated_by=self.user, **d),
        )

    @extend_schema(request=EvaluationCompleteSerializer, responses=EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, public_id: str) -> Response:
        evaluation = self.get_object()
        return self._run(
            EvaluationCompleteSerializer,
            lambda d: services.evaluation_complete(
                evaluation=evaluation, completed_by=self.user, **d
            ),
        )


# --- Interventions ------------------------------------------------------------------------------------


class InterventionSerializer(NotesSerializer):
    household = ScopedSlugField("housing.Household")
    social_case = ScopedSlugField("cases.SocialCase", required=False, allow_null=True)
    author = PersonNameField(read_only=True)
    occurred_on = serializers.DateField(required=False)
    motive = serializers.ChoiceField(choices=Motive.choices, required=False, allow_blank=True)
    service = serializers.ChoiceField(choices=Service.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = Intervention
        fields = [
            "id",
            "household",
            "social_case",
            "author",
            "service",
            "kind",
            "occurred_on",
            "duration_minutes",
            "motive",
            "subject",
            "outcome",
            "note",
        ]


class InterventionUpdateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InterventionKind.choices, required=False)
    occurred_on = serializers.DateField(required=False)
    duration_minutes = serializers.IntegerField(min_value=0, max_value=1440, required=False)
    motive = serializers.ChoiceField(choices=Motive.choices, required=False, allow_blank=True)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True)
    outcome = serializers.ChoiceField(choices=InterventionOutcome.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class InterventionPagination(KeysetPagination):
    # `intervention_date_idx` (organisation, date, id), read backwards; contacts accumulate.
    ordering = ("-occurred_on", "-pk")


class InterventionViewSet(ListRetrieveCreate, mixins.UpdateModelMixin):
    """Contacts with households, newest first, paged by cursor (no count). Filters:
    `household`, `kind`, `service`, `author`, `year`, `mine=1`. An arrears officer's contacts
    are logged for the arrears service."""

    model = Intervention
    serializer_class = InterventionSerializer
    pagination_class = InterventionPagination
    read_action = "cases.view_cases"
    write_action = "cases.log_intervention"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self) -> Any:
        qs = selectors.intervention_list(organization=self.organization)
        for param, field in (
            ("household", "household__public_id"),
            ("kind", "kind"),
            ("service", "service"),
            ("author", "author__public_id"),
            ("social_case", "social_case__public_id"),
        ):
            if self._param(param):
                qs = qs.filter(**{field: self._param(param)})
        if self._param("year").isdigit():
            qs = qs.filter(occurred_on__year=int(self._param("year")))
        if self._param("mine") == "1":
            qs = qs.filter(author=self.user)
        return qs

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        membership = self.request.membership  # type: ignore[attr-defined]
        if membership.role == Role.ARREARS_OFFICER:
            data["service"] = Service.ARREARS
        serializer.instance = services.intervention_log(
            organization=self.organization, author=self.user, **data
        )

    @extend_schema(request=InterventionUpdateSerializer, responses=InterventionSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        intervention = self.get_object()
        return self._run(
            InterventionUpdateSerializer,
            lambda d: services.intervention_update(
                intervention=intervention, updated_by=self.user, **d
            ),
        )


# --- Referrals ----------------------------------------------------------------------------------------


class ReferralSerializer(NotesSerializer):
    household = ScopedSlugField("housing.Household")
    partner = ScopedSlugField("housing.Partner")
    social_case = ScopedSlugField("cases.SocialCase", required=False, allow_null=True)
    sent_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "household",
            "partner",
            "social_case",
            "motive",
            "sent_on",
            "status",
            "outcome_on",
            "outcome",
            "note",
        ]
        read_only_fields = ["status", "outcome_on", "outcome"]


class ReferralOutcomeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[c for c in ReferralStatus.values if c != ReferralStatus.SENT]
    )
    outcome = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
    outcome_on = serializers.DateField(required=False)


class ReferralViewSet(ListRetrieveCreate):
    """Orientations to partners. Filters: `status`, `household`, `partner`."""

    model = Referral
    serializer_class = ReferralSerializer
    read_action = "cases.view_cases"
    write_action = "cases.manage_referrals"

    def scoped_queryset(self) -> Any:
        qs = selectors.referral_list(organization=self.organization)
        for param, field in (
            ("status", "status"),
            ("household", "household__public_id"),
            ("partner", "partner__public_id"),
        ):
            if self._param(param):
                qs = qs.filter(**{field: self._param(param)})
        return qs

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.referral_create(
            organization=self.organization, referred_by=self.user, **serializer.validated_data
        )

    @extend_schema(request=ReferralOutcomeSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, public_id: str) -> Response:
        referral = self.get_object()
        return self._run(
            ReferralOutcomeSerializer,
            lambda d: services.referral_record_outcome(
                referral=referral, recorded_by=self.user, **d
            ),
        )


# --- Appointments -------------------------------------------------------------------------------------


class AppointmentSerializer(NotesSerializer):
    household = ScopedSlugField("housing.Household")
    social_case = ScopedSlugField("cases.SocialCase", required=False, allow_null=True)
    worker = MemberField()
    intervention = ScopedSlugField("cases.Intervention", read_only=True)

    class Meta:
        model = Appointment
        fields = [
            "id",
            "household",
            "social_case",
            "worker",
            "kind",
            "starts_at",
            "duration_minutes",
            "place",
            "subject",
            "status",
            "intervention",
        ]
        read_only_fields = ["status"]


class AppointmentStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[c for c in AppointmentStatus.values if c != AppointmentStatus.PLANNED]
    )
    outcome = serializers.ChoiceField(
        choices=InterventionOutcome.choices, required=False, default=InterventionOutcome.DONE
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AppointmentViewSet(ListRetrieveCreate):
    """Planned visits, interviews and calls. Filters: `worker`, `household`, `status`,
    `from` / `to` (dates), `mine=1`."""

    model = Appointment
    serializer_class = AppointmentSerializer
    read_action = "cases.manage_appointments"
    write_action = "cases.manage_appointments"

    def scoped_queryset(self) -> Any:
        # The serializer reads the household, case, worker and intervention of each row.
        qs = selectors.appointment_list(organization=self.organization).select_related(
            "social_case", "intervention"
        )
        for param, field in (
            ("worker", "worker__public_id"),
            ("household", "household__public_id"),
            ("status", "status"),
            ("from", "starts_at__date__gte"),
            ("to", "starts_at__date__lte"),
        ):
            if self._param(param):
                qs = qs.filter(**{field: self._param(param)})
        if self._param("mine") == "1":
            qs = qs.filter(worker=self.user)
        return qs

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.appointment_plan(
            organization=self.organization, planned_by=self.user, **serializer.validated_data
        )

    @extend_schema(request=AppointmentStatusSerializer, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, public_id: str) -> Response:
        appointment = self.get_object()
        return self._run(
            AppointmentStatusSerializer,
            lambda d: services.appointment_set_status(
                appointment=appointment, actor=self.user, **d
            ),
        )


# --- Outreach campaigns -------------------------------------------------------------------------------


class OutreachCampaignSerializer(NotesSerializer):
    callers = MemberField(many=True, required=False)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = OutreachCampaign
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "starts_on",
            "ends_on",
            "criteria",
            "calls_per_week",
            "callers",
            "progress",
        ]
        read_only_fields = ["status"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_progress(self, campaign: OutreachCampaign) -> dict[str, Any]:
        if (
            self.context.get("view") is not None
            and getattr(self.context["view"], "action", "") == "list"
        ):
            return {
                "total": getattr(campaign, "target_count", None),
                "reached": getattr(campaign, "reached_count", None),
                "to_call": getattr(campaign, "to_call_count", None),
            }
        return selectors.campaign_progress(campaign=campaign)


class CampaignTargetSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    household = ScopedSlugField("housing.Household", read_only=True)
    household_name = serializers.CharField(source="household.name", read_only=True)
    assigned_to = PersonNameField(read_only=True)

    class Meta:
        model = CampaignTarget
        fields = [
            "id",
            "household",
            "household_name",
            "assigned_to",
            "status",
            "recurring",
            "attempts",
            "last_contact_on",
            "next_call_on",
        ]


class CampaignStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["active", "closed"])


class ContactSerializer(serializers.Serializer):
    target = serializers.UUIDField()
    status = serializers.ChoiceField(
        choices=[ContactStatus.REACHED, ContactStatus.NOT_REACHED, ContactStatus.FOLLOW_UP]
    )
    duration_minutes = serializers.IntegerField(min_value=0, max_value=240, default=5)
    occurred_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OutreachCampaignViewSet(ListRetrieveCreate):
    """Outreach campaigns; `targets` lists the households, `contacts` records a call."""

    model = OutreachCampaign
    serializer_class = OutreachCampaignSerializer
    read_action = "cases.view_campaigns"
    write_action = "cases.manage_campaigns"
    action_rules = {"contacts": "cases.call_campaign"}

    def scoped_queryset(self) -> Any:
        qs = selectors.campaign_list(organization=self.organization).prefetch_related("callers")
        if self._param("status"):
            qs = qs.filter(status=self._param("status"))
        if self._param("kind"):
            qs = qs.filter(kind=self._param("kind"))
        return qs

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        if data.get("kind") not in CampaignKind.values:
            raise serializers.ValidationError({"kind": "Type de campagne inconnu."})
        serializer.instance = services.campaign_create(
            organization=self.organization, created_by=self.user, **data
        )

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "CampaignGenerated",
            {
                "added": serializers.IntegerField(),
                "total": serializers.IntegerField(),
                "called": serializers.IntegerField(),
                "to_call": serializers.IntegerField(),
                "reached": serializers.IntegerField(),
                "not_reached": serializers.IntegerField(),
                "follow_up": serializers.IntegerField(),
                "percent_called": serializers.IntegerField(),
                "percent_reached": serializers.IntegerField(),
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def generate(self, request: Request, public_id: str) -> Response:
        campaign = self.get_object()
        added = services.campaign_generate_targets(campaign=campaign, generated_by=self.user)
        return Response({"added": added, **selectors.campaign_progress(campaign=campaign)})

    @extend_schema(request=CampaignStatusSerializer, responses=OutreachCampaignSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, public_id: str) -> Response:
        campaign = self.get_object()
        return self._run(
            CampaignStatusSerializer,
            lambda d: services.campaign_set_status(campaign=campaign, actor=self.user, **d),
        )

    @extend_schema(request=None, responses=CampaignTargetSerializer(many=True))
    @action(detail=True, methods=["get"])
    def targets(self, request: Request, public_id: str) -> Response:
        campaign = self.get_object()
        qs = selectors.campaign_targets(campaign=campaign)
        if self._param("mine") == "1":
            qs = qs.filter(assigned_to=self.user)
        if self._param("status"):
            qs = qs.filter(status=self._param("status"))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(
            CampaignTargetSerializer(page, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(request=ContactSerializer, responses=CampaignTargetSerializer)
    @action(detail=True, methods=["post"])
    def contacts(self, request: Request, public_id: str) -> Response:
        campaign = self.get_object()
        data = ContactSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        target = get_object_or_404(
            CampaignTarget.objects.for_organization(self.organization).filter(campaign=campaign),
            public_id=values.pop("target"),
        )
        services.campaign_contact_record(target=target, caller=self.user, **values)
        target.refresh_from_db()
        return Response(
            CampaignTargetSerializer(target, context=self.get_serializer_context()).data
        )


# --- Adaptation requests ------------------------------------------------------------------------------


class AdaptationRequestSerializer(NotesSerializer):
    household = ScopedSlugField("housing.Household")
    requester = ScopedSlugField("housing.Person", required=False, allow_null=True)
    requested_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    fundings = serializers.SerializerMethodField()

    class Meta:
        model = AdaptationRequest
        fields = [
            "id",
            "household",
            "requester",
            "kind",
            "description",
            "requested_on",
            "status",
            "studied_on",
            "decision_reason",
            "works_started_on",
            "delivered_on",
            "estimated_cost",
            "final_cost",
            "fundings",
            "note",
        ]
        read_only_fields = [
            "status",
            "studied_on",
            "decision_reason",
            "works_started_on",
            "delivered_on",
            "final_cost",
        ]

    def get_fundings(self, obj: AdaptationRequest) -> list[dict[str, Any]]:
        return [
            {
                "partner": str(f.partner.public_id),
                "partner_name": f.partner.name,
                "amount": str(f.amount),
            }
            for f in obj.fundings.all()
        ]


class AdaptationDecisionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["approved", "postponed", "rejected"])
    studied_on = serializers.DateField()
    reason = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
    estimated_cost = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, min_value=0
    )


class AdaptationProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["in_works", "delivered", "cancelled"])
    on = serializers.DateField(required=False)
    final_cost = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, min_value=0
    )


class FundingSerializer(serializers.Serializer):
    partner = ScopedSlugField("housing.Partner")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)


class AdaptationRequestViewSet(ListRetrieveCreate):
    """Adaptation requests (bien vivre, bien vieillir). Filters: `status`, `household`,
    `year` (of the request)."""

    model = AdaptationRequest
    serializer_class = AdaptationRequestSerializer
    read_action = "cases.view_adaptations"
    write_action = "cases.manage_adaptations"

    def scoped_queryset(self) -> Any:
        qs = (
            AdaptationRequest.objects.for_organization(self.organization)
            .select_related("household", "requester")
            .prefetch_related("fundings__partner")
            .order_by("-requested_on", "-pk")
        )
        if self._param("status"):
            qs = qs.filter(status=self._param("status"))
        if self._param("household"):
            qs = qs.filter(household__public_id=self._param("household"))
        if self._param("year").isdigit():
            qs = qs.filter(requested_on__year=int(self._param("year")))
        return qs

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        if data.get("kind") not in AdaptationKind.values:
            raise serializers.ValidationError({"kind": "Type d'aménagement inconnu."})
        serializer.instance = services.adaptation_request_create(
            organization=self.organization, requested_by=self.user, **data
        )

    @extend_schema(request=AdaptationDecisionSerializer, responses=AdaptationRequestSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, public_id: str) -> Response:
        obj = self.get_object()
        return self._run(
            AdaptationDecisionSerializer,
            lambda d: services.adaptation_request_decide(request=obj, decided_by=self.user, **d),
        )

    @extend_schema(request=AdaptationProgressSerializer, responses=AdaptationRequestSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, public_id: str) -> Response:
        obj = self.get_object()
        return self._run(
            AdaptationProgressSerializer,
            lambda d: services.adaptation_request_progress(request=obj, actor=self.user, **d),
        )

    @extend_schema(request=FundingSerializer, responses=AdaptationRequestSerializer)
    @action(detail=True, methods=["post"])
    def funding(self, request: Request, public_id: str) -> Response:
        obj = self.get_object()
        data = FundingSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        services.adaptation_funding_set(request=obj, set_by=self.user, **data.validated_data)
        return Response(self.get_serializer(self.get_object()).data)


# --- Support programmes -------------------------------------------------------------------------------


class SupportProgrammeSerializer(NotesSerializer):
    operator = ScopedSlugField("housing.Partner", required=False, allow_null=True)
    achieved_access = serializers.IntegerField(read_only=True)
    achieved_staying = serializers.IntegerField(read_only=True)

    class Meta:
        model = SupportProgramme
        fields = [
            "id",
            "name",
            "decision_body",
            "funders",
            "operator",
            "starts_on",
            "ends_on",
            "status",
            "unit_cost_diagnostic",
            "unit_cost_yearly_accompaniment",
            "unit_cost_collective_action",
            "collective_actions_held",
            "target_access",
            "target_staying",
            "budget_planned",
            "achieved_access",
            "achieved_staying",
        ]
        read_only_fields = ["status"]


class EnrolmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    household = ScopedSlugField("housing.Household")

    class Meta:
        model = ProgrammeEnrolment
        fields = [
            "id",
            "household",
            "kind",
            "status",
            "proposed_on",
            "decided_on",
            "decision_text",
            "diagnostic_done",
            "ended_on",
        ]
        read_only_fields = ["status", "decided_on", "decision_text", "diagnostic_done", "ended_on"]


class EnrolSerializer(serializers.Serializer):
    household = ScopedSlugField("housing.Household")
    kind = serializers.ChoiceField(choices=EnrolmentKind.choices)
    proposed_on = serializers.DateField(required=False)


class EnrolmentDecisionSerializer(serializers.Serializer):
    enrolment = serializers.UUIDField()
    status = serializers.ChoiceField(choices=["accepted", "refused", "ended"])
    on = serializers.DateField(required=False)
    decision_text = serializers.CharField(
        max_length=250, required=False, allow_blank=True, default=""
    )
    diagnostic_done = serializers.BooleanField(required=False, allow_null=True, default=None)


class SupportProgrammeViewSet(ListRetrieveCreate, mixins.UpdateModelMixin):
    """Support programmes (dispositifs); `enrolments` lists and proposes households,
    `decisions` records the body's decisions."""

    model = SupportProgramme
    serializer_class = SupportProgrammeSerializer
    read_action = "cases.view_programmes"
    write_action = "cases.manage_programmes"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self) -> Any:
        qs = selectors.programme_list(organization=self.organization)
        if self._param("status"):
            qs = qs.filter(status=self._param("status"))
        return qs

    def perform_create(self, serializer: Any) -> None:
        programme = services.programme_save(
            organization=self.organization, saved_by=self.user, **serializer.validated_data
        )
        # With its computed achievements, as the list and detail serve it.
        serializer.instance = self.scoped_queryset().get(pk=programme.pk)

    def perform_update(self, serializer: Any) -> None:
        services.programme_save(
            organization=self.organization,
            saved_by=self.user,
            programme=serializer.instance,
            **serializer.validated_data,
        )
        serializer.instance = self.scoped_queryset().get(pk=serializer.instance.pk)

    @extend_schema(methods=["GET"], request=None, responses=EnrolmentSerializer(many=True))
    @extend_schema(methods=["POST"], request=EnrolSerializer, responses={201: EnrolmentSerializer})
    @action(detail=True, methods=["get", "post"])
    def enrolments(self, request: Request, public_id: str) -> Response:
        programme = self.get_object()
        if request.method == "POST":
            data = EnrolSerializer(data=request.data, context=self.get_serializer_context())
            data.is_valid(raise_exception=True)
            enrolment = services.programme_enrol(
                programme=programme, enrolled_by=self.user, **data.validated_data
            )
            return Response(
                EnrolmentSerializer(enrolment, context=self.get_serializer_context()).data,
                status=status.HTTP_201_CREATED,
            )
        qs = programme.enrolments.select_related("household").order_by("-proposed_on", "pk")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(
            EnrolmentSerializer(page, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(request=EnrolmentDecisionSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def decisions(self, request: Request, public_id: str) -> Response:
        programme = self.get_object()
        data = EnrolmentDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        enrolment = get_object_or_404(
            ProgrammeEnrolment.objects.for_organization(self.organization).filter(
                programme=programme
            ),
            public_id=values.pop("enrolment"),
        )
        enrolment = services.programme_enrolment_decide(
            enrolment=enrolment, decided_by=self.user, **values
        )
        return Response(EnrolmentSerializer(enrolment, context=self.get_serializer_context()).data)


ROUTES = [
    ("social-cases", SocialCaseViewSet, "social-case"),
    ("evaluations", EvaluationViewSet, "evaluation"),
    ("interventions", InterventionViewSet, "intervention"),
    ("referrals", ReferralViewSet, "referral"),
    ("appointments", AppointmentViewSet, "appointment"),
    ("outreach-campaigns", OutreachCampaignViewSet, "outreach-campaign"),
    ("adaptation-requests", AdaptationRequestViewSet, "adaptation-request"),
    ("support-programmes", SupportProgrammeViewSet, "support-programme"),
]
