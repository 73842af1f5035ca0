"""Every rule of RULES.md "Allocation commission" has a test that fails when it is broken."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from allocations import services
from allocations.deadlines import answer_deadline
from allocations.enums import (
    ApplicationStatus,
    DecisionKind,
    OfferStatus,
    SessionStatus,
)
from allocations.models import Decision, HousingApplication, Offer, SessionDwelling
from core.context import organization_context
from housing.enums import DwellingStatus, Financing
from housing.models import Dwelling, Lease

pytestmark = pytest.mark.django_db


# --- Three candidates ---------------------------------------------------------------------------


def test_agenda_refuses_a_dwelling_with_fewer_than_three_candidates(world: Any) -> None:
    session, _item, _ = world.prepared(candidates=2)
    with (
        organization_context(world.org, user=world.user),
        pytest.raises(ValidationError, match="Moins de 3"),
    ):
        services.session_publish_agenda(session=session, published_by=world.user)


def test_too_few_candidates_exception_with_justification_lets_the_agenda_through(
    world: Any,
) -> None:
    session, item, _ = world.prepared(candidates=1)
    with organization_context(world.org, user=world.user):
        with pytest.raises(ValidationError):
            services.session_dwelling_set_exception(
                session_dwelling=item,
                exception="too_few_candidates",
                justification="",
                updated_by=world.user,
            )
        services.session_dwelling_set_exception(
            session_dwelling=item,
            exception="too_few_candidates",
            justification="Deux candidats sollicités ont retiré leur demande.",
            updated_by=world.user,
        )
        services.session_publish_agenda(session=session, published_by=world.user)
        session.refresh_from_db()
    assert session.status == SessionStatus.AGENDA_PUBLISHED


def test_plai_adapte_exception_only_for_a_plai_adapte_dwelling(world: Any) -> None:
    _session, item, _ = world.prepared(candidates=1)
    with (
        organization_context(world.org, user=world.user),
        pytest.raises(ValidationError, match="PLAI adapté"),
    ):
        services.session_dwelling_set_exception(
            session_dwelling=item,
            exception="plai_adapte",
            justification="PLAI-A",
            updated_by=world.user,
        )
    adapted = world.dwelling(financing=Financing.PLAI_ADAPTED)
    session2, item2, _ = world.prepared(candidates=1, dwelling=adapted)
    with organization_context(world.org, user=world.user):
        services.session_dwelling_set_exception(
            session_dwelling=item2,
            exception="plai_adapte",
            justification="Logement PLAI adapté",
            updated_by=world.user,
        )
        services.session_publish_agenda(session=session2, published_by=world.user)


def test_the_session_refuses_to_decide_below_three_candidates_without_exception(world: Any) -> None:
    _session, item, cands = world.held()
    # One candidate withdrawn after the session is held (direct removal, bypassing the service).
    with organization_context(world.org):
        cands[2].delete()
    with pytest.raises(ValidationError, match="ne peut pas décider"):
        world.decide_all(item, cands[:2])
    with organization_context(world.org):
        assert Decision.objects.count() == 0


# --- Decisions ----------------------------------------------------------------------------------


def test_ranks_are_unique_per_dwelling_in_the_service(world: Any) -> None:
    _session, item, cands = world.held()
    decisions = [
        {"candidacy": cands[0], "kind": "attribution"},
        {"candidacy": cands[1], "kind": "ranked", "rank": 1},
        {"candidacy": cands[2], "kind": "ranked", "rank": 2},
    ]
    with pytest.raises(ValidationError, match="rang 1"):
        world.decide_all(item, cands, decisions)


def test_ranks_are_unique_per_dwelling_in_the_database(world: Any) -> None:
    _session, item, cands = world.held()
    world.decide_all(item, cands)
    with organization_context(world.org), pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(candidacy=cands[1]).update(rank=1)


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        ({"kind": "non_attribution", "reasons": ""}, "motifs"),
        (
            {"kind": "rejection", "reasons": "Plafond de ressources dépassé", "legal_basis": ""},
            "fondement",
        ),
        ({"kind": "rejection", "reasons": "", "legal_basis": "CCH L441-1"}, "motifs"),
        (
            {
                "kind": "conditional",
                "rank": 1,
                "missing_document": "Un papier",
                "condition_deadline": datetime.date(2026, 4, 1),
            },
            "liste officielle",
        ),
        (
            {"kind": "conditional", "rank": 1, "missing_document": "Avis d'imposition N-1"},
            "date limite",
        ),
    ],
)
def test_decision_requirements(world: Any, decision: dict, message: str) -> None:
    _session, item, cands = world.held()
    decisions = [
        {"candidacy": cands[0], **decision},
        {"candidacy": cands[1], "kind": "ranked", "rank": 2},
        {"candidacy": cands[2], "kind": "ranked", "rank": 3},
    ]
    with pytest.raises(ValidationError, match=message):
        world.decide_all(item, cands, decisions)


def test_reasons_are_required_by_the_database_too(world: Any) -> None:
    _session, item, cands = world.held()
    world.decide_all(item, cands)
    with organization_context(world.org), pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(candidacy=cands[2]).update(
            kind=DecisionKind.NON_ATTRIBUTION, rank=None, reasons=""
        )


def test_departure_from_score_order_is_flagged_and_logged(world: Any) -> None:
    from core.models import TimelineEvent

    _session, item, cands = world.held()
    # cands are created with descending scores: giving rank 1 to the lowest score departs.
    decisions = [
        {"candidacy": cands[2], "kind": "ranked", "rank": 1},
        {"candidacy": cands[0], "kind": "ranked", "rank": 2, "score_departure_reason": "Typologie"},
        {"candidacy": cands[1], "kind": "ranked", "rank": 3},
    ]
    world.decide_all(item, cands, decisions)
    with organization_context(world.org):
        flagged = set(
            Decision.objects.filter(departs_from_score=True).values_list("candidacy_id", flat=True)
        )
        assert cands[0].pk in flagged and cands[2].pk not in flagged
        assert TimelineEvent.objects.filter(kind="decision.score_departure").exists()


# --- Quorum per dwelling ------------------------------------------------------------------------


def test_quorum_is_computed_per_dwelling(world: Any) -> None:
    from allocations.services import session_quorum

    session, item, _cands = world.prepared()
    other_commune = world.dwelling(
        residence=__import__(
            "tests.housing.factories", fromlist=["ResidenceFactory"]
        ).ResidenceFactory(
            organization=world.org,
            territory=world.territory,
            commune_insee="57751",
            commune_name="Woippy",
        )
    )
    with organization_context(world.org, user=world.user):
        item2 = services.session_dwelling_add(
            session=session, dwelling=other_commune, added_by=world.user
        )
        q1 = session_quorum(item)
        q2 = session_quorum(item2)
    # 6 board/tenant seats + the mayor of the dwelling's commune only.
    assert q1.voting_seats == 7 and q2.voting_seats == 7
    assert q1.required == 4


def test_decisions_are_refused_without_quorum_for_the_dwelling(world: Any) -> None:
    session, item, cands = world.prepared()
    with organization_context(world.org, user=world.user):
        services.session_publish_agenda(session=session, published_by=world.user)
    world.attend(session, present=3)
    with organization_context(world.org, user=world.user):
        services.session_hold(session=session, held_by=world.user)
    with pytest.raises(ValidationError, match="Quorum non atteint"):
        world.decide_all(item, cands)


# --- Optimistic locking -------------------------------------------------------------------------


def test_two_secretaries_editing_the_same_dwelling_the_second_loses_with_a_clear_message(
    world: Any,
) -> None:
    _session, item, cands = world.held()
    with organization_context(world.org):
        first = SessionDwelling.objects.get(pk=item.pk)
        second = SessionDwelling.objects.get(pk=item.pk)
    loaded = first.version
    with organization_context(world.org, user=world.user):
        services.decisions_record(
            session_dwelling=first,
            expected_version=loaded,
            decisions=[
                {"candidacy": c, "kind": "ranked", "rank": i + 1} for i, c in enumerate(cands)
            ],
            recorded_by=world.user,
        )
    with organization_context(world.org, user=world.user), pytest.raises(ValidationError) as error:
        services.decisions_record(
            session_dwelling=second,
            expected_version=loaded,
            decisions=[
                {"candidacy": c, "kind": "ranked", "rank": 3 - i} for i, c in enumerate(cands)
            ],
            recorded_by=world.user,
        )
    assert "modifiées par une autre personne" in str(error.value)
    with organization_context(world.org):
        assert Decision.objects.get(candidacy=cands[0]).rank == 1


# --- Offers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notified", "deadline"),
    [
        (datetime.date(2026, 3, 2), datetime.date(2026, 3, 12)),  # Monday → Thursday
        (datetime.date(2026, 3, 4), datetime.date(2026, 3, 16)),  # ends Saturday → Monday
        (datetime.date(2026, 3, 5), datetime.date(2026, 3, 16)),  # ends Sunday → Monday
        (datetime.date(2026, 7, 4), datetime.date(2026, 7, 15)),  # ends 14 July → 15 July
        (datetime.date(2026, 4, 26), datetime.date(2026, 5, 6)),  # Tue 5 May? no: 6 May
        (datetime.date(2026, 12, 15), datetime.date(2026, 12, 28)),  # Christmas, weekend
    ],
)
def test_answer_deadline_follows_cpc_641_642(
    notified: datetime.date, deadline: datetime.date
) -> None:
    assert answer_deadline(notified) == deadline


def test_offer_deadline_at_least_ten_days_in_the_database(world: Any) -> None:
    from tests.allocations.factories import OfferFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        OfferFactory(
            organization=world.org,
            notified_on=datetime.date(2026, 3, 2),
            answer_deadline=datetime.date(2026, 3, 11),
        )


def _decided(world: Any) -> tuple[Any, Any, list[Any]]:
    session, item, cands = world.held()
    world.decide_all(item, cands)
    with organization_context(world.org, user=world.user):
        services.session_close_decisions(session=session, closed_by=world.user)
    return session, item, cands


def test_offer_goes_to_rank_one_with_the_computed_deadline(world: Any) -> None:
    _session, item, cands = _decided(world)
    with organization_context(world.org, user=world.user):
        offer = services.offer_make(
            session_dwelling=item, notified_on=datetime.date(2026, 3, 4), made_by=world.user
        )
    assert offer.application_id == cands[0].application_id
    assert offer.answer_deadline == datetime.date(2026, 3, 16)


def test_refusal_passes_the_dwelling_to_the_next_rank(world: Any) -> None:
    _session, item, cands = _decided(world)
    with organization_context(world.org, user=world.user):
        offer = services.offer_make(
            session_dwelling=item, notified_on=datetime.date(2026, 3, 4), made_by=world.user
        )
        with pytest.raises(ValidationError):
            services.offer_refuse(
                offer=offer, reason="", on=datetime.date(2026, 3, 6), refused_by=world.user
            )
        nxt = services.offer_refuse(
            offer=offer, reason="location", on=datetime.date(2026, 3, 6), refused_by=world.user
        )
    assert nxt.application_id == cands[1].application_id
    assert nxt.status == OfferStatus.PENDING


def test_silence_becomes_refusal_at_the_deadline_by_the_daily_job(world: Any) -> None:
    _session, item, cands = _decided(world)
    with organization_context(world.org, user=world.user):
        offer = services.offer_make(
            session_dwelling=item, notified_on=datetime.date(2026, 3, 4), made_by=world.user
        )
        assert services.offers_expire(organization=world.org, today=datetime.date(2026, 3, 16)) == 0
        assert services.offers_expire(organization=world.org, today=datetime.date(2026, 3, 17)) == 1
        offer.refresh_from_db()
        assert offer.status == OfferStatus.REFUSED and offer.refused_by_silence
        assert (
            Offer.objects.get(status=OfferStatus.PENDING).application_id == cands[1].application_id
        )


def test_acceptance_and_lease_make_the_household_tenant_and_radiate_the_demand(world: Any) -> None:
    _session, item, cands = _decided(world)
    with organization_context(world.org, user=world.user):
        offer = services.offer_make(
            session_dwelling=item, notified_on=datetime.date(2026, 3, 4), made_by=world.user
        )
        services.offer_accept(offer=offer, on=datetime.date(2026, 3, 9), accepted_by=world.user)
        lease = services.offer_sign_lease(
            offer=offer, signed_on=datetime.date(2026, 3, 20), signed_by=world.user
        )
        application = HousingApplication.objects.get(pk=cands[0].application_id)
        assert application.status == ApplicationStatus.ATTRIBUTED
        assert application.radiation_reason == "attribution"
        assert lease.household_id == application.household_id
        assert Dwelling.objects.get(pk=item.dwelling_id).status == DwellingStatus.OCCUPIED


def test_a_transfer_ends_the_old_lease(world: Any) -> None:
    from tests.housing.factories import LeaseFactory

    session, item, cands = world.held()
    with organization_context(world.org):
        application = HousingApplication.objects.select_related("household").get(
            pk=cands[0].application_id
        )
    old = LeaseFactory(organization=world.org, household=application.household)
    with organization_context(world.org, user=world.user):
        HousingApplication.objects.filter(pk=application.pk).update(
            kind="transfer", transfer_reason="under_occupation", current_lease=old
        )
    world.decide_all(item, cands)
    with organization_context(world.org, user=world.user):
        services.session_close_decisions(session=session, closed_by=world.user)
        offer = services.offer_make(
            session_dwelling=item, notified_on=datetime.date(2026, 3, 4), made_by=world.user
        )
        services.offer_accept(offer=offer, on=datetime.date(2026, 3, 9), accepted_by=world.user)
        services.offer_sign_lease(
            offer=offer, signed_on=datetime.date(2026, 3, 20), signed_by=world.user
        )
        old = Lease.objects.get(pk=old.pk)
        assert old.end_date == datetime.date(2026, 3, 20) and old.end_reason == "transfer"
        assert Dwelling.objects.get(pk=old.dwelling_id).status == DwellingStatus.VACANT


# --- Session state machine ----------------------------------------------------------------------


def test_session_cannot_skip_states(world: Any) -> None:
    session, _item, _cands = world.prepared()
    with organization_context(world.org, user=world.user), pytest.raises(ValidationError):
        services.session_close_decisions(session=session, closed_by=world.user)


def test_remote_session_requires_the_internal_rules_to_allow_it(world: Any) -> None:
    world.commission.remote_allowed = False
    with organization_context(world.org):
        world.commission.save()
    with pytest.raises(ValidationError, match="règlement intérieur"):
        world.session(mode="remote")
