import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from cases.enums import (
    AdaptationKind,
    CampaignKind,
    EnrolmentKind,
    EvaluationContext,
    InterventionKind,
    Motive,
    ReviewFileKind,
)
from cases.models import (
    AdaptationFunding,
    AdaptationRequest,
    Appointment,
    CampaignCaller,
    CampaignTarget,
    CaseExtension,
    CaseReview,
    CaseReviewItem,
    Evaluation,
    Intervention,
    OutreachCampaign,
    ProgrammeEnrolment,
    Referral,
    SocialCase,
    StatusChange,
    SupportProgramme,
)
from tests.factories import OrganizationOwnedFactory
from tests.housing.factories import HouseholdFactory, PartnerFactory
from tests.organizations.factories import UserFactory

SAME_ORG = factory.SelfAttribute("..organization")


class SocialCaseFactory(OrganizationOwnedFactory):
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)
    motives = factory.LazyFunction(lambda: [Motive.ACCESS_TO_RIGHTS])
    referent = factory.SubFactory(UserFactory)
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    planned_end_on = factory.LazyAttribute(lambda o: o.opened_on + datetime.timedelta(days=120))
    note = "Note confidentielle du suivi"

    class Meta:
        model = SocialCase


class CaseExtensionFactory(OrganizationOwnedFactory):
    social_case = factory.SubFactory(SocialCaseFactory, organization=SAME_ORG)
    previous_end_on = datetime.date(2026, 5, 1)
    new_end_on = datetime.date(2026, 7, 1)
    reason = "Démarches en cours"

    class Meta:
        model = CaseExtension


class StatusChangeFactory(OrganizationOwnedFactory):
    subject_type = "cases.SocialCase"
    subject_id = factory.Faker("uuid4")
    from_status = "open"
    to_status = "closed"

    class Meta:
        model = StatusChange


class EvaluationFactory(OrganizationOwnedFactory):
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)
    author = factory.SubFactory(UserFactory)
    context = EvaluationContext.ALLOCATION
    evaluated_on = factory.LazyFunction(timezone.localdate)
    situation_note = "SECRET situation"
    conclusion_note = "SECRET conclusion"

    class Meta:
        model = Evaluation


class InterventionFactory(OrganizationOwnedFactory):
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)
    author = factory.SubFactory(UserFactory)
    kind = InterventionKind.HOME_VISIT
    occurred_on = factory.LazyFunction(timezone.localdate)
    duration_minutes = 45
    subject = "Point sur la situation"
    note = "SECRET note d'intervention"

    class Meta:
        model = Intervention


class AppointmentFactory(OrganizationOwnedFactory):
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)
    worker = factory.SubFactory(UserFactory)
    kind = InterventionKind.HOME_VISIT
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))

    class Meta:
        model = Appointment


class ReferralFactory(OrganizationOwnedFactory):
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)
    partner = factory.SubFactory(PartnerFactory, organization=SAME_ORG)
    motive = Motive.ACCESS_TO_RIGHTS
    sent_on = factory.LazyFunction(timezone.localdate)
    note = "SECRET orientation"

    class Meta:
        model = Referral


class OutreachCampaignFactory(OrganizationOwnedFactory):
    name = factory.Sequence(lambda n: f"Plan grand froid {n}")
    kind = CampaignKind.COLD_WAVE
    starts_on = factory.LazyFunction(timezone.localdate)
    criteria = factory.LazyFunction(lambda: {"min_age": 75, "tenants_only": False})

    class Meta:
        model = OutreachCampaign


class CampaignCallerFactory(OrganizationOwnedFactory):
    campaign = factory.SubFactory(OutreachCampaignFactory, organization=SAME_ORG)
    user = factory.SubFactory(UserFactory)

    class Meta:
        model = CampaignCaller


class CampaignTargetFactory(OrganizationOwnedFactory):
    campaign = factory.SubFactory(OutreachCampaignFactory, organization=SAME_ORG)
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)

    class Meta:
        model = CampaignTarget


class AdaptationRequestFactory(OrganizationOwnedFactory):
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)
    kind = AdaptationKind.BATH_TO_SHOWER
    requested_on = factory.LazyFunction(timezone.localdate)
    estimated_cost = Decimal("3750.00")
    note = "SECRET adaptation"

    class Meta:
        model = AdaptationRequest


class AdaptationFundingFactory(OrganizationOwnedFactory):
    request = factory.SubFactory(AdaptationRequestFactory, organization=SAME_ORG)
    partner = factory.SubFactory(PartnerFactory, organization=SAME_ORG)
    amount = Decimal("1000.00")

    class Meta:
        model = AdaptationFunding


class CaseReviewFactory(OrganizationOwnedFactory):
    held_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))

    class Meta:
        model = CaseReview


class CaseReviewItemFactory(OrganizationOwnedFactory):
    review = factory.SubFactory(CaseReviewFactory, organization=SAME_ORG)
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)
    file_kind = ReviewFileKind.TRANSFER
    question = "Mutation vers un logement plus petit ?"
    note = "SECRET commission"

    class Meta:
        model = CaseReviewItem


class SupportProgrammeFactory(OrganizationOwnedFactory):
    name = factory.Sequence(lambda n: f"Zéro expulsion locative {n}")
    decision_body = "Comité de pilotage"
    funders = "État (10 000 logements accompagnés)"
    starts_on = datetime.date(2026, 1, 1)
    unit_cost_diagnostic = Decimal("300.00")
    unit_cost_yearly_accompaniment = Decimal("1500.00")
    unit_cost_collective_action = Decimal("1000.00")
    target_access = 10
    target_staying = 30
    budget_planned = Decimal("63000.00")

    class Meta:
        model = SupportProgramme


class ProgrammeEnrolmentFactory(OrganizationOwnedFactory):
    programme = factory.SubFactory(SupportProgrammeFactory, organization=SAME_ORG)
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)
    kind = EnrolmentKind.STAYING
    proposed_on = datetime.date(2026, 2, 1)

    class Meta:
        model = ProgrammeEnrolment
