"""API of the arrears app (/api/v1/...). Reads through selectors, writes through services."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from arrears import selectors, services
from arrears.enums import (
    Approver,
    BorlooBasis,
    FslForm,
    FslPurpose,
    JudgmentOutcome,
    StepKind,
    WriteOffCause,
)
from arrears.imports import COLUMNS, OPTIONAL_COLUMNS, statements_import
from arrears.models import (
    AccountStatement,
    ArrearsCase,
    BorlooProtocol,
    DebtWriteOff,
    FslAid,
    ProcedureStep,
    RepaymentPlan,
)
from core.api import OrganizationViewSet
from core.drf import KeysetPagination

READ = "arrears.view_arrears"
WRITE = "arrears.manage_arrears"


class ScopedRelatedField(serializers.SlugRelatedField):
    """A related object by its public id, looked up in the request's organisation only."""

    def __init__(self, model: Any, **kwargs: Any) -> None:
        self.related_model = model
        kwargs.setdefault("slug_field", "public_id")
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        organization = getattr(request, "organization", None)
        if organization is None:
            return self.related_model.objects.none()
        return self.related_model.objects.for_organization(organization)


def _lease_model() -> Any:
    from housing.models import Lease

    return Lease


def _household_model() -> Any:
    from housing.models import Household

    return Household


# --- Account statements ---------------------------------------------------------------------------


class AccountStatementSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    lease = serializers.UUIDField(source="lease.public_id", read_only=True)
    lease_reference = serializers.CharField(source="lease.external_ref", read_only=True)

    class Meta:
        model = AccountStatement
        fields = [
            "id",
            "lease",
            "lease_reference",
            "month",
            "billed",
            "housing_benefit",
            "payments",
            "balance",
            "tenant_departed",
        ]
        read_only_fields = fields


class StatementImportSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="CSV « ; » (UTF-8 ou Windows-1252).")
    rows = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)),
        required=False,
        help_text=f"Lignes avec les colonnes {', '.join(COLUMNS + OPTIONAL_COLUMNS)}.",
    )


def _rows_to_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    columns = COLUMNS + [c for c in OPTIONAL_COLUMNS if any(c in row for row in rows)]
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return buffer.getvalue()


class StatementPagination(KeysetPagination):
    # Unique per lease and month; served by `statement_org_lease_month_idx`.
    ordering = ("lease_id", "-month")


class AccountStatementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationViewSet
):
    """Monthly account statements; `POST import/` upserts a month's file (all or nothing).
    The list is paged by cursor (`next` / `previous`, no `count`): there are millions."""

    model = AccountStatement
    serializer_class = AccountStatementSerializer
    pagination_class = StatementPagination
    read_action = READ
    write_action = "arrears.import_statements"
    action_rules = {"bulk_import": "arrears.import_statements"}
    filterset_fields = ["month", "tenant_departed"]

    def scoped_queryset(self) -> Any:
        return selectors.statement_list(organization=self.organization)

    @extend_schema(request=StatementImportSerializer, responses={200: dict, 400: dict})
    @action(detail=False, methods=["post"], url_path="import")
    def bulk_import(self, request: Request) -> Response:
        data = StatementImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if "file" in data.validated_data:
            content: bytes | str = data.validated_data["file"].read()
        elif "rows" in data.validated_data:
            content = _rows_to_csv(data.validated_data["rows"])
        else:
            return Response(
                {"non_field_errors": ["Envoyez un fichier (file) ou des lignes (rows)."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        report = statements_import(
            organization=self.organization, data=content, acting_user=request.user
        )
        if not report.ok:
            return Response(report.as_dict(), status=status.HTTP_400_BAD_REQUEST)
        from arrears.tasks import arrears_daily_for_organization
        from core.tasks import enqueue_on_commit

        enqueue_on_commit(arrears_daily_for_organization, organization_id=self.organization.pk)
        return Response(report.as_dict())


# --- Cases and steps ------------------------------------------------------------------------------


class ArrearsCaseSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    lease = ScopedRelatedField(_lease_model())
    household = serializers.UUIDField(source="household.public_id", read_only=True)
    household_name = serializers.CharField(source="household.name", read_only=True)
    officer = serializers.SerializerMethodField()
    debt = serializers.DecimalField(max_digits=10, decimal_places=2, write_only=True)

    class Meta:
        model = ArrearsCase
        fields = [
            "id",
            "lease",
            "household",
            "household_name",
            "officer",
            "status",
            "stage",
            "arrears_on",
            "opened_on",
            "debt",
            "debt_at_opening",
            "current_debt",
            "monthly_net_rent",
            "next_deadline_on",
            "next_deadline_label",
            "closure_proposed_on",
            "closed_on",
            "closure_reason",
            "relocation_status",
        ]
        read_only_fields = [
            "status",
            "stage",
            "opened_on",
            "debt_at_opening",
            "current_debt",
            "next_deadline_on",
            "next_deadline_label",
            "closure_proposed_on",
            "closed_on",
            "closure_reason",
            "relocation_status",
        ]

    def get_officer(self, case: ArrearsCase) -> str | None:
        return str(case.officer.user) if case.officer_id and case.officer else None


class CaseCloseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class ArrearsCaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OrganizationViewSet
):
    model = ArrearsCase
    serializer_class = ArrearsCaseSerializer
    read_action = READ
    write_action = WRITE
    filterset_fields = ["status", "stage"]

    def scoped_queryset(self) -> Any:
        return selectors.case_list(organization=self.organization)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.case_open(
            lease=data["lease"],
            arrears_on=data["arrears_on"],
            debt=data["debt"],
            monthly_net_rent=data.get("monthly_net_rent", 0),
            opened_by=self.request.user,
        )

    @extend_schema(request=CaseCloseSerializer, responses=ArrearsCaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, public_id: str) -> Response:
        case = self.get_object()
        data = CaseCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_close(
            case=case, closed_by=request.user, reason=data.validated_data["reason"]
        )
        return Response(self.get_serializer(case).data)


class ProcedureStepSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    case = ScopedRelatedField(ArrearsCase)
    kind = serializers.ChoiceField(choices=StepKind.choices)
    outcome = serializers.ChoiceField(
        choices=JudgmentOutcome.choices, required=False, allow_blank=True
    )

    class Meta:
        model = ProcedureStep
        fields = [
            "id",
            "case",
            "kind",
            "occurred_on",
            "outcome",
            "prefect_notified_on",
            "reference",
            "deadline_on",
        ]
        read_only_fields = ["deadline_on"]


class ProcedureStepViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OrganizationViewSet
):
    """Procedure steps; an impossible order or date is refused (400) with the reason."""

    model = ProcedureStep
    serializer_class = ProcedureStepSerializer
    read_action = READ
    write_action = WRITE
    filterset_fields = ["kind"]

    def scoped_queryset(self) -> Any:
        return selectors.step_list(organization=self.organization)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.step_record(
            case=data["case"],
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            outcome=data.get("outcome", ""),
            prefect_notified_on=data.get("prefect_notified_on"),
            reference=data.get("reference", ""),
            recorded_by=self.request.user,
        )


# --- Plans ----------------------------------------------------------------------------------------


class InstallmentSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    due_month = serializers.DateField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    paid_amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    status = serializers.CharField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        # The same output as the declared fields, built directly from a row
        # (`selectors.INSTALLMENT_COLUMNS`): a page of plans carries ~1,000 instalments, and
        # DRF's per-field machinery was half of the list's time, model instances a third.
        number, due_month, amount, paid_amount, status = instance
        return {
            "number": number,
            "due_month": due_month.isoformat(),
            "amount": f"{amount:.2f}",
            "paid_amount": f"{paid_amount:.2f}",
            "status": status,
        }


@extend_schema_field(InstallmentSerializer(many=True))
class InstallmentsField(serializers.Field):
    """A plan's instalments: the rows the view read for the whole page (`installment_rows`,
    one query), else this plan's (a created or renegotiated plan)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, plan: RepaymentPlan) -> list[dict[str, Any]]:
        rows = getattr(plan, "installment_rows", None)
        if rows is None:
            rows = selectors.installment_rows(organization=plan.organization_id, plans=[plan])
            rows = rows[plan.pk]
        item = InstallmentSerializer()
        return [item.to_representation(row) for row in rows]


class RepaymentPlanSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    case = ScopedRelatedField(ArrearsCase)
    previous = serializers.UUIDField(source="previous.public_id", read_only=True, default=None)
    approver = serializers.ChoiceField(choices=Approver.choices)
    installments = InstallmentsField()

    class Meta:
        model = RepaymentPlan
        fields = [
            "id",
            "case",
            "previous",
            "debt_at_signature",
            "monthly_amount",
            "start_month",
            "signed_on",
            "approver",
            "status",
            "paid_total",
            "breached_on",
            "installments",
        ]
        read_only_fields = ["status", "paid_total", "breached_on"]


class PlanRenegotiateSerializer(serializers.Serializer):
    debt_at_signature = serializers.DecimalField(max_digits=10, decimal_places=2)
    monthly_amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    start_month = serializers.DateField()
    signed_on = serializers.DateField()
    approver = serializers.ChoiceField(choices=Approver.choices)


class RepaymentPlanViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OrganizationViewSet
):
    model = RepaymentPlan
    serializer_class = RepaymentPlanSerializer
    read_action = READ
    write_action = WRITE
    filterset_fields = ["status", "approver"]

    def scoped_queryset(self) -> Any:
        # The serializer shows the case's and previous plan's ids; the instalments are read as
        # rows for the whole page (`paginate_queryset`), not as model instances.
        return (
            selectors.plan_list(organization=self.organization)
            .select_related(None)
            .select_related("case", "previous")
            .prefetch_related(None)
        )

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            rows = selectors.installment_rows(organization=self.organization, plans=page)
            for plan in page:
                plan.installment_rows = rows[plan.pk]
        return page

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.plan_create(created_by=self.request.user, **data)

    @extend_schema(request=PlanRenegotiateSerializer, responses=RepaymentPlanSerializer)
    @action(detail=True, methods=["post"])
    def renegotiate(self, request: Request, public_id: str) -> Response:
        plan = self.get_object()
        data = PlanRenegotiateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new = services.plan_renegotiate(plan=plan, acting_user=request.user, **data.validated_data)
        new = get_object_or_404(self.get_queryset(), pk=new.pk)
        return Response(self.get_serializer(new).data, status=status.HTTP_201_CREATED)


class BorlooProtocolSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    case = ScopedRelatedField(ArrearsCase)
    basis = serializers.ChoiceField(choices=BorlooBasis.choices)
    write_off = ScopedRelatedField(DebtWriteOff, required=False, allow_null=True)
    plan = serializers.UUIDField(source="plan.public_id", read_only=True)
    debt_at_signature = serializers.DecimalField(max_digits=10, decimal_places=2, write_only=True)
    monthly_amount = serializers.DecimalField(max_digits=10, decimal_places=2, write_only=True)
    start_month = serializers.DateField(write_only=True)

    class Meta:
        model = BorlooProtocol
        fields = [
            "id",
            "case",
            "basis",
            "write_off",
            "plan",
            "signed_on",
            "ends_on",
            "amendment_signed_on",
            "amendment_ends_on",
            "status",
            "outcome_on",
            "new_lease_due_on",
            "new_lease_signed_on",
            "debt_at_signature",
            "monthly_amount",
            "start_month",
        ]
        read_only_fields = [
            "amendment_signed_on",
            "amendment_ends_on",
            "status",
            "outcome_on",
            "new_lease_due_on",
            "new_lease_signed_on",
        ]


class BorlooProtocolViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OrganizationViewSet
):
    model = BorlooProtocol
    serializer_class = BorlooProtocolSerializer
    read_action = READ
    write_action = WRITE

    def scoped_queryset(self) -> Any:
        return selectors.borloo_list(organization=self.organization)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.borloo_create(
            created_by=self.request.user, **serializer.validated_data
        )


# --- Aid and write-offs ---------------------------------------------------------------------------


class FslAidSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    household = ScopedRelatedField(_household_model())
    case = ScopedRelatedField(ArrearsCase, required=False, allow_null=True)
    purpose = serializers.ChoiceField(choices=FslPurpose.choices)
    form = serializers.ChoiceField(choices=FslForm.choices)

    class Meta:
        model = FslAid
        fields = [
            "id",
            "household",
            "case",
            "purpose",
            "form",
            "amount_requested",
            "amount_granted",
            "requested_on",
            "outcome",
            "decided_on",
            "decision_body",
            "paid_to_landlord_on",
        ]
        read_only_fields = ["amount_granted", "outcome", "decided_on", "paid_to_landlord_on"]


class FslDecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[("granted", "Accordée"), ("refused", "Refusée")])
    decided_on = serializers.DateField()
    amount_granted = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True
    )
    decision_body = serializers.CharField(max_length=150, required=False, allow_blank=True)
    paid_to_landlord_on = serializers.DateField(required=False, allow_null=True)


class FslAidViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OrganizationViewSet
):
    model = FslAid
    serializer_class = FslAidSerializer
    read_action = READ
    write_action = WRITE
    filterset_fields = ["outcome", "purpose", "form"]

    def scoped_queryset(self) -> Any:
        return selectors.fsl_aid_list(organization=self.organization)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.fsl_aid_request(
            acting_user=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=FslDecisionSerializer, responses=FslAidSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, public_id: str) -> Response:
        aid = self.get_object()
        data = FslDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        aid = services.fsl_aid_decide(aid=aid, acting_user=request.user, **data.validated_data)
        return Response(self.get_serializer(aid).data)


class DebtWriteOffSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    household = ScopedRelatedField(_household_model())
    case = ScopedRelatedField(ArrearsCase, required=False, allow_null=True)
    cause = serializers.ChoiceField(choices=WriteOffCause.choices)

    class Meta:
        model = DebtWriteOff
        fields = ["id", "household", "case", "amount", "written_off_on", "cause"]


class DebtWriteOffViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OrganizationViewSet
):
    model = DebtWriteOff
    serializer_class = DebtWriteOffSerializer
    read_action = READ
    write_action = WRITE
    filterset_fields = ["cause"]

    def scoped_queryset(self) -> Any:
        return selectors.write_off_list(organization=self.organization)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.debt_write_off_record(
            acting_user=self.request.user, **serializer.validated_data
        )


ROUTES = [
    ("account-statements", AccountStatementViewSet, "account-statement"),
    ("arrears-cases", ArrearsCaseViewSet, "arrears-case"),
    ("procedure-steps", ProcedureStepViewSet, "procedure-step"),
    ("repayment-plans", RepaymentPlanViewSet, "repayment-plan"),
    ("borloo-protocols", BorlooProtocolViewSet, "borloo-protocol"),
    ("fsl-aids", FslAidViewSet, "fsl-aid"),
    ("debt-write-offs", DebtWriteOffViewSet, "debt-write-off"),
]
