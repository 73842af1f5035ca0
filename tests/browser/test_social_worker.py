"""Journey 1 — the social worker, on a phone and on a desktop: caseload, a misspelt search, a home
visit (keyboard only), an evaluation opening an accompaniment, an appointment, campaign calls,
and the closing of an accompaniment."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.enums import CampaignStatus
from cases.models import Intervention, SocialCase
from core.context import organization_context
from housing.services import household_reindex
from tests.browser.journeys import DESKTOP, PHONE, check_a11y, log_in, shot, status_message
from tests.cases.factories import (
    CampaignCallerFactory,
    CampaignTargetFactory,
    OutreachCampaignFactory,
    SocialCaseFactory,
)
from tests.housing.factories import HouseholdFactory, LeaseFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def caseload(org: Any, member_of: Any) -> dict[str, Any]:
    worker = member_of(org, "social_worker", user__first_name="Awa", user__last_name="Diallo")
    lefevre = HouseholdFactory(organization=org, name="Lefèvre")
    PersonFactory(organization=org, household=lefevre, first_name="Josiane", last_name="Lefèvre")
    LeaseFactory(organization=org, household=lefevre)
    with organization_context(org):
        household_reindex(lefevre)  # what the housing services do; factories do not
    followed = HouseholdFactory(organization=org, name="Martin")
    PersonFactory(organization=org, household=followed, first_name="Paul", last_name="Martin")
    running = SocialCaseFactory(organization=org, household=followed, referent=worker)
    campaign = OutreachCampaignFactory(
        organization=org, name="Plan canicule", status=CampaignStatus.ACTIVE
    )
    CampaignCallerFactory(organization=org, campaign=campaign, user=worker)
    called = []
    for name in ("Bernard", "Petit"):
        household = HouseholdFactory(organization=org, name=name)
        called.append(
            CampaignTargetFactory(
                organization=org, campaign=campaign, household=household, assigned_to=worker
            )
        )
    return {"worker": worker, "lefevre": lefevre, "running": running, "called": called}


def _tab_to(page: Page, predicate: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predicate})(document.activeElement)"):
            return
    raise AssertionError(f"Tab n'atteint pas l'élément attendu ({predicate})")


def _log_home_visit_with_the_keyboard(page: Page) -> None:
    """The intervention form, completed with Tab, arrows, typing and Enter only; a first
    submission with the duration erased shows an error announced by role=alert."""
    page.locator("body").focus()
    _tab_to(page, "el.name === 'kind'")
    for _ in range(3):  # "Appel sortant" (the default) -> "Visite à domicile" (the first)
        page.keyboard.press("ArrowUp")
    expect(page.locator(":focus")).to_have_value("home_visit")
    _tab_to(page, "el.name === 'duration_minutes'")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    _tab_to(page, "el.type === 'submit'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").first).to_contain_text("obligatoire")
    check_a11y(page)
    page.locator("body").focus()
    _tab_to(page, "el.name === 'duration_minutes'")
    page.keyboard.type("50")
    _tab_to(page, "el.name === 'subject'")
    page.keyboard.type("Visite de courtoisie")
    _tab_to(page, "el.name === 'note'")
    page.keyboard.type("Logement humide, moisissures dans la chambre.")
    _tab_to(page, "el.type === 'submit'")
    page.keyboard.press("Enter")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_social_worker_journey(
    page: Page, live_server: Any, org: Any, caseload: dict[str, Any], viewport: dict[str, int]
) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    page.set_viewport_size(viewport)
    worker, lefevre = caseload["worker"], caseload["lefevre"]
    log_in(page, live_server.url, worker.email)

    # The caseload: the running accompaniment and the campaign calls to make.
    page.goto(f"{live_server.url}/accompagnement/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon portefeuille")
    current = page.get_by_role("region", name=re.compile("Mes accompagnements en cours"))
    expect(current.get_by_role("link", name="Martin", exact=True)).to_be_visible()
    calls = page.get_by_role("region", name=re.compile("Appels de campagne"))
    expect(calls).to_contain_text("Bernard")
    check_a11y(page)
    shot(page, f"caseload-{size}")

    # A misspelt search finds "Lefèvre".
    page.goto(f"{live_server.url}/patrimoine/menages/")
    page.get_by_label("Rechercher un ménage").fill("Lefevre")
    # htmx swaps the results as one types (300 ms debounce) and pushes the URL.
    expect(page).to_have_url(re.compile(r"q=Lefevre"))
    results = page.locator("#household-results")
    expect(results.get_by_role("link", name="Lefèvre", exact=True)).to_be_visible()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    results.get_by_role("link", name="Lefèvre", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lefèvre")
    check_a11y(page)
    shot(page, f"household-{size}")
    household_url = page.url

    # A home visit with a note, keyboard only.
    page.goto(f"{live_server.url}/accompagnement/menages/{lefevre.public_id}/intervention/")
    check_a11y(page)
    _log_home_visit_with_the_keyboard(page)
    status_message(page, "Visite à domicile avec Lefèvre enregistré")
    with organization_context(org):
        visit = Intervention.objects.get(household=lefevre)
    assert visit.kind == "home_visit"
    assert visit.note == "Logement humide, moisissures dans la chambre."
    page.goto(f"{live_server.url}/accompagnement/menages/{lefevre.public_id}/")
    expect(page.get_by_text("Logement humide, moisissures dans la chambre.")).to_be_visible()
    check_a11y(page)

    # An evaluation recommending an internal accompaniment, completed: the accompaniment opens.
    page.goto(household_url)
    page.get_by_role("link", name="Évaluation sociale").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Évaluation sociale")
    check_a11y(page)
    page.get_by_label("Contexte").select_option(label="À l'attribution")
    page.get_by_label("Situation familiale et sociale").fill("Mère seule, deux enfants.")
    page.get_by_label("Préconisation").select_option(label="Accompagnement interne")
    page.get_by_label("Conclusion").fill("Accompagnement interne pour l'accès aux droits.")
    page.get_by_role("button", name=re.compile("Enregistrer")).click()
    status_message(page, "Évaluation enregistrée.")
    check_a11y(page)
    page.get_by_label("Ouvrir l'accompagnement préconisé").check()
    page.get_by_label("Accès aux droits").check()
    page.get_by_role("button", name="Terminer").click()
    status_message(page, "Évaluation terminée.")
    with organization_context(org):
        opened = SocialCase.objects.get(household=lefevre)
    assert opened.status == "open"

    # An appointment tomorrow at 10:00.
    page.goto(household_url)
    page.get_by_role("link", name="Rendez-vous", exact=True).click()
    check_a11y(page)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Type").select_option(label="Visite à domicile")
    page.get_by_label("Date et heure").fill(f"{tomorrow:%Y-%m-%d}T10:00")
    page.get_by_label("Lieu").fill("Au domicile")
    page.get_by_label("Objet").fill("Dossier FSL")
    page.get_by_role("button", name=re.compile("Enregistrer|Planifier")).click()
    expect(page).to_have_url(re.compile(r"/accompagnement/$"))
    page.goto(f"{live_server.url}/accompagnement/rendez-vous/")
    planned = page.get_by_role("row").filter(has_text="Lefèvre")
    expect(planned).to_contain_text(f"{tomorrow:%d/%m/%Y} 10:00")
    expect(page.get_by_role("main")).to_contain_text("Lefèvre")
    check_a11y(page)

    # Campaign calls from the caseload: one reached, one not reached.
    page.goto(f"{live_server.url}/accompagnement/")
    for name, result in (("Bernard", "Joint"), ("Petit", "Non joint")):
        page.get_by_role("link", name=f"Noter l'appel à {name}").click()
        form = page.locator("form").filter(has_text=f"Appel à {name}")
        form.get_by_label(result, exact=True).check()
        form.get_by_label("Note confidentielle").fill(f"Appel à {name}.")
        form.get_by_role("button", name="Enregistrer l'appel").click()
        status_message(page, f"Appel à {name} enregistré : {result.lower()}")
    check_a11y(page)
    with organization_context(org):
        statuses = sorted(
            target.__class__.objects.get(pk=target.pk).status for target in caseload["called"]
        )
    assert statuses == ["not_reached", "reached"]

    # Close the running accompaniment.
    page.goto(f"{live_server.url}/accompagnement/")
    page.get_by_role("region", name=re.compile("Mes accompagnements en cours")).get_by_role(
        "link", name="Martin", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accompagnement — Martin")
    check_a11y(page)
    page.get_by_role("link", name="Clore").click()
    check_a11y(page)
    page.get_by_label("Issue").select_option(label="Objectifs atteints")
    page.get_by_role("button", name=re.compile("Clore|Enregistrer")).click()
    expect(page.get_by_role("main")).to_contain_text(re.compile("Clos|clos"))
    with organization_context(org):
        assert SocialCase.objects.get(pk=caseload["running"].pk).status == "closed"
