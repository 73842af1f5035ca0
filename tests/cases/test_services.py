"""Services and state machines of the social accompaniment."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services
from cases.enums import (
    AdaptationStatus,
    AppointmentStatus,
    CampaignStatus,
    CaseStatus,
    ContactStatus,
    EvaluationStatus,
    InterventionKind,
    ReferralStatus,
)
from cases.models import (
    Intervention,
    SocialCase,
    StatusChange,
)
from core.models import TimelineEvent
from tests.cases.factories import (
    AdaptationRequestFactory,
    AppointmentFactory,
    OutreachCampaignFactory,
    SocialCaseFactory,
)
from tests.housing.factories import HouseholdFactory, PartnerFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_case_opens_with_the_default_planned_end_of_four_months(
    org: Any, household: Any, worker: Any, as_org: Any
) -> None:
    with as_org(worker):
        case = services.social_case_open(
            organization=org,
            household=household,
            motives=["transfer"],
            referent=worker,
            opened_by=worker,
            opened_on=datetime.date(2026, 1, 31),
        )
    assert case.planned_end_on == datetime.date(2026, 5, 31)
    assert case.status == CaseStatus.OPEN


def test_the_planned_duration_is_a_versioned_setting(
    org: Any, household: Any, worker: Any, as_org: Any
) -> None:
    from core.models import ParameterValue

    with as_org(worker):
        ParameterValue.objects.create(
            organization=org,
            key="cases.planned_duration_months",
            value="6",
            valid_from=datetime.date(2026, 3, 1),
        )
        before = services.social_case_open(
            organization=org,
            household=household,
            motives=["transfer"],
            referent=worker,
            opened_by=worker,
            opened_on=datetime.date(2026, 2, 1),
        )
        services.social_case_close(
            social_case=before,
            outcome="goal_reached",
            closed_by=worker,
            closed_on=datetime.date(2026, 2, 2),
        )
        after = services.social_case_open(
            organization=org,
            household=household,
            motives=["transfer"],
            referent=worker,
            opened_by=worker,
            opened_on=datetime.date(2026, 3, 1),
        )
    assert before.planned_end_on == datetime.date(2026, 6, 1)
    assert after.planned_end_on == datetime.date(2026, 9, 1)


def test_an_external_case_needs_its_partner_association(
    org: Any, household: Any, worker: Any, as_org: Any
) -> None:
    with as_org(worker), pytest.raises(ValidationError) as error:
        services.social_case_open(
            organization=org,
            household=household,
            motives=["arrears"],
            referent=worker,
            opened_by=worker,
            mode="asll",
        )
    assert "external_partner" in error.value.error_dict


def test_a_household_has_one_running_case_at_a_time(
    org: Any, social_case: Any, worker: Any, as_org: Any
) -> None:
    with as_org(worker), pytest.raises(ValidationError) as error:
        services.social_case_open(
            organization=org,
            household=social_case.household,
            motives=["other"],
            referent=worker,
            opened_by=worker,
        )
    assert "household" in error.value.error_dict


def test_the_referent_must_be_a_member(org: Any, household: Any, worker: Any, as_org: Any) -> None:
    from tests.organizations.factories import UserFactory

    with as_org(worker), pytest.raises(ValidationError) as error:
        services.social_case_open(
            organization=org,
            household=household,
            motives=["other"],
            referent=UserFactory(),
            opened_by=worker,
        )
    assert "referent" in error.value.error_dict


def test_extending_needs_a_reason_and_a_later_date(
    social_case: Any, worker: Any, as_org: Any
) -> None:
    with as_org(worker):
        with pytest.raises(ValidationError):
            services.social_case_extend(
                social_case=social_case,
                new_end_on=social_case.planned_end_on + datetime.timedelta(days=30),
                reason=" ",
                extended_by=worker,
            )
        with pytest.raises(ValidationError):
            services.social_case_extend(
                social_case=social_case,
                new_end_on=social_case.planned_end_on,
                reason="Dossier FSL en cours",
                extended_by=worker,
            )
        new_end = social_case.planned_end_on + datetime.timedelta(days=60)
        extension = services.social_case_extend(
            social_case=social_case,
            new_end_on=new_end,
            reason="Dossier FSL en cours",
            extended_by=worker,
        )
        social_case.refresh_from_db()
    assert social_case.planned_end_on == new_end
    assert extension.previous_end_on < new_end


def test_state_machine_of_a_case_and_its_log(social_case: Any, worker: Any, as_org: Any) -> None:
    assert social_case.can_transition(CaseStatus.SUSPENDED)
    assert not social_case.can_transition(CaseStatus.OPEN)
    with as_org(worker):
        services.social_case_set_status(social_case=social_case, status="suspended", actor=worker)
        services.social_case_set_status(social_case=social_case, status="open", actor=worker)
        services.social_case_close(
            social_case=social_case, outcome="goal_reached", closed_by=worker
        )
        with pytest.raises(ValidationError):
            services.social_case_extend(
                social_case=social_case,
                new_end_on=TODAY + datetime.timedelta(days=400),
                reason="x",
                extended_by=worker,
            )
        with pytest.raises(ValidationError):
            services.social_case_close(
                social_case=social_case, outcome="goal_reached", closed_by=worker
            )
        changes = list(StatusChange.objects.filter(subject_id=social_case.public_id).order_by("pk"))
        services.social_case_set_status(social_case=social_case, status="open", actor=worker)
        social_case.refresh_from_db()
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("", "open"),
        ("open", "suspended"),
        ("suspended", "open"),
        ("open", "closed"),
    ]
    assert all(c.actor_id == worker.pk for c in changes)
    assert social_case.status == CaseStatus.OPEN and social_case.closed_on is None


def test_logging_an_intervention_attaches_it_to_the_running_case_and_keeps_the_note_off_the_timeline(
    org: Any, social_case: Any, worker: Any, as_org: Any
) -> None:
    with as_org(worker):
        intervention = services.intervention_log(
            organization=org,
            household=social_case.household,
            author=worker,
            kind=InterventionKind.HOME_VISIT,
            duration_minutes=50,
            subject="Point budget",
            note="SECRET violences conjugales",
        )
        events = list(TimelineEvent.objects.filter(household=social_case.household))
    assert intervention.social_case == social_case
    assert events and all("SECRET" not in (e.title + e.summary) for e in events)
    assert any(e.kind == "intervention.logged" for e in events)


def test_an_intervention_cannot_be_in_the_future(
    org: Any, household: Any, worker: Any, as_org: Any
) -> None:
    with as_org(worker), pytest.raises(ValidationError) as error:
        services.intervention_log(
            organization=org,
            household=household,
            author=worker,
            kind="phone_out",
            occurred_on=TODAY + datetime.timedelta(days=1),
        )
    assert "occurred_on" in error.value.error_dict


def test_an_intervention_of_another_organisation_household_is_refused(
    org: Any, other_org: Any, worker: Any, as_org: Any
) -> None:
    theirs = HouseholdFactory(organization=other_org)
    with as_org(worker), pytest.raises(ValidationError):
        services.intervention_log(
            organization=org, household=theirs, author=worker, kind="phone_out"
        )


def test_only_the_author_corrects_an_intervention(
    org: Any, household: Any, worker: Any, member_of: Any, as_org: Any
) -> None:
    colleague = member_of(org, "social_worker")
    with as_org(worker):
        intervention = services.intervention_log(
            organization=org, household=household, author=worker, kind="phone_out"
        )
        with pytest.raises(ValidationError):
            services.intervention_update(
                intervention=intervention, updated_by=colleague, subject="x"
            )
        services.intervention_update(intervention=intervention, updated_by=worker, subject="Rappel")
        intervention.refresh_from_db()
    assert intervention.subject == "Rappel"


def test_completing_an_evaluation_needs_recommendation_and_conclusion_and_may_open_a_case(
    org: Any, household: Any, worker: Any, as_org: Any
) -> None:
    with as_org(worker):
        evaluation = services.evaluation_create(
            organization=org, household=household, author=worker, context="arrears"
        )
        with pytest.raises(ValidationError) as error:
            services.evaluation_complete(evaluation=evaluation, completed_by=worker)
        assert set(error.value.error_dict) == {"recommendation", "conclusion_note"}
        services.evaluation_update(
            evaluation=evaluation,
            updated_by=worker,
            recommendation="internal",
            conclusion_note="Accompagnement budgétaire",
        )
        evaluation = services.evaluation_complete(
            evaluation=evaluation, completed_by=worker, open_case=True
        )
    assert evaluation.status == EvaluationStatus.COMPLETED
    assert evaluation.social_case.motives == ["arrears"]
    assert evaluation.social_case.referent == worker


def test_a_completed_evaluation_is_not_edited(
    org: Any, household: Any, worker: Any, as_org: Any
) -> None:
    with as_org(worker):
        evaluation = services.evaluation_create(
            organization=org,
            household=household,
            author=worker,
            context="dalo",
            recommendation="none",
            conclusion_note="RAS",
        )
        services.evaluation_complete(evaluation=evaluation, completed_by=worker)
        with pytest.raises(ValidationError):
            services.evaluation_update(evaluation=evaluation, updated_by=worker, needs_note="x")


def test_referral_outcome_follows_its_state_machine(
    org: Any, household: Any, worker: Any, as_org: Any
) -> None:
    partner = PartnerFactory(organization=org, name="CCAS de Metz")
    with as_org(worker):
        referral = services.referral_create(
            organization=org,
            household=household,
            partner=partner,
            motive="access_to_rights",
            referred_by=worker,
        )
        services.referral_record_outcome(
            referral=referral,
            status=ReferralStatus.ACCEPTED,
            recorded_by=worker,
            outcome="RDV pris",
        )
        with pytest.raises(ValidationError):
            services.referral_record_outcome(
                referral=referral, status=ReferralStatus.REFUSED, recorded_by=worker
            )
        referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_a_done_appointment_logs_its_intervention(
    org: Any, household: Any, worker: Any, as_org: Any
) -> None:
    appointment = AppointmentFactory(
        organization=org,
        household=household,
        worker=worker,
        starts_at=timezone.now() - datetime.timedelta(minutes=30),
        duration_minutes=40,
    )
    with as_org(worker):
        services.appointment_set_status(
            appointment=appointment, status=AppointmentStatus.DONE, actor=worker, note="SECRET"
        )
        appointment.refresh_from_db()
        intervention = appointment.intervention
    assert intervention.kind == InterventionKind.HOME_VISIT
    assert intervention.duration_minutes == 40 and intervention.author == worker


def test_an_appointment_in_the_future_cannot_be_done(
    org: Any, household: Any, worker: Any, as_org: Any
) -> None:
    appointment = AppointmentFactory(
        organization=org,
        household=household,
        worker=worker,
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    with as_org(worker), pytest.raises(ValidationError):
        services.appointment_set_status(appointment=appointment, status="done", actor=worker)


def _elderly_alone(org: Any, name: str, *, age: int, alone: bool = True) -> Any:
    from tests.housing.factories import LeaseFactory

    household = LeaseFactory(organization=org).household
    household.name = name
    household.lives_alone = alone
    from core.context import organization_context

    with organization_context(org):
        household.save()
    PersonFactory(
        organization=org,
        household=household,
        birth_date=TODAY.replace(year=TODAY.year - age) - datetime.timedelta(days=1),
    )
    return household


def test_campaign_targets_follow_the_criteria_and_are_shared_between_callers(
    org: Any, worker: Any, member_of: Any, as_org: Any
) -> None:
    other_caller = member_of(org, "social_worker")
    old_alone = [_elderly_alone(org, f"Ménage {i}", age=80) for i in range(3)]
    _elderly_alone(org, "Jeune seul", age=40)
    _elderly_alone(org, "Âgé entouré", age=82, alone=False)
    HouseholdFactory(organization=org, lives_alone=True)  # not a tenant
    with as_org(worker):
        campaign = services.campaign_create(
            organization=org,
            name="Plan grand froid",
            kind="cold_wave",
            starts_on=TODAY,
            criteria={"min_age": 75, "lives_alone": True},
            calls_per_week=2,
            callers=[worker, other_caller],
            created_by=worker,
        )
        assert services.campaign_generate_targets(campaign=campaign, generated_by=worker) == 3
        assert services.campaign_generate_targets(campaign=campaign, generated_by=worker) == 0
        targets = list(campaign.targets.all())
    assert {t.household_id for t in targets} == {h.pk for h in old_alone}
    assert {t.assigned_to_id for t in targets} == {worker.pk, other_caller.pk}
    assert all(t.recurring for t in targets)


def test_a_campaign_contact_is_an_intervention_and_follow_up_opens_a_case(
    org: Any, worker: Any, as_org: Any
) -> None:
    household = _elderly_alone(org, "Mme Petit", age=88)
    campaign = OutreachCampaignFactory(
        organization=org, calls_per_week=2, status=CampaignStatus.ACTIVE
    )
    from tests.cases.factories import CampaignTargetFactory

    target = CampaignTargetFactory(
        organization=org, campaign=campaign, household=household, recurring=True
    )
    with as_org(worker):
        services.campaign_contact_record(
            target=target, caller=worker, status=ContactStatus.NOT_REACHED
        )
        services.campaign_contact_record(
            target=target,
            caller=worker,
            status=ContactStatus.FOLLOW_UP,
            note="SECRET chauffage en panne",
        )
        target.refresh_from_db()
        calls = Intervention.objects.filter(campaign_target=target).count()
        case = SocialCase.objects.get(household=household)
    assert calls == 2 and target.attempts == 2
    assert target.status == ContactStatus.FOLLOW_UP
    assert target.social_case_id == case.pk and case.motives == ["isolation"]
    assert target.next_call_on == TODAY + datetime.timedelta(days=4)


def test_recurring_calls_come_back_when_due_and_finished_campaigns_close(
    org: Any, worker: Any, as_org: Any
) -> None:
    from tests.cases.factories import CampaignTargetFactory

    campaign = OutreachCampaignFactory(
        organization=org,
        status=CampaignStatus.ACTIVE,
        starts_on=TODAY - datetime.timedelta(days=10),
    )
    due = CampaignTargetFactory(
        organization=org, campaign=campaign, recurring=True, status="reached", next_call_on=TODAY
    )
    later = CampaignTargetFactory(
        organization=org,
        campaign=campaign,
        recurring=True,
        status="reached",
        next_call_on=TODAY + datetime.timedelta(days=2),
    )
    ended = OutreachCampaignFactory(
        organization=org,
        status=CampaignStatus.ACTIVE,
        starts_on=TODAY - datetime.timedelta(days=30),
        ends_on=TODAY - datetime.timedelta(days=1),
    )
    with as_org(worker):
        assert services.campaign_recurring_calls_refresh(organization=org) == 1
        assert services.campaign_recurring_calls_refresh(organization=org) == 0
        due.refresh_from_db()
        later.refresh_from_db()
        ended.refresh_from_db()
    assert due.status == ContactStatus.TO_CALL and later.status == "reached"
    assert ended.status == CampaignStatus.CLOSED


def test_a_draft_campaign_takes_no_calls(org: Any, worker: Any, as_org: Any) -> None:
    from tests.cases.factories import CampaignTargetFactory

    target = CampaignTargetFactory(organization=org)
    with as_org(worker), pytest.raises(ValidationError):
        services.campaign_contact_record(target=target, caller=worker, status="reached")


def test_adaptation_request_goes_through_commission_works_and_delivery(
    org: Any, household: Any, worker: Any, as_org: Any
) -> None:
    carsat = PartnerFactory(organization=org, name="CARSAT", kind="carsat")
    with as_org(worker):
        request = services.adaptation_request_create(
            organization=org,
            household=household,
            kind="bath_to_shower",
            requested_by=worker,
            estimated_cost=Decimal("4000"),
        )
        with pytest.raises(ValidationError):
            services.adaptation_request_progress(request=request, status="delivered", actor=worker)
        with pytest.raises(ValidationError) as error:
            services.adaptation_request_decide(
                request=request, status="rejected", studied_on=TODAY, decided_by=worker
            )
        assert "decision_reason" in error.value.error_dict
        services.adaptation_request_decide(
            request=request, status="approved", studied_on=TODAY, decided_by=worker
        )
        services.adaptation_funding_set(
            request=request, partner=carsat, amount=Decimal("1500"), set_by=worker
        )
        services.adaptation_request_progress(request=request, status="in_works", actor=worker)
        services.adaptation_request_progress(
            request=request, status="delivered", actor=worker, final_cost=Decimal("3800")
        )
        request.refresh_from_db()
        with pytest.raises(ValidationError):
            services.adaptation_funding_set(
                request=request, partner=carsat, amount=Decimal("5000"), set_by=worker
            )
    assert request.status == AdaptationStatus.DELIVERED and request.final_cost == Decimal("3800")


def test_a_commission_is_held_once_every_file_is_decided(
    org: Any, household: Any, worker: Any, as_org: Any
) -> None:
    with as_org(worker):
        review = services.case_review_create(organization=org, held_on=TODAY, created_by=worker)
        item = services.case_review_item_add(
            review=review,
            household=household,
            file_kind="transfer",
            question="Mutation ?",
            added_by=worker,
        )
        with pytest.raises(ValidationError):
            services.case_review_item_add(
                review=review,
                household=household,
                file_kind="access",
                question="Encore ?",
                added_by=worker,
            )
        with pytest.raises(ValidationError):
            services.case_review_hold(review=review, held_by=worker)
        services.case_review_item_decide(
            item=item, decision="approved", decision_text="Mutation T2", decided_by=worker
        )
        services.case_review_hold(review=review, held_by=worker)
        review.refresh_from_db()
        assert TimelineEvent.objects.filter(
            household=household, kind="case_review.decided"
        ).exists()
    assert review.status == "held"


def test_programme_enrolment_and_decisions(
    org: Any, household: Any, worker: Any, as_org: Any
) -> None:
    with as_org(worker):
        programme = services.programme_save(
            organization=org,
            saved_by=worker,
            name="Zéro expulsion locative",
            starts_on=datetime.date(2026, 1, 1),
            target_access=10,
            target_staying=30,
        )
        enrolment = services.programme_enrol(
            programme=programme, household=household, kind="staying", enrolled_by=worker
        )
        with pytest.raises(ValidationError):
            services.programme_enrol(
                programme=programme, household=household, kind="access", enrolled_by=worker
            )
        services.programme_enrolment_decide(
            enrolment=enrolment, status="accepted", decided_by=worker, diagnostic_done=True
        )
        with pytest.raises(ValidationError):
            services.programme_enrolment_decide(
                enrolment=enrolment, status="refused", decided_by=worker
            )
        enrolment.refresh_from_db()
    assert enrolment.status == "accepted" and enrolment.diagnostic_done


def test_synthesis_never_carries_notes(
    org: Any, social_case: Any, worker: Any, as_org: Any
) -> None:
    from cases.selectors import household_social_synthesis

    with as_org(worker):
        services.intervention_log(
            organization=org,
            household=social_case.household,
            author=worker,
            kind="phone_out",
            note="SECRET",
        )
        synthesis = household_social_synthesis(organization=org, household=social_case.household)
        empty = household_social_synthesis(
            organization=org, household=HouseholdFactory(organization=org)
        )
    assert synthesis["has_open_case"] is True
    assert synthesis["motives"] == ["arrears", "access_to_rights"]
    assert synthesis["referent"] == worker.get_full_name()
    assert synthesis["last_contact_on"] == TODAY
    assert "SECRET" not in repr(synthesis)
    assert empty["has_open_case"] is False and empty["motives"] == []


def test_factory_cases_are_valid(org: Any) -> None:
    SocialCaseFactory(organization=org)
    AdaptationRequestFactory(organization=org)


def test_the_daily_task_runs_inside_its_organisation(org: Any, other_org: Any, in_org: Any) -> None:
    from cases.tasks import campaign_calls_refresh
    from tests.cases.factories import CampaignTargetFactory

    campaign = OutreachCampaignFactory(organization=org, status=CampaignStatus.ACTIVE)
    target = CampaignTargetFactory(
        organization=org, campaign=campaign, recurring=True, status="reached", next_call_on=TODAY
    )
    theirs = CampaignTargetFactory(
        organization=other_org,
        campaign=OutreachCampaignFactory(organization=other_org, status=CampaignStatus.ACTIVE),
        recurring=True,
        status="reached",
        next_call_on=TODAY,
    )
    assert campaign_calls_refresh(organization_id=org.pk) == 1
    with in_org(org):
        target.refresh_from_db()
    with in_org(other_org):
        theirs.refresh_from_db()
    assert target.status == "to_call" and theirs.status == "reached"
