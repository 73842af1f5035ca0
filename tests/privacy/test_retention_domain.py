"""Time travel through the rules of the domain apps (cases, allocations), whose models have
landed: each rule acts on its day, on what it must, and keeps the rows the reports count."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from privacy import retention, services

pytestmark = pytest.mark.django_db

cases_factories = pytest.importorskip("tests.cases.factories")
allocations_factories = pytest.importorskip("tests.allocations.factories")

CLOSED_ON = datetime.date(2025, 3, 31)


def _result(results: list[dict], key: str) -> dict:
    return next(r for r in results if r["key"] == key)


def _closed_case(org: Any, **kwargs: Any) -> Any:
    return cases_factories.SocialCaseFactory(
        organization=org,
        opened_on=datetime.date(2024, 9, 1),
        planned_end_on=datetime.date(2025, 3, 1),
        status="closed",
        closed_on=CLOSED_ON,
        **kwargs,
    )


def test_followup_notes_are_emptied_after_the_case_closes_rows_kept(org: Any, in_org: Any) -> None:
    from cases.models import SocialCase

    case = _closed_case(org)
    with in_org(org):
        # The day it closes, nothing yet (archive period 0: due the day after).
        on_close = retention.dry_run(organization=org, today=CLOSED_ON)
        assert _result(on_close, "cases.followup_notes.socialcase")["count"] == 0
        services.retention_run(organization=org, today=CLOSED_ON + datetime.timedelta(days=1))
        case = SocialCase.objects.get(pk=case.pk)
    assert case.note == "" and case.status == "closed"


def test_an_open_case_of_the_household_keeps_every_note(org: Any, in_org: Any) -> None:
    from cases.models import SocialCase

    closed = _closed_case(org)
    cases_factories.SocialCaseFactory(organization=org, household=closed.household)
    with in_org(org):
        services.retention_run(organization=org, today=datetime.date(2026, 1, 1))
        assert SocialCase.objects.get(pk=closed.pk).note != ""


def test_the_archive_period_delays_the_emptying(org: Any, in_org: Any) -> None:
    from cases.models import SocialCase
    from core.models import ParameterValue

    case = _closed_case(org)
    with in_org(org):
        ParameterValue.objects.create(
            organization=org,
            key="privacy.followup_retention_months",
            value=24,
            valid_from=datetime.date(2020, 1, 1),
        )
        services.retention_run(organization=org, today=datetime.date(2027, 3, 30))
        assert SocialCase.objects.get(pk=case.pk).note != ""
        services.retention_run(organization=org, today=datetime.date(2027, 4, 1))
        assert SocialCase.objects.get(pk=case.pk).note == ""


def test_a_legal_hold_keeps_the_followup_notes(org: Any, in_org: Any) -> None:
    from cases.models import SocialCase
    from tests.privacy.factories import LegalHoldFactory

    case = _closed_case(org)
    LegalHoldFactory(organization=org, household=case.household, started_on=CLOSED_ON)
    with in_org(org):
        services.retention_run(organization=org, today=datetime.date(2026, 1, 1))
        assert SocialCase.objects.get(pk=case.pk).note != ""


def _attributed(org: Any, on: datetime.date, **kwargs: Any) -> Any:
    return allocations_factories.HousingApplicationFactory(
        organization=org,
        status="attributed",
        radiation_reason="attribution",
        radiated_on=on,
        **kwargs,
    )


def test_social_difficulty_data_of_an_attribution_without_followup_goes_at_attribution(
    org: Any, in_org: Any
) -> None:
    from allocations.models import ApplicationPriority, HousingApplication
    from cases.models import Evaluation

    day = datetime.date(2026, 2, 2)
    application = _attributed(org, day, priority_level=1)
    allocations_factories.ApplicationPriorityFactory(organization=org, application=application)
    evaluation = cases_factories.EvaluationFactory(
        organization=org, household=application.household, context="allocation"
    )
    followed = _attributed(org, day)
    allocations_factories.ApplicationPriorityFactory(organization=org, application=followed)
    cases_factories.SocialCaseFactory(organization=org, household=followed.household)
    with in_org(org):
        before = retention.dry_run(organization=org, today=day - datetime.timedelta(days=1))
        assert _result(before, "allocations.attributed_social_data")["count"] == 0
        run = services.retention_run(organization=org, today=day)
        assert _result(run.results, "allocations.attributed_social_data")["done"] == 1
        assert not ApplicationPriority.objects.filter(application=application).exists()
        # The household followed by a social worker keeps its data.
        assert ApplicationPriority.objects.filter(application=followed).exists()
        # The demand stays, with its priority level, for the quota reports.
        assert HousingApplication.objects.get(pk=application.pk).priority_level == 1
        evaluation = Evaluation.objects.get(pk=evaluation.pk)
    assert evaluation.situation_note == "" and evaluation.conclusion_note == ""


def test_radiated_demands_are_deleted_one_year_after_radiation(org: Any, in_org: Any) -> None:
    from allocations.models import HousingApplication

    radiated = allocations_factories.HousingApplicationFactory(
        organization=org, status="radiated", radiation_reason="renunciation", radiated_on=CLOSED_ON
    )
    active = allocations_factories.HousingApplicationFactory(organization=org)
    with in_org(org):
        services.retention_run(organization=org, today=datetime.date(2026, 3, 31))
        assert HousingApplication.objects.filter(pk=radiated.pk).exists()
        services.retention_run(organization=org, today=datetime.date(2026, 4, 1))
        assert not HousingApplication.objects.filter(pk=radiated.pk).exists()
        assert HousingApplication.objects.filter(pk=active.pk).exists()
