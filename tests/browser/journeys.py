"""Shared steps of the browser journeys: log in, check a page with axe-core, take a picture."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.organizations.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "var" / "node" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "var" / "screenshots"
NAV_TIMEOUT = 20_000
JOB_TIMEOUT = 60_000
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def log_in(page: Page, base_url: str, email: str) -> None:
    page.set_default_navigation_timeout(NAV_TIMEOUT)
    page.set_default_timeout(NAV_TIMEOUT)
    with_axe(page)
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    check_a11y(page)


def with_axe(page: Page) -> None:
    """Load axe-core in every page of this browser context. An init script is not subject to
    the page's Content-Security-Policy (script-src 'self'), which stays enforced."""
    if not AXE.exists():
        raise AssertionError(f"axe-core absent ({AXE}) : lancer bin/fetch-axe")
    if not getattr(page.context, "_parcours_axe", False):
        page.context.add_init_script(path=str(AXE))
        page.context._parcours_axe = True  # type: ignore[attr-defined]


def check_a11y(page: Page) -> None:
    """axe-core on the current page: no serious or critical violation (WCAG 2 A/AA rules)."""
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.axe !== 'undefined'"), "axe-core non chargé (with_axe)"
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                resultTypes: ['violations'],
            });
            return r.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' +
                                   (n.failureSummary || '').slice(0, 200))}));
        }"""
    )
    assert result == [], f"axe sur {page.url} :\n" + json.dumps(
        result, indent=1, ensure_ascii=False
    )


def shot(page: Page, name: str, *, full_page: bool = False) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def visit(page: Page, url: str, heading: str | re.Pattern[str]) -> None:
    """Open a page by its URL and check its title heading, then axe."""
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    check_a11y(page)


def status_message(page: Page, text: str) -> Any:
    message = page.get_by_role("status").filter(has_text=text)
    expect(message).to_be_visible()
    return message
