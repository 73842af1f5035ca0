from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import OrganizationAPIView, OrganizationViewSet
from organizations.models import Territory
from reporting import selectors, services
from reporting.enums import ReportKind, ReportStatus
from reporting.forms import IndicatorFilterForm
from reporting.indicators import registry
from reporting.models import ReportJob


class ReportJobSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    territory = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    territory_name = serializers.CharField(source="territory.name", read_only=True, default=None)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    requested_by = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "kind",
            "year",
            "territory",
            "territory_name",
            "sections",
            "status",
            "status_display",
            "progress",
            "current_step",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "error",
            "checksum",
            "snapshot_checksum",
            "timings",
            "file",
        ]
        read_only_fields = fields

    def get_requested_by(self, job: ReportJob) -> str | None:
        user = job.requested_by
        return (user.get_full_name() or user.email) if user else None

    def get_file(self, job: ReportJob) -> str | None:
        if job.status != ReportStatus.DONE:
            return None
        return f"/api/v1/report-jobs/{job.public_id}/file/"


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices, default=ReportKind.ANNUAL_ACTIVITY)
    year = serializers.IntegerField()
    territory = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Territory.objects.none(), required=False, allow_null=True
    )
    sections = serializers.ListField(child=serializers.CharField(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = getattr(self.context.get("request"), "organization", None)
        if organization is not None:
            self.fields["territory"].queryset = Territory.objects.for_organization(organization)


class ReportJobViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OrganizationViewSet
):
    """Report jobs: POST asks for a report (202 with the job, the same job when an identical one
    is pending); GET follows its status; `file/` downloads the PDF once done."""

    model = ReportJob
    serializer_class = ReportJobSerializer
    read_action = "reporting.view_reports"
    write_action = "reporting.request_report"
    action_rules = {"file": "reporting.download_report"}

    def scoped_queryset(self) -> Any:
        return selectors.report_job_list(organization=self.organization)

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportJobSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ReportRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            job, _created = services.report_request(
                organization=self.organization,
                requested_by=request.user,
                kind=data.validated_data["kind"],
                year=data.validated_data["year"],
                territory=data.validated_data.get("territory"),
                sections=data.validated_data.get("sections") or None,
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from error
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="file")
    def file(self, request: Request, public_id: str | None = None) -> Any:
        job = self.get_object()
        if job.status != ReportStatus.DONE or job.document is None:
            return Response(
                {"detail": "Le rapport n'est pas encore prêt."}, status=status.HTTP_409_CONFLICT
            )
        document = job.document
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=f"{document.title}.pdf".replace("/", "-"),
            content_type="application/pdf",
        )


class IndicatorsView(OrganizationAPIView):
    """Every indicator of the available sections for a year (default: this year) and a
    territory (default: the whole organisation), with its definition and N-1 when compared:
    the dashboard's figures (the same snapshot), computed at `computed_at`."""

    read_action = "reporting.view_indicators"

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="Année (par défaut : l'année en cours)"),
            OpenApiParameter("territory", str, description="Identifiant du territoire"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        form = IndicatorFilterForm(request.query_params, organization=request.organization)  # type: ignore[attr-defined]
        if request.query_params and not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        year, territory = form.filters()
        # The dashboard's snapshot (docs/reporting.md, "Snapshots"): `computed_at` says when.
        snapshot = services.indicator_snapshot_obtain(
            organization=request.organization,  # type: ignore[attr-defined]
            year=year,
            territory=territory,
            acting_user=request.user,
        )
        known = registry()
        result = []
        for part in snapshot.sections:
            for entry in part["indicators"]:
                indicator = known.get(entry["key"])
                if indicator is None:  # removed since the snapshot was computed
                    continue
                result.append(
                    {
                        **entry,
                        "section": part["key"],
                        "definition": indicator.definition,
                        "formula": indicator.formula,
                        "source": indicator.source,
                    }
                )
        return Response(
            {
                "year": year,
                "territory": str(territory.public_id) if territory else None,
                "computed_at": snapshot.computed_at,
                "indicators": result,
            }
        )


ROUTES = [("report-jobs", ReportJobViewSet, "report-job")]
API_PATHS = [path("indicators/", IndicatorsView.as_view(), name="api-indicators")]
