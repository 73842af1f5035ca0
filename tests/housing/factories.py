import datetime
from decimal import Decimal

import factory

from housing.enums import (
    DwellingStatus,
    EmploymentStatus,
    Financing,
    IncomeKind,
    LeaseKind,
    PartnerKind,
    Relationship,
    Typology,
)
from housing.models import (
    Dwelling,
    Household,
    ImportJob,
    Income,
    Lease,
    Partner,
    Person,
    Residence,
)
from tests.factories import OrganizationOwnedFactory
from tests.organizations.factories import TerritoryFactory

SAME_ORG = factory.SelfAttribute("..organization")


class PartnerFactory(OrganizationOwnedFactory):
    name = factory.Sequence(lambda n: f"Association {n}")
    kind = PartnerKind.ASSOCIATION

    class Meta:
        model = Partner

    class Params:
        prefecture = factory.Trait(
            kind=PartnerKind.PREFECTURE, name=factory.Sequence(lambda n: f"Préfecture {n}")
        )
        action_logement = factory.Trait(
            kind=PartnerKind.ACTION_LOGEMENT,
            name=factory.Sequence(lambda n: f"Action Logement {n}"),
        )


class ResidenceFactory(OrganizationOwnedFactory):
    external_ref = factory.Sequence(lambda n: f"RES{n:05d}")
    name = factory.Sequence(lambda n: f"Résidence des Tilleuls {n}")
    address = "12 rue des Tilleuls"
    postal_code = "57000"
    commune_name = "Metz"
    commune_insee = "57463"
    epci_code = "200039865"
    epci_name = "Metz Métropole"
    is_qpv = False
    territory = factory.SubFactory(TerritoryFactory, organization=SAME_ORG)

    class Meta:
        model = Residence

    class Params:
        qpv = factory.Trait(is_qpv=True)


class DwellingFactory(OrganizationOwnedFactory):
    residence = factory.SubFactory(ResidenceFactory, organization=SAME_ORG)
    reference = factory.Sequence(lambda n: f"LOG{n:06d}")
    typology = Typology.T3
    surface = Decimal("65.00")
    floor = 2
    has_lift = True
    financing = Financing.PLUS
    rent = Decimal("420.00")
    charges = Decimal("110.00")
    status = DwellingStatus.VACANT

    class Meta:
        model = Dwelling


class HouseholdFactory(OrganizationOwnedFactory):
    name = factory.Sequence(lambda n: f"Ménage Durand {n}")
    phone = "06 12 34 56 78"

    class Meta:
        model = Household


class PersonFactory(OrganizationOwnedFactory):
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)
    first_name = "Marie"
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    birth_date = datetime.date(1985, 4, 12)
    relationship = Relationship.REFERENCE
    employment_status = EmploymentStatus.PERMANENT

    class Meta:
        model = Person


class IncomeFactory(OrganizationOwnedFactory):
    person = factory.SubFactory(PersonFactory, organization=SAME_ORG)
    kind = IncomeKind.SALARY
    declared_monthly_amount = Decimal("1500.00")

    class Meta:
        model = Income


class LeaseFactory(OrganizationOwnedFactory):
    dwelling = factory.SubFactory(
        DwellingFactory, organization=SAME_ORG, status=DwellingStatus.OCCUPIED
    )
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)
    kind = LeaseKind.ORDINARY
    signed_on = datetime.date(2022, 3, 1)
    start_date = datetime.date(2022, 3, 1)

    class Meta:
        model = Lease


class ImportJobFactory(OrganizationOwnedFactory):
    kind = "stock"
    file_name = "patrimoine.csv"
    content = b"residence_ref;residence_name\n"

    class Meta:
        model = ImportJob
