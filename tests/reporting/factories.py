import factory

from reporting.enums import ReportKind, ReportStatus
from reporting.models import ReportJob
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
