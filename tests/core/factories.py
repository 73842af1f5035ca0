import datetime
import hashlib

import factory
from django.core.files.base import ContentFile

from core.models import ParameterValue, StoredDocument, TimelineEvent
from tests.factories import OrganizationOwnedFactory


class StoredDocumentFactory(OrganizationOwnedFactory):
    kind = "test"
    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test", name="doc.pdf"))
    sha256 = hashlib.sha256(b"%PDF-1.4 test").hexdigest()
    size = 13
    access_action = "organizations.view_members"

    class Meta:
        model = StoredDocument


class ParameterValueFactory(OrganizationOwnedFactory):
    key = "core.access_log_retention_months"
    value = "12"
    valid_from = datetime.date(2026, 1, 1)

    class Meta:
        model = ParameterValue


class TimelineEventFactory(OrganizationOwnedFactory):
    household = factory.SubFactory(
        "tests.housing.factories.HouseholdFactory",
        organization=factory.SelfAttribute("..organization"),
    )
    at = factory.LazyFunction(lambda: __import__("django.utils.timezone", fromlist=["now"]).now())
    category = "housing"
    kind = "test"
    title = "Événement"

    class Meta:
        model = TimelineEvent
