"""Every deadline rule of the procedure (arrears/procedure.py), the winter truce, and the
versions of the law before and after 29 July 2023. Pure functions: no database."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from arrears import procedure
from arrears.enums import JudgmentOutcome, Stage, StepKind
from arrears.procedure import Rules, Step

D = datetime.date

POST_2023 = Rules(
    caf_report_delay={"months": 2},
    ccapex_before_summons={"months": 2},
    payment_order_delay={"weeks": 6},
    summons_prefect_notice={"weeks": 6},
    order_to_leave_delay={"months": 2},
    police_assistance_delay={"months": 2},
    winter_truce={"start": "11-01", "end": "03-31"},
)
PRE_2023 = Rules(
    **{
        **POST_2023.__dict__,
        "payment_order_delay": {"months": 2},
        "summons_prefect_notice": {"months": 2},
    }
)


def by_law(day: datetime.date) -> Rules:
    return POST_2023 if day >= D(2023, 7, 29) else PRE_2023


ARREARS_ON = D(2025, 1, 31)


def validate(steps, new, arrears_on=ARREARS_ON):
    procedure.validate_step(arrears_on=arrears_on, steps=steps, new=new, rules_on=by_law)


def reason(steps, new, arrears_on=ARREARS_ON) -> str:
    with pytest.raises(ValidationError) as caught:
        validate(steps, new, arrears_on)
    return " ".join(m for ms in caught.value.message_dict.values() for m in ms)


# A complete, lawful procedure (post-2023), step by step.
CAF = Step(StepKind.CAF_REPORT, D(2025, 2, 10))
ORDER = Step(StepKind.PAYMENT_ORDER, D(2025, 3, 1))
SUMMONS = Step(StepKind.SUMMONS, D(2025, 4, 15), prefect_notified_on=D(2025, 4, 16))
HEARING = Step(StepKind.HEARING, D(2025, 6, 2))
JUDGMENT = Step(StepKind.JUDGMENT, D(2025, 7, 1), outcome=JudgmentOutcome.LEASE_TERMINATED)
LEAVE = Step(StepKind.ORDER_TO_LEAVE, D(2025, 8, 1))
POLICE = Step(StepKind.POLICE_REQUEST, D(2025, 10, 1))
EVICTION = Step(StepKind.EVICTION, D(2026, 4, 2))
FULL = [CAF, ORDER, SUMMONS, HEARING, JUDGMENT, LEAVE, POLICE, EVICTION]


def test_a_lawful_procedure_is_accepted_step_by_step():
    for index, step in enumerate(FULL):
        validate(FULL[:index], step)


# --- Durations ---------------------------------------------------------------------------------


def test_calendar_months_end_on_the_last_day_when_the_day_does_not_exist():
    assert procedure.add(D(2025, 12, 31), {"months": 2}) == D(2026, 2, 28)
    assert procedure.add(D(2024, 12, 31), {"months": 2}) == D(2025, 2, 28)
    assert procedure.add(D(2023, 12, 31), {"months": 2}) == D(2024, 2, 29)
    assert procedure.add(D(2025, 3, 1), {"weeks": 6}) == D(2025, 4, 12)


# --- CAF/MSA report: within 2 months of the arrears ----------------------------------------------


def test_caf_report_deadline_is_two_months_after_the_arrears():
    deadline = procedure.next_deadline(arrears_on=ARREARS_ON, steps=[], rules_on=by_law)
    assert deadline.kind == StepKind.CAF_REPORT
    assert deadline.on == D(2025, 3, 31)


def test_a_step_dated_before_the_arrears_is_refused():
    assert "précède l'impayé" in reason([], Step(StepKind.CAF_REPORT, D(2025, 1, 30)))


def test_a_second_caf_report_is_refused():
    assert "déjà enregistrée" in reason([CAF], Step(StepKind.CAF_REPORT, D(2025, 2, 20)))


# --- Payment order: 6 weeks to pay (2 months before 29 July 2023) --------------------------------


def test_summons_before_the_six_weeks_of_the_payment_order_is_refused():
    # 1 March 2025 + 6 weeks = 12 April 2025.
    early = Step(StepKind.SUMMONS, D(2025, 4, 11), prefect_notified_on=D(2025, 4, 11))
    assert "avant le 12/04/2025" in reason([CAF, ORDER], early)
    validate(
        [CAF, ORDER], Step(StepKind.SUMMONS, D(2025, 4, 12), prefect_notified_on=D(2025, 4, 12))
    )


def test_a_payment_order_served_before_the_2023_reform_left_two_months():
    arrears_on = D(2023, 1, 31)
    caf = Step(StepKind.CAF_REPORT, D(2023, 2, 1))
    order = Step(StepKind.PAYMENT_ORDER, D(2023, 6, 1))
    # Pre-reform: 1 June 2023 + 2 months = 1 August 2023 (6 weeks would be 13 July).
    too_early = Step(StepKind.SUMMONS, D(2023, 7, 31), prefect_notified_on=D(2023, 7, 31))
    assert "avant le 01/08/2023" in reason([caf, order], too_early, arrears_on)
    validate(
        [caf, order],
        Step(StepKind.SUMMONS, D(2023, 8, 1), prefect_notified_on=D(2023, 8, 1)),
        arrears_on,
    )


def test_payment_order_deadline_is_shown_until_the_summons():
    deadline = procedure.next_deadline(arrears_on=ARREARS_ON, steps=[CAF, ORDER], rules_on=by_law)
    assert (deadline.kind, deadline.on) == (StepKind.PAYMENT_ORDER, D(2025, 4, 12))


def test_summons_needs_a_payment_order():
    assert "avant : commandement de payer" in reason(
        [CAF], Step(StepKind.SUMMONS, D(2025, 6, 1), prefect_notified_on=D(2025, 6, 1))
    )


# --- CCAPEX: referral at least 2 months before the summons (the CAF report counts) -------------


def test_summons_less_than_two_months_after_the_ccapex_referral_is_refused():
    order = Step(StepKind.PAYMENT_ORDER, D(2025, 2, 1))
    ccapex = Step(StepKind.CCAPEX_REFERRAL, D(2025, 3, 1))
    summons = Step(StepKind.SUMMONS, D(2025, 4, 30), prefect_notified_on=D(2025, 4, 30))
    assert "CCAPEX" in reason([order, ccapex], summons)
    validate(
        [order, ccapex], Step(StepKind.SUMMONS, D(2025, 5, 1), prefect_notified_on=D(2025, 5, 1))
    )


def test_the_caf_report_counts_as_ccapex_referral():
    order = Step(StepKind.PAYMENT_ORDER, D(2025, 2, 1))
    caf = Step(StepKind.CAF_REPORT, D(2025, 2, 15))
    validate(
        [order, caf], Step(StepKind.SUMMONS, D(2025, 4, 15), prefect_notified_on=D(2025, 4, 15))
    )


def test_summons_needs_the_prefect_notification_date():
    assert "préfet" in reason([CAF, ORDER], Step(StepKind.SUMMONS, D(2025, 4, 15)))


# --- Summons notified to the préfet at least 6 weeks before the hearing -------------------------


def test_hearing_less_than_six_weeks_after_the_notification_is_refused():
    # Notified 16 April 2025 + 6 weeks = 28 May 2025.
    assert "avant le 28/05/2025" in reason(
        [CAF, ORDER, SUMMONS], Step(StepKind.HEARING, D(2025, 5, 27))
    )
    validate([CAF, ORDER, SUMMONS], Step(StepKind.HEARING, D(2025, 5, 28)))


def test_before_the_reform_the_notification_was_two_months_before_the_hearing():
    arrears_on = D(2022, 10, 31)
    caf = Step(StepKind.CAF_REPORT, D(2022, 11, 2))
    order = Step(StepKind.PAYMENT_ORDER, D(2022, 11, 2))
    summons = Step(StepKind.SUMMONS, D(2023, 1, 10), prefect_notified_on=D(2023, 1, 10))
    assert "avant le 10/03/2023" in reason(
        [caf, order, summons], Step(StepKind.HEARING, D(2023, 3, 9)), arrears_on
    )


def test_earliest_hearing_is_the_deadline_after_the_summons():
    deadline = procedure.next_deadline(
        arrears_on=ARREARS_ON, steps=[CAF, ORDER, SUMMONS], rules_on=by_law
    )
    assert (deadline.kind, deadline.on) == (StepKind.SUMMONS, D(2025, 5, 28))


# --- Judgment ---------------------------------------------------------------------------------


def test_judgment_needs_its_outcome_and_a_hearing():
    assert "décision" in reason(FULL[:4], Step(StepKind.JUDGMENT, D(2025, 7, 1)))
    assert "avant : audience" in reason(
        FULL[:3], Step(StepKind.JUDGMENT, D(2025, 7, 1), outcome=JudgmentOutcome.REJECTED)
    )


def test_only_a_judgment_carries_an_outcome():
    assert "Seul un jugement" in reason(
        [], Step(StepKind.CAF_REPORT, D(2025, 2, 1), outcome=JudgmentOutcome.REJECTED)
    )


def test_a_step_dated_before_its_prerequisite_is_refused():
    assert "précède" in reason(
        FULL[:4], Step(StepKind.JUDGMENT, D(2025, 6, 1), outcome=JudgmentOutcome.REJECTED)
    )


@pytest.mark.parametrize("outcome", [JudgmentOutcome.PAYMENT_DELAYS, JudgmentOutcome.REJECTED])
def test_order_to_leave_needs_a_judgment_terminating_the_lease(outcome):
    judgment = Step(StepKind.JUDGMENT, D(2025, 7, 1), outcome=outcome)
    assert "n'a pas résilié le bail" in reason(
        [*FULL[:4], judgment], Step(StepKind.ORDER_TO_LEAVE, D(2025, 8, 1))
    )


# --- Order to leave: 2 months; police assistance: the préfet has 2 months ----------------------


def test_police_request_before_the_two_months_of_the_order_to_leave_is_refused():
    # 1 August 2025 + 2 months = 1 October 2025.
    assert "avant le 01/10/2025" in reason(FULL[:6], Step(StepKind.POLICE_REQUEST, D(2025, 9, 30)))


def test_order_to_leave_deadline_is_two_months():
    deadline = procedure.next_deadline(arrears_on=ARREARS_ON, steps=FULL[:6], rules_on=by_law)
    assert (deadline.kind, deadline.on) == (StepKind.ORDER_TO_LEAVE, D(2025, 10, 1))


def test_prefect_answer_is_due_two_months_after_the_police_request():
    deadline = procedure.next_deadline(arrears_on=ARREARS_ON, steps=FULL[:7], rules_on=by_law)
    assert (deadline.kind, deadline.on) == (StepKind.POLICE_REQUEST, D(2025, 12, 1))


def test_eviction_needs_a_police_request():
    assert "avant : réquisition" in reason(FULL[:6], Step(StepKind.EVICTION, D(2025, 10, 2)))


def test_nothing_after_the_eviction():
    assert "terminée" in reason(FULL, Step(StepKind.CCAPEX_REFERRAL, D(2026, 5, 1)))
    assert procedure.next_deadline(arrears_on=ARREARS_ON, steps=FULL, rules_on=by_law) is None


# --- Winter truce: no eviction from 1 November to 31 March ------------------------------------


@pytest.mark.parametrize(
    "day", [D(2025, 11, 1), D(2025, 12, 25), D(2026, 1, 1), D(2026, 2, 28), D(2026, 3, 31)]
)
def test_no_eviction_during_the_winter_truce(day):
    message = reason(FULL[:7], Step(StepKind.EVICTION, day))
    assert "trêve hivernale" in message
    assert "01/04/2026" in message


@pytest.mark.parametrize("day", [D(2025, 10, 31), D(2026, 4, 1), D(2026, 7, 14)])
def test_eviction_outside_the_truce_is_possible(day):
    validate(FULL[:7], Step(StepKind.EVICTION, day))


def test_truce_bounds():
    assert procedure.in_winter_truce(D(2025, 11, 1), POST_2023)
    assert procedure.in_winter_truce(D(2026, 3, 31), POST_2023)
    assert not procedure.in_winter_truce(D(2025, 10, 31), POST_2023)
    assert not procedure.in_winter_truce(D(2026, 4, 1), POST_2023)
    assert procedure.first_day_after_truce(D(2025, 12, 1), POST_2023) == D(2026, 4, 1)


# --- Stage ------------------------------------------------------------------------------------


def test_stage_is_the_furthest_step():
    assert procedure.stage_of([]) == Stage.AMICABLE
    assert procedure.stage_of([ORDER, CAF]) == Stage.PAYMENT_ORDER
    assert procedure.stage_of(FULL[:5]) == Stage.JUDGMENT
