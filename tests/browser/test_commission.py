"""Journey 2 — the commission secretary: a session, two vacant dwellings, three candidates each
with the assistant, attendance, decisions of every kind, the minutes PDF, the offer, a refusal,
the dwelling passing to rank 2, acceptance and the signed lease."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from allocations.models import Offer
from core.context import organization_context
from tests.allocations.conftest import World
from tests.allocations.factories import ApplicationPriorityFactory
from tests.browser.journeys import check_a11y, log_in, shot, status_message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FUTURE = datetime.date(2030, 6, 1)


@pytest.fixture
def world(org: Any, member_of: Any) -> World:
    world = World(org, member_of(org, "commission_secretary"))
    world.dwellings = [world.dwelling(reference="LOG-A1"), world.dwelling(reference="LOG-B2")]
    world.applications = []
    for i, name in enumerate(["Lefèvre", "Nguyen", "Benali", "Moreau", "Da Silva", "Keller"]):
        application = world.application(household__name=name, expires_on=FUTURE, score=300 - 10 * i)
        world.applications.append(application)
    ApplicationPriorityFactory(organization=org, application=world.applications[0])
    return world


def _session_page(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text("CALEOL Lorraine — séance du")


def _decide(page: Page, household: str, kind: str, **fields: str) -> None:
    box = page.get_by_role("group", name=re.compile(household))
    box.get_by_label("Décision").select_option(label=kind)
    for label, value in fields.items():
        field = box.get_by_label(label, exact=True)
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(index=1)
        else:
            field.fill(value)


def _answer(page: Page, household: str, action: str, reason: str | None = None) -> None:
    row = page.get_by_role("row", name=re.compile(household))
    row.get_by_label("Réponse").select_option(label=action)
    if reason:
        row.get_by_label("Motif du refus").select_option(index=1)
    row.get_by_role("button", name="Enregistrer").click()
    status_message(page, "Réponse enregistrée.")


def test_commission_secretary_journey(page: Page, live_server: Any, org: Any, world: World) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, world.user.email)

    # A new session.
    page.goto(f"{live_server.url}/attributions/seances/nouvelle/")
    check_a11y(page)
    page.get_by_label("Commission").select_option(label="CALEOL Lorraine")
    when = timezone.localdate() + datetime.timedelta(days=3)
    page.get_by_label("Date et heure").fill(f"{when:%Y-%m-%d}T14:00")
    page.get_by_label("Lieu").fill("Siège, salle du conseil")
    page.get_by_role("button", name=re.compile("Enregistrer|Créer")).click()
    status_message(page, "Séance créée.")
    _session_page(page)
    session_url = page.url

    # Two vacant dwellings, three candidates each with the assistant.
    names = [a.household.name for a in world.applications]
    for index, dwelling in enumerate(world.dwellings):
        page.goto(session_url)
        page.get_by_role("link", name="Ajouter un logement").click()
        check_a11y(page)
        page.get_by_label("Logement vacant").select_option(value=str(dwelling.pk))
        page.get_by_role("button", name=re.compile("Enregistrer|Ajouter")).click()
        status_message(page, "Logement ajouté à l'ordre du jour.")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Assistant de sélection — {dwelling.reference}"
        )
        table = page.get_by_role("table", name=re.compile("Demandes actives compatibles"))
        # Priorities and effort rates are shown for each matching demand.
        expect(table.get_by_role("columnheader", name="Taux d'effort")).to_be_visible()
        expect(table.get_by_role("row", name=re.compile("Lefèvre"))).to_contain_text(
            re.compile(r"\d+(,\d+)? %")
        )
        if index == 0:
            check_a11y(page)
            shot(page, "assistant")
            # The demand with a labelled priority shows it.
            expect(table.get_by_role("row", name=re.compile("Lefèvre"))).not_to_contain_text(
                re.compile(r"mois\s*$")
            )
        for name in names[3 * index : 3 * index + 3]:
            application = next(a for a in world.applications if a.household.name == name)
            page.get_by_role("button", name=f"Présenter {application.registration_number}").click()
            status_message(page, f"Demande {application.registration_number} présentée.")
        presented = page.get_by_role("heading", name="Candidats présentés").locator(
            "xpath=following-sibling::ul[1]"
        )
        expect(presented.get_by_role("listitem")).to_have_count(3)
        expect(presented).to_contain_text("taux d'effort")

    # Agenda, attendance, session held.
    page.goto(session_url)
    page.get_by_role("button", name="Publier l'ordre du jour").click()
    status_message(page, "Séance mise à jour.")
    page.get_by_role("link", name="Saisir les présences").click()
    check_a11y(page)
    page.get_by_role("button", name=re.compile("Enregistrer")).click()
    status_message(page, "Présences enregistrées.")
    page.get_by_label("Président(e) de séance").fill("Administrateur 0")
    page.get_by_role("button", name="Séance tenue").click()
    status_message(page, "Séance mise à jour.")
    check_a11y(page)
    shot(page, "commission-session")

    # Decisions of each kind: ranked (twice) and non-attribution for A; attribution,
    # conditional, rejection for B.
    for index, decided in enumerate(
        [
            [
                (names[0], "Attribution avec rang", {"Rang": "1"}),
                (names[1], "Attribution avec rang", {"Rang": "2"}),
                (names[2], "Non-attribution", {"Motifs": "Ressources insuffisantes."}),
            ],
            [
                (names[3], "Attribution", {}),
                (
                    names[4],
                    "Attribution sous condition suspensive",
                    {"Pièce manquante": "", "Date limite": "2030-01-15", "Rang": "2"},
                ),
                (
                    names[5],
                    "Rejet pour irrecevabilité",
                    {"Motifs": "Titre de séjour absent.", "Fondement juridique": "CCH R441-1"},
                ),
            ],
        ]
    ):
        page.goto(session_url)
        page.get_by_role("link", name="Saisir les décisions").nth(index).click()
        for household, kind, fields in decided:
            _decide(page, household, kind, **fields)
        check_a11y(page)
        page.get_by_role("button", name="Enregistrer les décisions").click()
        status_message(page, "Décisions enregistrées")
    for label in (
        "Attribution avec rang",
        "Non-attribution",
        "Attribution sous condition suspensive",
        "Rejet pour irrecevabilité",
    ):
        expect(page.get_by_role("main")).to_contain_text(label)

    # Close the decisions, sign the minutes, download the PDF and read it.
    page.get_by_role("button", name="Clore la saisie des décisions").click()
    status_message(page, "Séance mise à jour.")
    page.get_by_label("Président(e) signataire").fill("Administrateur 0")
    page.get_by_role("button", name="Signer le procès-verbal").click()
    status_message(page, "Séance mise à jour.")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Procès-verbal")).first.click()
    with open(download_info.value.path(), "rb") as handle:
        pdf = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "CALEOL Lorraine" in text
    for name in names:
        assert name in text

    # The offer goes to rank 1, who refuses; the dwelling passes to rank 2, who accepts and
    # signs the lease.
    first = page.get_by_role("article").filter(has_text="LOG-A1")
    first.get_by_role("link", name="Proposer au rang suivant").click()
    check_a11y(page)
    # The date input does not show its initial value (DateInput without an ISO format).
    page.get_by_label("Notifiée le").fill(f"{timezone.localdate():%Y-%m-%d}")
    page.get_by_role("button", name=re.compile("Enregistrer|Proposer")).click()
    status_message(page, "Proposition faite")
    page.goto(f"{live_server.url}/attributions/propositions/")
    check_a11y(page)
    _answer(page, names[0], "Refusée", reason="yes")
    expect(page.get_by_role("row", name=re.compile(names[0]))).to_contain_text("Refusée")

    # The refusal passes the dwelling to rank 2 at once: a new offer is pending.
    page.goto(session_url)
    first = page.get_by_role("article").filter(has_text="LOG-A1")
    expect(first.get_by_role("listitem")).to_have_count(2)
    expect(first.get_by_role("listitem").filter(has_text="Refusée")).to_have_count(1)
    expect(first.get_by_role("listitem").filter(has_text="En attente de réponse")).to_have_count(1)
    expect(first.get_by_role("link", name="Proposer au rang suivant")).to_have_count(0)
    page.goto(f"{live_server.url}/attributions/propositions/")
    second = page.get_by_role("row", name=re.compile(names[1]))
    expect(second).to_contain_text("En attente de réponse")
    expect(second.get_by_role("cell").nth(2)).to_have_text("2")
    _answer(page, names[1], "Acceptée")
    expect(page.get_by_role("row", name=re.compile(names[1]))).to_contain_text("Acceptée")
    _answer(page, names[1], "Bail signé")
    expect(page.get_by_role("row", name=re.compile(names[1]))).to_contain_text("Bail signé")
    with organization_context(org):
        statuses = sorted(Offer.objects.values_list("status", flat=True))
    assert statuses == ["lease_signed", "refused"]
