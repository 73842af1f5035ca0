import factory

from reporting.enums import ReportKind, ReportStatus
from reporting.models import IndicatorSnapshot, ReportJob
from tests.factories import OrganizationOwnedFactory


class ReportJobFactory(OrganizationOwnedFactory):
    kind = ReportKind.ANNUAL_ACTIVITY
    year = 2025
    sections = factory.LazyFunction(lambda: ["tenant_profile"])
    request_key = factory.Sequence(lambda n: f"annual_activity:2025:*:tenant_profile#{n}")
    status = ReportStatus.FAILED
    error = "Erreur de test"

    class Meta:
        model = ReportJob

    class Params:
        queued = factory.Trait(status=ReportStatus.QUEUED, error="")


class IndicatorSnapshotFactory(OrganizationOwnedFactory):
    year = factory.Sequence(lambda n: 2000 + n % 100)
    territory = None

    class Meta:
        model = IndicatorSnapshot
