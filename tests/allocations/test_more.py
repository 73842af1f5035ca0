"""Demo data, remote voting, occupancy review, indicators, the assistant's cost."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from allocations import selectors, services
from allocations.enums import OccupancyReviewStatus
from allocations.models import Commission, CommissionSession, HousingApplication, OccupancyReview
from core.context import organization_context
from core.models import StoredDocument
from tests.allocations.conftest import pdf_text
from tests.housing.factories import LeaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_demo_loads_and_is_idempotent(world: Any) -> None:
    from allocations import demo

    demo.load(io.StringIO())
    demo.load(io.StringIO())
    with organization_context(world.org):
        # The world's commission plus the two of the demo, once.
        assert CommissionSession.objects.count() <= 2


def test_demo_on_an_empty_organisation(org: Any, member_of: Any) -> None:
    from allocations import demo
    from tests.organizations.factories import TerritoryFactory

    member_of(org, "commission_secretary")
    TerritoryFactory(organization=org, name="Lorraine", communes=["57463"])
    TerritoryFactory(organization=org, name="Alsace", communes=["67482"])
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    with organization_context(org):
        assert Commission.objects.count() == 2
        assert HousingApplication.objects.count() == 12
        assert CommissionSession.objects.count() == 2


def test_remote_session_members_rank_within_the_window_and_the_secretary_consolidates(
    world: Any,
) -> None:
    start = timezone.now() - datetime.timedelta(hours=1)
    session = world.session(mode="remote", scheduled_at=start, place="")
    dwelling = world.dwelling()
    with organization_context(world.org, user=world.user):
        item = services.session_dwelling_add(
            session=session, dwelling=dwelling, added_by=world.user
        )
        cands = [
            services.candidacy_add(
                session_dwelling=item, application=world.application(), added_by=world.user
            )
            for _ in range(3)
        ]
        services.remote_vote_cast(
            session_dwelling=item,
            member=world.members[0],
            ranking=[cands[2], cands[0], cands[1]],
            cast_by=world.user,
        )
        services.remote_vote_cast(
            session_dwelling=item,
            member=world.members[1],
            ranking=[cands[2], cands[1], cands[0]],
            cast_by=world.user,
        )
        with pytest.raises(ValidationError, match="pas ouvert"):
            services.remote_vote_cast(
                session_dwelling=item,
                member=world.members[2],
                ranking=[cands[0]],
                cast_by=world.user,
                now=session.voting_closes_at + datetime.timedelta(minutes=1),
            )
        ranking = services.remote_votes_consolidate(session_dwelling=item)
    assert ranking[0][0] == cands[2] and ranking[0][1] == Decimal("1.00")


def test_occupancy_review_scan_opinion_and_notice(world: Any) -> None:
    today = datetime.date(2026, 3, 1)
    # Signed three years ago next month, a T3 for one person: under-occupation.
    lease = LeaseFactory(
        organization=world.org,
        signed_on=datetime.date(2023, 3, 20),
        start_date=datetime.date(2023, 3, 20),
    )
    PersonFactory(organization=world.org, household=lease.household)
    # A recent lease: not due.
    LeaseFactory(
        organization=world.org,
        signed_on=datetime.date(2025, 3, 20),
        start_date=datetime.date(2025, 3, 20),
    )
    with organization_context(world.org, user=world.user):
        created = services.occupancy_reviews_scan(organization=world.org, today=today)
        assert services.occupancy_reviews_scan(organization=world.org, today=today) == []
    assert len(created) == 1
    review = created[0]
    assert review.due_on == datetime.date(2026, 3, 20)
    assert "under_occupation" in review.criteria
    session, _item, _cands = world.prepared()
    with organization_context(world.org, user=world.user):
        services.occupancy_review_schedule(review=review, session=session, scheduled_by=world.user)
        with pytest.raises(ValidationError):
            services.occupancy_review_record(
                review=review, opinion="x", suitable_dwelling="", reviewed_by=world.user
            )
        services.session_publish_agenda(session=session, published_by=world.user)
    world.attend(session)
    with organization_context(world.org, user=world.user):
        services.session_hold(session=session, held_by=world.user)
        review = OccupancyReview.objects.select_related(
            "session", "lease__dwelling", "household"
        ).get(pk=review.pk)
        with pytest.raises(ValidationError):
            services.occupancy_review_record(
                review=review, opinion=" ", suitable_dwelling="", reviewed_by=world.user
            )
        services.occupancy_review_record(
            review=review,
            opinion="Sous-occupation constatée ; une mutation vers un T1 ou T2 est proposée.",
            suitable_dwelling="T2 de 45 m² au plus, rez-de-chaussée ou ascenseur",
            reviewed_by=world.user,
        )
        services.occupancy_review_notify(review=review, notified_by=world.user)
        assert OccupancyReview.objects.get(pk=review.pk).status == OccupancyReviewStatus.NOTIFIED
        notice = pdf_text(StoredDocument.objects.get(kind="allocations.occupancy_notice"))
    assert "L442-5-2" in notice and "Sous-occupation" in notice and "T2 de 45 m²" in notice


def test_indicators(world: Any) -> None:
    session, item, cands = world.held()
    world.decide_all(item, cands)
    with organization_context(world.org, user=world.user):
        services.session_close_decisions(session=session, closed_by=world.user)
        offer = services.offer_make(
            session_dwelling=item, notified_on=datetime.date(2026, 3, 4), made_by=world.user
        )
        nxt = services.offer_refuse(
            offer=offer, reason="location", on=datetime.date(2026, 3, 6), refused_by=world.user
        )
        services.offer_accept(offer=nxt, on=datetime.date(2026, 3, 9), accepted_by=world.user)
        services.offer_sign_lease(
            offer=nxt, signed_on=datetime.date(2026, 3, 20), signed_by=world.user
        )
        year = session.scheduled_at.year
        kwargs = {"organization": world.org}
        assert selectors.sessions_held(year=year, **kwargs) == 1
        assert selectors.sessions_held(year=year, territory=world.territory, **kwargs) == 1
        assert selectors.files_presented_by_territory(year=year, **kwargs) == {"Lorraine": 3}
        assert selectors.decisions_by_type(year=2026, **kwargs)["ranked"] == 3
        offers = selectors.offers_and_refusals(year=2026, **kwargs)
        assert offers["offers"] == 2 and offers["refusals"] == 1
        assert offers["refusals_by_reason"] == {"location": 1}
        assert selectors.attributions(year=2026, **kwargs) == 1
        delays = selectors.attribution_delays(year=2026, **kwargs)
        assert delays.count == 1 and delays.values == [
            (datetime.date(2026, 3, 20) - datetime.date(2025, 6, 1)).days
        ]
        assert selectors.households_entered(year=2026, **kwargs) == {"entered": 1, "transfers": 0}


def test_first_quartile_is_computed_from_the_epci_threshold(world: Any, secretary: Any) -> None:
    from tests.housing.factories import HouseholdFactory

    household = HouseholdFactory(organization=world.org)
    with organization_context(world.org, user=secretary):
        low = services.application_create(
            organization=world.org,
            household=household,
            registration_number="A1",
            filed_on=datetime.date(2026, 1, 5),
            created_by=secretary,
            desired_typologies=["T2"],
            adults=1,
            children=0,
            declared_annual_income=Decimal("9000"),
            epci_code="200039865",
        )
        high = services.application_create(
            organization=world.org,
            household=household,
            registration_number="A2",
            filed_on=datetime.date(2026, 1, 5),
            created_by=secretary,
            desired_typologies=["T2"],
            adults=1,
            children=0,
            declared_annual_income=Decimal("9000"),
            verified_annual_income=Decimal("15000"),
            epci_code="200039865",
        )
    assert low.first_quartile is True
    assert high.first_quartile is False  # verified income prevails
    assert low.expires_on == datetime.date(2027, 1, 5)


def test_registration_number_is_unique_per_organisation(world: Any, secretary: Any) -> None:
    existing = world.application()
    with (
        organization_context(world.org, user=secretary),
        pytest.raises(ValidationError, match="numéro unique"),
    ):
        services.application_create(
            organization=world.org,
            household=existing.household
            if False
            else __import__("housing.models", fromlist=["Household"]).Household.objects.first(),
            registration_number=existing.registration_number,
            filed_on=datetime.date(2026, 1, 5),
            created_by=secretary,
            desired_typologies=["T2"],
        )


def test_assistant_costs_a_fixed_number_of_queries(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    dwelling = world.dwelling()
    for i in range(40):
        world.application(score=Decimal(i))
    with organization_context(world.org), django_assert_max_num_queries(8):
        suggestions = selectors.candidate_assistant(
            organization=world.org, dwelling=dwelling, limit=30
        )
    assert len(suggestions) == 30
    assert suggestions[0].application.score == Decimal(39)
    assert suggestions[0].figures.effort_rate is not None


def test_a_member_ranks_candidates_on_the_vote_page(
    world: Any, client_for: Any, member_of: Any
) -> None:
    from allocations.models import CommissionMember, RemoteVote

    user = member_of(world.org, "commission_member")
    with organization_context(world.org):
        CommissionMember.objects.filter(pk=world.members[0].pk).update(user=user)
    session = world.session(
        mode="remote", scheduled_at=timezone.now() - datetime.timedelta(hours=1), place=""
    )
    with organization_context(world.org, user=world.user):
        item = services.session_dwelling_add(
            session=session, dwelling=world.dwelling(), added_by=world.user
        )
        cands = [
            services.candidacy_add(
                session_dwelling=item, application=world.application(), added_by=world.user
            )
            for _ in range(3)
        ]
    client = client_for(user, world.org)
    url = f"/attributions/logements/{item.public_id}/vote/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {f"rank-{cands[1].public_id}": "1", f"rank-{cands[0].public_id}": "2"}
    )
    assert response.status_code == 302
    with organization_context(world.org):
        assert dict(RemoteVote.objects.values_list("candidacy_id", "rank")) == {
            cands[1].pk: 1,
            cands[0].pk: 2,
        }
    # The secretary cannot vote.
    assert client_for(world.user, world.org).post(url, {}).status_code == 403
