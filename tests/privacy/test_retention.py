"""Retention: time-travel tests (the engine takes "today" as a parameter). Each rule deletes
or anonymises what it must on the day it must, and nothing else; a legal hold suspends it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection, transaction

from core.models import AccessEvent, AuditEvent, ParameterValue
from housing.models import Household, Person
from housing.retention import ANONYMISED_NAME
from privacy import retention, services
from privacy.enums import RetentionRunStatus
from privacy.models import ConsentRecord, RetentionRun
from tests.housing.factories import HouseholdFactory, IncomeFactory, LeaseFactory, PersonFactory
from tests.privacy.factories import ConsentRecordFactory, LegalHoldFactory

pytestmark = pytest.mark.django_db

LEASE_END = datetime.date(2020, 6, 30)
# privacy.former_tenant_retention_months defaults to 60: due from 2025-07-01.
DAY_BEFORE = datetime.date(2025, 6, 30)
DUE_DAY = datetime.date(2025, 7, 1)


def _former_tenant(org: Any) -> Household:
    lease = LeaseFactory(
        organization=org,
        start_date=datetime.date(2015, 1, 1),
        signed_on=datetime.date(2015, 1, 1),
        end_date=LEASE_END,
        household__name="Ménage Martin",
        household__email="martin@example.org",
    )
    PersonFactory(
        organization=org,
        household=lease.household,
        first_name="Paul",
        last_name="Martin",
        birth_date=datetime.date(1970, 5, 17),
        has_disability=True,
        disability_detail="plain-pied",
    )
    return lease.household


def _result(results: list[dict], key: str) -> dict:
    return next(r for r in results if r["key"] == key)


def test_the_registry_collects_rules_of_core_housing_and_the_interim_modules() -> None:
    keys = {rule.key for rule in retention.registry()}
    assert {"core.logs", "housing.former_tenants", "privacy.stale_consents"} <= keys


def test_a_former_tenant_is_anonymised_the_day_the_period_ends_not_before(
    org: Any, in_org: Any
) -> None:
    household = _former_tenant(org)
    with in_org(org):
        before = _result(
            retention.dry_run(organization=org, today=DAY_BEFORE), "housing.former_tenants"
        )
        assert before["count"] == 0
        run = services.retention_run(organization=org, today=DUE_DAY)
        household.refresh_from_db()
        person = Person.objects.get(household=household)
    assert _result(run.results, "housing.former_tenants")["done"] == 1
    assert household.name == ANONYMISED_NAME and household.email == "" and household.phone == ""
    assert (person.first_name, person.last_name, person.disability_detail) == ("Anonyme", "", "")
    # What the reports count stays: the person, the year of birth, the disability flag.
    assert person.birth_date == datetime.date(1970, 1, 1) and person.has_disability


def test_a_current_tenant_and_a_recent_former_tenant_are_left_alone(org: Any, in_org: Any) -> None:
    current = LeaseFactory(organization=org).household
    recent = LeaseFactory(
        organization=org, end_date=datetime.date(2024, 1, 31), household__name="Ménage Récent"
    ).household
    with in_org(org):
        services.retention_run(organization=org, today=DUE_DAY)
        names = set(
            Household.objects.filter(pk__in=[current.pk, recent.pk]).values_list("name", flat=True)
        )
    assert ANONYMISED_NAME not in names


def test_incomes_are_kept_for_the_reports(org: Any, in_org: Any) -> None:
    household = _former_tenant(org)
    with in_org(org):
        person = Person.objects.get(household=household)
    IncomeFactory(organization=org, person=person)
    with in_org(org):
        services.retention_run(organization=org, today=DUE_DAY)
        assert person.incomes.count() == 1


def test_a_legal_hold_suspends_the_rule_and_its_lifting_resumes_it(
    org: Any, in_org: Any, member_of: Any
) -> None:
    user = member_of(org, "arrears_officer")
    household = _former_tenant(org)
    hold = LegalHoldFactory(
        organization=org, household=household, started_on=datetime.date(2025, 1, 1)
    )
    with in_org(org):
        services.retention_run(organization=org, today=DUE_DAY)
        household.refresh_from_db()
        assert household.name == "Ménage Martin"
        services.legal_hold_lift(
            hold=hold,
            reason="Procédure terminée",
            lifted_on=datetime.date(2025, 8, 1),
            acting_user=user,
        )
        # Still held on a day before the lifting, free the day after.
        services.retention_run(organization=org, today=datetime.date(2025, 7, 31))
        household.refresh_from_db()
        assert household.name == "Ménage Martin"
        services.retention_run(organization=org, today=datetime.date(2025, 8, 1))
        household.refresh_from_db()
    assert household.name == ANONYMISED_NAME


def test_the_period_is_a_versioned_setting_of_the_organisation(org: Any, in_org: Any) -> None:
    household = _former_tenant(org)
    with in_org(org):
        ParameterValue.objects.create(
            organization=org,
            key="privacy.former_tenant_retention_months",
            value=120,
            valid_from=datetime.date(2025, 1, 1),
        )
        results = retention.dry_run(organization=org, today=DUE_DAY)
        assert _result(results, "housing.former_tenants")["count"] == 0
        assert _result(results, "housing.former_tenants")["value"] == 120
        household.refresh_from_db()
    assert household.name == "Ménage Martin"


def test_a_dry_run_changes_nothing_and_is_recorded(org: Any, in_org: Any) -> None:
    household = _former_tenant(org)
    with in_org(org):
        run = services.retention_run(organization=org, today=DUE_DAY, dry_run=True)
        household.refresh_from_db()
    assert run.status == RetentionRunStatus.DRY_RUN
    assert _result(run.results, "housing.former_tenants")["count"] == 1
    assert household.name == "Ménage Martin"


def test_the_other_organisation_is_never_touched(org: Any, other_org: Any, in_org: Any) -> None:
    theirs = _former_tenant(other_org)
    with in_org(org):
        services.retention_run(organization=org, today=DUE_DAY)
    with in_org(other_org):
        theirs.refresh_from_db()
    assert theirs.name == "Ménage Martin"


def test_stale_consents_are_deleted_a_year_after_their_end(org: Any, in_org: Any) -> None:
    old = ConsentRecordFactory(
        organization=org, given_on=datetime.date(2022, 1, 1), expires_on=datetime.date(2024, 1, 1)
    )
    valid = ConsentRecordFactory(organization=org)
    with in_org(org):
        services.retention_run(organization=org, today=datetime.date(2024, 12, 31))
        assert ConsentRecord.objects.filter(pk=old.pk).exists()
        services.retention_run(organization=org, today=datetime.date(2025, 1, 2))
        assert not ConsentRecord.objects.filter(pk=old.pk).exists()
        assert ConsentRecord.objects.filter(pk=valid.pk).exists()


def test_logs_are_purged_after_their_period_through_core_purge_logs(
    org: Any, in_org: Any, member_of: Any
) -> None:
    user = member_of(org, "manager")
    household = HouseholdFactory(organization=org)
    with in_org(org):
        event = AccessEvent.objects.create(
            organization=org,
            user=user,
            object_type="housing.Household",
            object_id=household.public_id,
            household_id=household.public_id,
        )
        audit_rows = AuditEvent.objects.count()
        assert audit_rows > 0
        today = datetime.date.today()
        # Nothing is older than 12 months yet.
        assert services.logs_purge(organization=org, today=today) == 0
        assert AccessEvent.objects.filter(pk=event.pk).exists()
        # Thirteen months later, everything written today is past its period.
        later = today + datetime.timedelta(days=400)
        results = retention.dry_run(organization=org, today=later)
        assert _result(results, "core.logs")["count"] == audit_rows + 1
        purged = services.logs_purge(organization=org, today=later)
        assert purged == audit_rows + 1
        assert not AccessEvent.objects.filter(pk=event.pk).exists()


def test_the_application_role_still_cannot_delete_logs_directly(org: Any, in_org: Any) -> None:
    from django.db.utils import DatabaseError

    with (
        in_org(org),
        connection.cursor() as cursor,
        pytest.raises(DatabaseError, match="permission denied"),
        transaction.atomic(),
    ):
        cursor.execute("DELETE FROM core_accessevent")


def test_a_failing_rule_is_reported_and_the_others_still_run(
    org: Any, in_org: Any, monkeypatch: Any
) -> None:
    household = _former_tenant(org)

    def broken(organization: Any, today: datetime.date) -> Any:
        raise retention.DatabaseError("boom")

    rules = retention.registry()
    broken_rule = retention.RetentionRule("zz.broken", "Cassée", queryset_fn=broken)
    monkeypatch.setattr(retention, "registry", lambda: [*rules, broken_rule])
    with in_org(org):
        run = services.retention_run(organization=org, today=DUE_DAY)
        household.refresh_from_db()
    assert "zz.broken: boom" in run.error
    assert household.name == ANONYMISED_NAME
    with in_org(org):
        assert RetentionRun.objects.filter(pk=run.pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.celery_worker
def test_the_daily_task_runs_inside_each_organisation(
    org: Any, in_org: Any, celery_worker: Any
) -> None:
    from privacy.tasks import retention_apply

    household = _former_tenant(org)
    result = retention_apply.apply_async(
        kwargs={"organization_id": org.pk, "today": DUE_DAY.isoformat()}
    )
    run_id = result.get(timeout=60)
    with in_org(org):
        run = RetentionRun.objects.get(pk=run_id)
        household.refresh_from_db()
    assert run.status == RetentionRunStatus.APPLIED
    assert household.name == ANONYMISED_NAME
