from decimal import Decimal

import factory

from quotas.enums import Direction, QuotaCategory, TargetKind
from quotas.models import ExcludedDwelling, ProgrammeLabel, QuotaTarget, ReservationAgreement
from tests.allocations.factories import HousingApplicationFactory
from tests.factories import OrganizationOwnedFactory
from tests.housing.factories import DwellingFactory, PartnerFactory
from tests.organizations.factories import TerritoryFactory

SAME_ORG = factory.SelfAttribute("..organization")


class ReservationAgreementFactory(OrganizationOwnedFactory):
    partner = factory.SubFactory(PartnerFactory, organization=SAME_ORG, prefecture=True)
    territory = factory.SubFactory(TerritoryFactory, organization=SAME_ORG)
    year = 2025
    flow_share = Decimal("30.00")

    class Meta:
        model = ReservationAgreement


class ExcludedDwellingFactory(OrganizationOwnedFactory):
    agreement = factory.SubFactory(ReservationAgreementFactory, organization=SAME_ORG)
    dwelling = factory.SubFactory(DwellingFactory, organization=SAME_ORG)
    reason = "Logement d'insertion géré hors flux"

    class Meta:
        model = ExcludedDwelling


class ProgrammeLabelFactory(OrganizationOwnedFactory):
    application = factory.SubFactory(HousingApplicationFactory, organization=SAME_ORG)
    programme = "MVS"

    class Meta:
        model = ProgrammeLabel


class QuotaTargetFactory(OrganizationOwnedFactory):
    territory = factory.SubFactory(TerritoryFactory, organization=SAME_ORG)
    year = 2025
    category = QuotaCategory.DALO
    kind = TargetKind.COUNT
    value = Decimal("9")
    direction = Direction.AT_LEAST

    class Meta:
        model = QuotaTarget
