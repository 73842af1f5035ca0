"""Page forms for what was API-only: add a household, change its status, position it on a
mobilised dwelling (with the allocation offer), link its accompaniment, name a participant of a
collective action. Allowed role saves; a role without the right gets 403 and nothing changes;
bad input shows a French error and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest

from operations.models import ActionParticipant, RelocationHousehold, RelocationPositioning
from tests.allocations.factories import OfferFactory
from tests.cases.factories import SocialCaseFactory
from tests.housing.factories import DwellingFactory, HouseholdFactory
from tests.operations.factories import (
    CollectiveActionFactory,
    RelocationDwellingFactory,
    RelocationHouseholdFactory,
    RelocationOperationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def q(org: Any, in_org: Any) -> Any:
    """q(lambda: ...) -> evaluated in the organisation's context (test-side queries)."""

    def run(fn: Any) -> Any:
        with in_org(org):
            return fn()

    return run


def _errors(response: Any) -> str:
    return response.content.decode()


# --- Add a household ---------------------------------------------------------------------------


def test_add_household(org: Any, member_of: Any, client_for: Any, q: Any) -> None:
    operation = RelocationOperationFactory(organization=org)
    household = HouseholdFactory(organization=org)
    url = f"/operations/relogements/{operation.public_id}/menages/"
    denied = client_for(member_of(org, "read_only"), org).post(
        url, {"household": str(household.public_id)}
    )
    assert denied.status_code == 403
    assert not q(lambda: RelocationHousehold.objects.filter(operation=operation).exists())

    client = client_for(member_of(org, "commission_secretary"), org)
    bad = client.post(url, {"household": "999999"}, follow=True)
    assert "Ménage : Aucun ménage ne correspond à « 999999 »." in _errors(bad)
    assert not q(lambda: RelocationHousehold.objects.filter(operation=operation).exists())

    ok = client.post(url, {"household": str(household.public_id)})
    assert ok.status_code == 302
    assert q(
        lambda: RelocationHousehold.objects.filter(
            operation=operation, household=household
        ).exists()
    )
    again = client.post(url, {"household": str(household.public_id)}, follow=True)
    assert "Ce ménage est déjà concerné par l&#x27;opération." in _errors(again)
    assert q(lambda: RelocationHousehold.objects.filter(operation=operation).count()) == 1


# --- Change a household's status -----------------------------------------------------------------


def test_change_status(org: Any, member_of: Any, client_for: Any, q: Any) -> None:
    link = RelocationHouseholdFactory(organization=org)
    before = link.status
    url = f"/operations/relogements/menages/{link.public_id}/statut/"
    denied = client_for(member_of(org, "read_only"), org).post(
        url, {"status": "met", "on": "2026-03-01"}
    )
    assert denied.status_code == 403
    q(link.refresh_from_db)
    assert link.status == before

    client = client_for(member_of(org, "social_worker"), org)
    bad = client.post(url, {"status": "nonsense", "on": "2026-03-01"}, follow=True)
    assert "Nouveau statut : Sélectionnez un choix valide." in _errors(bad)
    bad = client.post(url, {"status": "met", "on": "31/02/2026"}, follow=True)
    assert "Date : Saisissez une date valide." in _errors(bad)
    q(link.refresh_from_db)
    assert link.status == before

    ok = client.post(url, {"status": "met", "on": "2026-03-01"})
    assert ok.status_code == 302
    q(link.refresh_from_db)
    assert link.status == "met"


# --- Position on a mobilised dwelling ----------------------------------------------------------


def test_position_with_offer(org: Any, member_of: Any, client_for: Any, q: Any) -> None:
    offer = OfferFactory(organization=org)
    operation = RelocationOperationFactory(organization=org)
    link = RelocationHouseholdFactory(
        organization=org, operation=operation, household=offer.application.household
    )
    mobilised = RelocationDwellingFactory(organization=org, operation=operation).dwelling
    url = f"/operations/relogements/{operation.public_id}/positionnements/"
    data = {
        "link": link.pk,
        "dwelling": mobilised.pk,
        "positioned_on": "2026-03-02",
        "offer": offer.pk,
    }
    denied = client_for(member_of(org, "read_only"), org).post(url, data)
    assert denied.status_code == 403
    assert not q(lambda: RelocationPositioning.objects.exists())

    client = client_for(member_of(org, "commission_secretary"), org)
    page = client.get(f"/operations/relogements/{operation.public_id}/")
    assert "Positionner" in page.content.decode()

    other = DwellingFactory(organization=org)  # not mobilised for the operation
    bad = client.post(url, {**data, "dwelling": other.pk})
    assert bad.status_code == 400
    assert "Ce logement n&#x27;est pas mobilisé pour l&#x27;opération." in _errors(bad)
    assert not q(lambda: RelocationPositioning.objects.exists())

    ok = client.post(url, data)
    assert ok.status_code == 302
    positioning = q(lambda: RelocationPositioning.objects.get())
    assert positioning.relocation_household_id == link.pk
    assert positioning.dwelling_id == mobilised.pk
    assert positioning.offer_id == offer.pk


def test_position_offer_of_another_household_saves_nothing(
    org: Any, member_of: Any, client_for: Any, q: Any
) -> None:
    offer = OfferFactory(organization=org)
    link = RelocationHouseholdFactory(organization=org)
    mobilised = RelocationDwellingFactory(organization=org, operation=link.operation).dwelling
    client = client_for(member_of(org, "manager"), org)
    bad = client.post(
        f"/operations/relogements/{link.operation.public_id}/positionnements/",
        {
            "link": link.pk,
            "dwelling": mobilised.pk,
            "positioned_on": "2026-03-02",
            "offer": offer.pk,
        },
    )
    assert bad.status_code == 400
    assert "Cette proposition ne concerne aucun ménage de l&#x27;opération." in _errors(bad)
    assert not q(lambda: RelocationPositioning.objects.exists())
    # An offer to another household of the same operation: the service refuses it.
    other = RelocationHouseholdFactory(organization=org, operation=link.operation)
    theirs = OfferFactory(
        organization=org, decision__candidacy__application__household=other.household
    )
    bad = client.post(
        f"/operations/relogements/{link.operation.public_id}/positionnements/",
        {
            "link": link.pk,
            "dwelling": mobilised.pk,
            "positioned_on": "2026-03-02",
            "offer": theirs.pk,
        },
    )
    assert "Cette proposition concerne un autre ménage." in _errors(bad)
    assert not q(lambda: RelocationPositioning.objects.exists())


# --- Link the accompaniment --------------------------------------------------------------------


def test_link_accompaniment(org: Any, member_of: Any, client_for: Any, q: Any) -> None:
    link = RelocationHouseholdFactory(organization=org)
    case = SocialCaseFactory(organization=org, household=link.household)
    stranger_case = SocialCaseFactory(organization=org)
    url = f"/operations/relogements/{link.operation.public_id}/accompagnements/"
    denied = client_for(member_of(org, "read_only"), org).post(
        url, {"link": link.pk, "social_case": case.pk}
    )
    assert denied.status_code == 403
    q(link.refresh_from_db)
    assert link.social_case_id is None

    client = client_for(member_of(org, "social_worker"), org)
    bad = client.post(url, {"link": link.pk, "social_case": stranger_case.pk})
    assert bad.status_code == 400
    assert "Accompagnement inconnu." in _errors(bad)
    q(link.refresh_from_db)
    assert link.social_case_id is None

    ok = client.post(url, {"link": link.pk, "social_case": case.pk})
    assert ok.status_code == 302
    q(link.refresh_from_db)
    assert link.social_case_id == case.pk


# --- Name a participant of a collective action -------------------------------------------------


def test_name_participant(org: Any, member_of: Any, client_for: Any, q: Any) -> None:
    action = CollectiveActionFactory(organization=org)
    household = HouseholdFactory(organization=org)
    url = f"/operations/actions/{action.public_id}/participants/"
    denied = client_for(member_of(org, "commission_secretary"), org).post(
        url, {"household": str(household.public_id)}
    )
    assert denied.status_code == 403
    assert not q(lambda: ActionParticipant.objects.exists())

    client = client_for(member_of(org, "social_worker"), org)
    assert (
        "Nommer le participant"
        in client.get(f"/operations/actions/{action.public_id}/").content.decode()
    )
    bad = client.post(url, {"household": "999999"})
    assert bad.status_code == 400
    assert "Aucun ménage ne correspond à « 999999 »." in _errors(bad)
    assert not q(lambda: ActionParticipant.objects.exists())

    ok = client.post(url, {"household": str(household.public_id), "back_to_work": "on"})
    assert ok.status_code == 302
    participant = q(lambda: ActionParticipant.objects.select_related("household").get())
    assert participant.household_id == household.pk and participant.back_to_work


def test_other_organizations_household_is_refused(
    org: Any, other_org: Any, member_of: Any, client_for: Any, q: Any
) -> None:
    action = CollectiveActionFactory(organization=org)
    foreign = HouseholdFactory(organization=other_org)
    client = client_for(member_of(org, "manager"), org)
    bad = client.post(
        f"/operations/actions/{action.public_id}/participants/",
        {"household": str(foreign.public_id)},
    )
    assert bad.status_code == 400
    assert not q(lambda: ActionParticipant.objects.exists())


def test_action_page_query_count_does_not_grow_with_named_participants(
    org: Any, member_of: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.operations.factories import ActionParticipantFactory

    action = CollectiveActionFactory(organization=org)
    ActionParticipantFactory(organization=org, action=action)
    client = client_for(member_of(org, "social_worker"), org)
    url = f"/operations/actions/{action.public_id}/"
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(5):
        ActionParticipantFactory(organization=org, action=action)
    with django_assert_max_num_queries(len(one)):
        assert client.get(url).status_code == 200


def test_a_household_is_found_by_name_and_an_ambiguous_name_is_explained(
    org: Any, member_of: Any, client_for: Any, q: Any
) -> None:
    from housing.services import household_reindex
    from tests.housing.factories import PersonFactory

    operation = RelocationOperationFactory(organization=org)
    for first in ("Alain", "Alice"):
        household = HouseholdFactory(organization=org, name=f"Ménage Kowalski {first}")
        PersonFactory(organization=org, household=household, first_name=first)
        q(lambda h=household: household_reindex(h))
    url = f"/operations/relogements/{operation.public_id}/menages/"
    client = client_for(member_of(org, "commission_secretary"), org)
    both = client.post(url, {"household": "kowalski"}, follow=True)
    assert "Plusieurs ménages correspondent (Ménage Kowalski Alain, Ménage Kowalski Alice)" in (
        _errors(both)
    )
    assert not q(lambda: RelocationHousehold.objects.exists())
    assert client.post(url, {"household": "kowalski alice"}).status_code == 302
    assert q(lambda: RelocationHousehold.objects.get().household.name) == "Ménage Kowalski Alice"


def test_the_relocation_page_does_not_list_the_organisations_households_or_offers(
    org: Any, member_of: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    """Its forms used to list every household and every offer of the organisation (8,136
    queries and 18 s at size M): its queries no longer grow with them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.allocations.factories import OfferFactory

    operation = RelocationOperationFactory(organization=org)
    client = client_for(member_of(org, "commission_secretary"), org)
    url = f"/operations/relogements/{operation.public_id}/"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    for _ in range(5):
        HouseholdFactory(organization=org)
        OfferFactory(organization=org)
    with django_assert_max_num_queries(len(first.captured_queries)):
        body = client.get(url).content.decode()
    assert "Nom et prénom, téléphone ou référence du ménage." in body


def test_the_relocation_page_does_not_grow_with_its_households_and_dwellings(
    org: Any, member_of: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    """Its households are listed 50 per page with their status form written once per row (a
    form instance per household rendered 630 widgets for 210 households: 800 ms at size L);
    its dwellings are read as references."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    operation = RelocationOperationFactory(organization=org)
    RelocationHouseholdFactory(organization=org, operation=operation)
    RelocationDwellingFactory(organization=org, operation=operation)
    client = client_for(member_of(org, "manager"), org)
    url = f"/operations/relogements/{operation.public_id}/"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    for _ in range(51):
        RelocationHouseholdFactory(organization=org, operation=operation)
    for role in ("concerned", "mobilised", "concerned"):
        RelocationDwellingFactory(organization=org, operation=operation, role=role)
    with django_assert_max_num_queries(len(first.captured_queries)):
        body = client.get(url).content.decode()
    assert "52 ménages" in body and "Page 1 / 2" in body
    assert body.count('name="status"') == 50
    assert "Concernés : 2" in body and "Mobilisés : 2" in body
    assert client.get(url + "?page=2").content.decode().count('name="status"') == 2


def test_each_household_is_offered_the_moves_its_status_allows(
    org: Any, member_of: Any, client_for: Any, q: Any
) -> None:
    operation = RelocationOperationFactory(organization=org)
    met = RelocationHouseholdFactory(organization=org, operation=operation, status="met")
    RelocationHouseholdFactory(
        organization=org, operation=operation, status="rehoused", rehoused_on="2026-02-01"
    )
    client = client_for(member_of(org, "social_worker"), org)
    body = client.get(f"/operations/relogements/{operation.public_id}/").content.decode()
    assert body.count('name="status"') == 1  # nothing is legal after "relogé"
    form = body[body.index(f"/operations/relogements/menages/{met.public_id}/statut/") :]
    form = form[: form.index("</form>")]
    assert '<option value="surveyed">' in form and '<option value="withdrawn">' in form
    assert '<option value="rehoused">' not in form
    assert f'for="status-{met.public_id}"' in form  # labelled, one id per row
    reader = client_for(member_of(org, "read_only"), org)
    page = reader.get(f"/operations/relogements/{operation.public_id}/").content.decode()
    assert 'name="status"' not in page


def test_a_households_row_opens_the_positioning_form_with_it_chosen(
    org: Any, member_of: Any, client_for: Any
) -> None:
    operation = RelocationOperationFactory(organization=org)
    link = RelocationHouseholdFactory(organization=org, operation=operation)
    other = RelocationHouseholdFactory(organization=org, operation=operation)
    client = client_for(member_of(org, "manager"), org)
    page = client.get(f"/operations/relogements/{operation.public_id}/").content.decode()
    url = f"/operations/relogements/{operation.public_id}/positionnements/?menage={link.public_id}"
    assert url in page
    form = client.get(url).content.decode()
    assert f'<option value="{link.pk}" selected>' in form
    assert f'<option value="{other.pk}">' in form
    assert client.get(url.replace(str(link.public_id), "nonsense")).status_code == 200
