"""The dashboard reproduces hand-computed figures for every category (data: conftest.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from quotas import selectors
from quotas.enums import Direction, QuotaCategory, TargetKind
from tests.quotas.factories import QuotaTargetFactory

END = datetime.date(2025, 12, 31)


def progress(year: Any, in_org: Any, on: datetime.date = END, **target: Any) -> Any:
    t = QuotaTargetFactory(organization=year.org, territory=year.territory, year=2025, **target)
    with in_org(year.org):
        board = selectors.quota_dashboard(
            organization=year.org, territory=year.territory, year=2025, on=on
        )
    return next(p for p in board.progress if p.target.pk == t.pk)


def test_the_one_definition_counts_ten_attributions(year: Any, in_org: Any) -> None:
    # 13 offers: 10 signed in 2025 on Lorraine; one signed 2024, one on Alsace, one unsigned.
    with in_org(year.org):
        items = selectors.counted_attributions(
            organization=year.org, year=2025, territory=year.territory
        )
    assert len(items) == 10


def test_dalo_count_and_share(year: Any, in_org: Any) -> None:
    # DALO: #1, #2, #9 = 3 (the 2024, Alsace and unsigned DALO offers do not count).
    p = progress(year, in_org, category=QuotaCategory.DALO, kind=TargetKind.COUNT, value=3)
    assert (p.achieved, p.gap, p.status) == (Decimal(3), Decimal(0), "met")


def test_dalo_share(year: Any, in_org: Any) -> None:
    # 3 DALO / 10 attributions = 30.0 %.
    p = progress(year, in_org, category=QuotaCategory.DALO, kind=TargetKind.PERCENT, value=25)
    assert (p.numerator, p.denominator, p.achieved) == (3, 10, Decimal("30.0"))
    assert p.status == "met" and p.gap == Decimal("0")


def test_shelter_leavers_behind(year: Any, in_org: Any) -> None:
    # Sortants d'hébergement: #2, #7 = 2 on a target of 4; gap 4 − 2 = 2; year over: projection 2.
    p = progress(
        year, in_org, category=QuotaCategory.SHELTER_LEAVERS, kind=TargetKind.COUNT, value=4
    )
    assert (p.achieved, p.gap, p.households_missing) == (Decimal(2), Decimal(2), 2)
    assert p.projection == Decimal("2.0") and p.status == "behind" and p.alert


def test_collective_agreement_programmes_by_name(year: Any, in_org: Any) -> None:
    # MVS: #2, #7 = 2 on 2 (met). Accel'AIR: #9 = 1 on 3 (gap 2, behind).
    mvs = progress(
        year, in_org, category=QuotaCategory.COLLECTIVE_AGREEMENT, programme="MVS", value=2
    )
    assert (mvs.achieved, mvs.status) == (Decimal(2), "met")
    air = progress(
        year, in_org, category=QuotaCategory.COLLECTIVE_AGREEMENT, programme="Accel'AIR", value=3
    )
    assert (air.achieved, air.gap, air.status) == (Decimal(1), Decimal(2), "behind")
    assert [c.registration_number for c in air.counted] == [
        year.offers[8].application.registration_number
    ]


def test_domestic_violence_and_disability(year: Any, in_org: Any) -> None:
    # Violences conjugales: #3 = 1 on 1 (met). Handicap: #5 = 1 on 2 (behind, gap 1).
    dv = progress(year, in_org, category=QuotaCategory.DOMESTIC_VIOLENCE, value=1)
    assert (dv.achieved, dv.status) == (Decimal(1), "met")
    dis = progress(year, in_org, category=QuotaCategory.DISABILITY, value=2)
    assert (dis.achieved, dis.gap, dis.status) == (Decimal(1), Decimal(1), "behind")


def test_first_quartile_outside_qpv_on_verified_income(year: Any, in_org: Any) -> None:
    # Outside QPV: #1–#6 = 6 attributions. 1st quartile (< 9 846 €/UC, 1.8 UC):
    #   #1 15 000/1.8 = 8 333.33 yes; #2 16 666.67 no; #3 yes; #4 no;
    #   #5 no verified income → declared 12 000/1.8 = 6 666.67 yes (flagged);
    #   #6 verified 16 666.67 no (declared 6 666.67 would say yes: verified wins).
    # 3 / 6 = 50.0 % ≥ 25 %.
    p = progress(
        year,
        in_org,
        category=QuotaCategory.FIRST_QUARTILE_OUTSIDE_QPV,
        kind=TargetKind.PERCENT,
        value=25,
    )
    assert (p.numerator, p.denominator, p.achieved, p.status) == (3, 6, Decimal("50.0"), "met")
    flagged = [c for c in p.counted if not c.income_verified]
    assert len(flagged) == 1 and flagged[0].declared_income_per_uc == Decimal("6666.67")
    sixth = selectors.Counted(
        **{
            **vars(p.counted[0]),
            "verified_income_per_uc": Decimal("16666.67"),
            "declared_income_per_uc": Decimal("6666.67"),
        }
    )
    assert sixth.first_quartile is False and sixth.first_quartile_declared is True


def test_non_first_quartile_in_qpv(year: Any, in_org: Any) -> None:
    # In QPV: #7–#10 = 4. Not 1st quartile: #8, #9 = 2 → 2 / 4 = 50.0 % ≥ 50 % (met, exactly).
    p = progress(
        year,
        in_org,
        category=QuotaCategory.NON_FIRST_QUARTILE_IN_QPV,
        kind=TargetKind.PERCENT,
        value=50,
    )
    assert (p.numerator, p.denominator, p.achieved, p.status) == (2, 4, Decimal("50.0"), "met")


def test_priority_households_per_reservataire(year: Any, in_org: Any) -> None:
    # Landlord's own flow: #3, #4, #7, #10 = 4; priority: #3, #7 → 2 / 4 = 50.0 %.
    own = progress(
        year,
        in_org,
        category=QuotaCategory.PRIORITY_PER_RESERVATAIRE,
        kind=TargetKind.PERCENT,
        value=25,
    )
    assert (own.numerator, own.denominator, own.achieved) == (2, 4, Decimal("50.0"))
    # Action Logement: #5, #6, #9 = 3; priority: #5, #9 → 2 / 3 = 66.666… → 66.7 %.
    al = progress(
        year,
        in_org,
        category=QuotaCategory.PRIORITY_PER_RESERVATAIRE,
        kind=TargetKind.PERCENT,
        value=25,
        partner=year.al,
    )
    assert (al.numerator, al.denominator, al.achieved, al.status) == (2, 3, Decimal("66.7"), "met")
    # Préfet, on a target of 75 %: #1, #2, #8 = 3; priority #1, #2 → 66.7 % < 75 %: behind by
    # 8.3 points; households missing: ceil(75 × 3 / 100) = ceil(2.25) = 3, minus 2 = 1.
    pr = progress(
        year,
        in_org,
        category=QuotaCategory.PRIORITY_PER_RESERVATAIRE,
        kind=TargetKind.PERCENT,
        value=75,
        partner=year.prefet,
    )
    assert (pr.achieved, pr.gap, pr.households_missing, pr.status) == (
        Decimal("66.7"),
        Decimal("8.3"),
        1,
        "behind",
    )


def test_prefet_share_of_the_flow(year: Any, in_org: Any) -> None:
    # Préfet flow: #1, #2, #8 = 3 / 10 = 30.0 % ≤ 30 % (met).
    p = progress(
        year,
        in_org,
        category=QuotaCategory.PREFET_SHARE,
        kind=TargetKind.PERCENT,
        value=30,
        direction=Direction.AT_MOST,
    )
    assert (p.achieved, p.status, p.gap) == (Decimal("30.0"), "met", Decimal("0"))


def test_prefet_share_over_a_ceiling_of_25(year: Any, in_org: Any) -> None:
    # 30.0 % > 25 %: exceeded by 5.0 points, an alert.
    p = progress(
        year,
        in_org,
        category=QuotaCategory.PREFET_SHARE,
        kind=TargetKind.PERCENT,
        value=25,
        direction=Direction.AT_MOST,
    )
    assert (p.achieved, p.gap, p.status, p.alert) == (
        Decimal("30.0"),
        Decimal("5.0"),
        "exceeded",
        True,
    )


def test_projection_at_the_current_pace(year: Any, in_org: Any) -> None:
    # On 1 July 2025: DALO signed by then: #1 (02-10), #2 (03-15) = 2. Days elapsed:
    # 31+28+31+30+31+30+1 = 182 of 365. Projection 2 × 365 / 182 = 4.0109… → 4.0 < 6: behind.
    p = progress(year, in_org, on=datetime.date(2025, 7, 1), category=QuotaCategory.DALO, value=6)
    assert (p.achieved, p.projection, p.status) == (Decimal(2), Decimal("4.0"), "behind")
    # On target of 4: projection 4.0 ≥ 4 → on track (not yet met).
    p = progress(
        year,
        in_org,
        on=datetime.date(2025, 7, 1),
        category=QuotaCategory.DALO,
        value=4,
        kind=TargetKind.COUNT,
        programme="",
        partner=year.al,
    )
    assert p.status == "on_track" and not p.alert


def test_one_household_counts_toward_several_categories(year: Any, in_org: Any) -> None:
    # #2 is DALO, a shelter leaver, MVS, on the préfet's flow, and a priority household there.
    targets = [
        {"category": QuotaCategory.DALO, "value": 1},
        {"category": QuotaCategory.SHELTER_LEAVERS, "value": 1},
        {"category": QuotaCategory.COLLECTIVE_AGREEMENT, "programme": "MVS", "value": 1},
    ]
    number = year.offers[1].application.registration_number
    for target in targets:
        p = progress(year, in_org, **target)
        assert number in [c.registration_number for c in p.counted]


@pytest.mark.django_db
def test_dashboard_page_query_budget(
    year: Any, client_for: Any, member_of: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for category in (QuotaCategory.DALO, QuotaCategory.DISABILITY, QuotaCategory.SHELTER_LEAVERS):
        QuotaTargetFactory(organization=year.org, territory=year.territory, category=category)
    client = client_for(member_of(year.org, "manager"), year.org)
    url = f"/quotas/?territoire={year.territory.public_id}&annee=2025"
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    assert response.status_code == 200
    assert "Sortants d&#x27;hébergement" in response.content.decode()
    # More targets and attributions: the same number of queries, within the budget.
    for programme in ("MVS", "Accel'AIR", "fongibles"):
        QuotaTargetFactory(
            organization=year.org,
            territory=year.territory,
            category=QuotaCategory.COLLECTIVE_AGREEMENT,
            programme=programme,
        )
    year.attribute(datetime.date(2025, 12, 1), True, "al", ["dalo"], ["MVS"], 15000, 15000)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200
    assert len(first.captured_queries) <= 22


def test_dashboard_selector_is_five_queries(
    year: Any, in_org: Any, django_assert_max_num_queries: Any
) -> None:
    # Targets, thresholds, attributions, their priorities, their programme labels.
    for value in (1, 2, 3):
        QuotaTargetFactory(
            organization=year.org,
            territory=year.territory,
            category=QuotaCategory.COLLECTIVE_AGREEMENT,
            programme=f"P{value}",
            value=value,
        )
    with in_org(year.org), django_assert_max_num_queries(5):
        board = selectors.quota_dashboard(
            organization=year.org, territory=year.territory, year=2025, on=END
        )
    assert board.attributions == 10 and len(board.progress) == 3


def test_the_report_counts_agree_with_the_one_definition_in_one_query(
    year: Any, in_org: Any, django_assert_num_queries: Any
) -> None:
    """DALO #1, #2, #9 and shelter leavers #2, #7 of the 10 attributions of 2025 in the
    territory; the priority share as the rows say (`Counted.is_priority`)."""
    from quotas import indicators
    from reporting.indicators import percent, shared_results

    args = {"organization": year.org, "year": 2025, "territory": year.territory}
    with in_org(year.org):
        items = selectors.counted_attributions(**args)
        with shared_results(), django_assert_num_queries(1):
            figures = (
                indicators.dalo_attributions(**args),
                indicators.dalo_share(**args),
                indicators.shelter_leaver_attributions(**args),
                indicators.priority_share(**args),
            )
    priority = percent(sum(1 for i in items if i.is_priority), len(items))
    assert figures == (3, Decimal("30.0"), 2, priority)
    assert priority is not None and 0 < priority < 100


def test_a_count_ceiling_is_on_track_during_the_year_and_met_once_it_is_over(
    year: Any, in_org: Any
) -> None:
    # The préfet's attributions stay under a ceiling of 100: not exceeded at any date.
    target = QuotaTargetFactory(
        organization=year.org,
        territory=year.territory,
        year=2025,
        category=QuotaCategory.PREFET_SHARE,
        kind=TargetKind.COUNT,
        value=100,
        direction=Direction.AT_MOST,
    )
    statuses = []
    for on in (datetime.date(2025, 6, 30), END):
        with in_org(year.org):
            board = selectors.quota_dashboard(
                organization=year.org, territory=year.territory, year=2025, on=on
            )
        [p] = [p for p in board.progress if p.target.pk == target.pk]
        statuses.append((p.status, p.gap))
    assert statuses == [("on_track", Decimal(0)), ("met", Decimal(0))]


# --- The figures counted in SQL (`attribution_groups`) ------------------------------------------

ALL_TARGETS = [
    {"category": QuotaCategory.DALO, "value": 3},
    {"category": QuotaCategory.SHELTER_LEAVERS, "value": 4},
    {"category": QuotaCategory.COLLECTIVE_AGREEMENT, "programme": "MVS", "value": 2},
    {"category": QuotaCategory.COLLECTIVE_AGREEMENT, "programme": "Accel'AIR", "value": 3},
    {"category": QuotaCategory.DOMESTIC_VIOLENCE, "value": 1},
    {"category": QuotaCategory.DISABILITY, "value": 2},
    {
        "category": QuotaCategory.FIRST_QUARTILE_OUTSIDE_QPV,
        "kind": TargetKind.PERCENT,
        "value": 25,
    },
    {"category": QuotaCategory.NON_FIRST_QUARTILE_IN_QPV, "kind": TargetKind.PERCENT, "value": 50},
    {
        "category": QuotaCategory.PRIORITY_PER_RESERVATAIRE,
        "kind": TargetKind.PERCENT,
        "value": 25,
    },
    {
        "category": QuotaCategory.PREFET_SHARE,
        "kind": TargetKind.PERCENT,
        "value": 25,
        "direction": Direction.AT_MOST,
    },
]
# The same categories, other kinds and directions (one target per category and year).
OTHER_TARGETS = [
    {"category": QuotaCategory.DALO, "kind": TargetKind.PERCENT, "value": 25},
    {"category": QuotaCategory.SHELTER_LEAVERS, "kind": TargetKind.PERCENT, "value": 30},
    {"category": QuotaCategory.DISABILITY, "value": 0, "direction": Direction.AT_MOST},
    {
        "category": QuotaCategory.PREFET_SHARE,
        "kind": TargetKind.COUNT,
        "value": 100,
        "direction": Direction.AT_MOST,
    },
]


def _figures(p: Any) -> tuple:
    return (
        p.numerator,
        p.denominator,
        p.achieved,
        p.gap,
        p.households_missing,
        p.projection,
        p.status,
    )


def _all_targets(year: Any, specs: list[dict] = ALL_TARGETS) -> None:
    for spec in specs:
        QuotaTargetFactory(organization=year.org, territory=year.territory, **spec)
    if specs is not ALL_TARGETS:
        return
    for partner in (year.al, year.prefet):
        QuotaTargetFactory(
            organization=year.org,
            territory=year.territory,
            category=QuotaCategory.PRIORITY_PER_RESERVATAIRE,
            kind=TargetKind.PERCENT,
            value=75,
            partner=partner,
        )


@pytest.mark.parametrize("specs", [ALL_TARGETS, OTHER_TARGETS])
@pytest.mark.parametrize("on", [datetime.date(2025, 7, 1), END])
def test_the_figures_counted_in_sql_are_those_of_the_households_counted(
    year: Any, in_org: Any, on: datetime.date, specs: list[dict]
) -> None:
    """Every category, count and share, at least and at most, during and after the year: the
    dashboard without its households (groups counted in SQL) gives the same figures as the
    one definition applied to each attribution in Python."""
    _all_targets(year, specs)
    args = {"organization": year.org, "territory": year.territory, "year": 2025, "on": on}
    with in_org(year.org):
        rows = selectors.quota_dashboard(**args)
        groups = selectors.quota_dashboard(**args, with_households=False)
    assert groups.attributions == rows.attributions
    assert [_figures(p) for p in groups.progress] == [_figures(p) for p in rows.progress]
    assert len({p.status for p in rows.progress}) >= 2
    assert all(p.counted == [] for p in groups.progress)


def test_the_first_quartile_in_sql_follows_the_dwellings_then_the_demands_epci(
    year: Any, in_org: Any
) -> None:
    """Thresholds: the dwelling's EPCI first, then the demand's, then `default`; income per
    consumption unit (verified, else declared) strictly below; no income at all counts in
    neither direction; a demand without adults still has one person."""
    from allocations.models import HousingApplication
    from housing.models import Residence

    edits = [
        # (offer index, residence EPCI, demand EPCI, adults, children, verified, declared)
        (0, "", "246700488", 2, 1, 18000, 18000),  # demand's EPCI: 10,000 €/UC < 10,254
        (1, "999999999", "", 1, 0, None, 9999),  # default 10,000: 9,999 below
        (2, "999999999", "", 1, 0, None, None),  # no income: neither
        (3, "200046977", "246700488", 0, 2, 17000, 17000),  # 1.6 UC: 10,625 < 10,712
        (6, "", "", 3, 0, 20000, 20000),  # default, 2 UC: 10,000 not below 10,000
    ]
    with in_org(year.org):
        for index, residence_epci, epci, adults, children, verified, declared in edits:
            offer = year.offers[index]
            residence = offer.session_dwelling.dwelling.residence
            Residence.objects.filter(pk=residence.pk).update(epci_code=residence_epci)
            HousingApplication.objects.filter(pk=offer.application_id).update(
                epci_code=epci,
                adults=adults,
                children=children,
                verified_annual_income=verified,
                declared_annual_income=declared,
            )
    for category in (
        QuotaCategory.FIRST_QUARTILE_OUTSIDE_QPV,
        QuotaCategory.NON_FIRST_QUARTILE_IN_QPV,
    ):
        QuotaTargetFactory(
            organization=year.org,
            territory=year.territory,
            category=category,
            kind=TargetKind.PERCENT,
            value=25,
        )
    args = {"organization": year.org, "territory": year.territory, "year": 2025, "on": END}
    with in_org(year.org):
        rows = selectors.quota_dashboard(**args)
        groups = selectors.quota_dashboard(**args, with_households=False)
        quartiles = [
            c.first_quartile
            for c in selectors.counted_attributions(
                organization=year.org, year=2025, territory=year.territory
            )
        ]
    assert None in quartiles and True in quartiles and False in quartiles
    assert [_figures(p) for p in groups.progress] == [_figures(p) for p in rows.progress]


def test_the_dashboard_page_counts_in_a_constant_number_of_queries(
    year: Any, client_for: Any, member_of: Any, django_assert_max_num_queries: Any
) -> None:
    """The page shows figures: the attributions are counted by groups in SQL (it loaded each
    of them with its priorities and programmes, 245 ms for 700 attributions at size L)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _all_targets(year)
    client = client_for(member_of(year.org, "manager"), year.org)
    url = f"/quotas/?territoire={year.territory.public_id}&annee=2025"
    with CaptureQueriesContext(connection) as first:
        body = client.get(url).content.decode()
    assert "10 attribution(s)" in body
    for day in range(1, 6):
        year.attribute(
            datetime.date(2025, 12, day), day % 2 == 0, "al", ["dalo"], ["MVS"], 9000, 9000
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert "15 attribution(s)" in client.get(url).content.decode()


def test_the_api_counts_every_territory_and_year_of_a_page_in_one_query(
    year: Any, client: Any, member_of: Any, in_org: Any, django_assert_max_num_queries: Any
) -> None:
    """Targets of several territories and years, each with its achieved value: the queries do
    not grow with them (one computation per territory and year loaded every attribution)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.housing.factories import ResidenceFactory

    QuotaTargetFactory(organization=year.org, territory=year.territory, value=3)
    headers = api_headers(member_of(year.org, "manager"), year.org)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/v1/quota-targets/", **headers).status_code == 200
    for y in (2024, 2026):
        QuotaTargetFactory(organization=year.org, territory=year.territory, year=y, value=1)
    QuotaTargetFactory(organization=year.org, territory=year.other_territory, value=1)
    year.attribute(
        datetime.date(2025, 6, 6),
        False,
        "landlord",
        ["dalo"],
        [],
        15000,
        15000,
        residence=ResidenceFactory(organization=year.org, territory=year.other_territory),
    )
    with django_assert_max_num_queries(len(first.captured_queries)):
        results = client.get("/api/v1/quota-targets/", **headers).json()["results"]
    achieved = {(r["territory"], r["year"]): r["achieved"]["numerator"] for r in results}
    territory, other = str(year.territory.public_id), str(year.other_territory.public_id)
    # DALO: 3 on Lorraine in 2025, the December 2024 one, 2 on Alsace (the fixture's and
    # this one), none yet in 2026.
    assert achieved == {
        (territory, 2025): 3,
        (territory, 2024): 1,
        (territory, 2026): 0,
        (other, 2025): 2,
    }


def api_headers(user: Any, org: Any) -> dict[str, Any]:
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_X_ORGANIZATION": org.slug}


def test_each_years_thresholds_are_the_version_in_force_on_its_31_december(
    year: Any, in_org: Any, django_assert_num_queries: Any
) -> None:
    from core.models import ParameterValue

    key = "allocations.first_quartile_thresholds"
    with in_org(year.org):
        for valid_from, value in (
            (datetime.date(2024, 3, 1), 9000),
            (datetime.date(2026, 1, 1), 11000),
        ):
            ParameterValue.objects.create(
                organization=year.org, key=key, valid_from=valid_from, value={"default": value}
            )
        with django_assert_num_queries(1):
            found = selectors._thresholds_by_year(year.org, [2023, 2024, 2025, 2026])
        assert found == {y: selectors._thresholds(year.org, y) for y in (2023, 2024, 2025, 2026)}
    assert found[2025] == {"default": 9000} and found[2026] == {"default": 11000}
