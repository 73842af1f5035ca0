"""Journey 6 — the partner under mandate (seed 002): an association's social worker finds the
landlord's household in the search box, reads its file and the landlord's note, logs a home
visit with a note (keyboard and labels); the landlord's social worker sees it, attributed; the
landlord's administrator revokes the mandate and the partner's next request is "Page
introuvable". axe-core on every page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from core.context import organization_context
from housing.services import household_reindex
from privacy import partners
from tests.browser.journeys import DESKTOP, check_a11y, log_in, status_message
from tests.cases.factories import InterventionFactory
from tests.housing.factories import LeaseFactory, PersonFactory
from tests.organizations.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mandate(org: Any, member_of: Any) -> dict[str, Any]:
    partner = OrganizationFactory(name="AMLI", slug="amli", kind="association")
    admin = member_of(org, "org_admin", user__first_name="Inès", user__last_name="Admin")
    landlord_worker = member_of(org, "social_worker")
    partner_worker = member_of(partner, "social_worker", user__first_name="Nadia")
    household = LeaseFactory(organization=org, household__name="Ménage Kessler").household
    PersonFactory(organization=org, household=household, first_name="Yves", last_name="Kessler")
    InterventionFactory(organization=org, household=household, note="Note du bailleur")
    with organization_context(org, user=admin):
        household_reindex(household)
        partners.partner_grant_create(
            organization=org,
            partner_organization=partner,
            scope="households",
            households=[household],
            permissions=["read_file", "log_interventions", "read_notes", "write_notes"],
            valid_from=datetime.date(2025, 1, 1),
            mandate_reference="MANDAT-AMLI-7",
            acting_user=admin,
        )
    return {
        "household": household,
        "admin": admin,
        "landlord_worker": landlord_worker,
        "partner_worker": partner_worker,
    }


def test_the_partner_works_under_mandate_until_revoked(
    browser: Browser, live_server: Any, mandate: dict[str, Any]
) -> None:
    base = live_server.url
    partner_page = browser.new_context(viewport=DESKTOP).new_page()
    log_in(partner_page, base, mandate["partner_worker"].email)
    partner_page.goto(f"{base}/patrimoine/menages/")
    partner_page.get_by_label("Rechercher un ménage").fill("kessler")
    partner_page.get_by_label("Rechercher un ménage").press("Enter")
    expect(partner_page.get_by_text("Ménage de Habitat Test — mandat")).to_be_visible()
    check_a11y(partner_page)
    partner_page.get_by_role("link", name="Ménage Kessler").click()
    expect(partner_page.get_by_role("heading", level=1)).to_have_text("Ménage Kessler")
    expect(partner_page.get_by_text("consulté au titre de son mandat")).to_be_visible()
    expect(partner_page.get_by_text("Note du bailleur")).to_be_visible()
    check_a11y(partner_page)

    partner_page.get_by_label("Type").select_option("home_visit")
    partner_page.get_by_label("Objet").fill("Visite de l'association")
    partner_page.get_by_label("Note confidentielle").fill("Note de l'association")
    partner_page.get_by_label("Note confidentielle").press("Tab")  # to the form's button
    focused = partner_page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Enregistrer l'intervention"
    partner_page.keyboard.press("Enter")
    status_message(partner_page, "Intervention enregistrée dans le dossier du bailleur")
    expect(partner_page.get_by_text("Note de l'association")).to_be_visible()
    check_a11y(partner_page)
    file_url = partner_page.url

    landlord_page = browser.new_context(viewport=DESKTOP).new_page()
    log_in(landlord_page, base, mandate["landlord_worker"].email)
    landlord_page.goto(f"{base}/patrimoine/menages/{mandate['household'].public_id}/")
    expect(landlord_page.get_by_text("AMLI (mandat MANDAT-AMLI-7)")).to_be_visible()
    check_a11y(landlord_page)

    admin_page = browser.new_context(viewport=DESKTOP).new_page()
    log_in(admin_page, base, mandate["admin"].email)
    admin_page.goto(f"{base}/donnees-personnelles/mandats/")
    check_a11y(admin_page)
    admin_page.get_by_role("button", name="Révoquer").click()
    status_message(admin_page, "Accès révoqué")

    partner_page.goto(file_url)
    expect(partner_page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
