"""Writes of the arrears app. Each service is keyword-only, atomic, takes the acting user,
raises ValidationError in French keyed by field, and writes the household timeline."""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from arrears import plans as plan_rules
from arrears import procedure
from arrears.enums import (
    AidOutcome,
    Approver,
    BorlooBasis,
    BorlooStatus,
    CaseStatus,
    ContactKind,
    InstallmentStatus,
    JudgmentOutcome,
    PlanStatus,
    RelocationStatus,
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
    SubsidyRequest,
)
from arrears.parameters import rule
from core import timeline

ZERO = Decimal("0.00")


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except Exception as error:
        raise ValidationError({field: "Montant invalide."}) from error
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError({field: "Deux décimales au plus."})
    return amount


def _month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _case_url(case: ArrearsCase) -> str:
    return f"/impayes/dossiers/{case.public_id}/"


# --- Officer assignment and opening --------------------------------------------------------------


def officer_for(*, organization: Any, territory_id: int | None) -> Any:
    """The territory's arrears officer: an active membership with role arrears_officer narrowed
    to that territory, else one with no territory (the whole organisation)."""
    from organizations.enums import Role
    from organizations.models import Membership, MembershipTerritory

    officers = Membership.objects.for_organization(organization).filter(
        role=Role.ARREARS_OFFICER, is_active=True
    )
    if territory_id is not None:
        on_territory = officers.filter(
            pk__in=MembershipTerritory.objects.for_organization(organization)
            .filter(territory_id=territory_id)
            .values("membership_id")
        )
        found = on_territory.order_by("pk").first()
        if found:
            return found
    with_territories = MembershipTerritory.objects.for_organization(organization).values(
        "membership_id"
    )
    return officers.exclude(pk__in=with_territories).order_by("pk").first()


def _rules_on(organization: Any) -> Any:
    cache: dict[datetime.date, procedure.Rules] = {}

    def rules_on(day: datetime.date) -> procedure.Rules:
        if day not in cache:
            cache[day] = procedure.rules_for(organization=organization, on=day)
        return cache[day]

    return rules_on


def _refresh_deadline(case: ArrearsCase, steps: list[procedure.Step]) -> None:
    deadline = procedure.next_deadline(
        arrears_on=case.arrears_on, steps=steps, rules_on=_rules_on(case.organization_id)
    )
    case.stage = procedure.stage_of(steps)
    case.next_deadline_on = deadline.on if deadline else None
    case.next_deadline_label = deadline.label if deadline else ""


@transaction.atomic
def case_open(
    *,
    lease: Any,
    arrears_on: datetime.date,
    debt: Decimal,
    monthly_net_rent: Decimal = ZERO,
    opened_by: Any = None,
    officer: Any = None,
    opened_on: datetime.date | None = None,
) -> ArrearsCase:
    """Open the arrears file of a lease (one open file per lease: a database constraint)."""
    from housing.models import Lease

    lease = (
        Lease.objects.for_organization(lease.organization_id)
        .select_related("dwelling__residence", "household")
        .get(pk=lease.pk)
    )
    territory_id = lease.dwelling.residence.territory_id
    if officer is None:
        officer = officer_for(organization=lease.organization_id, territory_id=territory_id)
    case = ArrearsCase(
        organization_id=lease.organization_id,
        lease=lease,
        household=lease.household,
        territory_id=territory_id,
        officer=officer,
        arrears_on=arrears_on,
        opened_on=opened_on or timezone.localdate(),
        debt_at_opening=_money(debt, "debt"),
        current_debt=_money(debt, "debt"),
        monthly_net_rent=_money(monthly_net_rent, "monthly_net_rent"),
        created_by=opened_by,
        updated_by=opened_by,
    )
    _refresh_deadline(case, [])
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as error:
        raise ValidationError(
            {"lease": "Un dossier d'impayé est déjà ouvert pour ce bail."}
        ) from error
    timeline.record(
        household=lease.household,
        category="arrears",
        kind="case.opened",
        title=f"Dossier d'impayé ouvert (dette de {case.current_debt} €)",
        actor=opened_by,
        subject=case,
        url=_case_url(case),
    )
    return case


def _latest_statements(organization: Any, on: datetime.date) -> list[tuple]:
    """(lease_id, month, billed, housing_benefit, balance) of each lease's latest statement."""
    latest = (
        AccountStatement.objects.for_organization(organization)
        .filter(month__lte=on)
        .order_by("lease_id", "-month")
    )
    if connection.vendor == "postgresql":
        latest = latest.distinct("lease_id")
        return list(latest.values_list("lease_id", "month", "billed", "housing_benefit", "balance"))
    rows: dict[int, tuple] = {}
    for row in latest.values_list("lease_id", "month", "billed", "housing_benefit", "balance"):
        rows.setdefault(row[0], row)
    return list(rows.values())


@transaction.atomic
def arrears_detect(*, organization: Any, on: datetime.date | None = None) -> dict[str, int]:
    """The daily detection (CCH L824-2): a lease whose debt (balance of its latest statement)
    reaches threshold × monthly rent and charges net of the housing benefit paid to the
    landlord opens a case, assigned to the territory's arrears officer; an open case whose debt
    is cleared (balance ≤ 0) gets its closing proposed. Safe to run twice."""
    from housing.models import Lease

    on = on or timezone.localdate()
    threshold = rule("arrears.threshold_months", organization=organization, on=on)
    latest = _latest_statements(organization, on)
    open_cases = {
        case.lease_id: case
        for case in ArrearsCase.objects.for_organization(organization)
        .exclude(status=CaseStatus.CLOSED)
        .select_for_update(of=("self",))
    }
    opened = proposed = updated = 0
    to_open = []
    for lease_id, month, billed, housing_benefit, balance in latest:
        net = billed - housing_benefit
        case = open_cases.get(lease_id)
        if case is None:
            if net > 0 and balance >= threshold * net:
                to_open.append((lease_id, month, balance, net))
            continue
        if balance <= 0 and case.status == CaseStatus.OPEN:
            case.status = CaseStatus.CLOSURE_PROPOSED
            case.closure_proposed_on = on
            case.current_debt = balance
            case.save(update_fields=["status", "closure_proposed_on", "current_debt", "updated_at"])
            timeline.record(
                household=case.household,
                category="arrears",
                kind="case.closure_proposed",
                title="Dette soldée : clôture du dossier d'impayé proposée",
                subject=case,
                url=_case_url(case),
            )
            proposed += 1
        elif case.current_debt != balance:
            case.current_debt = balance
            case.save(update_fields=["current_debt", "updated_at"])
            updated += 1
    leases = (
        Lease.objects.for_organization(organization)
        .select_related("dwelling__residence")
        .in_bulk([row[0] for row in to_open])
    )
    officers: dict[int | None, Any] = {}
    for lease_id, month, balance, net in to_open:
        territory_id = leases[lease_id].dwelling.residence.territory_id
        if territory_id not in officers:
            officers[territory_id] = officer_for(
                organization=organization, territory_id=territory_id
            )
        case_open(
            lease=leases[lease_id],
            arrears_on=_month_end(month),
            debt=balance,
            monthly_net_rent=net,
            opened_on=on,
            officer=officers[territory_id],
        )
        opened += 1
    return {"opened": opened, "closure_proposed": proposed, "debt_updated": updated}


@transaction.atomic
def case_close(
    *, case: ArrearsCase, closed_by: Any, reason: str, on: datetime.date | None = None
) -> ArrearsCase:
    case = ArrearsCase.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not case.can_transition(CaseStatus.CLOSED):
        raise ValidationError({"status": "Ce dossier est déjà clos."})
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif de clôture."})
    case.status = CaseStatus.CLOSED
    case.closed_on = on or timezone.localdate()
    case.closure_reason = reason.strip()[:200]
    case.updated_by = closed_by
    case.save(update_fields=["status", "closed_on", "closure_reason", "updated_by", "updated_at"])
    timeline.record(
        household=case.household,
        category="arrears",
        kind="case.closed",
        title=f"Dossier d'impayé clos : {case.closure_reason}",
        actor=closed_by,
        subject=case,
        url=_case_url(case),
    )
    return case


@transaction.atomic
def case_reopen(*, case: ArrearsCase, acting_user: Any) -> ArrearsCase:
    """A proposed closing is refused (the debt came back): the case goes on."""
    case = ArrearsCase.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if case.status != CaseStatus.CLOSURE_PROPOSED:
        raise ValidationError({"status": "Seule une clôture proposée peut être écartée."})
    case.status = CaseStatus.OPEN
    case.closure_proposed_on = None
    case.updated_by = acting_user
    case.save(update_fields=["status", "closure_proposed_on", "updated_by", "updated_at"])
    timeline.record(
        household=case.household,
        category="arrears",
        kind="case.reopened",
        title="Clôture du dossier d'impayé écartée",
        actor=acting_user,
        subject=case,
        url=_case_url(case),
    )
    return case


@transaction.atomic
def case_assign(*, case: ArrearsCase, officer: Any, acting_user: Any) -> ArrearsCase:
    from organizations.enums import Role

    if officer is not None and (
        officer.organization_id != case.organization_id or officer.role != Role.ARREARS_OFFICER
    ):
        raise ValidationError(
            {"officer": "Choisissez un(e) chargé(e) de contentieux de l'organisation."}
        )
    case.officer = officer
    case.updated_by = acting_user
    case.save(update_fields=["officer", "updated_by", "updated_at"])
    return case


# --- Procedure ------------------------------------------------------------------------------------


def _as_rule_step(step: ProcedureStep) -> procedure.Step:
    return procedure.Step(
        kind=step.kind,
        on=step.occurred_on,
        outcome=step.outcome,
        prefect_notified_on=step.prefect_notified_on,
    )


@transaction.atomic
def step_record(
    *,
    case: ArrearsCase,
    kind: str,
    occurred_on: datetime.date,
    recorded_by: Any,
    outcome: str = "",
    prefect_notified_on: datetime.date | None = None,
    reference: str = "",
) -> ProcedureStep:
    """Record a procedure step, refused with its reason when the order or a legal delay forbids
    it (arrears/procedure.py), or when it is an eviction dated in the winter truce."""
    case = ArrearsCase.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"kind": "Ce dossier est clos."})
    if kind not in StepKind.values:
        raise ValidationError({"kind": "Étape inconnue."})
    if outcome and outcome not in JudgmentOutcome.values:
        raise ValidationError({"outcome": "Décision inconnue."})
    existing = [_as_rule_step(s) for s in case.steps.all()]
    new = procedure.Step(kind, occurred_on, outcome or "", prefect_notified_on)
    rules_on = _rules_on(case.organization_id)
    procedure.validate_step(arrears_on=case.arrears_on, steps=existing, new=new, rules_on=rules_on)
    own_deadline = procedure.next_deadline(
        arrears_on=case.arrears_on, steps=[*existing, new], rules_on=rules_on
    )
    step = ProcedureStep.objects.create(
        organization_id=case.organization_id,
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        outcome=outcome or "",
        prefect_notified_on=prefect_notified_on,
        reference=reference[:100],
        deadline_on=own_deadline.on if own_deadline and own_deadline.kind == kind else None,
        recorded_by=recorded_by,
        created_by=recorded_by,
        updated_by=recorded_by,
    )
    _refresh_deadline(case, [*existing, new])
    case.updated_by = recorded_by
    case.save(
        update_fields=[
            "stage",
            "next_deadline_on",
            "next_deadline_label",
            "updated_by",
            "updated_at",
        ]
    )
    title = f"{step.get_kind_display()} le {occurred_on:%d/%m/%Y}"
    if outcome:
        title += f" : {step.get_outcome_display().lower()}"
    timeline.record(
        household=case.household,
        category="arrears",
        kind=f"step.{kind}",
        title=title,
        actor=recorded_by,
        subject=step,
        at=occurred_on,
        url=_case_url(case),
    )
    return step


# --- Repayment plans ------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    case: ArrearsCase,
    debt_at_signature: Decimal,
    monthly_amount: Decimal,
    start_month: datetime.date,
    signed_on: datetime.date,
    approver: str,
    created_by: Any,
    previous: RepaymentPlan | None = None,
) -> RepaymentPlan:
    """A repayment plan and its schedule: instalments adding up exactly to the debt, the last
    one absorbing the rest (also checked by a deferred database trigger)."""
    debt = _money(debt_at_signature, "debt_at_signature")
    monthly = _money(monthly_amount, "monthly_amount")
    if debt <= 0:
        raise ValidationError({"debt_at_signature": "La dette doit être positive."})
    if monthly <= 0:
        raise ValidationError({"monthly_amount": "La mensualité doit être positive."})
    if monthly > debt:
        raise ValidationError({"monthly_amount": "La mensualité dépasse la dette."})
    if approver not in Approver.values:
        raise ValidationError({"approver": "Valideur inconnu."})
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"case": "Ce dossier est clos."})
    start_month = start_month.replace(day=1)
    if start_month < signed_on.replace(day=1):
        raise ValidationError(
            {"start_month": "La première échéance ne peut précéder le mois de signature."}
        )
    amounts = plan_rules.installment_amounts(debt, monthly)
    if len(amounts) > 120:
        raise ValidationError(
            {"monthly_amount": "Plan de plus de 10 ans : mensualité trop faible."}
        )
    plan = RepaymentPlan.objects.create(
        organization_id=case.organization_id,
        case=case,
        lease_id=case.lease_id,
        household_id=case.household_id,
        previous=previous,
        debt_at_signature=debt,
        monthly_amount=monthly,
        start_month=start_month,
        signed_on=signed_on,
        approver=approver,
        created_by=created_by,
        updated_by=created_by,
    )
    Installment.objects.bulk_create(
        [
            Installment(
                organization_id=case.organization_id,
                plan=plan,
                number=number,
                due_month=plan_rules.month_add(start_month, number - 1),
                amount=amount,
                created_by=created_by,
                updated_by=created_by,
            )
            for number, amount in enumerate(amounts, 1)
        ]
    )
    timeline.record(
        household=case.household,
        category="arrears",
        kind="plan.renegotiated" if previous else "plan.signed",
        title=(
            f"Plan d'apurement {'renégocié' if previous else 'signé'} : {debt} € en "
            f"{len(amounts)} échéances de {monthly} €"
        ),
        actor=created_by,
        subject=plan,
        at=signed_on,
        url=_case_url(case),
    )
    return plan


@transaction.atomic
def plan_renegotiate(
    *,
    plan: RepaymentPlan,
    debt_at_signature: Decimal,
    monthly_amount: Decimal,
    start_month: datetime.date,
    signed_on: datetime.date,
    approver: str,
    acting_user: Any,
) -> RepaymentPlan:
    """Replace a plan by a new one; the old one stays, marked renegotiated (history)."""
    plan = RepaymentPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    if not plan.can_transition(PlanStatus.RENEGOTIATED):
        raise ValidationError(
            {"status": f"Un plan {plan.get_status_display().lower()} ne se renégocie pas."}
        )
    plan.status = PlanStatus.RENEGOTIATED
    plan.updated_by = acting_user
    plan.save(update_fields=["status", "updated_by", "updated_at"])
    return plan_create(
        case=plan.case,
        debt_at_signature=debt_at_signature,
        monthly_amount=monthly_amount,
        start_month=start_month,
        signed_on=signed_on,
        approver=approver,
        created_by=acting_user,
        previous=plan,
    )


@transaction.atomic
def plans_match_payments(*, organization: Any, on: datetime.date | None = None) -> dict[str, int]:
    """Match each active plan's instalments with the statements of their month; a plan with
    N missed or short instalments (setting arrears.plan_breach_installments) is breached and
    raises an alert on the household timeline; a fully paid plan is completed."""
    on = on or timezone.localdate()
    threshold = rule("arrears.plan_breach_installments", organization=organization, on=on)
    active = list(
        RepaymentPlan.objects.for_organization(organization)
        .filter(status=PlanStatus.ACTIVE)
        .select_for_update(of=("self",))
        .select_related("case")
    )
    if not active:
        return {"breached": 0, "completed": 0}
    installments: dict[int, list[Installment]] = {}
    for installment in (
        Installment.objects.for_organization(organization)
        .filter(plan__in=active)
        .order_by("plan_id", "number")
    ):
        installments.setdefault(installment.plan_id, []).append(installment)
    accounts = {
        (lease_id, month): plan_rules.MonthAccount(billed, hb, payments)
        for lease_id, month, billed, hb, payments in AccountStatement.objects.for_organization(
            organization
        )
        .filter(
            lease_id__in={p.lease_id for p in active}, month__gte=min(p.start_month for p in active)
        )
        .values_list("lease_id", "month", "billed", "housing_benefit", "payments")
    }
    breached = completed = 0
    changed: list[Installment] = []
    for plan in active:
        statuses = []
        paid_total = ZERO
        for installment in installments.get(plan.pk, []):
            account = accounts.get((plan.lease_id, installment.due_month))
            paid = (
                plan_rules.paid_towards_installment(account, installment.amount)
                if account
                else installment.paid_amount
            )
            status = plan_rules.installment_status(
                paid, installment.amount, known=account is not None
            )
            if (paid, status) != (installment.paid_amount, installment.status):
                installment.paid_amount, installment.status = paid, status
                changed.append(installment)
            statuses.append(status)
            paid_total += paid
        plan.paid_total = paid_total
        fields = ["paid_total", "updated_at"]
        if plan_rules.is_breached(statuses, threshold=threshold):
            plan.status = PlanStatus.BREACHED
            plan.breached_on = on
            fields += ["status", "breached_on"]
            breached += 1
            timeline.record(
                household=plan.case.household,
                category="arrears",
                kind="plan.breached",
                title=f"Alerte : plan d'apurement non respecté ({threshold} échéances ou plus impayées ou incomplètes)",
                subject=plan,
                url=_case_url(plan.case),
            )
        elif statuses and all(s == InstallmentStatus.PAID for s in statuses):
            plan.status = PlanStatus.COMPLETED
            fields.append("status")
            completed += 1
        plan.save(update_fields=fields)
    Installment.objects.bulk_update(changed, ["paid_amount", "status"])
    return {"breached": breached, "completed": completed}


# --- Borloo protocols -----------------------------------------------------------------------------


@transaction.atomic
def borloo_create(
    *,
    case: ArrearsCase,
    basis: str,
    signed_on: datetime.date,
    ends_on: datetime.date,
    debt_at_signature: Decimal,
    monthly_amount: Decimal,
    start_month: datetime.date,
    created_by: Any,
    judgment: ProcedureStep | None = None,
    write_off: DebtWriteOff | None = None,
) -> BorlooProtocol:
    """CCH L353-15-2, L442-6-5: only after a judgment terminating the lease for unpaid rent, or
    a debt write-off in personal recovery (PRP); at most 2 years; carries a repayment plan
    approved by the CAF/MSA."""
    if basis == BorlooBasis.LEASE_TERMINATED:
        if judgment is None:
            judgment = (
                case.steps.filter(kind=StepKind.JUDGMENT, outcome=JudgmentOutcome.LEASE_TERMINATED)
                .order_by("-occurred_on")
                .first()
            )
        if (
            judgment is None
            or judgment.case_id != case.pk
            or judgment.kind != StepKind.JUDGMENT
            or judgment.outcome != JudgmentOutcome.LEASE_TERMINATED
        ):
            raise ValidationError(
                {
                    "basis": "Protocole Borloo impossible : aucun jugement n'a résilié le bail pour impayés."
                }
            )
        if signed_on < judgment.occurred_on:
            raise ValidationError({"signed_on": "Le protocole suit le jugement de résiliation."})
        write_off = None
    elif basis == BorlooBasis.DEBT_WRITE_OFF:
        if (
            write_off is None
            or write_off.cause != WriteOffCause.PRP
            or write_off.household_id != case.household_id
        ):
            raise ValidationError(
                {
                    "basis": "Protocole Borloo impossible : aucun effacement de dette en rétablissement personnel."
                }
            )
        judgment = None
    else:
        raise ValidationError({"basis": "Fondement inconnu."})
    max_months = rule("arrears.borloo_max_months", organization=case.organization_id, on=signed_on)
    limit = plan_rules.month_add(signed_on, max_months)
    if ends_on <= signed_on:
        raise ValidationError({"ends_on": "La fin du protocole suit sa signature."})
    if ends_on > limit:
        raise ValidationError(
            {
                "ends_on": f"Un protocole Borloo dure au plus {max_months} mois (fin au plus tard le {limit:%d/%m/%Y})."
            }
        )
    plan = plan_create(
        case=case,
        debt_at_signature=debt_at_signature,
        monthly_amount=monthly_amount,
        start_month=start_month,
        signed_on=signed_on,
        approver=Approver.CAF_MSA,
        created_by=created_by,
    )
    protocol = BorlooProtocol.objects.create(
        organization_id=case.organization_id,
        case=case,
        basis=basis,
        judgment=judgment,
        write_off=write_off,
        plan=plan,
        signed_on=signed_on,
        ends_on=ends_on,
        created_by=created_by,
        updated_by=created_by,
    )
    timeline.record(
        household=case.household,
        category="arrears",
        kind="borloo.signed",
        title=f"Protocole Borloo signé jusqu'au {ends_on:%d/%m/%Y}",
        actor=created_by,
        subject=protocol,
        at=signed_on,
        url=_case_url(case),
    )
    return protocol


@transaction.atomic
def borloo_amend(
    *, protocol: BorlooProtocol, signed_on: datetime.date, ends_on: datetime.date, acting_user: Any
) -> BorlooProtocol:
    """One amendment, at most 3 more years, signed while the protocol runs."""
    protocol = BorlooProtocol.objects.select_for_update(of=("self",)).get(pk=protocol.pk)
    if protocol.amendment_signed_on is not None:
        raise ValidationError(
            {"signed_on": "Le protocole a déjà été prolongé par avenant (un seul)."}
        )
    if protocol.status != BorlooStatus.ACTIVE:
        raise ValidationError({"signed_on": "Seul un protocole en cours se prolonge."})
    if signed_on > protocol.ends_on or signed_on < protocol.signed_on:
        raise ValidationError({"signed_on": "L'avenant se signe pendant la durée du protocole."})
    max_months = rule(
        "arrears.borloo_amendment_max_months", organization=protocol.organization_id, on=signed_on
    )
    limit = plan_rules.month_add(protocol.ends_on, max_months)
    if ends_on <= protocol.ends_on or ends_on > limit:
        raise ValidationError(
            {
                "ends_on": f"L'avenant prolonge de {max_months} mois au plus (au plus tard le {limit:%d/%m/%Y})."
            }
        )
    protocol.amendment_signed_on = signed_on
    protocol.amendment_ends_on = ends_on
    protocol.updated_by = acting_user
    protocol.save(
        update_fields=["amendment_signed_on", "amendment_ends_on", "updated_by", "updated_at"]
    )
    timeline.record(
        household=protocol.case.household,
        category="arrears",
        kind="borloo.amended",
        title=f"Protocole Borloo prolongé jusqu'au {ends_on:%d/%m/%Y}",
        actor=acting_user,
        subject=protocol,
        at=signed_on,
    )
    return protocol


@transaction.atomic
def borloo_conclude(
    *, protocol: BorlooProtocol, respected: bool, on: datetime.date, acting_user: Any
) -> BorlooProtocol:
    """Respected: a new lease must be signed within 3 months (tracked deadline). Breached: the
    landlord may resume the procedure (the case is open again)."""
    protocol = BorlooProtocol.objects.select_for_update(of=("self",)).get(pk=protocol.pk)
    target = BorlooStatus.RESPECTED if respected else BorlooStatus.BREACHED
    if not protocol.can_transition(target):
        raise ValidationError({"status": f"Protocole {protocol.get_status_display().lower()}."})
    protocol.status = target
    protocol.outcome_on = on
    fields = ["status", "outcome_on", "updated_by", "updated_at"]
    case = protocol.case
    if respected:
        months = rule(
            "arrears.borloo_new_lease_months", organization=protocol.organization_id, on=on
        )
        protocol.new_lease_due_on = plan_rules.month_add(on, months)
        fields.append("new_lease_due_on")
        case.next_deadline_on = protocol.new_lease_due_on
        case.next_deadline_label = "Signer le nouveau bail (protocole Borloo respecté)"
        case.save(update_fields=["next_deadline_on", "next_deadline_label", "updated_at"])
    elif case.status == CaseStatus.CLOSURE_PROPOSED:
        case.status = CaseStatus.OPEN
        case.save(update_fields=["status", "updated_at"])
    protocol.updated_by = acting_user
    protocol.save(update_fields=fields)
    timeline.record(
        household=case.household,
        category="arrears",
        kind="borloo.respected" if respected else "borloo.breached",
        title=(
            f"Protocole Borloo respecté : nouveau bail à signer avant le {protocol.new_lease_due_on:%d/%m/%Y}"
            if respected
            else "Protocole Borloo non respecté : la procédure peut reprendre"
        ),
        actor=acting_user,
        subject=protocol,
        at=on,
    )
    return protocol


@transaction.atomic
def borloo_new_lease_signed(
    *, protocol: BorlooProtocol, on: datetime.date, acting_user: Any
) -> BorlooProtocol:
    protocol = BorlooProtocol.objects.select_for_update(of=("self",)).get(pk=protocol.pk)
    if not protocol.can_transition(BorlooStatus.NEW_LEASE_SIGNED):
        raise ValidationError({"status": "Le protocole doit d'abord être constaté respecté."})
    protocol.status = BorlooStatus.NEW_LEASE_SIGNED
    protocol.new_lease_signed_on = on
    protocol.updated_by = acting_user
    protocol.save(update_fields=["status", "new_lease_signed_on", "updated_by", "updated_at"])
    case = protocol.case
    case.next_deadline_on = None
    case.next_deadline_label = ""
    case.save(update_fields=["next_deadline_on", "next_deadline_label", "updated_at"])
    timeline.record(
        household=case.household,
        category="arrears",
        kind="borloo.new_lease",
        title="Nouveau bail signé à l'issue du protocole Borloo",
        actor=acting_user,
        subject=protocol,
        at=on,
    )
    return protocol


# --- Aid, write-offs, relocation, contacts -------------------------------------------------------


@transaction.atomic
def fsl_aid_request(
    *,
    household: Any,
    purpose: str,
    form: str,
    amount_requested: Decimal,
    requested_on: datetime.date,
    acting_user: Any,
    case: ArrearsCase | None = None,
    decision_body: str = "",
) -> FslAid:
    amount = _money(amount_requested, "amount_requested")
    if amount <= 0:
        raise ValidationError({"amount_requested": "Le montant demandé doit être positif."})
    if case is not None and case.household_id != household.pk:
        raise ValidationError({"case": "Ce dossier concerne un autre ménage."})
    aid = FslAid.objects.create(
        organization_id=household.organization_id,
        household=household,
        case=case,
        purpose=purpose,
        form=form,
        amount_requested=amount,
        requested_on=requested_on,
        decision_body=decision_body[:150],
        created_by=acting_user,
        updated_by=acting_user,
    )
    timeline.record(
        household=household,
        category="arrears",
        kind="fsl.requested",
        title=f"Aide FSL demandée ({aid.get_purpose_display().lower()}, {amount} €)",
        actor=acting_user,
        subject=aid,
        at=requested_on,
    )
    return aid


@transaction.atomic
def fsl_aid_decide(
    *,
    aid: FslAid,
    outcome: str,
    decided_on: datetime.date,
    acting_user: Any,
    amount_granted: Decimal | None = None,
    decision_body: str = "",
    paid_to_landlord_on: datetime.date | None = None,
) -> FslAid:
    aid = FslAid.objects.select_for_update(of=("self",)).get(pk=aid.pk)
    if aid.outcome != AidOutcome.REQUESTED:
        raise ValidationError({"outcome": "La décision est déjà enregistrée."})
    if outcome not in (AidOutcome.GRANTED, AidOutcome.REFUSED):
        raise ValidationError({"outcome": "Décision attendue : accordée ou refusée."})
    if decided_on < aid.requested_on:
        raise ValidationError({"decided_on": "La décision suit la demande."})
    if outcome == AidOutcome.GRANTED:
        if amount_granted is None:
            raise ValidationError({"amount_granted": "Indiquez le montant accordé."})
        aid.amount_granted = _money(amount_granted, "amount_granted")
        if aid.amount_granted <= 0:
            raise ValidationError({"amount_granted": "Le montant accordé doit être positif."})
        aid.paid_to_landlord_on = paid_to_landlord_on
    aid.outcome = outcome
    aid.decided_on = decided_on
    if decision_body:
        aid.decision_body = decision_body[:150]
    aid.updated_by = acting_user
    aid.save()
    timeline.record(
        household=aid.household,
        category="arrears",
        kind=f"fsl.{outcome}",
        title=(
            f"Aide FSL accordée : {aid.amount_granted} €"
            if outcome == AidOutcome.GRANTED
            else "Aide FSL refusée"
        ),
        actor=acting_user,
        subject=aid,
        at=decided_on,
    )
    return aid


@transaction.atomic
def fsl_loan_repayment_add(
    *, aid: FslAid, paid_on: datetime.date, amount: Decimal, acting_user: Any
) -> FslLoanRepayment:
    from arrears.enums import FslForm

    if aid.form != FslForm.LOAN or aid.outcome != AidOutcome.GRANTED:
        raise ValidationError({"aid": "Seul un prêt FSL accordé se rembourse."})
    value = _money(amount, "amount")
    repaid = sum(aid.repayments.values_list("amount", flat=True), ZERO)
    if value <= 0 or repaid + value > (aid.amount_granted or ZERO):
        raise ValidationError({"amount": "Le remboursement dépasse le prêt accordé."})
    return FslLoanRepayment.objects.create(
        organization_id=aid.organization_id,
        aid=aid,
        paid_on=paid_on,
        amount=value,
        created_by=acting_user,
        updated_by=acting_user,
    )


@transaction.atomic
def subsidy_request_record(
    *,
    household: Any,
    funder: str,
    amount_requested: Decimal,
    requested_on: datetime.date,
    acting_user: Any,
    case: ArrearsCase | None = None,
    outcome: str = AidOutcome.REQUESTED,
    amount_granted: Decimal | None = None,
    decided_on: datetime.date | None = None,
) -> SubsidyRequest:
    if not funder.strip():
        raise ValidationError({"funder": "Indiquez le financeur."})
    if outcome != AidOutcome.REQUESTED and decided_on is None:
        raise ValidationError({"decided_on": "Indiquez la date de la décision."})
    request = SubsidyRequest.objects.create(
        organization_id=household.organization_id,
        household=household,
        case=case,
        funder=funder.strip()[:150],
        amount_requested=_money(amount_requested, "amount_requested"),
        amount_granted=None if amount_granted is None else _money(amount_granted, "amount_granted"),
        requested_on=requested_on,
        outcome=outcome,
        decided_on=decided_on,
        created_by=acting_user,
        updated_by=acting_user,
    )
    timeline.record(
        household=household,
        category="arrears",
        kind="subsidy.requested",
        title=f"Aide demandée à {request.funder} ({request.get_outcome_display().lower()})",
        actor=acting_user,
        subject=request,
        at=requested_on,
    )
    return request


@transaction.atomic
def debt_write_off_record(
    *,
    household: Any,
    amount: Decimal,
    written_off_on: datetime.date,
    cause: str,
    acting_user: Any,
    case: ArrearsCase | None = None,
    lease: Any = None,
) -> DebtWriteOff:
    """A written-off debt (PRP, FSL, landlord decision) lowers the case's debt (F())."""
    value = _money(amount, "amount")
    if value <= 0:
        raise ValidationError({"amount": "Le montant effacé doit être positif."})
    if cause not in WriteOffCause.values:
        raise ValidationError({"cause": "Cause inconnue."})
    if case is not None and case.household_id != household.pk:
        raise ValidationError({"case": "Ce dossier concerne un autre ménage."})
    write_off = DebtWriteOff.objects.create(
        organization_id=household.organization_id,
        household=household,
        case=case,
        lease=lease or (case.lease if case else None),
        amount=value,
        written_off_on=written_off_on,
        cause=cause,
        created_by=acting_user,
        updated_by=acting_user,
    )
    if case is not None:
        ArrearsCase.objects.filter(pk=case.pk).update(current_debt=F("current_debt") - value)
    timeline.record(
        household=household,
        category="arrears",
        kind="write_off.recorded",
        title=f"Dette effacée : {value} € ({write_off.get_cause_display()})",
        actor=acting_user,
        subject=write_off,
        at=written_off_on,
    )
    return write_off


@transaction.atomic
def relocation_request(
    *,
    case: ArrearsCase,
    requested_on: datetime.date,
    acting_user: Any,
    max_monthly_cost: Decimal | None = None,
) -> RelocationRequest:
    """A transfer to a cheaper dwelling requested by the arrears service (the transfer
    application itself belongs to allocations; its id is linked once it exists)."""
    if case.relocations.exclude(
        status__in=[RelocationStatus.RELOCATED, RelocationStatus.ABANDONED]
    ).exists():
        raise ValidationError({"case": "Une demande de relogement est déjà en cours."})
    relocation = RelocationRequest.objects.create(
        organization_id=case.organization_id,
        case=case,
        household_id=case.household_id,
        requested_on=requested_on,
        max_monthly_cost=None
        if max_monthly_cost is None
        else _money(max_monthly_cost, "max_monthly_cost"),
        created_by=acting_user,
        updated_by=acting_user,
    )
    case.relocation_status = RelocationStatus.REQUESTED
    case.save(update_fields=["relocation_status", "updated_at"])
    timeline.record(
        household=case.household,
        category="arrears",
        kind="relocation.requested",
        title="Relogement dans un logement moins cher demandé par le service contentieux",
        actor=acting_user,
        subject=relocation,
        at=requested_on,
        url=_case_url(case),
    )
    return relocation


RELOCATION_TRANSITIONS: dict[str, set[str]] = {
    RelocationStatus.REQUESTED: {
        RelocationStatus.APPLICATION_FILED,
        RelocationStatus.RELOCATED,
        RelocationStatus.ABANDONED,
    },
    RelocationStatus.APPLICATION_FILED: {RelocationStatus.RELOCATED, RelocationStatus.ABANDONED},
    RelocationStatus.RELOCATED: set(),
    RelocationStatus.ABANDONED: set(),
}


@transaction.atomic
def relocation_update(
    *,
    relocation: RelocationRequest,
    status: str,
    acting_user: Any,
    on: datetime.date | None = None,
    housing_application: Any = None,
) -> RelocationRequest:
    """Follow the relocation; `housing_application` links the household's transfer application
    (allocations), which must be the same household's."""
    relocation = RelocationRequest.objects.select_for_update(of=("self",)).get(pk=relocation.pk)
    if status not in RELOCATION_TRANSITIONS.get(relocation.status, set()):
        raise ValidationError({"status": "Changement de statut impossible."})
    if housing_application is not None:
        if (
            housing_application.organization_id != relocation.organization_id
            or housing_application.household_id != relocation.household_id
        ):
            raise ValidationError(
                {"housing_application": "Cette demande de mutation concerne un autre ménage."}
            )
        relocation.housing_application = housing_application
    elif status == RelocationStatus.APPLICATION_FILED and relocation.housing_application_id is None:
        raise ValidationError(
            {"housing_application": "Indiquez la demande de mutation déposée pour le ménage."}
        )
    relocation.status = status
    if status == RelocationStatus.RELOCATED:
        relocation.relocated_on = on or timezone.localdate()
    relocation.updated_by = acting_user
    relocation.save()
    ArrearsCase.objects.filter(pk=relocation.case_id).update(relocation_status=status)
    timeline.record(
        household=relocation.case.household,
        category="arrears",
        kind=f"relocation.{status}",
        title=f"Relogement : {relocation.get_status_display().lower()}",
        actor=acting_user,
        subject=relocation,
        at=on,
    )
    return relocation


CONTACT_KIND_PREFIX = "contact."


def interventions_available() -> bool:
    """Whether the cases app records interventions with a service (one source for contacts)."""
    try:
        from cases.enums import Service
        from cases.models import Intervention
    except ImportError:
        return False
    return hasattr(Service, "ARREARS") and any(
        f.name == "service" for f in Intervention._meta.get_fields()
    )


CONTACT_TO_INTERVENTION: dict[str, str] = {
    ContactKind.CALL_RECEIVED: "phone_in",
    ContactKind.CALL_MADE: "phone_out",
    ContactKind.MEETING: "office_interview",
}


@transaction.atomic
def contact_record(
    *,
    household: Any,
    kind: str,
    occurred_on: datetime.date,
    acting_user: Any,
    subject: str = "",
    case: ArrearsCase | None = None,
) -> Any:
    """A contact of the arrears service (call received or made, meeting) on the household's
    timeline: an intervention of the cases app with service = arrears (its service writes the
    timeline event); before that app existed, a timeline event of category arrears. The
    "contacts" indicator counts one of the two sources, never both."""
    if kind not in ContactKind.values:
        raise ValidationError({"kind": "Type de contact inconnu."})
    if interventions_available():
        from cases.enums import Service
        from cases.services import intervention_log

        return intervention_log(
            organization=household.organization,
            household=household,
            author=acting_user,
            kind=CONTACT_TO_INTERVENTION[kind],
            occurred_on=occurred_on,
            subject=subject,
            service=Service.ARREARS,
        )
    label = ContactKind(kind).label
    return timeline.record(
        household=household,
        category="arrears",
        kind=f"{CONTACT_KIND_PREFIX}{kind}",
        title=f"{label} (service contentieux)"
        + (f" : {subject.strip()[:180]}" if subject.strip() else ""),
        actor=acting_user,
        subject=case,
        at=occurred_on,
        url=_case_url(case) if case else "",
    )


def overdue_filter(today: datetime.date) -> Q:
    return Q(next_deadline_on__lt=today) & ~Q(status=CaseStatus.CLOSED)
