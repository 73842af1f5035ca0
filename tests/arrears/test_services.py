"""Detection job, cases, steps, plans (breach, renegotiation), Borloo, FSL, write-offs,
relocation, contacts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import IntegrityError

from arrears import services
from arrears.enums import (
    AidOutcome,
    Approver,
    BorlooBasis,
    BorlooStatus,
    CaseStatus,
    FslForm,
    FslPurpose,
    InstallmentStatus,
    JudgmentOutcome,
    PlanStatus,
    Stage,
    StepKind,
    WriteOffCause,
)
from arrears.models import ArrearsCase, Installment, RepaymentPlan
from core.models import ParameterValue, TimelineEvent
from tests.arrears.factories import (
    AccountStatementFactory,
    ArrearsCaseFactory,
    DebtWriteOffFactory,
    RepaymentPlanFactory,
)
from tests.housing.factories import LeaseFactory, ResidenceFactory
from tests.organizations.factories import MembershipFactory, MembershipTerritoryFactory

pytestmark = pytest.mark.django_db

D = datetime.date
E = Decimal
TODAY = D(2026, 3, 10)


def statement(lease, month, balance, billed="530.00", benefit="200.00", payments="0.00"):
    return AccountStatementFactory(
        organization=lease.organization,
        lease=lease,
        month=month,
        billed=E(billed),
        housing_benefit=E(benefit),
        payments=E(payments),
        balance=E(balance),
    )


# --- Detection --------------------------------------------------------------------------------


def test_debt_of_two_net_months_opens_a_case_assigned_to_the_territory_officer(org, in_org):
    residence = ResidenceFactory(organization=org)
    lease = LeaseFactory(organization=org, dwelling__residence=residence)
    MembershipFactory(organization=org, role="arrears_officer")  # whole organisation
    on_territory = MembershipTerritoryFactory(
        organization=org, territory=residence.territory, membership__role="arrears_officer"
    ).membership
    # Net monthly rent = 530 − 200 = 330; threshold 2 × 330 = 660.
    statement(lease, D(2026, 1, 1), "330.00")
    statement(lease, D(2026, 2, 1), "660.00")
    with in_org(org):
        result = services.arrears_detect(organization=org, on=TODAY)
        assert result["opened"] == 1
        case = ArrearsCase.objects.get()
        assert case.officer == on_territory
        assert case.territory == residence.territory
        assert (case.debt_at_opening, case.monthly_net_rent) == (E("660.00"), E("330.00"))
        assert case.arrears_on == D(2026, 2, 28)
        # CAF/MSA report due within 2 months of the arrears.
        assert case.next_deadline_on == D(2026, 4, 28)
        assert TimelineEvent.objects.filter(kind="case.opened", household=lease.household).exists()
        # Safe to run twice.
        assert services.arrears_detect(organization=org, on=TODAY)["opened"] == 0
        assert ArrearsCase.objects.count() == 1


def test_debt_below_the_threshold_opens_nothing(org, in_org):
    lease = LeaseFactory(organization=org)
    statement(lease, D(2026, 2, 1), "659.99")
    with in_org(org):
        assert services.arrears_detect(organization=org, on=TODAY)["opened"] == 0


def test_the_threshold_is_a_versioned_setting(org, in_org):
    lease = LeaseFactory(organization=org)
    statement(lease, D(2026, 2, 1), "500.00")
    with in_org(org):
        ParameterValue.objects.create(
            organization=org, key="arrears.threshold_months", value="1.5", valid_from=D(2026, 1, 1)
        )
        # 1.5 × 330 = 495 ≤ 500.
        assert services.arrears_detect(organization=org, on=TODAY)["opened"] == 1


def test_officer_without_territory_is_the_fallback(org, in_org):
    lease = LeaseFactory(organization=org)
    anyone = MembershipFactory(organization=org, role="arrears_officer")
    MembershipTerritoryFactory(organization=org, membership__role="arrears_officer")
    statement(lease, D(2026, 2, 1), "700.00")
    with in_org(org):
        services.arrears_detect(organization=org, on=TODAY)
        assert ArrearsCase.objects.get().officer == anyone


def test_a_cleared_debt_proposes_closing(org, in_org):
    lease = LeaseFactory(organization=org)
    statement(lease, D(2026, 1, 1), "700.00")
    with in_org(org):
        services.arrears_detect(organization=org, on=D(2026, 1, 15))
        statement(lease, D(2026, 2, 1), "0.00", payments="1030.00")
        result = services.arrears_detect(organization=org, on=TODAY)
        assert result["closure_proposed"] == 1
        case = ArrearsCase.objects.get()
        assert (case.status, case.closure_proposed_on) == (CaseStatus.CLOSURE_PROPOSED, TODAY)
        services.case_close(case=case, closed_by=None, reason="Dette soldée")
        case.refresh_from_db()
        assert case.status == CaseStatus.CLOSED
        with pytest.raises(ValidationError):
            services.case_close(case=case, closed_by=None, reason="encore")


def test_one_open_case_per_lease(org, in_org):
    case = ArrearsCaseFactory(organization=org)
    with in_org(org), pytest.raises(ValidationError, match="déjà ouvert"):
        services.case_open(lease=case.lease, arrears_on=D(2026, 1, 31), debt=E("900"))


# --- Steps ------------------------------------------------------------------------------------


def test_steps_move_the_stage_and_the_deadline_and_impossible_ones_are_refused(org, in_org):
    case = ArrearsCaseFactory(organization=org, arrears_on=D(2026, 1, 31))
    with in_org(org):
        services.step_record(
            case=case, kind=StepKind.CAF_REPORT, occurred_on=D(2026, 2, 10), recorded_by=None
        )
        step = services.step_record(
            case=case, kind=StepKind.PAYMENT_ORDER, occurred_on=D(2026, 3, 2), recorded_by=None
        )
        case.refresh_from_db()
        assert case.stage == Stage.PAYMENT_ORDER
        # 2 March 2026 + 6 weeks = 13 April 2026.
        assert case.next_deadline_on == step.deadline_on == D(2026, 4, 13)
        with pytest.raises(ValidationError, match="13/04/2026"):
            services.step_record(
                case=case,
                kind=StepKind.SUMMONS,
                occurred_on=D(2026, 4, 1),
                prefect_notified_on=D(2026, 4, 1),
                recorded_by=None,
            )
        assert case.steps.count() == 2


# --- Plans ------------------------------------------------------------------------------------


def test_plan_schedule_adds_up_to_the_debt(org, in_org):
    case = ArrearsCaseFactory(organization=org)
    with in_org(org):
        plan = services.plan_create(
            case=case,
            debt_at_signature=E("1000.00"),
            monthly_amount=E("300.00"),
            start_month=D(2026, 3, 1),
            signed_on=D(2026, 2, 20),
            approver=Approver.CAF_MSA,
            created_by=None,
        )
        amounts = list(plan.installments.values_list("amount", flat=True))
        assert amounts == [E("300.00")] * 3 + [E("100.00")]
        assert sum(amounts) == plan.debt_at_signature
        assert list(plan.installments.values_list("due_month", flat=True))[-1] == D(2026, 6, 1)


def test_the_database_refuses_a_schedule_that_does_not_add_up(org, in_org):
    plan = RepaymentPlanFactory(organization=org)
    with (
        in_org(org),
        pytest.raises(IntegrityError, match="totalisent"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        Installment.objects.filter(plan=plan, number=1).update(amount=E("299.99"))
        cursor.execute("SET CONSTRAINTS arrears_installments_sum IMMEDIATE")


def test_invalid_plans_are_refused(org, in_org):
    case = ArrearsCaseFactory(organization=org)
    base = {
        "case": case,
        "start_month": D(2026, 3, 1),
        "signed_on": D(2026, 2, 20),
        "approver": Approver.LANDLORD,
        "created_by": None,
    }
    with in_org(org):
        with pytest.raises(ValidationError, match="dépasse"):
            services.plan_create(debt_at_signature=E("100"), monthly_amount=E("200"), **base)
        with pytest.raises(ValidationError, match="positive"):
            services.plan_create(debt_at_signature=E("0"), monthly_amount=E("10"), **base)


def test_payments_are_matched_and_breach_raises_an_alert(org, in_org):
    plan = RepaymentPlanFactory(
        organization=org, debt_at_signature=E("900.00"), monthly_amount=E("300.00")
    )
    lease = plan.lease
    # Owed each month: 530 − 200 = 330, plus the instalment of 300.
    statement(lease, D(2026, 3, 1), "600.00", payments="630.00")  # instalment paid
    statement(lease, D(2026, 4, 1), "830.00", payments="100.00")  # missed
    with in_org(org):
        services.plans_match_payments(organization=org, on=D(2026, 5, 2))
        plan.refresh_from_db()
        statuses = list(plan.installments.values_list("status", "paid_amount"))
        assert statuses == [
            (InstallmentStatus.PAID, E("300.00")),
            (InstallmentStatus.MISSED, E("0.00")),
            (InstallmentStatus.DUE, E("0.00")),
        ]
        assert (plan.status, plan.paid_total) == (PlanStatus.ACTIVE, E("300.00"))
        statement(lease, D(2026, 5, 1), "930.00", payments="430.00")  # short: 100 of 300
        services.plans_match_payments(organization=org, on=D(2026, 6, 2))
        plan.refresh_from_db()
        assert plan.status == PlanStatus.BREACHED
        assert plan.breached_on == D(2026, 6, 2)
        assert TimelineEvent.objects.filter(kind="plan.breached").count() == 1


def test_a_fully_paid_plan_is_completed(org, in_org):
    plan = RepaymentPlanFactory(
        organization=org, debt_at_signature=E("300.00"), monthly_amount=E("300.00")
    )
    statement(plan.lease, D(2026, 3, 1), "0.00", payments="630.00")
    with in_org(org):
        assert services.plans_match_payments(organization=org, on=D(2026, 4, 1))["completed"] == 1


def test_renegotiation_keeps_the_history(org, in_org):
    plan = RepaymentPlanFactory(organization=org)
    with in_org(org):
        new = services.plan_renegotiate(
            plan=plan,
            debt_at_signature=E("600.00"),
            monthly_amount=E("100.00"),
            start_month=D(2026, 6, 1),
            signed_on=D(2026, 5, 20),
            approver=Approver.FSL,
            acting_user=None,
        )
        plan.refresh_from_db()
        assert plan.status == PlanStatus.RENEGOTIATED
        assert new.previous == plan
        assert new.installments.count() == 6
        assert RepaymentPlan.objects.count() == 2
        with pytest.raises(ValidationError):
            services.plan_renegotiate(
                plan=plan,
                debt_at_signature=E("600.00"),
                monthly_amount=E("100.00"),
                start_month=D(2026, 6, 1),
                signed_on=D(2026, 5, 20),
                approver=Approver.FSL,
                acting_user=None,
            )


# --- Borloo -----------------------------------------------------------------------------------


def _terminated_case(org, in_org):
    case = ArrearsCaseFactory(organization=org, arrears_on=D(2025, 1, 31))
    with in_org(org):
        for kind, day, extra in [
            (StepKind.CAF_REPORT, D(2025, 2, 10), {}),
            (StepKind.PAYMENT_ORDER, D(2025, 3, 1), {}),
            (StepKind.SUMMONS, D(2025, 4, 15), {"prefect_notified_on": D(2025, 4, 16)}),
            (StepKind.HEARING, D(2025, 6, 2), {}),
        ]:
            services.step_record(case=case, kind=kind, occurred_on=day, recorded_by=None, **extra)
    return case


BORLOO = {
    "debt_at_signature": E("2400.00"),
    "monthly_amount": E("100.00"),
    "start_month": D(2025, 8, 1),
    "created_by": None,
}


def test_borloo_only_after_a_judgment_terminating_the_lease(org, in_org):
    case = _terminated_case(org, in_org)
    with in_org(org):
        services.step_record(
            case=case,
            kind=StepKind.JUDGMENT,
            occurred_on=D(2025, 7, 1),
            outcome=JudgmentOutcome.PAYMENT_DELAYS,
            recorded_by=None,
        )
        with pytest.raises(ValidationError, match="aucun jugement"):
            services.borloo_create(
                case=case,
                basis=BorlooBasis.LEASE_TERMINATED,
                signed_on=D(2025, 7, 15),
                ends_on=D(2027, 7, 15),
                **BORLOO,
            )
        services.step_record(
            case=case,
            kind=StepKind.JUDGMENT,
            occurred_on=D(2025, 7, 2),
            outcome=JudgmentOutcome.LEASE_TERMINATED,
            recorded_by=None,
        )
        with pytest.raises(ValidationError, match="24 mois"):
            services.borloo_create(
                case=case,
                basis=BorlooBasis.LEASE_TERMINATED,
                signed_on=D(2025, 7, 15),
                ends_on=D(2027, 7, 16),
                **BORLOO,
            )
        protocol = services.borloo_create(
            case=case,
            basis=BorlooBasis.LEASE_TERMINATED,
            signed_on=D(2025, 7, 15),
            ends_on=D(2027, 7, 15),
            **BORLOO,
        )
        assert protocol.plan.approver == Approver.CAF_MSA
        assert protocol.plan.installments.count() == 24
        # One amendment, at most 3 more years.
        with pytest.raises(ValidationError, match="36 mois"):
            services.borloo_amend(
                protocol=protocol,
                signed_on=D(2027, 6, 1),
                ends_on=D(2030, 7, 16),
                acting_user=None,
            )
        services.borloo_amend(
            protocol=protocol, signed_on=D(2027, 6, 1), ends_on=D(2030, 7, 15), acting_user=None
        )
        with pytest.raises(ValidationError, match="un seul"):
            services.borloo_amend(
                protocol=protocol,
                signed_on=D(2027, 6, 2),
                ends_on=D(2030, 7, 1),
                acting_user=None,
            )
        # Respected: a new lease within 3 months.
        protocol = services.borloo_conclude(
            protocol=protocol, respected=True, on=D(2030, 7, 15), acting_user=None
        )
        assert protocol.new_lease_due_on == D(2030, 10, 15)
        case.refresh_from_db()
        assert case.next_deadline_on == D(2030, 10, 15)
        protocol = services.borloo_new_lease_signed(
            protocol=protocol, on=D(2030, 9, 1), acting_user=None
        )
        assert protocol.status == BorlooStatus.NEW_LEASE_SIGNED


def test_borloo_after_a_prp_write_off_and_breach_resumes_the_procedure(org, in_org):
    case = ArrearsCaseFactory(organization=org)
    write_off = DebtWriteOffFactory(
        organization=org, household=case.household, cause=WriteOffCause.PRP
    )
    landlord = DebtWriteOffFactory(
        organization=org, household=case.household, cause=WriteOffCause.LANDLORD_DECISION
    )
    with in_org(org):
        with pytest.raises(ValidationError, match="rétablissement personnel"):
            services.borloo_create(
                case=case,
                basis=BorlooBasis.DEBT_WRITE_OFF,
                write_off=landlord,
                signed_on=D(2026, 5, 1),
                ends_on=D(2027, 5, 1),
                **{**BORLOO, "start_month": D(2026, 6, 1)},
            )
        protocol = services.borloo_create(
            case=case,
            basis=BorlooBasis.DEBT_WRITE_OFF,
            write_off=write_off,
            signed_on=D(2026, 5, 1),
            ends_on=D(2027, 5, 1),
            **{**BORLOO, "start_month": D(2026, 6, 1)},
        )
        protocol = services.borloo_conclude(
            protocol=protocol, respected=False, on=D(2026, 12, 1), acting_user=None
        )
        assert protocol.status == BorlooStatus.BREACHED
        assert TimelineEvent.objects.filter(kind="borloo.breached").exists()


# --- Aid, write-offs, relocation, contacts -------------------------------------------------------


def test_fsl_request_decision_and_loan_repayments(org, in_org):
    case = ArrearsCaseFactory(organization=org)
    with in_org(org):
        aid = services.fsl_aid_request(
            household=case.household,
            case=case,
            purpose=FslPurpose.UPKEEP,
            form=FslForm.LOAN,
            amount_requested=E("900.00"),
            requested_on=D(2026, 3, 1),
            acting_user=None,
        )
        with pytest.raises(ValidationError, match="montant accordé"):
            services.fsl_aid_decide(
                aid=aid, outcome=AidOutcome.GRANTED, decided_on=D(2026, 4, 1), acting_user=None
            )
        aid = services.fsl_aid_decide(
            aid=aid,
            outcome=AidOutcome.GRANTED,
            decided_on=D(2026, 4, 1),
            amount_granted=E("600.00"),
            decision_body="Commission FSL Moselle",
            paid_to_landlord_on=D(2026, 4, 20),
            acting_user=None,
        )
        services.fsl_loan_repayment_add(
            aid=aid, paid_on=D(2026, 5, 1), amount=E("550"), acting_user=None
        )
        with pytest.raises(ValidationError, match="dépasse"):
            services.fsl_loan_repayment_add(
                aid=aid, paid_on=D(2026, 6, 1), amount=E("50.01"), acting_user=None
            )


def test_write_off_lowers_the_case_debt(org, in_org):
    case = ArrearsCaseFactory(organization=org, current_debt=E("1000.00"))
    with in_org(org):
        services.debt_write_off_record(
            household=case.household,
            case=case,
            amount=E("400.00"),
            written_off_on=D(2026, 4, 1),
            cause=WriteOffCause.FSL,
            acting_user=None,
        )
        case.refresh_from_db()
        assert case.current_debt == E("600.00")


def test_relocation_request_is_linked_to_the_case(org, in_org):
    case = ArrearsCaseFactory(organization=org)
    with in_org(org):
        relocation = services.relocation_request(
            case=case, requested_on=D(2026, 3, 1), max_monthly_cost=E("400"), acting_user=None
        )
        with pytest.raises(ValidationError, match="déjà en cours"):
            services.relocation_request(case=case, requested_on=D(2026, 3, 2), acting_user=None)
        with pytest.raises(ValidationError, match="demande de mutation"):
            services.relocation_update(
                relocation=relocation, status="application_filed", acting_user=None
            )
    from tests.allocations.factories import HousingApplicationFactory

    theirs = HousingApplicationFactory(organization=org)
    application = HousingApplicationFactory(organization=org, household=case.household)
    with in_org(org):
        with pytest.raises(ValidationError, match="autre ménage"):
            services.relocation_update(
                relocation=relocation,
                status="application_filed",
                housing_application=theirs,
                acting_user=None,
            )
        services.relocation_update(
            relocation=relocation,
            status="application_filed",
            housing_application=application,
            acting_user=None,
        )
        services.relocation_update(
            relocation=relocation, status="relocated", on=D(2026, 9, 1), acting_user=None
        )
        case.refresh_from_db()
        relocation.refresh_from_db()
        assert case.relocation_status == "relocated"
        assert relocation.housing_application == application


def test_contacts_go_on_the_household_timeline(org, in_org, member_of):
    officer = member_of(org, "arrears_officer")
    case = ArrearsCaseFactory(organization=org)
    with in_org(org):
        services.contact_record(
            household=case.household,
            case=case,
            kind="call_received",
            occurred_on=D(2026, 3, 1),
            subject="Point sur le plan",
            acting_user=officer,
        )
        assert TimelineEvent.objects.filter(household=case.household).count() == 1


def test_the_daily_task_runs_inside_its_organisation_and_is_scheduled(org, other_org, settings):
    from arrears.tasks import arrears_daily_for_organization

    lease = LeaseFactory(organization=org)
    statement(lease, D(2026, 2, 1), "990.00")
    theirs = LeaseFactory(organization=other_org)
    statement(theirs, D(2026, 2, 1), "990.00")
    result = arrears_daily_for_organization(organization_id=org.pk)
    assert result["opened"] == 1
    from core.context import organization_context

    with organization_context(other_org):
        assert ArrearsCase.objects.count() == 0
    assert settings.CELERY_BEAT_SCHEDULE["arrears-daily"]["task"] == "arrears.tasks.arrears_daily"
