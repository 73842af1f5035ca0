import factory
from factory.django import DjangoModelFactory

from organizations.enums import OrganizationKind, Role
from organizations.models import Membership, MembershipTerritory, Organization, Territory, User
from tests.factories import OrganizationOwnedFactory

PASSWORD = "une phrase de passe assez longue"


class OrganizationFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Bailleur {n}")
    slug = factory.Sequence(lambda n: f"bailleur-{n}")
    kind = OrganizationKind.ESH
    siren = factory.Sequence(lambda n: f"{500000000 + n}")

    class Meta:
        model = Organization


class UserFactory(DjangoModelFactory):
    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.django.Password(PASSWORD)

    class Meta:
        model = User


class TerritoryFactory(OrganizationOwnedFactory):
    name = factory.Sequence(lambda n: f"Territoire {n}")
    communes = ["57463"]

    class Meta:
        model = Territory


class MembershipFactory(OrganizationOwnedFactory):
    user = factory.SubFactory(UserFactory)
    role = Role.SOCIAL_WORKER

    class Meta:
        model = Membership

    class Params:
        manager = factory.Trait(role=Role.MANAGER)
        admin = factory.Trait(role=Role.ORG_ADMIN)
        secretary = factory.Trait(role=Role.COMMISSION_SECRETARY)
        member = factory.Trait(role=Role.COMMISSION_MEMBER)
        arrears = factory.Trait(role=Role.ARREARS_OFFICER)
        read_only = factory.Trait(role=Role.READ_ONLY)


class MembershipTerritoryFactory(OrganizationOwnedFactory):
    membership = factory.SubFactory(
        MembershipFactory, organization=factory.SelfAttribute("..organization")
    )
    territory = factory.SubFactory(
        TerritoryFactory, organization=factory.SelfAttribute("..organization")
    )

    class Meta:
        model = MembershipTerritory
