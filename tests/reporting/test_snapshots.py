"""Indicator snapshots: the dashboard, its exports, the indicators API and the home panel serve
the figures computed once per (organisation, year, territory), refreshed in the background
(docs/reporting.md, "Snapshots")."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from reporting import build, indicators, services, tasks
from reporting.models import IndicatorSnapshot
from tests.housing.factories import DwellingFactory, HouseholdFactory, LeaseFactory

D = datetime.date
DASHBOARD = "/rapports/indicateurs/?year=2025"


def _snapshot(org: Any, year: int = 2025, territory: Any = None) -> IndicatorSnapshot | None:
    from core.context import organization_context

    with organization_context(org):
        return IndicatorSnapshot.objects.filter(year=year, territory=territory).first()


def _new_tenants(org: Any, count: int) -> None:
    """Households entering in March 2025: 7 tenants at the end of 2025 become 7 + count."""
    for _ in range(count):
        LeaseFactory(
            organization=org,
            household=HouseholdFactory(organization=org),
            dwelling=DwellingFactory(organization=org),
            start_date=D(2025, 3, 1),
            signed_on=D(2025, 2, 1),
        )


def _tenants_row(page: str) -> str:
    start = page.index('data-indicator="tenants.households"')
    return page[start : page.index("</tr>", start)]


# --- Served from the snapshot --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_first_view_computes_the_indicators_and_keeps_them(
    client_for: Any, org: Any, small_year: dict, member_of: Any
) -> None:
    page = client_for(member_of(org, "manager"), org).get(DASHBOARD).content.decode()
    assert "57,14\xa0%" in page and "Chiffres calculés le" in page
    snapshot = _snapshot(org)
    assert snapshot is not None and snapshot.computed_at is not None
    assert snapshot.fingerprint == build.registry_fingerprint()
    entries = build.entries_by_key(snapshot.sections)
    assert entries["tenants.households"]["value"] == 7
    assert entries["tenants.households"]["previous"] == 6


@pytest.mark.django_db
def test_later_views_serve_the_snapshot_in_a_few_queries_whatever_the_records(
    client_for: Any, org: Any, small_year: dict, member_of: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(member_of(org, "manager"), org)
    client.get(DASHBOARD)  # computes and stores
    _new_tenants(org, 3)
    with django_assert_max_num_queries(15):
        page = client.get(DASHBOARD).content.decode()
    # The stored figures (7 tenants), not a new computation (10).
    row = _tenants_row(page)
    assert "<strong>7</strong>" in row and "<strong>10</strong>" not in row


@pytest.mark.django_db
def test_a_stale_snapshot_is_shown_while_a_refresh_is_sent(
    client_for: Any, org: Any, small_year: dict, member_of: Any, in_org: Any
) -> None:
    client = client_for(member_of(org, "manager"), org)
    client.get(DASHBOARD)
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    with in_org(org):
        IndicatorSnapshot.objects.filter(year=2025).update(computed_at=two_days_ago)
    _new_tenants(org, 1)
    page = client.get(DASHBOARD).content.decode()
    assert "<strong>7</strong>" in _tenants_row(page)
    assert "Actualisation en cours" in page and 'hx-trigger="every 3s"' in page
    snapshot = _snapshot(org)
    assert snapshot is not None and snapshot.refresh_requested_at is not None
    assert snapshot.computed_at == two_days_ago


@pytest.mark.django_db
def test_a_snapshot_of_another_registry_is_stale(
    client_for: Any, org: Any, small_year: dict, member_of: Any, in_org: Any
) -> None:
    client = client_for(member_of(org, "manager"), org)
    client.get(DASHBOARD)
    with in_org(org):
        IndicatorSnapshot.objects.filter(year=2025).update(fingerprint="before-a-deploy")
    assert "Actualisation en cours" in client.get(DASHBOARD).content.decode()


@pytest.mark.django_db
def test_one_refresh_at_a_time_and_a_lost_one_may_be_asked_again(
    org: Any, member_of: Any, in_org: Any
) -> None:
    manager = member_of(org, "manager")
    with in_org(org):
        assert services.indicator_snapshot_refresh(
            organization=org, year=2025, requested_by=manager
        )
        assert not services.indicator_snapshot_refresh(organization=org, year=2025)
        lost = timezone.now() - services.SNAPSHOT_REFRESH_TIMEOUT - datetime.timedelta(seconds=1)
        IndicatorSnapshot.objects.filter(year=2025).update(refresh_requested_at=lost)
        assert services.indicator_snapshot_refresh(organization=org, year=2025)
        assert IndicatorSnapshot.objects.filter(year=2025).count() == 1


@pytest.mark.django_db
def test_an_older_computation_never_replaces_a_newer_one(org: Any, in_org: Any) -> None:
    now = timezone.now()

    def store(computed_at: datetime.datetime, value: int) -> IndicatorSnapshot:
        return services.indicator_snapshot_store(
            organization=org,
            year=2025,
            sections=[{"key": "s", "title": "", "intro": "", "indicators": [{"value": value}]}],
            alerts={},
            computed_at=computed_at,
            compute_seconds=1.0,
            fingerprint="f",
        )

    with in_org(org):
        store(now, 2)
        kept = store(now - datetime.timedelta(minutes=1), 1)
    assert kept.computed_at == now and kept.sections[0]["indicators"][0]["value"] == 2


@pytest.mark.django_db
def test_a_refresh_is_validated_in_french(org: Any, other_org: Any, in_org: Any) -> None:
    from django.core.exceptions import ValidationError

    from tests.organizations.factories import TerritoryFactory

    elsewhere = TerritoryFactory(organization=other_org)
    with pytest.raises(ValidationError) as error, in_org(org):
        services.indicator_snapshot_refresh(organization=org, year=1990, territory=elsewhere)
    assert error.value.message_dict == {
        "year": [f"L'année doit être comprise entre 2000 et {timezone.localdate().year}."],
        "territory": ["Territoire inconnu."],
    }


# --- The refresh button --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_manager_asks_for_a_refresh_and_is_sent_back_to_the_same_figures(
    client_for: Any, org: Any, small_year: dict, member_of: Any
) -> None:
    client = client_for(member_of(org, "manager"), org)
    alsace = small_year["alsace"].public_id
    page = client.get(f"{DASHBOARD}&territory={alsace}").content.decode()
    assert "Actualiser" in page
    response = client.post("/rapports/indicateurs/actualiser/", {"year": 2025, "territory": alsace})
    assert response.status_code == 302
    assert response["Location"] == f"/rapports/indicateurs/?year=2025&territory={alsace}"
    snapshot = _snapshot(org, territory=small_year["alsace"])
    assert snapshot is not None and snapshot.refresh_requested_at is not None
    # Asked again while it runs: nothing more is sent.
    again = client.post(
        "/rapports/indicateurs/actualiser/", {"year": 2025, "territory": alsace}, follow=True
    )
    assert "Une actualisation est déjà en cours." in again.content.decode()


@pytest.mark.django_db
def test_a_refresh_of_an_unknown_year_changes_nothing(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    client = client_for(member_of(org, "manager"), org)
    response = client.post("/rapports/indicateurs/actualiser/", {"year": "1990"})
    assert response.status_code == 302
    with in_org(org):
        assert not IndicatorSnapshot.objects.exists()
    assert "Année ou périmètre inconnu" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_read_only_member_sees_the_figures_but_cannot_refresh_them(
    client_for: Any, org: Any, small_year: dict, member_of: Any
) -> None:
    client = client_for(member_of(org, "read_only"), org)
    page = client.get(DASHBOARD).content.decode()
    assert "57,14\xa0%" in page and "Actualiser" not in page
    assert client.post("/rapports/indicateurs/actualiser/", {"year": 2025}).status_code == 403
    snapshot = _snapshot(org)
    assert snapshot is not None and snapshot.refresh_requested_at is None


@pytest.mark.django_db
def test_a_social_worker_cannot_refresh(client_for: Any, org: Any, member_of: Any) -> None:
    client = client_for(member_of(org, "social_worker"), org)
    assert client.post("/rapports/indicateurs/actualiser/", {"year": 2025}).status_code == 403
    assert _snapshot(org) is None


# --- Exports, API, home panel --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_exports_and_the_api_give_the_dashboards_figures(
    client: Any, client_for: Any, org: Any, small_year: dict, member_of: Any
) -> None:
    manager = member_of(org, "manager")
    client_for(manager, org).get(DASHBOARD)
    _new_tenants(org, 2)
    figures = client.get("/rapports/indicateurs/export/tenant_profile/?year=2025")
    assert "tenants.households;6;7;" in figures.content.decode("utf-8-sig")
    composition = client.get("/rapports/indicateurs/export/tenants.composition/?year=2025")
    assert "Personne seule;3;42,86 %" in composition.content.decode("utf-8-sig")
    token, _ = Token.objects.get_or_create(user=manager)
    body = client.get(
        "/api/v1/indicators/?year=2025",
        HTTP_AUTHORIZATION=f"Token {token.key}",
        HTTP_X_ORGANIZATION=org.slug,
    ).json()
    assert {i["key"]: i for i in body["indicators"]}["tenants.households"]["value"] == 7
    assert body["computed_at"] == _snapshot(org).computed_at.isoformat().replace("+00:00", "Z")


def _store_this_year(org: Any, alerts: dict[str, int]) -> None:
    year = timezone.localdate().year
    computed = services.indicator_snapshot_compute(organization=org, year=year)
    services.indicator_snapshot_store(organization=org, year=year, **{**computed, "alerts": alerts})


@pytest.mark.django_db
def test_the_home_panel_reads_this_years_snapshot_in_a_few_queries(
    client_for: Any,
    org: Any,
    small_year: dict,
    member_of: Any,
    in_org: Any,
    django_assert_max_num_queries: Any,
) -> None:
    with in_org(org):
        _store_this_year(org, {"housing.tenants_without_resources": 42})
    client = client_for(member_of(org, "manager"), org)
    with CaptureQueriesContext(connection) as live:
        client.get("/")
    with in_org(org):
        IndicatorSnapshot.objects.all().delete()
        _store_this_year(org, {"housing.tenants_without_resources": 42})
    with django_assert_max_num_queries(40) as served:
        page = client.get("/").content.decode()
    assert 'data-indicator="tenants.households"' in page and "Chiffres calculés le" in page
    # The stored count of the alert, not a new one (there are none in these records).
    assert "42 ménage(s) locataire(s) sans aucune ressource" in page
    assert len(served.captured_queries) <= len(live.captured_queries)


@pytest.mark.django_db
def test_without_a_snapshot_the_home_panel_computes_its_figures_and_asks_for_one(
    client_for: Any, org: Any, small_year: dict, member_of: Any
) -> None:
    page = client_for(member_of(org, "manager"), org).get("/").content.decode()
    assert 'data-indicator="tenants.households"' in page
    assert "Chiffres calculés le" not in page
    snapshot = _snapshot(org, year=timezone.localdate().year)
    assert snapshot is not None and snapshot.computed_at is None
    assert snapshot.refresh_requested_at is not None


# --- One computation ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_indicators_picking_from_one_selector_share_its_result(org: Any, in_org: Any) -> None:
    with in_org(org):
        with CaptureQueriesContext(connection) as one:
            indicators.compute(["arrears.rate"], organization=org, year=2025)
        with CaptureQueriesContext(connection) as two:
            result = indicators.compute(
                ["arrears.rate", "arrears.unpaid"], organization=org, year=2025
            )
    assert len(two.captured_queries) == len(one.captured_queries)
    assert result["arrears.unpaid"] == Decimal("0")


# --- With the real worker -------------------------------------------------------------------------


def _wait(org: Any, year: int, after: Any = None, timeout: float = 120) -> IndicatorSnapshot:
    deadline = time.monotonic() + timeout
    while True:
        snapshot = _snapshot(org, year)
        if (
            snapshot is not None
            and snapshot.computed_at is not None
            and snapshot.refresh_requested_at is None
            and (after is None or snapshot.computed_at > after)
        ):
            return snapshot
        if time.monotonic() > deadline:
            raise AssertionError(f"snapshot {year} of {org} not computed: {snapshot!r}")
        time.sleep(0.1)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_computes_a_refresh_and_the_page_follows_it(
    celery_worker: Any, client_for: Any, org: Any, small_year: dict, member_of: Any
) -> None:
    client = client_for(member_of(org, "manager"), org)
    client.get(DASHBOARD)
    before = _snapshot(org)
    _new_tenants(org, 1)
    response = client.post(
        "/rapports/indicateurs/actualiser/", {"year": 2025}, HTTP_HX_REQUEST="true"
    )
    assert "Actualisation en cours" in response.content.decode()
    refreshed = _wait(org, 2025, after=before.computed_at)
    assert build.entries_by_key(refreshed.sections)["tenants.households"]["value"] == 8
    page = client.get(DASHBOARD, HTTP_HX_REQUEST="true").content.decode()
    assert "<strong>8</strong>" in _tenants_row(page)
    assert "Actualisation en cours" not in page and "hx-trigger" not in page


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_every_night_the_current_and_previous_years_are_computed_again(
    celery_worker: Any, org: Any, other_org: Any, small_year: dict, in_org: Any
) -> None:
    this_year = timezone.localdate().year
    alsace = small_year["alsace"]
    old = timezone.now() - datetime.timedelta(days=3)
    with in_org(org):
        # Someone looked at Alsace last year and at 2020: Alsace is kept fresh, 2020 is not.
        viewed = IndicatorSnapshot.objects.create(
            organization=org, year=this_year - 1, territory=alsace, computed_at=old
        )
        forgotten = IndicatorSnapshot.objects.create(organization=org, year=2020, computed_at=old)
    # Each organisation's current and previous year, and Alsace last year.
    assert tasks.refresh_indicator_snapshots() == 5
    for organization in (org, other_org):
        assert _wait(organization, this_year).sections
        assert _wait(organization, this_year - 1).sections
    deadline = time.monotonic() + 120
    while True:
        with in_org(org):
            viewed.refresh_from_db()
        if viewed.computed_at > old or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert viewed.computed_at > old and viewed.sections
    with in_org(org):
        forgotten.refresh_from_db()
    assert forgotten.computed_at == old and forgotten.refresh_requested_at is None
