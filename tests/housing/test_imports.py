"""CSV imports: Excel encodings and separators, line-numbered errors, all or nothing,
re-import updates, the background job and its pages, the management command."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from core import imports as csvimport
from housing.enums import ImportStatus
from housing.imports import import_job_run
from housing.models import Dwelling, Household, ImportJob, Income, Lease, Person, Residence
from housing.tasks import import_run
from tests.organizations.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
STOCK = (SAMPLES / "housing_stock.csv").read_text(encoding="utf-8")
HOUSEHOLDS = (SAMPLES / "housing_households.csv").read_text(encoding="utf-8")


@pytest.fixture
def lorraine(org):
    return TerritoryFactory(organization=org, name="Lorraine")


def run(org, in_org, kind: str, content: bytes, user=None) -> ImportJob:
    with in_org(org):
        job = ImportJob.objects.create(
            organization=org, kind=kind, file_name="f.csv", content=content, created_by=user
        )
    import_run(organization_id=org.pk, job_id=job.pk)
    with in_org(org):
        job.refresh_from_db()
    return job


def test_decode_accepts_bom_utf8_and_windows_1252() -> None:
    text = "nom;commune\nLefèvre;Épinal\n"
    assert csvimport.decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert csvimport.decode(text.encode("cp1252")) == text
    header, rows = csvimport.read_rows(text)
    assert header == ["nom", "commune"] and rows == [(2, ["Lefèvre", "Épinal"])]
    assert csvimport.read_rows("a,b\n1,2\n")[1] == [(2, ["1", "2"])]


def test_stock_import_utf8_with_bom(org, in_org, lorraine) -> None:
    job = run(org, in_org, "stock", b"\xef\xbb\xbf" + STOCK.encode("utf-8"))
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.summary == {"created": 3}
    with in_org(org):
        assert Residence.objects.count() == 2
        assert Residence.objects.get(external_ref="GR0101").is_qpv
        dwelling = Dwelling.objects.get(reference="GR0101-0002")
        assert dwelling.rent == Decimal("318.90")
        assert dwelling.is_pmr_accessible and dwelling.individual_water


def test_stock_import_windows_1252_and_reimport_updates(org, in_org, lorraine) -> None:
    run(org, in_org, "stock", STOCK.encode("cp1252"))
    changed = STOCK.replace("412,35", "420,00").encode("cp1252")
    job = run(org, in_org, "stock", changed)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.summary == {"updated": 1, "unchanged": 2}
    with in_org(org):
        assert Dwelling.objects.count() == 3
        assert Dwelling.objects.get(reference="GR0101-0001").rent == Decimal("420.00")
        assert Residence.objects.get(external_ref="GR0102").name == "Le Clos des Vignes"


def test_bad_rows_are_reported_and_nothing_is_applied(org, in_org, lorraine) -> None:
    bad = STOCK.replace("67,40", "soixante").replace("GR0102-0001;T4", "GR0102-0001;T9")
    job = run(org, in_org, "stock", bad.encode("utf-8"))
    assert job.status == ImportStatus.FAILED
    assert {(e["line"], e["column"]) for e in job.errors} == {(2, "surface"), (4, "typology")}
    assert "n'est pas un nombre" in job.errors[0]["message"]
    with in_org(org):
        assert Residence.objects.count() == 0 and Dwelling.objects.count() == 0


def test_a_row_refused_while_applying_rolls_back_the_whole_file(org, in_org, lorraine) -> None:
    bad = STOCK.replace(";Lorraine;GR0102-0001", ";Bretagne;GR0102-0001")
    job = run(org, in_org, "stock", bad.encode("utf-8"))
    assert job.status == ImportStatus.FAILED
    assert job.errors == [
        {"line": 4, "column": "territory", "message": "Territoire « Bretagne » inconnu."}
    ]
    with in_org(org):
        assert Dwelling.objects.count() == 0


def test_missing_column_is_reported_on_line_1(org, in_org) -> None:
    job = run(org, in_org, "stock", b"residence_ref,residence_name\nA,B\n")
    assert job.status == ImportStatus.FAILED
    assert {"line": 1, "column": "dwelling_ref", "message": "Colonne obligatoire absente."} in (
        job.errors
    )


def test_households_import_and_reimport(org, in_org, lorraine, member_of) -> None:
    user = member_of(org, "manager")
    run(org, in_org, "stock", STOCK.encode("utf-8"))
    job = run(org, in_org, "households", HOUSEHOLDS.encode("cp1252"), user=user)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    with in_org(org):
        household = Household.objects.get(external_ref="M000123")
        assert household.members.count() == 2
        helene = Person.objects.get(first_name="Hélène")
        assert sorted(Income.objects.filter(person=helene).values_list("kind", flat=True)) == [
            "rsa",
            "salary",
        ]
        assert household.housing_benefit == Decimal("186.00")
        lease = Lease.objects.get(external_ref="B000123")
        assert lease.household == household and lease.end_date is None
        assert household.timeline_events.filter(kind="lease.started", actor=user).exists()
        assert "lefevre" in household.search_text and "gr0101-0001" in household.search_text
    again = run(org, in_org, "households", HOUSEHOLDS.encode("utf-8"))
    assert again.status == ImportStatus.SUCCEEDED, again.errors
    assert again.summary == {"unchanged": 4}
    with in_org(org):
        assert Household.objects.count() == 2
        assert Person.objects.count() == 3
        assert Lease.objects.count() == 2


def test_households_import_unknown_dwelling(org, in_org) -> None:
    job = run(org, in_org, "households", HOUSEHOLDS.encode("utf-8"))
    assert job.status == ImportStatus.FAILED
    assert (2, "dwelling_ref") in {(e["line"], e["column"]) for e in job.errors}
    with in_org(org):
        assert Household.objects.count() == 0


def test_import_job_is_safe_to_run_twice(org, in_org, lorraine) -> None:
    job = run(org, in_org, "stock", STOCK.encode("utf-8"))
    with in_org(org):
        assert import_job_run(job=job, acting_user=None).summary == {"created": 3}
        assert Dwelling.objects.count() == 3


def test_upload_page_creates_a_job_and_shows_progress(
    org, in_org, member_of, client_for, lorraine
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(member_of(org, "manager"), org)
    upload = SimpleUploadedFile("stock.csv", STOCK.encode("utf-8"), content_type="text/csv")
    response = client.post(reverse("housing:imports"), {"kind": "stock", "file": upload})
    assert response.status_code == 302
    with in_org(org):
        job = ImportJob.objects.get()
    assert job.status == ImportStatus.QUEUED
    html = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in html and "<progress" in html
    import_run(organization_id=org.pk, job_id=job.pk)
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "Terminé" in partial and "<html" not in partial


def test_failed_job_page_lists_errors(org, in_org, member_of, client_for) -> None:
    client = client_for(member_of(org, "org_admin"), org)
    job = run(org, in_org, "stock", b"residence_ref;x\nA;B\n")
    html = client.get(reverse("housing:import_detail", args=[job.public_id])).content.decode()
    assert "rien n&#x27;a été importé" in html or "rien n'a été importé" in html
    assert "Colonne obligatoire absente." in html


def test_management_command(org, in_org, lorraine, tmp_path) -> None:
    path = tmp_path / "stock.csv"
    path.write_bytes(STOCK.encode("cp1252"))
    call_command("housing_import", str(path), organization=org.slug, kind="stock")
    with in_org(org):
        assert Dwelling.objects.count() == 3
    path.write_bytes(b"residence_ref;x\nA;B\n")
    with pytest.raises(CommandError):
        call_command("housing_import", str(path), organization=org.slug, kind="stock")


@pytest.mark.django_db(transaction=True)
def test_import_runs_on_the_real_worker(celery_worker, org, in_org, lorraine, member_of) -> None:
    import time

    from housing.imports import import_job_create

    user = member_of(org, "manager")
    with in_org(org, user=user):
        job = import_job_create(
            organization=org,
            kind="stock",
            file_name="stock.csv",
            content=STOCK.encode("cp1252"),
            acting_user=user,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with in_org(org):
            job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.3)
    assert job.status == ImportStatus.SUCCEEDED, celery_worker.log()[-2000:]
    with in_org(org):
        assert Dwelling.objects.count() == 3
        assert Dwelling.objects.filter(created_by=user).count() == 3
