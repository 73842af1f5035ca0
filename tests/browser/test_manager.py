"""Journey 3 — the manager: the dashboard, the yearly report requested, its progress watched, the
PDF downloaded and read, a table exported as CSV, the quotas."""

from __future__ import annotations

import io
import re
import subprocess
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.journeys import (
    DESKTOP,
    JOB_TIMEOUT,
    SHOTS,
    check_a11y,
    log_in,
    shot,
    status_message,
)
from tests.housing.factories import LeaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_journey(
    page: Page, live_server: Any, org: Any, member_of: Any, report_worker: Any
) -> None:
    manager = member_of(org, "manager")
    LeaseFactory(organization=org)
    year = timezone.localdate().year - 1
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, manager.email)
    shot(page, "manager-home")

    # The indicators dashboard, and one table exported as CSV.
    page.goto(f"{live_server.url}/rapports/indicateurs/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indicateurs")
    check_a11y(page)
    shot(page, "manager-dashboard")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^CSV")).first.click()
    with open(download_info.value.path(), encoding="utf-8-sig") as handle:
        csv_text = handle.read()
    assert len(csv_text.splitlines()) >= 2, csv_text
    assert ";" in csv_text.splitlines()[0] or "," in csv_text.splitlines()[0]

    # The yearly report: requested, its progress watched (htmx polling), then downloaded.
    page.goto(f"{live_server.url}/rapports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapports d'activité")
    check_a11y(page)
    page.get_by_label("Année").select_option(str(year))
    page.get_by_role("button", name="Demander le rapport").click()
    status_message(page, "Rapport demandé")
    status = page.locator("#job-status")
    expect(status).to_have_attribute("aria-live", "polite")
    check_a11y(page)
    download = page.get_by_role("link", name=re.compile("Télécharger le PDF"))
    expect(download).to_be_visible(timeout=JOB_TIMEOUT)
    check_a11y(page)
    with page.expect_download() as download_info:
        download.click()
    pdf_path = download_info.value.path()
    with open(pdf_path, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert org.name in text
    assert str(year) in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf_path),
            str(SHOTS / "report-pdf"),
        ],
        check=True,
        timeout=60,
    )

    # The quotas.
    response = page.goto(f"{live_server.url}/quotas/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(page)
    shot(page, "quotas")
