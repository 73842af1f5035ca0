"""Demo data of the arrears app: statements for the demo leases, cases at various stages of
the procedure, repayment plans (one in breach), a Borloo protocol, FSL aid, write-offs,
contacts and a relocation request. Idempotent (skips an organisation that has cases) and
robust to the housing demo: uses the existing leases, creates a few when there are none."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from core.context import organization_context

E = Decimal


def _ensure_leases(org: Any, count: int = 12) -> list[Any]:
    from housing.models import Dwelling, Household, Lease, Residence
    from organizations.models import Territory

    leases = list(
        Lease.objects.for_organization(org)
        .filter(end_date__isnull=True)
        .select_related("dwelling", "household")
        .order_by("pk")[:40]
    )
    if len(leases) >= count:
        return leases
    territory = Territory.objects.for_organization(org).order_by("pk").first()
    if territory is None:
        territory = Territory.objects.create(organization=org, name="Territoire démo impayés")
    residence, _ = Residence.objects.get_or_create(
        organization=org,
        external_ref="DEMO-IMP",
        defaults={
            "name": "Résidence des Acacias",
            "address": "3 rue des Acacias",
            "commune_name": "Metz",
            "commune_insee": "57463",
            "territory": territory,
        },
    )
    for n in range(len(leases), count):
        dwelling = Dwelling.objects.create(
            organization=org,
            residence=residence,
            reference=f"DEMO-IMP-{n:03d}",
            typology="T3",
            surface=E("64.00"),
            financing="plus",
            rent=E("410.00"),
            charges=E("120.00"),
            status="occupied",
        )
        household = Household.objects.create(
            organization=org, name=f"Ménage démo impayés {n + 1}", housing_benefit=E("180.00")
        )
        leases.append(
            Lease.objects.create(
                organization=org,
                dwelling=dwelling,
                household=household,
                external_ref=f"DEMO-IMP-BAIL-{n:03d}",
                signed_on=datetime.date(2021, 1, 1),
                start_date=datetime.date(2021, 1, 1),
            )
        )
    return leases


def _statements(org: Any, leases: list[Any], today: datetime.date) -> None:
    from arrears.models import AccountStatement

    rows = []
    first = today.replace(day=1) - relativedelta(months=6)
    for index, lease in enumerate(leases):
        billed = lease.dwelling.monthly_cost
        benefit = min(E("180.00"), billed)
        net = billed - benefit
        debtor = index % 4 == 0
        balance = E("0.00")
        for k in range(6):
            month = first + relativedelta(months=k)
            payments = E("0.00") if debtor else net
            balance += billed - benefit - payments
            rows.append(
                AccountStatement(
                    organization=org,
                    lease=lease,
                    month=month,
                    billed=billed,
                    housing_benefit=benefit,
                    payments=payments,
                    balance=balance,
                )
            )
    AccountStatement.objects.bulk_create(rows, ignore_conflicts=True)


def _procedure_case(org: Any, lease: Any, user: Any, today: datetime.date, upto: int) -> Any:
    from arrears import services
    from arrears.enums import JudgmentOutcome, StepKind

    arrears_on = today - relativedelta(months=14)
    case = services.case_open(
        lease=lease,
        arrears_on=arrears_on,
        debt=E("2850.00"),
        monthly_net_rent=E("350.00"),
        opened_by=user,
        opened_on=arrears_on + datetime.timedelta(days=3),
    )
    plan = [
        (StepKind.CAF_REPORT, arrears_on + datetime.timedelta(days=10), {}),
        (StepKind.PAYMENT_ORDER, arrears_on + datetime.timedelta(days=20), {}),
        (
            StepKind.SUMMONS,
            arrears_on + datetime.timedelta(days=80),
            {"prefect_notified_on": arrears_on + datetime.timedelta(days=81)},
        ),
        (StepKind.HEARING, arrears_on + datetime.timedelta(days=140), {}),
        (
            StepKind.JUDGMENT,
            arrears_on + datetime.timedelta(days=170),
            {"outcome": JudgmentOutcome.LEASE_TERMINATED},
        ),
    ]
    for kind, day, extra in plan[:upto]:
        services.step_record(case=case, kind=kind, occurred_on=day, recorded_by=user, **extra)
    return case


def load(stdout: Any) -> None:
    from arrears import services
    from arrears.enums import (
        AidOutcome,
        Approver,
        BorlooBasis,
        FslForm,
        FslPurpose,
        WriteOffCause,
    )
    from arrears.models import ArrearsCase
    from organizations.enums import Role
    from organizations.models import Membership, Organization

    today = timezone.localdate()
    for org in Organization.objects.order_by("pk"):
        with organization_context(org):
            if ArrearsCase.objects.for_organization(org).exists():
                continue
            officer = (
                Membership.objects.for_organization(org)
                .filter(role=Role.ARREARS_OFFICER)
                .select_related("user")
                .first()
            )
            user = officer.user if officer else None
            leases = _ensure_leases(org)
            procedure_leases, statement_leases = leases[:3], leases[3:]
            _statements(org, statement_leases, today)
            services.arrears_detect(organization=org, on=today)
            cases = list(ArrearsCase.objects.for_organization(org).order_by("pk"))
            # Repayment plans on detected cases: the first kept, the second in breach.
            start = today.replace(day=1) - relativedelta(months=3)
            for case in cases[:2]:
                services.plan_create(
                    case=case,
                    debt_at_signature=case.current_debt,
                    monthly_amount=(case.current_debt / 6).quantize(E("0.01")),
                    start_month=start,
                    signed_on=start - datetime.timedelta(days=10),
                    approver=Approver.LANDLORD,
                    created_by=user,
                )
            services.plans_match_payments(organization=org, on=today)
            # Cases further in the procedure.
            _procedure_case(org, procedure_leases[0], user, today, upto=2)
            _procedure_case(org, procedure_leases[1], user, today, upto=4)
            terminated = _procedure_case(org, procedure_leases[2], user, today, upto=5)
            judgment = terminated.steps.get(kind="judgment")
            services.borloo_create(
                case=terminated,
                basis=BorlooBasis.LEASE_TERMINATED,
                judgment=judgment,
                signed_on=judgment.occurred_on + datetime.timedelta(days=20),
                ends_on=judgment.occurred_on + relativedelta(months=24),
                debt_at_signature=E("2850.00"),
                monthly_amount=E("120.00"),
                start_month=(judgment.occurred_on + relativedelta(months=1)).replace(day=1),
                created_by=user,
            )
            # Aid, write-offs, contacts, relocation.
            for case, outcome in zip(
                cases[:3], [AidOutcome.GRANTED, AidOutcome.REFUSED, None], strict=False
            ):
                aid = services.fsl_aid_request(
                    household=case.household,
                    case=case,
                    purpose=FslPurpose.UPKEEP,
                    form=FslForm.GRANT,
                    amount_requested=E("750.00"),
                    requested_on=today - datetime.timedelta(days=60),
                    decision_body="Commission FSL du département",
                    acting_user=user,
                )
                if outcome:
                    services.fsl_aid_decide(
                        aid=aid,
                        outcome=outcome,
                        decided_on=today - datetime.timedelta(days=20),
                        amount_granted=E("700.00") if outcome == AidOutcome.GRANTED else None,
                        acting_user=user,
                    )
            services.debt_write_off_record(
                household=procedure_leases[0].household,
                amount=E("1200.00"),
                written_off_on=today - datetime.timedelta(days=40),
                cause=WriteOffCause.PRP,
                acting_user=user,
            )
            if cases:
                services.debt_write_off_record(
                    household=cases[0].household,
                    case=cases[0],
                    amount=E("150.00"),
                    written_off_on=today - datetime.timedelta(days=10),
                    cause=WriteOffCause.LANDLORD_DECISION,
                    acting_user=user,
                )
                services.relocation_request(
                    case=cases[0],
                    requested_on=today - datetime.timedelta(days=15),
                    max_monthly_cost=E("450.00"),
                    acting_user=user,
                )
            for n, case in enumerate(cases[:4]):
                services.contact_record(
                    household=case.household,
                    case=case,
                    kind=["call_received", "call_made", "meeting"][n % 3],
                    occurred_on=today - datetime.timedelta(days=5 + n),
                    subject="Point sur la dette",
                    acting_user=user,
                )
        stdout.write(f"  impayés : {org.name} — dossiers, plans, protocole Borloo, aides FSL.")
