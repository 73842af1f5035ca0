"""Partner access under mandate: the database admits the partner to exactly the granted
households (raw SQL, as tests/core/test_rls.py), nothing after revocation or expiry, never a
write; the partner's pages show them marked as the landlord's; the landlord manages grants."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection, transaction
from django.urls import reverse

from core.context import organization_context, set_database_context
from core.models import AccessEvent
from privacy import partners
from privacy.models import PartnerAccessGrant
from tests.housing.factories import HouseholdFactory, LeaseFactory, PersonFactory
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

TABLES = ["housing_household", "housing_person", "housing_lease", "core_timelineevent"]


@pytest.fixture
def partner(db: Any) -> Any:
    return OrganizationFactory(
        name="Association Mandataire", slug="association-mandataire", kind="association"
    )


@pytest.fixture
def setup(org: Any, partner: Any, member_of: Any) -> dict[str, Any]:
    admin = member_of(org, "org_admin")
    granted = LeaseFactory(organization=org, household__name="Ménage Confié").household
    PersonFactory(organization=org, household=granted, first_name="Alice")
    other = LeaseFactory(organization=org, household__name="Ménage Non Confié").household
    PersonFactory(organization=org, household=other, first_name="Bob")
    with organization_context(org, user=admin):
        grant = partners.partner_grant_create(
            organization=org,
            partner_organization=partner,
            scope="households",
            households=[granted],
            permissions=["read_file"],
            valid_from=datetime.date(2025, 1, 1),
            mandate_reference="MANDAT-2025-01",
            acting_user=admin,
        )
    return {"admin": admin, "granted": granted, "other": other, "grant": grant}


def _visible(org_id: int | None, table: str, column: str = "household_id") -> set[int]:
    with connection.cursor() as cursor:
        set_database_context(org_id, None)  # as the application does (partner role included)
        column = "id" if table == "housing_household" else column
        cursor.execute(f'SELECT DISTINCT {column} FROM "{table}"')
        rows = {row[0] for row in cursor.fetchall()}
        set_database_context(None, None)
    return rows


def test_raw_sql_as_the_partner_sees_exactly_the_granted_households(
    org: Any, partner: Any, setup: Any
) -> None:
    for table in TABLES:
        if table == "core_timelineevent":
            continue
        assert _visible(partner.pk, table) == {setup["granted"].pk}, table


def test_the_landlord_still_sees_all_its_rows_and_a_third_organisation_none(
    org: Any, other_org: Any, setup: Any
) -> None:
    assert _visible(org.pk, "housing_household") == {setup["granted"].pk, setup["other"].pk}
    assert _visible(other_org.pk, "housing_household") == set()


def test_revocation_takes_effect_on_the_next_statement(org: Any, partner: Any, setup: Any) -> None:
    with organization_context(org, user=setup["admin"]):
        grant = PartnerAccessGrant.objects.get(pk=setup["grant"].pk)
        partners.partner_grant_revoke(grant=grant, acting_user=setup["admin"])
    for table in TABLES:
        assert _visible(partner.pk, table) == set(), table


def test_an_expired_or_future_grant_admits_nothing(org: Any, partner: Any, setup: Any) -> None:
    with organization_context(org):
        PartnerAccessGrant.objects.filter(pk=setup["grant"].pk).update(
            valid_until=datetime.date(2025, 6, 30)
        )
    assert _visible(partner.pk, "housing_household") == set()
    with organization_context(org):
        PartnerAccessGrant.objects.filter(pk=setup["grant"].pk).update(
            valid_from=datetime.date(2999, 1, 1), valid_until=None
        )
    assert _visible(partner.pk, "housing_household") == set()


def test_a_permission_not_granted_admits_nothing(org: Any, partner: Any, setup: Any) -> None:
    with organization_context(org):
        PartnerAccessGrant.objects.filter(pk=setup["grant"].pk).update(permissions=["read_notes"])
    assert _visible(partner.pk, "housing_household") == set()


def test_the_partner_can_neither_change_move_nor_delete_granted_rows(
    org: Any, partner: Any, setup: Any
) -> None:
    """It may read them; UPDATE and DELETE only have the organisation policy: to them the
    landlord's rows do not exist (as another organisation's, tests/core/test_rls.py)."""
    household = setup["granted"]
    statements = [
        ("UPDATE housing_household SET name = 'piraté' WHERE id = %s", [household.pk]),
        (
            "UPDATE housing_household SET organization_id = %s WHERE id = %s",
            [partner.pk, household.pk],
        ),
        ("UPDATE housing_person SET first_name = 'x' WHERE household_id = %s", [household.pk]),
        ("DELETE FROM housing_person WHERE household_id = %s", [household.pk]),
        ("DELETE FROM housing_lease WHERE household_id = %s", [household.pk]),
        ("DELETE FROM core_timelineevent WHERE household_id = %s", [household.pk]),
        (
            "UPDATE privacy_partneraccessgrant SET valid_until = NULL, permissions = "
            "ARRAY['read_file','read_notes'] WHERE id = %s",
            [setup["grant"].pk],
        ),
        (
            "DELETE FROM privacy_partneraccessgranthousehold WHERE grant_id = %s",
            [setup["grant"].pk],
        ),
    ]
    with connection.cursor() as cursor:
        set_database_context(partner.pk, None)
        for statement, params in statements:
            cursor.execute(statement, params)
            assert cursor.rowcount == 0, statement
        set_database_context(None, None)
    with organization_context(org):
        household.refresh_from_db()
        grant = PartnerAccessGrant.objects.get(pk=setup["grant"].pk)
        assert household.name == "Ménage Confié" and household.organization_id == org.pk
        assert household.members.count() == 1 and household.leases.count() == 1
        assert grant.permissions == ["read_file"] and grant.households.count() == 1


def test_the_partner_policies_apply_to_the_partner_role_alone(
    org: Any, partner: Any, setup: Any
) -> None:
    """The application role holds the partner role without inheriting it: a landlord's queries
    never carry the partner conditions (nor pay for them); an organisation holding grants
    switches to the partner role (core_activate), and back."""
    from django.conf import settings

    partner_role = settings.DATABASE_PARTNER_ROLE
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolinherit, pg_has_role(rolname, %s, 'MEMBER'), "
            "has_table_privilege(rolname, 'housing_household', 'SELECT') "
            "FROM pg_roles WHERE rolname = current_user",
            [partner_role],
        )
        assert cursor.fetchone() == (False, True, True)
        cursor.execute(
            "SELECT DISTINCT tablename, roles::text[] FROM pg_policies "
            "WHERE schemaname = 'public' AND policyname LIKE 'parcours_partner%%'"
        )
        partner_policies = cursor.fetchall()
        assert partner_policies and {tuple(r) for _, r in partner_policies} == {(partner_role,)}
        for org_id, expected in ((org.pk, None), (partner.pk, partner_role), (None, None)):
            set_database_context(org_id, None)
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == (expected or settings.DATABASE_APP_ROLE)
            # Without switching, the partner's own organisation context sees nothing of the
            # landlord's: the widening belongs to the role, not to the setting.
        cursor.execute("SELECT set_config('app.organization_id', %s, true)", [str(partner.pk)])
        cursor.execute("SELECT count(*) FROM housing_household")
        assert cursor.fetchone()[0] == 0
        set_database_context(None, None)


def test_every_widening_policy_is_for_select_or_insert_only() -> None:
    """The catalogue: one policy for every command (the organisation), and the widenings in
    policies of their own command — never UPDATE, DELETE or ALL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'public'"
        )
        rows = cursor.fetchall()
    own = "(organization_id = core_current_organization_id())"
    for table, command, qual, with_check in rows:
        if command == "ALL":
            assert (qual, with_check) == (own, own), table
        else:
            assert command in ("SELECT", "INSERT"), (table, command)
    assert {(t, c) for t, c, _, _ in rows if c != "ALL"} >= {
        ("housing_household", "SELECT"),
        ("cases_intervention", "SELECT"),
        ("cases_intervention", "INSERT"),
        ("core_accessevent", "INSERT"),
    }


def test_partner_staff_see_the_granted_households_marked_as_the_landlords(
    client_for: Any, org: Any, partner: Any, member_of: Any, setup: Any
) -> None:
    worker = member_of(partner, "social_worker")
    client = client_for(worker, partner)
    response = client.get(reverse("privacy:granted_households"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ménage Confié" in body and "Habitat Test" in body and "Ménage Non Confié" not in body
    detail = client.get(reverse("privacy:granted_household", args=[setup["granted"].public_id]))
    assert detail.status_code == 200 and "Alice" in detail.content.decode()
    with organization_context(org):
        event = AccessEvent.objects.get(object_id=setup["granted"].public_id)
    assert event.user == worker and event.acting_organization == partner
    assert "Habitat Test" in event.context
    # Not granted: 404, like another organisation's object.
    assert (
        client.get(
            reverse("privacy:granted_household", args=[setup["other"].public_id])
        ).status_code
        == 404
    )


def test_after_revocation_the_partners_page_is_empty(
    client_for: Any, org: Any, partner: Any, member_of: Any, setup: Any
) -> None:
    worker = member_of(partner, "social_worker")
    client = client_for(worker, partner)
    assert (
        client.get(
            reverse("privacy:granted_household", args=[setup["granted"].public_id])
        ).status_code
        == 200
    )
    with organization_context(org, user=setup["admin"]):
        grant = PartnerAccessGrant.objects.get(pk=setup["grant"].pk)
        partners.partner_grant_revoke(grant=grant, acting_user=setup["admin"])
    assert (
        client.get(
            reverse("privacy:granted_household", args=[setup["granted"].public_id])
        ).status_code
        == 404
    )
    assert "Ménage Confié" not in client.get(reverse("privacy:granted_households")).content.decode()


def test_the_landlord_admin_grants_and_revokes_through_the_pages(
    client_for: Any, org: Any, partner: Any, member_of: Any, in_org: Any
) -> None:
    admin = member_of(org, "org_admin")
    household = HouseholdFactory(organization=org)
    client = client_for(admin, org)
    response = client.post(
        reverse("privacy:partner_grant_create"),
        {
            "partner_slug": partner.slug,
            "mandate_reference": "MANDAT-42",
            "scope": "households",
            "households": str(household.public_id),
            "permissions": ["read_file", "log_interventions"],
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    with in_org(org):
        grant = PartnerAccessGrant.objects.get(mandate_reference="MANDAT-42")
        assert list(grant.households.values_list("household_id", flat=True)) == [household.pk]
    assert client.get(reverse("privacy:partner_grants")).status_code == 200
    response = client.post(reverse("privacy:partner_grant_revoke", args=[grant.public_id]))
    assert response.status_code == 302
    with in_org(org):
        grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == admin


def test_a_manager_cannot_grant_and_nothing_is_created(
    client_for: Any, org: Any, partner: Any, member_of: Any, in_org: Any
) -> None:
    manager = member_of(org, "manager")
    household = HouseholdFactory(organization=org)
    response = client_for(manager, org).post(
        reverse("privacy:partner_grant_create"),
        {
            "partner_slug": partner.slug,
            "mandate_reference": "M",
            "scope": "households",
            "households": str(household.public_id),
            "permissions": ["read_file"],
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 403
    with in_org(org):
        assert not PartnerAccessGrant.objects.exists()


def test_a_residence_grant_covers_its_current_tenants(
    org: Any, partner: Any, member_of: Any
) -> None:
    admin = member_of(org, "org_admin")
    lease = LeaseFactory(organization=org)
    LeaseFactory(organization=org)  # another residence
    with organization_context(org, user=admin):
        partners.partner_grant_create(
            organization=org,
            partner_organization=partner,
            scope="residence",
            residence=lease.dwelling.residence,
            permissions=["read_file"],
            valid_from=datetime.date(2025, 1, 1),
            mandate_reference="GESTION-RES",
            acting_user=admin,
        )
    assert _visible(partner.pk, "housing_household") == {lease.household_id}


@pytest.mark.django_db(transaction=True)
@pytest.mark.celery_worker
def test_a_programme_grant_follows_the_enrolments_after_the_nightly_refresh(
    org: Any, partner: Any, member_of: Any, celery_worker: Any
) -> None:
    cases_factories = pytest.importorskip("tests.cases.factories")
    from privacy.tasks import partner_grants_refresh

    admin = member_of(org, "org_admin")
    enrolment = cases_factories.ProgrammeEnrolmentFactory(organization=org, status="accepted")
    cases_factories.ProgrammeEnrolmentFactory(
        organization=org, programme=enrolment.programme, status="proposed"
    )
    with organization_context(org, user=admin):
        partners.partner_grant_create(
            organization=org,
            partner_organization=partner,
            scope="programme",
            programme=enrolment.programme,
            permissions=["read_file"],
            valid_from=datetime.date(2025, 1, 1),
            mandate_reference="OPERATEUR-ZEL",
            acting_user=admin,
        )
    with transaction.atomic():
        assert _visible(partner.pk, "housing_household") == {enrolment.household_id}
    later = cases_factories.ProgrammeEnrolmentFactory(
        organization=org, programme=enrolment.programme, status="accepted"
    )
    result = partner_grants_refresh.apply_async(kwargs={"organization_id": org.pk})
    assert result.get(timeout=60) == 2
    with transaction.atomic():
        assert _visible(partner.pk, "housing_household") == {
            enrolment.household_id,
            later.household_id,
        }
