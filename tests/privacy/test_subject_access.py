"""Subject access: every category of the person's data, nobody else's; notes withheld."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.urls import reverse

from core.models import AccessEvent
from privacy import subject_access
from tests.housing.factories import HouseholdFactory, IncomeFactory, LeaseFactory, PersonFactory
from tests.privacy.factories import ConsentRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(org: Any) -> dict[str, Any]:
    lease = LeaseFactory(organization=org, household__name="Ménage Durand")
    household = lease.household
    marie = PersonFactory(
        organization=org, household=household, first_name="Marie", last_name="Durand"
    )
    paul = PersonFactory(
        organization=org,
        household=household,
        first_name="Paulo",
        last_name="Zorglub",
        relationship="spouse",
        birth_date=datetime.date(1979, 2, 3),
    )
    IncomeFactory(organization=org, person=marie, declared_monthly_amount="1234.56")
    IncomeFactory(organization=org, person=paul, declared_monthly_amount="987.65")
    ConsentRecordFactory(
        organization=org, household=household, person=paul, detail="Consentement de Paulo"
    )
    # Another household of the organisation: never in the export.
    HouseholdFactory(organization=org, name="Ménage Voisin")
    return {"household": household, "marie": marie, "paul": paul, "lease": lease}


def _flat(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)


def test_household_export_has_every_category_of_the_household(
    org: Any, in_org: Any, family: Any
) -> None:
    with in_org(org):
        data = subject_access.collect(household=family["household"])
    keys = {category["key"] for category in data["categories"]}
    assert {
        "housing.Household",
        "housing.Person",
        "housing.Income",
        "housing.Lease",
        "privacy.ConsentRecord",
    } <= keys
    text = _flat(data)
    assert "1234.56" in text and "987.65" in text
    assert "Ménage Voisin" not in text


def test_person_export_leaves_out_the_other_members_own_data(
    org: Any, in_org: Any, family: Any
) -> None:
    with in_org(org):
        data = subject_access.collect(household=family["household"], person=family["marie"])
    text = _flat(data)
    assert "Marie" in text and "1234.56" in text
    assert "Zorglub" not in text and "987.65" not in text and "Consentement de Paulo" not in text
    assert "1979-02-03" not in text


def test_every_model_about_a_household_is_exported_or_deliberately_excluded() -> None:
    from django.apps import apps

    exported = {model._meta.label for model, _, _ in subject_access.exported_models()}
    for model in apps.get_models():
        fields = {getattr(f, "related_model", None) for f in model._meta.concrete_fields}
        labels = {m._meta.label for m in fields if m is not None}
        if labels & {"housing.Household", "housing.Person"}:
            assert model._meta.label in exported | subject_access.EXCLUDED_MODELS, model


def test_working_notes_are_withheld_and_counted(org: Any, in_org: Any) -> None:
    from django.db import models

    class Fake:
        _meta = type(
            "Meta",
            (),
            {"concrete_fields": [models.TextField(name="note"), models.CharField(name="name")]},
        )

    assert subject_access.withheld_fields(Fake) == ["note"]  # type: ignore[arg-type]


def test_the_person_pdf_is_readable_and_the_export_is_logged(
    client_for: Any, org: Any, member_of: Any, in_org: Any, family: Any
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    manager = member_of(org, "manager")
    url = reverse("privacy:subject_access_person", args=[family["marie"].public_id])
    response = client_for(manager, org).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Vos données personnelles" in text and "Marie" in text and "Zorglub" not in text
    with in_org(org):
        event = AccessEvent.objects.get(object_id=family["marie"].public_id)
    assert (
        event.action == AccessEvent.Action.EXPORT
        and event.household_id == family["household"].public_id
    )


def test_household_json_for_the_record(
    client_for: Any, org: Any, member_of: Any, family: Any
) -> None:
    manager = member_of(org, "manager")
    url = reverse("privacy:subject_access_household", args=[family["household"].public_id])
    response = client_for(manager, org).get(url)
    assert response.status_code == 200
    assert response.json()["scope"] == "household"


def test_a_social_worker_cannot_export(
    client_for: Any, org: Any, member_of: Any, family: Any
) -> None:
    worker = member_of(org, "social_worker")
    url = reverse("privacy:subject_access_household", args=[family["household"].public_id])
    assert client_for(worker, org).get(url).status_code == 403


def test_another_organisations_person_is_404(
    client_for: Any, org: Any, other_org: Any, member_of: Any
) -> None:
    manager = member_of(org, "manager")
    stranger = PersonFactory(organization=other_org)
    url = reverse("privacy:subject_access_person", args=[stranger.public_id])
    assert client_for(manager, org).get(url).status_code == 404
