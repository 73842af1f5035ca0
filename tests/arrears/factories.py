import datetime
from decimal import Decimal

import factory

from arrears.enums import (
    AidOutcome,
    Approver,
    BorlooBasis,
    FslForm,
    FslPurpose,
    JudgmentOutcome,
    StepKind,
    WriteOffCause,
)
from arrears.models import (
    AccountStatement,
    ArrearsCase,
    BorlooProtocol,
    DebtWriteOff,
    FslAid,
    FslLoanRepayment,
    Installment,
    ProcedureStep,
    RelocationRequest,
    RepaymentPlan,
    StatementImport,
    SubsidyRequest,
)
from tests.factories import OrganizationOwnedFactory
from tests.housing.factories import HouseholdFactory, LeaseFactory

SAME_ORG = factory.SelfAttribute("..organization")


class AccountStatementFactory(OrganizationOwnedFactory):
    lease = factory.SubFactory(LeaseFactory, organization=SAME_ORG)
    month = factory.Sequence(lambda n: datetime.date(2020 + n // 12, n % 12 + 1, 1))
    billed = Decimal("530.00")
    housing_benefit = Decimal("200.00")
    payments = Decimal("330.00")
    balance = Decimal("0.00")

    class Meta:
        model = AccountStatement


class ArrearsCaseFactory(OrganizationOwnedFactory):
    lease = factory.SubFactory(LeaseFactory, organization=SAME_ORG)
    household = factory.SelfAttribute("lease.household")
    arrears_on = datetime.date(2026, 1, 31)
    opened_on = datetime.date(2026, 2, 1)
    debt_at_opening = Decimal("800.00")
    current_debt = Decimal("800.00")
    monthly_net_rent = Decimal("330.00")

    class Meta:
        model = ArrearsCase


class ProcedureStepFactory(OrganizationOwnedFactory):
    case = factory.SubFactory(ArrearsCaseFactory, organization=SAME_ORG)
    kind = StepKind.CAF_REPORT
    occurred_on = datetime.date(2026, 2, 15)

    class Meta:
        model = ProcedureStep

    class Params:
        judgment_terminated = factory.Trait(
            kind=StepKind.JUDGMENT, outcome=JudgmentOutcome.LEASE_TERMINATED
        )


class RepaymentPlanFactory(OrganizationOwnedFactory):
    """A plan with its schedule (instalments adding up to the debt)."""

    case = factory.SubFactory(ArrearsCaseFactory, organization=SAME_ORG)
    lease = factory.SelfAttribute("case.lease")
    household = factory.SelfAttribute("case.household")
    debt_at_signature = Decimal("900.00")
    monthly_amount = Decimal("300.00")
    start_month = datetime.date(2026, 3, 1)
    signed_on = datetime.date(2026, 2, 20)
    approver = Approver.LANDLORD

    class Meta:
        model = RepaymentPlan
        skip_postgeneration_save = True

    @factory.post_generation
    def schedule(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        from arrears.plans import installment_amounts, month_add
        from core.context import organization_context

        with organization_context(obj.organization):
            Installment.objects.bulk_create(
                [
                    Installment(
                        organization=obj.organization,
                        plan=obj,
                        number=n,
                        due_month=month_add(obj.start_month, n - 1),
                        amount=amount,
                    )
                    for n, amount in enumerate(
                        installment_amounts(obj.debt_at_signature, obj.monthly_amount), 1
                    )
                ]
            )


class InstallmentFactory(OrganizationOwnedFactory):
    """An instalment alone: its plan's debt is set to match (one instalment plan)."""

    plan = factory.SubFactory(
        RepaymentPlanFactory,
        organization=SAME_ORG,
        schedule=False,
        debt_at_signature=Decimal("300.00"),
    )
    number = 1
    due_month = datetime.date(2026, 3, 1)
    amount = Decimal("300.00")

    class Meta:
        model = Installment


class DebtWriteOffFactory(OrganizationOwnedFactory):
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)
    amount = Decimal("1500.00")
    written_off_on = datetime.date(2026, 4, 10)
    cause = WriteOffCause.PRP

    class Meta:
        model = DebtWriteOff


class BorlooProtocolFactory(OrganizationOwnedFactory):
    case = factory.SubFactory(ArrearsCaseFactory, organization=SAME_ORG)
    basis = BorlooBasis.LEASE_TERMINATED
    judgment = factory.SubFactory(
        ProcedureStepFactory,
        organization=SAME_ORG,
        case=factory.SelfAttribute("..case"),
        judgment_terminated=True,
        occurred_on=datetime.date(2026, 9, 1),
    )
    plan = factory.SubFactory(
        RepaymentPlanFactory, organization=SAME_ORG, case=factory.SelfAttribute("..case")
    )
    signed_on = datetime.date(2026, 10, 1)
    ends_on = datetime.date(2028, 10, 1)

    class Meta:
        model = BorlooProtocol


class FslAidFactory(OrganizationOwnedFactory):
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)
    purpose = FslPurpose.UPKEEP
    form = FslForm.GRANT
    amount_requested = Decimal("800.00")
    requested_on = datetime.date(2026, 3, 1)

    class Meta:
        model = FslAid

    class Params:
        granted = factory.Trait(
            outcome=AidOutcome.GRANTED,
            amount_granted=Decimal("700.00"),
            decided_on=datetime.date(2026, 4, 1),
        )


class FslLoanRepaymentFactory(OrganizationOwnedFactory):
    aid = factory.SubFactory(FslAidFactory, organization=SAME_ORG, form=FslForm.LOAN, granted=True)
    paid_on = datetime.date(2026, 6, 1)
    amount = Decimal("50.00")

    class Meta:
        model = FslLoanRepayment


class SubsidyRequestFactory(OrganizationOwnedFactory):
    household = factory.SubFactory(HouseholdFactory, organization=SAME_ORG)
    funder = "CCAS de Metz"
    amount_requested = Decimal("300.00")
    requested_on = datetime.date(2026, 3, 1)

    class Meta:
        model = SubsidyRequest


class RelocationRequestFactory(OrganizationOwnedFactory):
    case = factory.SubFactory(ArrearsCaseFactory, organization=SAME_ORG)
    household = factory.SelfAttribute("case.household")
    requested_on = datetime.date(2026, 3, 1)

    class Meta:
        model = RelocationRequest


class StatementImportFactory(OrganizationOwnedFactory):
    file_sha256 = "0" * 64
    rows = 12
    created_count = 12
    updated_count = 0
    unchanged_count = 0

    class Meta:
        model = StatementImport
