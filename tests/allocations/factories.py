import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from allocations.enums import AttendanceStatus, DecisionKind, LabellingSource, Seat
from allocations.models import (
    ApplicationPriority,
    Attendance,
    Candidacy,
    Commission,
    CommissionMember,
    CommissionSession,
    Decision,
    HousingApplication,
    OccupancyReview,
    Offer,
    RemoteVote,
    SessionDwelling,
)
from tests.factories import OrganizationOwnedFactory
from tests.housing.factories import DwellingFactory, HouseholdFactory, LeaseFactory
from tests.organizations.factories import TerritoryFactory

SAME_ORG = factory.SelfAttribute("..organization")


class HousingApplicationFactory(OrganizationOwnedFactory):
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)
    registration_number = factory.Sequence(lambda n: f"05726{n:07d}")
    filed_on = datetime.date(2025, 6, 1)
    expires_on = datetime.date(2026, 6, 1)
    desired_communes = factory.LazyFunction(lambda: ["57463"])
    desired_typologies = factory.LazyFunction(lambda: ["T2", "T3"])
    adults = 2
    children = 1
    declared_monthly_resources = Decimal("1800.00")
    declared_annual_income = Decimal("21000.00")
    epci_code = "200039865"
    score = factory.Sequence(lambda n: Decimal(100 + n))
    score_source = "imported"

    class Meta:
        model = HousingApplication


class ApplicationPriorityFactory(OrganizationOwnedFactory):
    application = factory.SubFactory(HousingApplicationFactory, organization=SAME_ORG)
    criterion = "homeless"
    proof_type = "Attestation d'hébergement"
    labelling_source = LabellingSource.SIAO

    class Meta:
        model = ApplicationPriority


class CommissionFactory(OrganizationOwnedFactory):
    name = factory.Sequence(lambda n: f"CALEOL {n}")
    territory = factory.SubFactory(TerritoryFactory, organization=SAME_ORG)
    remote_allowed = True

    class Meta:
        model = Commission


class CommissionMemberFactory(OrganizationOwnedFactory):
    commission = factory.SubFactory(CommissionFactory, organization=SAME_ORG)
    full_name = factory.Sequence(lambda n: f"Membre {n}")
    seat = Seat.BOARD
    is_voting = True

    class Meta:
        model = CommissionMember


class CommissionSessionFactory(OrganizationOwnedFactory):
    commission = factory.SubFactory(CommissionFactory, organization=SAME_ORG)
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    place = "Siège, salle du conseil"

    class Meta:
        model = CommissionSession


class AttendanceFactory(OrganizationOwnedFactory):
    session = factory.SubFactory(CommissionSessionFactory, organization=SAME_ORG)
    member = factory.SubFactory(
        CommissionMemberFactory,
        organization=SAME_ORG,
        commission=factory.SelfAttribute("..session.commission"),
    )
    status = AttendanceStatus.PRESENT

    class Meta:
        model = Attendance


class SessionDwellingFactory(OrganizationOwnedFactory):
    session = factory.SubFactory(CommissionSessionFactory, organization=SAME_ORG)
    dwelling = factory.SubFactory(DwellingFactory, organization=SAME_ORG)

    class Meta:
        model = SessionDwelling


class CandidacyFactory(OrganizationOwnedFactory):
    session_dwelling = factory.SubFactory(SessionDwellingFactory, organization=SAME_ORG)
    application = factory.SubFactory(HousingApplicationFactory, organization=SAME_ORG)

    class Meta:
        model = Candidacy


class RemoteVoteFactory(OrganizationOwnedFactory):
    candidacy = factory.SubFactory(CandidacyFactory, organization=SAME_ORG)
    member = factory.SubFactory(CommissionMemberFactory, organization=SAME_ORG)
    rank = 1

    class Meta:
        model = RemoteVote


class DecisionFactory(OrganizationOwnedFactory):
    candidacy = factory.SubFactory(CandidacyFactory, organization=SAME_ORG)
    session_dwelling = factory.SelfAttribute("candidacy.session_dwelling")
    kind = DecisionKind.ATTRIBUTION
    rank = 1
    decided_on = datetime.date(2026, 3, 10)

    class Meta:
        model = Decision


class OfferFactory(OrganizationOwnedFactory):
    decision = factory.SubFactory(DecisionFactory, organization=SAME_ORG)
    session_dwelling = factory.SelfAttribute("decision.session_dwelling")
    application = factory.SelfAttribute("decision.candidacy.application")
    notified_on = datetime.date(2026, 3, 12)
    answer_deadline = datetime.date(2026, 3, 23)

    class Meta:
        model = Offer


class OccupancyReviewFactory(OrganizationOwnedFactory):
    lease = factory.SubFactory(LeaseFactory, organization=SAME_ORG)
    household = factory.SelfAttribute("lease.household")
    due_on = datetime.date(2026, 3, 1)
    criteria = factory.LazyFunction(lambda: ["under_occupation"])

    class Meta:
        model = OccupancyReview
