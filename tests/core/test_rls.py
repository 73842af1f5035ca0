"""Row-level security, checked from the catalogue and from raw SQL as the application role."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.utils import DatabaseError

from core.context import organization_context
from core.db import organization_tables
from core.models import OrganizationOwnedModel
from tests.factories import all_factories

pytestmark = pytest.mark.django_db


def _set(cursor: Any, org_id: int | None) -> None:
    cursor.execute(
        "SELECT set_config('app.organization_id', %s, true)",
        ["" if org_id is None else str(org_id)],
    )


def _org_models() -> list[type]:
    return [m for m in apps.get_models() if issubclass(m, OrganizationOwnedModel)]


def _one_row_of_every_model(organization: Any) -> None:
    factories = all_factories()
    for model in _org_models():
        factories[model](organization=organization)


def test_the_tests_run_as_the_application_role_which_cannot_bypass_rls() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user"
        )
        assert cursor.fetchone()[0] == 0


def test_every_organization_table_has_forced_rls_and_an_organization_policy() -> None:
    with connection.cursor() as cursor:
        tables = organization_tables(cursor)
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relrowsecurity AND c.relforcerowsecurity"
        )
        protected = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND cmd = 'ALL' "
            "AND qual LIKE '%%organization_id = core_current_organization_id()%%' "
            "AND with_check LIKE '%%organization_id = core_current_organization_id()%%'"
        )
        with_policy = {row[0] for row in cursor.fetchall()}
    assert len(tables) >= len(_org_models())
    assert [t for t in tables if t not in protected] == []
    assert [t for t in tables if t not in with_policy] == []


def test_every_organization_owned_model_has_a_factory() -> None:
    factories = all_factories()
    assert [m._meta.label for m in _org_models() if m not in factories] == []


def test_every_table_referencing_organization_data_carries_its_organization() -> None:
    """A row pointing at organisation data must itself carry the organisation (RLS keys on it)."""
    offenders = []
    for model in apps.get_models(include_auto_created=True):
        has_org = any(f.column == "organization_id" for f in model._meta.local_fields)
        for field in model._meta.local_fields:
            target = getattr(field, "related_model", None)
            if target is not None and issubclass(target, OrganizationOwnedModel) and not has_org:
                offenders.append(f"{model._meta.label}.{field.name}")
    assert offenders == []


def test_with_organization_a_set_raw_sql_sees_no_row_of_b_in_any_table(
    org: Any, other_org: Any
) -> None:
    _one_row_of_every_model(org)
    _one_row_of_every_model(other_org)
    with connection.cursor() as cursor:
        tables = organization_tables(cursor)
        _set(cursor, org.pk)
        for table in tables:
            cursor.execute(
                f'SELECT count(*) FILTER (WHERE organization_id <> %s), count(*) FROM "{table}"',
                [org.pk],
            )
            foreign, total = cursor.fetchone()
            assert foreign == 0, table
            if table != "core_accessevent":
                assert total >= 1, f"{table}: the organisation's own rows must stay visible"
        _set(cursor, None)


def test_without_organization_raw_sql_sees_zero_rows_in_every_table(org: Any) -> None:
    _one_row_of_every_model(org)
    with connection.cursor() as cursor:
        _set(cursor, None)
        for table in organization_tables(cursor):
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            assert cursor.fetchone()[0] == 0, table


def test_raw_sql_cannot_write_rows_of_another_organization(org: Any, other_org: Any) -> None:
    from tests.organizations.factories import TerritoryFactory

    theirs = TerritoryFactory(organization=other_org, name="Leur territoire")
    mine = TerritoryFactory(organization=org, name="Mon territoire")
    with connection.cursor() as cursor:
        _set(cursor, org.pk)
        cursor.execute(
            "UPDATE organizations_territory SET name = 'piraté' WHERE id = %s", [theirs.pk]
        )
        assert cursor.rowcount == 0
        cursor.execute("DELETE FROM organizations_territory WHERE id = %s", [theirs.pk])
        assert cursor.rowcount == 0
        for statement, params in [
            (
                "INSERT INTO organizations_territory (public_id, organization_id, name, communes, created_at, updated_at) "
                "VALUES (gen_random_uuid(), %s, 'intrus', '[]', now(), now())",
                [other_org.pk],
            ),
            (
                "UPDATE organizations_territory SET organization_id = %s WHERE id = %s",
                [other_org.pk, mine.pk],
            ),
        ]:
            with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
                cursor.execute(statement, params)
        _set(cursor, None)
    with organization_context(other_org):
        theirs.refresh_from_db()
    assert theirs.name == "Leur territoire"


def test_the_application_role_cannot_alter_or_delete_the_audit_trail(org: Any) -> None:
    from tests.organizations.factories import TerritoryFactory

    territory = TerritoryFactory(organization=org)
    with connection.cursor() as cursor:
        _set(cursor, org.pk)
        cursor.execute(
            "SELECT count(*) FROM core_auditevent WHERE table_name = 'organizations_territory' AND row_pk = %s",
            [territory.pk],
        )
        assert cursor.fetchone()[0] == 1
        for statement in [
            "UPDATE core_auditevent SET changes = '{}'",
            "DELETE FROM core_auditevent",
            f"INSERT INTO core_auditevent (organization_id, table_name, row_pk, action, changes, at) VALUES ({org.pk}, 'x', 1, 'I', '{{}}', now())",
        ]:
            with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                cursor.execute(statement)
        _set(cursor, None)


def test_audit_rows_record_actor_and_changes_but_mask_confidential_text(
    org: Any, member_of: Any
) -> None:
    from organizations.models import Territory
    from tests.organizations.factories import TerritoryFactory

    user = member_of(org, "org_admin")
    territory = TerritoryFactory(organization=org, name="Avant")
    with organization_context(org, user=user):
        Territory.objects.filter(pk=territory.pk).update(name="Après")
    with connection.cursor() as cursor:
        _set(cursor, org.pk)
        cursor.execute(
            "SELECT action, changes, actor_id FROM core_auditevent WHERE table_name = 'organizations_territory' "
            "AND row_pk = %s ORDER BY id",
            [territory.pk],
        )
        rows = cursor.fetchall()
        _set(cursor, None)
    assert [r[0] for r in rows] == ["I", "U"]
    assert json.loads(rows[1][1]) == {"name": ["Avant", "Après"]}
    assert rows[1][2] == user.pk


def test_every_function_a_policy_calls_is_parallel_safe() -> None:
    """A PARALLEL UNSAFE function in a row-level policy forbids parallel plans on its table for
    every organisation (measured at size L: docs/performance.md, "Isolation cost")."""
    import re

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(qual, '') || ' ' || coalesce(with_check, '') FROM pg_policies "
            "WHERE schemaname = 'public' AND cmd IN ('ALL', 'SELECT')"
        )
        called = set()
        for (text,) in cursor.fetchall():
            called |= set(re.findall(r"\b(core_\w+)\(", text))
        cursor.execute(
            "SELECT proname, proparallel FROM pg_proc WHERE proname = ANY(%s)", [sorted(called)]
        )
        safety = dict(cursor.fetchall())
    assert "core_granted_household_ids" in called and "core_current_organization_id" in called
    assert {name: safety.get(name) for name in called} == dict.fromkeys(called, "s")


def test_every_organisation_table_is_audited_but_the_named_exceptions() -> None:
    from core.db import UNAUDITED_TABLES

    with connection.cursor() as cursor:
        tables = set(organization_tables(cursor))
        cursor.execute(
            "SELECT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name = 'parcours_audit'"
        )
        audited = {row[0] for row in cursor.fetchall()}
    assert tables - audited == UNAUDITED_TABLES & tables
    # Computed figures, refreshed nightly: not copied into the audit trail at each refresh.
    assert "reporting_indicatorsnapshot" in tables - audited
