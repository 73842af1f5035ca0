"""The secretaries' home panel: the sessions in preparation and what awaits them."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_the_home_panel_lists_the_sessions_in_preparation_and_the_counts(
    world: Any, client_for: Any
) -> None:
    session = world.session()
    world.application()
    page = client_for(world.user, world.org).get("/").content.decode()
    panel = page[page.index('id="panel-allocations"') :]
    panel = panel[: panel.index("</section>")]
    assert f"Séance du {timezone.localtime(session.scheduled_at):%d/%m/%Y}" in panel
    assert "Aucune séance en préparation" not in panel
    assert "<li>0 séance(s) à clore</li>" in panel
    assert "<li>0 proposition(s) en attente de réponse</li>" in panel
