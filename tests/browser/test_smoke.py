"""The smoke journey in a real browser: log in, switch organisation, see the role's navigation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.organizations.factories import PASSWORD, MembershipFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_hats(org: Any, other_org: Any, member_of: Any) -> Any:
    """A manager of `org` (Habitat Test) who is a social worker at `other_org` (Autre Bailleur)."""
    TerritoryFactory(organization=org, name="Lorraine")
    user = member_of(org, "manager")
    MembershipFactory(organization=other_org, user=user, role="social_worker")
    return user


def _log_in(page: Page, live_server: Any, email: str) -> None:
    page.goto(f"{live_server.url}/connexion/")
    expect(page).to_have_title(re.compile("Connexion"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")


def _main_nav(page: Page) -> Any:
    return page.get_by_role("navigation", name="Navigation principale")


def test_log_in_switch_organization_and_see_the_roles_navigation(
    page: Page, live_server: Any, org: Any, other_org: Any, two_hats: Any
) -> None:
    _log_in(page, live_server, two_hats.email)
    # The stylesheet and the script are served (no CDN): the skip link is styled off-screen.
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == (
        "absolute"
    )
    switcher = page.get_by_label("Organisation")
    expect(switcher).to_be_visible()

    switcher.select_option(label=org.name)  # parcours.js submits the form on change
    expect(page.locator(".lead")).to_have_text(f"{org.name} · Responsable")
    expect(_main_nav(page).get_by_role("link", name="Équipe")).to_be_visible()
    expect(_main_nav(page).get_by_role("link", name="Paramètres")).to_be_visible()
    page.get_by_role("status").filter(has_text="Vous travaillez maintenant pour").wait_for()

    page.get_by_label("Organisation").select_option(label=other_org.name)
    expect(page.locator(".lead")).to_have_text(f"{other_org.name} · Conseiller(ère) social(e)")
    expect(_main_nav(page).get_by_role("link", name="Accueil")).to_be_visible()
    expect(_main_nav(page).get_by_role("link", name="Équipe")).to_have_count(0)
    expect(_main_nav(page).get_by_role("link", name="Paramètres")).to_have_count(0)


def test_the_organization_switcher_works_without_javascript(
    browser: Any, live_server: Any, org: Any, other_org: Any, two_hats: Any
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        _log_in(page, live_server, two_hats.email)
        page.get_by_label("Organisation").select_option(label=org.name)
        page.get_by_role("button", name="Changer").click()
        expect(page.locator(".lead")).to_have_text(f"{org.name} · Responsable")
    finally:
        context.close()


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(
    page: Page, live_server: Any, two_hats: Any
) -> None:
    _log_in(page, live_server, two_hats.email)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(page.locator("#contenu")).to_be_focused()


def test_the_page_icon_is_a_static_file_not_a_request_to_the_application(
    page: Page, live_server: Any, two_hats: Any
) -> None:
    """Without a declared icon the browser asks for /favicon.ico after every page: a 404
    through every middleware (session, user, organisation) for nothing."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    _log_in(page, live_server, two_hats.email)
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon is not None and icon.endswith(".svg")
    assert page.request.get(f"{live_server.url}{icon}").status == 200
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if url.endswith("/favicon.ico")], requested
