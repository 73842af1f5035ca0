"""Journey 4 — the arrears officer: a new case opened by the daily detection, the CAF report, a
repayment plan, and the breach alert once instalments go unpaid."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from arrears import services
from arrears.models import RepaymentPlan
from core.context import organization_context
from tests.arrears.factories import AccountStatementFactory
from tests.browser.journeys import DESKTOP, check_a11y, log_in, shot, status_message
from tests.housing.factories import HouseholdFactory, LeaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _months_ago(n: int) -> datetime.date:
    first = timezone.localdate().replace(day=1)
    for _ in range(n):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


@pytest.fixture
def arrears(org: Any, member_of: Any) -> dict[str, Any]:
    officer = member_of(org, "arrears_officer")
    household = HouseholdFactory(organization=org, name="Girard")
    lease = LeaseFactory(organization=org, household=household)
    # Three months unpaid: 330 € net a month, no payment.
    for i, n in enumerate((3, 2, 1)):
        AccountStatementFactory(
            organization=org,
            lease=lease,
            month=_months_ago(n),
            payments=Decimal("0.00"),
            balance=Decimal("330.00") * (i + 1),
        )
    return {"officer": officer, "household": household, "lease": lease}


def test_arrears_officer_journey(
    page: Page, live_server: Any, org: Any, arrears: dict[str, Any]
) -> None:
    # The daily detection (a periodic task) opens the case.
    with organization_context(org):
        assert services.arrears_detect(organization=org)["opened"] == 1
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, arrears["officer"].email)

    page.goto(f"{live_server.url}/impayes/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Vos dossiers : 1 en cours")
    check_a11y(page)
    page.goto(f"{live_server.url}/impayes/dossiers/")
    check_a11y(page)
    page.get_by_role("link", name=re.compile("Girard")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Girard")
    check_a11y(page)

    # The CAF report.
    steps = page.locator("form", has=page.get_by_role("button", name="Enregistrer l'étape"))
    steps.get_by_label("Étape").select_option(label="Signalement à la CAF/MSA")
    steps.get_by_role("button", name="Enregistrer l'étape").click()
    status_message(page, "Étape enregistrée.")
    expect(page.get_by_role("region", name="Procédure")).to_contain_text("CAF")

    # A repayment plan signed two months ago, 100 € a month.
    plan = page.locator("form", has=page.get_by_role("button", name="Générer l'échéancier"))
    plan.get_by_label("Mensualité (€)").fill("100")
    plan.get_by_label("Première échéance (mois)").fill(f"{_months_ago(2):%Y-%m}")
    plan.get_by_label("Signé le").fill(f"{_months_ago(2):%Y-%m-%d}")
    plan.get_by_label("Validé par").select_option(label="Bailleur")
    plan.get_by_role("button", name="Générer l'échéancier").click()
    status_message(page, "Plan d'apurement enregistré et échéancier généré.")
    expect(page.get_by_role("region", name="Plans d'apurement")).to_contain_text("100")
    check_a11y(page)

    # The instalments go unpaid: the nightly matching breaches the plan; the dashboard says so.
    with organization_context(org):
        assert services.plans_match_payments(organization=org)["breached"] == 1
        assert RepaymentPlan.objects.get().status == "breached"
    page.goto(f"{live_server.url}/impayes/")
    breach = page.get_by_role("region", name="Plans d'apurement non respectés")
    expect(breach.get_by_role("link", name="Girard")).to_be_visible()
    check_a11y(page)
    shot(page, "arrears-dashboard")
    breach.get_by_role("link", name="Girard").click()
    expect(page.get_by_role("main")).to_contain_text("Non respecté (constaté le")
    expect(page.get_by_role("main")).to_contain_text("Impayée")
    check_a11y(page)
