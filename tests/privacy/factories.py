import datetime

import factory

from privacy.enums import ConsentPurpose, RetentionRunStatus, SecurityEventKind
from privacy.models import (
    ConsentRecord,
    ErasureRequest,
    LegalHold,
    PartnerAccessGrant,
    PartnerAccessGrantHousehold,
    RetentionRun,
    SecurityEvent,
)
from tests.factories import OrganizationOwnedFactory

SAME_ORG = factory.SelfAttribute("..organization")


class SecurityEventFactory(OrganizationOwnedFactory):
    kind = SecurityEventKind.SECOND_FACTOR_ENROLLED
    user = factory.SubFactory("tests.organizations.factories.UserFactory")

    class Meta:
        model = SecurityEvent


class LegalHoldFactory(OrganizationOwnedFactory):
    household = factory.SubFactory(
        "tests.housing.factories.HouseholdFactory", organization=SAME_ORG
    )
    reason = "Procédure d'expulsion en cours"
    started_on = datetime.date(2025, 1, 1)

    class Meta:
        model = LegalHold


class RetentionRunFactory(OrganizationOwnedFactory):
    day = datetime.date(2026, 1, 1)
    status = RetentionRunStatus.DRY_RUN
    started_at = factory.LazyFunction(
        lambda: __import__("django.utils.timezone").utils.timezone.now()
    )
    results = factory.LazyFunction(list)

    class Meta:
        model = RetentionRun


class ErasureRequestFactory(OrganizationOwnedFactory):
    household = factory.SubFactory(
        "tests.housing.factories.HouseholdFactory", organization=SAME_ORG
    )
    household_ref = factory.LazyAttribute(lambda o: o.household.public_id if o.household else None)
    requester_name = "Marie Durand"
    received_on = datetime.date(2026, 1, 5)
    scope = "Effacer mon numéro de téléphone"

    class Meta:
        model = ErasureRequest


class ConsentRecordFactory(OrganizationOwnedFactory):
    household = factory.SubFactory(
        "tests.housing.factories.HouseholdFactory", organization=SAME_ORG
    )
    purpose = ConsentPurpose.PARTNER_SHARING
    given_on = datetime.date(2026, 1, 1)
    expires_on = datetime.date(2028, 1, 1)

    class Meta:
        model = ConsentRecord


class PartnerAccessGrantFactory(OrganizationOwnedFactory):
    partner_organization = factory.SubFactory("tests.organizations.factories.OrganizationFactory")
    scope = "households"
    permissions = factory.LazyFunction(lambda: ["read_file"])
    valid_from = datetime.date(2025, 1, 1)
    mandate_reference = factory.Sequence(lambda n: f"MANDAT-{n:04d}")

    class Meta:
        model = PartnerAccessGrant


class PartnerAccessGrantHouseholdFactory(OrganizationOwnedFactory):
    grant = factory.SubFactory(PartnerAccessGrantFactory, organization=SAME_ORG)
    household = factory.SubFactory(
        "tests.housing.factories.HouseholdFactory", organization=SAME_ORG
    )
    partner_organization = factory.SelfAttribute("grant.partner_organization")

    class Meta:
        model = PartnerAccessGrantHousehold
