from __future__ import annotations

import datetime
from typing import Any

import pytest

from allocations.imports import applications_import
from allocations.models import HousingApplication
from core.context import organization_context
from core.imports import ImportFailed
from tests.housing.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

HEADER = "numero_unique;ref_menage;date_depot;date_renouvellement;type;motif_mutation;communes;typologies;adultes;enfants;ressources_mensuelles;revenu_fiscal;epci;cotation;priorites;source_priorite\n"


def test_import_creates_then_updates_without_duplicates(world: Any) -> None:
    HouseholdFactory(organization=world.org, external_ref="M001")
    HouseholdFactory(organization=world.org, external_ref="M002")
    content = (
        HEADER
        + "05726250000001;M001;15/01/2025;;new;;57463|57672;T2|T3;2;1;1650,00;19800;200039865;152,5;dalo;dalo_commission\n"
        + "05726250000002;M002;2025-03-02;;transfer;under_occupation;;T2;1;0;900;10800;200039865;88;;\n"
    ).encode()
    with organization_context(world.org, user=world.user):
        result = applications_import(
            organization=world.org, content=content, imported_by=world.user
        )
        assert result.counts == {"created": 2}
        first = HousingApplication.objects.get(registration_number="05726250000001")
        assert first.priority_level == 2 and first.desired_communes == ["57463", "57672"]
        assert first.expires_on == datetime.date(2026, 1, 15)
        again = content.replace(b";152,5;", b";160;")
        result = applications_import(organization=world.org, content=again, imported_by=world.user)
        assert result.counts == {"updated": 2}
        assert HousingApplication.objects.count() == 2
        assert HousingApplication.objects.get(registration_number="05726250000001").score == 160


def test_a_bad_file_applies_nothing_and_names_lines(world: Any) -> None:
    HouseholdFactory(organization=world.org, external_ref="M001")
    content = (
        HEADER
        + "05726250000001;M001;15/01/2025;;new;;57463;T2;2;1;1650;19800;;;;\n"
        + "05726250000002;INCONNU;15/01/2025;;new;;57463;T9;1;0;900;;;;;\n"
    ).encode()
    with organization_context(world.org, user=world.user):
        with pytest.raises(ImportFailed) as failure:
            applications_import(organization=world.org, content=content, imported_by=world.user)
        assert HousingApplication.objects.count() == 0
    assert any(e.line == 3 and e.column == "typologies" for e in failure.value.errors)


def test_import_page_for_managers_only(world: Any, client_for: Any, member_of: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    HouseholdFactory(organization=world.org, external_ref="M001")
    manager = member_of(world.org, "manager")
    content = (
        HEADER + "05726250000009;M001;15/01/2025;;new;;57463;T2;2;1;1650;19800;;;;\n"
    ).encode()
    denied = client_for(world.user, world.org).post(
        "/attributions/demandes/import/", {"file": SimpleUploadedFile("d.csv", content)}
    )
    assert denied.status_code == 403
    with organization_context(world.org):
        assert HousingApplication.objects.count() == 0
    response = client_for(manager, world.org).post(
        "/attributions/demandes/import/", {"file": SimpleUploadedFile("d.csv", content)}
    )
    assert response.status_code == 302
    with organization_context(world.org):
        assert HousingApplication.objects.count() == 1
