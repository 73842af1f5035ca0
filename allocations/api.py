"""API of the allocations app: demands, commissions, sessions (with dwellings, candidates and
attendance), decisions, offers, occupancy reviews. Writes go through the services."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from allocations import selectors, services
from allocations.enums import DecisionKind, SessionMode
from allocations.models import (
    ApplicationPriority,
    Attendance,
    Candidacy,
    Commission,
    CommissionMember,
    CommissionSession,
    Decision,
    HousingApplication,
    OccupancyReview,
    Offer,
    SessionDwelling,
)
from core.api import OrganizationViewSet, ReadOnlyOrganizationViewSet
from core.drf import KeysetPagination
from housing.models import Household

# --- Applications --------------------------------------------------------------------------------


class ApplicationPagination(KeysetPagination):
    # `application_org_priority_idx`; demands accumulate (closed ones stay): no count.
    ordering = ("-priority_level", "filed_on", "pk")


class PrioritySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationPriority
        fields = ["criterion", "proof_type", "labelling_source", "labelled_on"]


class ApplicationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    household = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Household.objects.none()
    )
    priorities = PrioritySerializer(many=True, required=False)

    class Meta:
        model = HousingApplication
        fields = [
            "id",
            "household",
            "registration_number",
            "filed_on",
            "renewed_on",
            "expires_on",
            "status",
            "radiation_reason",
            "radiated_on",
            "kind",
            "transfer_reason",
            "registration_desk",
            "desired_communes",
            "desired_typologies",
            "max_rent",
            "max_floor",
            "needs_lift",
            "needs_accessibility",
            "adults",
            "children",
            "declared_monthly_resources",
            "verified_monthly_resources",
            "declared_annual_income",
            "verified_annual_income",
            "epci_code",
            "first_quartile",
            "priority_level",
            "score",
            "score_source",
            "priorities",
            "flagged_for_radiation",
        ]
        read_only_fields = [
            "expires_on",
            "status",
            "radiation_reason",
            "radiated_on",
            "first_quartile",
            "priority_level",
            "flagged_for_radiation",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        organization = getattr(request, "organization", None)
        if organization is not None:
            self.fields["household"].queryset = Household.objects.for_organization(organization)


class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationViewSet,
):
    model = HousingApplication
    serializer_class = ApplicationSerializer
    pagination_class = ApplicationPagination
    read_action = "allocations.view_applications"
    write_action = "allocations.edit_applications"
    filterset_fields = ["status", "kind"]

    def scoped_queryset(self) -> Any:
        return selectors.application_list(organization=self.organization)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.application_create(
            organization=self.organization,
            created_by=self.request.user,
            household=data.pop("household"),
            registration_number=data.pop("registration_number"),
            filed_on=data.pop("filed_on"),
            renewed_on=data.pop("renewed_on", None),
            priorities=data.pop("priorities", []),
            **data,
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        for locked in ("household", "registration_number", "filed_on", "renewed_on"):
            data.pop(locked, None)
        priorities = data.pop("priorities", None)
        application = services.application_update(
            application=serializer.instance, updated_by=self.request.user, **data
        )
        if priorities is not None:
            services.application_set_priorities(
                application=application, priorities=priorities, updated_by=self.request.user
            )
        serializer.instance = application


# --- Commissions ---------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = CommissionMember
        fields = [
            "id",
            "full_name",
            "seat",
            "is_voting",
            "is_president",
            "commune_insee",
            "epci_code",
            "is_active",
        ]


class CommissionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    territory = serializers.CharField(source="territory.name", read_only=True)
    members = MemberSerializer(many=True, read_only=True)

    class Meta:
        model = Commission
        fields = [
            "id",
            "name",
            "territory",
            "quorum_rule",
            "quorum_minimum",
            "remote_allowed",
            "voting_window_hours",
            "internal_rules_adopted_on",
            "is_active",
            "members",
        ]


class CommissionViewSet(ReadOnlyOrganizationViewSet):
    model = Commission
    serializer_class = CommissionSerializer
    read_action = "allocations.view_sessions"

    def scoped_queryset(self) -> Any:
        return selectors.commission_list(organization=self.organization)


# --- Sessions ------------------------------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer):
    member = serializers.UUIDField(source="member.public_id")
    member_name = serializers.CharField(source="member.full_name")
    seat = serializers.CharField(source="member.seat")
    is_voting = serializers.BooleanField(source="member.is_voting")

    class Meta:
        model = Attendance
        fields = ["member", "member_name", "seat", "is_voting", "status", "represented_by"]


class DecisionSummarySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "kind",
            "rank",
            "missing_document",
            "condition_deadline",
            "reasons",
            "legal_basis",
            "departs_from_score",
        ]


class CandidacySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    application = serializers.UUIDField(source="application.public_id")
    registration_number = serializers.CharField(source="application.registration_number")
    household = serializers.CharField(source="application.household.name")
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Candidacy
        fields = [
            "id",
            "application",
            "registration_number",
            "household",
            "position",
            "effort_rate",
            "residual_income",
            "score",
            "decision",
        ]

    def get_decision(self, obj: Candidacy) -> Any:
        decision = getattr(obj, "decision", None) if hasattr(obj, "decision") else None
        return DecisionSummarySerializer(decision).data if decision else None


class SessionDwellingSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    dwelling = serializers.UUIDField(source="dwelling.public_id")
    reference = serializers.CharField(source="dwelling.reference")
    reserving_partner = serializers.CharField(source="reserving_partner.name", default=None)
    candidacies = CandidacySerializer(source="candidate_list", many=True)
    quorum = serializers.SerializerMethodField()
    rule_problem = serializers.CharField()

    class Meta:
        model = SessionDwelling
        fields = [
            "id",
            "dwelling",
            "reference",
            "flow",
            "reserving_partner",
            "candidate_exception",
            "exception_justification",
            "version",
            "quorum",
            "rule_problem",
            "candidacies",
        ]

    def get_quorum(self, obj: SessionDwelling) -> dict[str, Any]:
        q = obj.quorum  # type: ignore[attr-defined]
        return {
            "voting_seats": q.voting_seats,
            "voting_present": q.voting_present,
            "required": q.required,
            "reached": q.reached,
        }


class SessionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    commission = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Commission.objects.none()
    )

    class Meta:
        model = CommissionSession
        fields = [
            "id",
            "commission",
            "scheduled_at",
            "place",
            "mode",
            "status",
            "voting_opens_at",
            "voting_closes_at",
            "president_name",
        ]
        read_only_fields = ["status", "voting_opens_at", "voting_closes_at", "president_name"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        organization = getattr(request, "organization", None)
        if organization is not None:
            self.fields["commission"].queryset = Commission.objects.for_organization(organization)


class SessionDetailSerializer(SessionSerializer):
    dwellings = SessionDwellingSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(source="attendances", many=True, read_only=True)

    class Meta(SessionSerializer.Meta):
        fields = [*SessionSerializer.Meta.fields, "dwellings", "attendance"]


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=["publish", "draft", "hold", "close", "reopen", "sign"]
    )
    president_name = serializers.CharField(required=False, allow_blank=True, default="")


class CommissionSessionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OrganizationViewSet
):
    model = CommissionSession
    read_action = "allocations.view_sessions"
    write_action = "allocations.manage_sessions"

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return SessionDetailSerializer
        if self.action == "transition":
            return TransitionSerializer
        return SessionSerializer

    def scoped_queryset(self) -> Any:
        if self.action == "retrieve":
            return selectors.session_queryset(organization=self.organization)
        return selectors.session_list(organization=self.organization)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        session = self.get_object()
        selectors.annotate_session(session)
        return Response(
            SessionDetailSerializer(session, context=self.get_serializer_context()).data
        )

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.session_create(
            commission=data["commission"],
            scheduled_at=data["scheduled_at"],
            place=data.get("place", ""),
            mode=data.get("mode", SessionMode.IN_PERSON),
            created_by=self.request.user,
        )

    @action(detail=True, methods=["post"])
    def transition(self, request: Request, public_id: Any = None) -> Response:
        from allocations.views import TRANSITIONS

        session = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        TRANSITIONS[data.validated_data["action"]](session, request.user, data.validated_data)
        session.refresh_from_db()
        return Response(SessionSerializer(session, context=self.get_serializer_context()).data)


# --- Decisions -----------------------------------------------------------------------------------


class DecisionSerializer(DecisionSummarySerializer):
    candidacy = serializers.UUIDField(source="candidacy.public_id")
    application = serializers.UUIDField(source="candidacy.application.public_id")
    session_dwelling = serializers.UUIDField(source="session_dwelling.public_id")
    dwelling = serializers.CharField(source="session_dwelling.dwelling.reference")

    class Meta(DecisionSummarySerializer.Meta):
        fields = [
            *DecisionSummarySerializer.Meta.fields,
            "candidacy",
            "application",
            "session_dwelling",
            "dwelling",
            "decided_on",
            "score_departure_reason",
        ]


class DecisionInputSerializer(serializers.Serializer):
    candidacy = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    rank = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    missing_document = serializers.CharField(required=False, allow_blank=True, default="")
    condition_deadline = serializers.DateField(required=False, allow_null=True)
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    score_departure_reason = serializers.CharField(required=False, allow_blank=True, default="")


class RecordDecisionsSerializer(serializers.Serializer):
    session_dwelling = serializers.UUIDField()
    version = serializers.IntegerField()
    decisions = DecisionInputSerializer(many=True)


class DecisionPagination(KeysetPagination):
    # `decision_org_decided_idx`; every session adds its decisions: no count.
    ordering = ("-decided_on", "session_dwelling_id", "rank", "pk")


class DecisionViewSet(ReadOnlyOrganizationViewSet):
    """Decisions per candidate, newest first, paged by cursor. POST /decisions/record/ records
    one dwelling's decisions at once (with the dwelling's `version`: a concurrent edit answers
    400 and nothing is saved)."""

    model = Decision
    serializer_class = DecisionSerializer
    pagination_class = DecisionPagination
    read_action = "allocations.view_sessions"
    action_rules = {
        "list": "allocations.view_sessions",
        "retrieve": "allocations.view_sessions",
        "record": "allocations.record_decisions",
    }

    def scoped_queryset(self) -> Any:
        return selectors.decision_list(organization=self.organization).select_related(
            "session_dwelling"
        )

    def get_serializer_class(self) -> Any:
        return RecordDecisionsSerializer if self.action == "record" else DecisionSerializer

    @action(detail=False, methods=["post"])
    def record(self, request: Request) -> Response:
        data = RecordDecisionsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = get_object_or_404(
            SessionDwelling.objects.for_organization(self.organization).select_related(
                "session__commission", "dwelling__residence"
            ),
            public_id=data.validated_data["session_dwelling"],
        )
        candidacies = {c.public_id: c for c in item.candidacies.all()}
        decisions = []
        for entry in data.validated_data["decisions"]:
            entry = dict(entry)
            candidacy = candidacies.get(entry.pop("candidacy"))
            if candidacy is None:
                raise serializers.ValidationError(
                    {"decisions": "Candidat inconnu pour ce logement."}
                )
            decisions.append({"candidacy": candidacy, **entry})
        services.decisions_record(
            session_dwelling=item,
            expected_version=data.validated_data["version"],
            decisions=decisions,
            recorded_by=request.user,
        )
        saved = self.scoped_queryset().filter(session_dwelling=item)
        return Response(DecisionSerializer(saved, many=True).data, status=status.HTTP_201_CREATED)


# --- Offers --------------------------------------------------------------------------------------


class OfferSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    application = serializers.UUIDField(source="application.public_id", read_only=True)
    dwelling = serializers.CharField(source="session_dwelling.dwelling.reference", read_only=True)
    rank = serializers.IntegerField(source="decision.rank", read_only=True)

    class Meta:
        model = Offer
        fields = [
            "id",
            "application",
            "dwelling",
            "rank",
            "notified_on",
            "answer_deadline",
            "status",
            "answered_on",
            "refusal_reason",
            "refused_by_silence",
            "lease_signed_on",
        ]
        read_only_fields = fields


class OfferAnswerSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OfferPagination(KeysetPagination):
    # `offer_org_deadline_idx`; every session adds its offers: no count.
    ordering = ("answer_deadline", "pk")


class OfferViewSet(ReadOnlyOrganizationViewSet):
    model = Offer
    serializer_class = OfferSerializer
    pagination_class = OfferPagination
    read_action = "allocations.view_offers"
    action_rules = {
        "list": "allocations.view_offers",
        "retrieve": "allocations.view_offers",
        "accept": "allocations.manage_offers",
        "refuse": "allocations.manage_offers",
        "sign_lease": "allocations.manage_offers",
    }
    filterset_fields = ["status"]

    def scoped_queryset(self) -> Any:
        # Only the relations the serializer reads: every table joined under row-level security
        # costs planning time (7 tables: 14 ms to plan a 2 ms page at size L; 5 tables: 2 ms).
        return (
            selectors.offer_list(organization=self.organization)
            .select_related(None)
            .select_related("application", "session_dwelling__dwelling", "decision")
        )

    def get_serializer_class(self) -> Any:
        return (
            OfferAnswerSerializer
            if self.action in ("accept", "refuse", "sign_lease")
            else OfferSerializer
        )

    def _answer(self, request: Request) -> tuple[Offer, dict]:
        offer = self.get_object()
        data = OfferAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return offer, data.validated_data

    @action(detail=True, methods=["post"])
    def accept(self, request: Request, public_id: Any = None) -> Response:
        offer, data = self._answer(request)
        offer = services.offer_accept(offer=offer, on=data["on"], accepted_by=request.user)
        return Response(OfferSerializer(offer).data)

    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, public_id: Any = None) -> Response:
        offer, data = self._answer(request)
        services.offer_refuse(
            offer=offer, reason=data["reason"], on=data["on"], refused_by=request.user
        )
        offer.refresh_from_db()
        return Response(OfferSerializer(offer).data)

    @action(detail=True, methods=["post"], url_path="sign-lease")
    def sign_lease(self, request: Request, public_id: Any = None) -> Response:
        offer, data = self._answer(request)
        services.offer_sign_lease(offer=offer, signed_on=data["on"], signed_by=request.user)
        offer.refresh_from_db()
        return Response(OfferSerializer(offer).data)


# --- Occupancy reviews ---------------------------------------------------------------------------


class OccupancyReviewSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    household = serializers.UUIDField(source="household.public_id")
    dwelling = serializers.CharField(source="lease.dwelling.reference")

    class Meta:
        model = OccupancyReview
        fields = [
            "id",
            "household",
            "dwelling",
            "due_on",
            "criteria",
            "status",
            "opinion",
            "suitable_dwelling",
            "reviewed_on",
            "notified_on",
        ]


class OccupancyReviewViewSet(ReadOnlyOrganizationViewSet):
    model = OccupancyReview
    serializer_class = OccupancyReviewSerializer
    read_action = "allocations.view_occupancy_reviews"

    def scoped_queryset(self) -> Any:
        return selectors.occupancy_review_list(organization=self.organization)


ROUTES = [
    ("applications", ApplicationViewSet, "application"),
    ("commissions", CommissionViewSet, "commission"),
    ("commission-sessions", CommissionSessionViewSet, "commission-session"),
    ("decisions", DecisionViewSet, "decision"),
    ("offers", OfferViewSet, "offer"),
    ("occupancy-reviews", OccupancyReviewViewSet, "occupancy-review"),
]
