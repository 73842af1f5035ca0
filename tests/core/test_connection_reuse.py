"""One persistent connection serving A, B and anonymous requests in turn leaks nothing, and a
Celery task without an organisation sees nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from core import tasks
from tests.organizations.factories import TerritoryFactory


@pytest.mark.django_db(transaction=True)
def test_the_same_connection_alternately_serving_a_b_and_anonymous_leaks_nothing(
    client: Any, org: Any, other_org: Any, member_of: Any
) -> None:
    TerritoryFactory(organization=org, name="Lorraine")
    TerritoryFactory(organization=other_org, name="Rhône")
    alice, bob = member_of(org, "manager"), member_of(other_org, "manager")
    backend_pid = None
    for user, expected in [
        (alice, ["Lorraine"]),
        (bob, ["Rhône"]),
        (None, None),
        (alice, ["Lorraine"]),
        (None, None),
        (bob, ["Rhône"]),
    ]:
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get("/api/v1/territories/")
        if expected is None:
            assert response.status_code in (401, 403)
        else:
            assert [t["name"] for t in response.json()["results"]] == expected
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_backend_pid(), current_setting('app.organization_id', true), count(*) FROM organizations_territory"
            )
            pid, setting, visible = cursor.fetchone()
        backend_pid = backend_pid or pid
        assert pid == backend_pid, "the test must reuse one connection"
        assert setting in ("", None)
        assert visible == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.celery_worker
def test_a_celery_task_without_organization_sees_nothing(
    celery_worker: Any, org: Any, other_org: Any
) -> None:
    TerritoryFactory(organization=org)
    TerritoryFactory(organization=org)
    TerritoryFactory(organization=other_org)
    assert tasks.visible_rows.delay("organizations_territory").get(timeout=30) == 0
    assert tasks.count_territories.delay(organization_id=org.pk).get(timeout=30) == 2
    assert tasks.count_territories.delay(organization_id=other_org.pk).get(timeout=30) == 1
