"""Journey 5 — isolation in the browser: a user of another organisation pasting the URLs of the
journeys gets "Page introuvable"; a commission member never sees a social note."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.allocations.conftest import World
from tests.arrears.factories import ArrearsCaseFactory
from tests.browser.journeys import DESKTOP, check_a11y, log_in
from tests.cases.factories import (
    CampaignTargetFactory,
    EvaluationFactory,
    InterventionFactory,
    SocialCaseFactory,
)
from tests.organizations.factories import MembershipFactory
from tests.reporting.factories import ReportJobFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRETS = ("SECRET note d'intervention", "Note confidentielle du suivi", "SECRET situation")


@pytest.fixture
def landlord(org: Any, member_of: Any) -> dict[str, Any]:
    world = World(org, member_of(org, "commission_secretary"))
    session, item, candidacies = world.prepared()
    household = candidacies[0].application.household
    social_case = SocialCaseFactory(organization=org, household=household)
    intervention = InterventionFactory(organization=org, household=household)
    evaluation = EvaluationFactory(organization=org, household=household)
    target = CampaignTargetFactory(organization=org, household=household)
    arrears = ArrearsCaseFactory(organization=org)
    report = ReportJobFactory(organization=org)
    h, s = household.public_id, session.public_id
    urls = {
        "social_worker": [
            f"/patrimoine/menages/{h}/",
            f"/accompagnement/menages/{h}/",
            f"/accompagnement/menages/{h}/intervention/",
            f"/accompagnement/menages/{h}/evaluation/",
            f"/accompagnement/menages/{h}/rendez-vous/",
            f"/accompagnement/interventions/{intervention.public_id}/",
            f"/accompagnement/evaluations/{evaluation.public_id}/",
            f"/accompagnement/suivis/{social_case.public_id}/",
            f"/accompagnement/suivis/{social_case.public_id}/clore/",
            f"/accompagnement/campagnes/{target.campaign.public_id}/",
            f"/accompagnement/appels/{target.public_id}/",
        ],
        "manager": [
            f"/attributions/seances/{s}/",
            f"/attributions/seances/{s}/presences/",
            f"/attributions/logements/{item.public_id}/assistant/",
            f"/attributions/logements/{item.public_id}/decisions/",
            f"/attributions/logements/{item.public_id}/proposition/",
            f"/attributions/candidatures/{candidacies[0].public_id}/fiche/",
            f"/rapports/{report.public_id}/",
        ],
        "arrears_officer": [
            f"/impayes/dossiers/{arrears.public_id}/",
        ],
    }
    return {
        "world": world,
        "session": session,
        "candidacies": candidacies,
        "urls": urls,
        "household": household,
    }


def test_another_organisation_gets_not_found_pages(
    browser: Browser, live_server: Any, other_org: Any, landlord: dict[str, Any]
) -> None:
    for role, urls in landlord["urls"].items():
        intruder = MembershipFactory(organization=other_org, role=role).user
        context = browser.new_context(locale="fr-FR", viewport=DESKTOP)
        page = context.new_page()
        try:
            log_in(page, live_server.url, intruder.email)
            for url in urls:
                response = page.goto(f"{live_server.url}{url}")
                assert response is not None and response.status == 404, (role, url)
                expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
                for secret in SECRETS:
                    expect(page.get_by_text(secret)).to_have_count(0)
            check_a11y(page)
        finally:
            context.close()


def test_a_commission_member_never_sees_a_social_note(
    browser: Browser, live_server: Any, org: Any, landlord: dict[str, Any]
) -> None:
    member = MembershipFactory(organization=org, role="commission_member").user
    context = browser.new_context(locale="fr-FR", viewport=DESKTOP)
    page = context.new_page()
    try:
        log_in(page, live_server.url, member.email)
        session_url = f"{live_server.url}/attributions/seances/{landlord['session'].public_id}/"
        page.goto(session_url)
        check_a11y(page)
        name = landlord["household"].name
        page.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_a11y(page)
        for url in (
            page.url,
            session_url,
            f"{live_server.url}/accompagnement/menages/{landlord['household'].public_id}/",
            f"{live_server.url}/patrimoine/menages/{landlord['household'].public_id}/",
        ):
            response = page.goto(url)
            assert response is not None and response.status in (200, 403, 404), url
            body = page.locator("body").inner_text()
            for secret in SECRETS:
                assert secret not in body, (url, secret)
    finally:
        context.close()
