import datetime
from decimal import Decimal

import factory

from operations.enums import ActionKind, DwellingRole, ProspectionOutcome, RelocationKind
from operations.models import (
    ActionFunding,
    ActionParticipant,
    ActionPartner,
    ActionResidence,
    CollectiveAction,
    InsertionClause,
    Prospection,
    RegisterStatistic,
    RelocationDwelling,
    RelocationHousehold,
    RelocationOperation,
    RelocationPartner,
    RelocationPositioning,
    RelocationResidence,
)
from tests.allocations.factories import HousingApplicationFactory
from tests.factories import OrganizationOwnedFactory
from tests.housing.factories import (
    DwellingFactory,
    HouseholdFactory,
    PartnerFactory,
    ResidenceFactory,
)
from tests.organizations.factories import TerritoryFactory

SAME_ORG = factory.SelfAttribute("..organization")


class ProspectionFactory(OrganizationOwnedFactory):
    application = factory.SubFactory(HousingApplicationFactory, organization=SAME_ORG)
    dwelling = factory.SubFactory(DwellingFactory, organization=SAME_ORG)
    residence = factory.SelfAttribute("dwelling.residence")
    outcome = ProspectionOutcome.INTERESTED
    contacted_on = datetime.date(2026, 3, 2)

    class Meta:
        model = Prospection


class RegisterStatisticFactory(OrganizationOwnedFactory):
    territory = factory.SubFactory(TerritoryFactory, organization=SAME_ORG)
    on = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    active_demands = 29000

    class Meta:
        model = RegisterStatistic


class RelocationOperationFactory(OrganizationOwnedFactory):
    name = factory.Sequence(lambda n: f"Renouvellement urbain Borny {n}")
    kind = RelocationKind.URBAN_RENEWAL
    starts_on = datetime.date(2026, 1, 15)

    class Meta:
        model = RelocationOperation


class RelocationResidenceFactory(OrganizationOwnedFactory):
    operation = factory.SubFactory(RelocationOperationFactory, organization=SAME_ORG)
    residence = factory.SubFactory(ResidenceFactory, organization=SAME_ORG)

    class Meta:
        model = RelocationResidence


class RelocationDwellingFactory(OrganizationOwnedFactory):
    operation = factory.SubFactory(RelocationOperationFactory, organization=SAME_ORG)
    dwelling = factory.SubFactory(DwellingFactory, organization=SAME_ORG)
    role = DwellingRole.MOBILISED

    class Meta:
        model = RelocationDwelling


class RelocationPartnerFactory(OrganizationOwnedFactory):
    operation = factory.SubFactory(RelocationOperationFactory, organization=SAME_ORG)
    partner = factory.SubFactory(PartnerFactory, organization=SAME_ORG)
    role = "Ville"

    class Meta:
        model = RelocationPartner


class RelocationHouseholdFactory(OrganizationOwnedFactory):
    operation = factory.SubFactory(RelocationOperationFactory, organization=SAME_ORG)
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)

    class Meta:
        model = RelocationHousehold


class RelocationPositioningFactory(OrganizationOwnedFactory):
    relocation_household = factory.SubFactory(RelocationHouseholdFactory, organization=SAME_ORG)
    dwelling = factory.SubFactory(DwellingFactory, organization=SAME_ORG)
    positioned_on = datetime.date(2026, 2, 1)

    class Meta:
        model = RelocationPositioning


class CollectiveActionFactory(OrganizationOwnedFactory):
    name = factory.Sequence(lambda n: f"Atelier jeunes {n}")
    kind = ActionKind.WORKSHOP
    starts_on = datetime.date(2026, 2, 1)
    participants = 10

    class Meta:
        model = CollectiveAction


class ActionResidenceFactory(OrganizationOwnedFactory):
    action = factory.SubFactory(CollectiveActionFactory, organization=SAME_ORG)
    residence = factory.SubFactory(ResidenceFactory, organization=SAME_ORG)

    class Meta:
        model = ActionResidence


class ActionPartnerFactory(OrganizationOwnedFactory):
    action = factory.SubFactory(CollectiveActionFactory, organization=SAME_ORG)
    partner = factory.SubFactory(PartnerFactory, organization=SAME_ORG)

    class Meta:
        model = ActionPartner


class ActionParticipantFactory(OrganizationOwnedFactory):
    action = factory.SubFactory(CollectiveActionFactory, organization=SAME_ORG)
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)

    class Meta:
        model = ActionParticipant


class ActionFundingFactory(OrganizationOwnedFactory):
    action = factory.SubFactory(CollectiveActionFactory, organization=SAME_ORG)
    funder_name = "Fonds d'innovation sociale"
    amount = Decimal("60000.00")
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2028, 12, 31)

    class Meta:
        model = ActionFunding


class InsertionClauseFactory(OrganizationOwnedFactory):
    contract = factory.Sequence(lambda n: f"Marché de réhabilitation {n}")
    year = 2026
    required_hours = 1000
    achieved_hours = 800

    class Meta:
        model = InsertionClause
