"""CSV imports: Excel encodings and separators, line-numbered errors, all or nothing,
re-import updates, the background job and its pages, the management command."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import imports as csvimport
from core.models import AuditEvent
from housing import services
from housing.enums import ImportStatus
from housing.imports import OPEN_LEASE_MESSAGE, import_job_run, stock_spec
from housing.models import Dwelling, Household, ImportJob, Income, Lease, Person, Residence
from housing.tasks import import_run
from tests.housing.factories import DwellingFactory, LeaseFactory, ResidenceFactory
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


# --- Stock, set-based: many rows, one write per table ----------------------------------------


STOCK_HEADER = STOCK.splitlines()[0]


def stock_file(count: int, *, prefix: str = "L", rent: str = "400,00", surface: str = "65,00"):
    """`count` dwellings in residences of ten, the columns of docs/samples/housing_stock.csv."""
    lines = [STOCK_HEADER]
    for i in range(count):
        residence = f"{prefix}R{i // 10:03d}"
        lines.append(
            f"{residence};Résidence {residence};1 rue Haute;57000;Metz;57463;;;non;Lorraine;"
            f"{prefix}{i:05d};T3;{surface};1;non;non;plus;{rent};0;110,00;0;non;non;vacant"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def import_stock(org, in_org, content: bytes, user=None) -> csvimport.ImportResult:
    with in_org(org, user=user):
        return csvimport.run_import(content, stock_spec(organization=org, acting_user=user))


def test_stock_import_queries_do_not_grow_with_rows(
    org, in_org, lorraine, django_assert_max_num_queries
) -> None:
    def queries(content: bytes) -> int:
        with in_org(org), CaptureQueriesContext(connection) as captured:
            csvimport.run_import(content, stock_spec(organization=org, acting_user=None))
        return len(captured)

    # Created, then updated (the rent changes), then unchanged: the same few queries for 5
    # rows as for 300 (references read once, one COPY and one INSERT / UPDATE per table).
    assert queries(stock_file(5, prefix="A")) == queries(stock_file(300, prefix="B"))
    assert queries(stock_file(5, prefix="A", rent="401,00")) == queries(
        stock_file(300, prefix="B", rent="401,00")
    )
    # 5 of them are the organisation context and the savepoints.
    with django_assert_max_num_queries(14):
        result = import_stock(org, in_org, stock_file(300, prefix="B", rent="402,00"))
    assert result.counts == {"updated": 300}
    with django_assert_max_num_queries(9):
        result = import_stock(org, in_org, stock_file(300, prefix="B", rent="402,00"))
    assert result.counts == {"unchanged": 300}
    with in_org(org):
        assert Dwelling.objects.filter(rent=Decimal("402.00")).count() == 300
        assert Residence.objects.count() == 31


def test_refused_rows_are_all_reported_with_the_services_messages_and_nothing_is_written(
    org, in_org, lorraine
) -> None:
    import_stock(org, in_org, STOCK.encode("utf-8"))
    bad = (
        (
            STOCK.replace("412,35", "420,00")  # a valid change on line 2: must not be applied
            .replace("GR0101-0002;T2;48,10", "GR0101-0002;T2;0,50")  # surface < 1
            .replace("54000;Nancy;54395", "54000;Nancy;5439X")  # INSEE code
        )
        + "GR0103;Neuve;1 rue;57000;Metz;57463;;;non;Bretagne;GR0103-0001;T1;30,123;0;non;non;plus;300;0;50;0;non;non;vacant\n"
    )
    bad += "GR0104;Neuve;1 rue;57000;Metz;57463;;;non;Lorraine;GR0104-0001;T1;30,123;0;non;non;plus;300;0;50;0;non;non;vacant\n"
    with pytest.raises(csvimport.ImportFailed) as failure:
        import_stock(org, in_org, bad.encode("utf-8"))

    def service_message(**fields) -> str:
        with in_org(org), pytest.raises(ValidationError) as refused:
            services.dwelling_save(
                organization=org,
                acting_user=None,
                dwelling=Dwelling.objects.get(reference="GR0101-0001"),
                **fields,
            )
        return refused.value.messages[0]

    assert [(e.line, e.column, e.message) for e in failure.value.errors] == [
        (3, "surface", service_message(surface=Decimal("0.50"))),
        (4, "commune_insee", "Code INSEE à 5 caractères (ex. 57463, 2A004)."),
        (5, "territory", "Territoire « Bretagne » inconnu."),
        (6, "surface", service_message(surface=Decimal("30.123"))),
    ]
    assert "supérieure ou égale à 1" in failure.value.errors[0].message
    with in_org(org):
        assert Dwelling.objects.get(reference="GR0101-0001").rent == Decimal("412.35")
        assert Dwelling.objects.count() == 3 and Residence.objects.count() == 2


def test_a_dwelling_under_a_current_lease_cannot_be_freed_by_an_import(
    org, in_org, lorraine
) -> None:
    import_stock(org, in_org, STOCK.encode("utf-8"))  # GR0101-0002 is "vacant" in the file
    with in_org(org):
        LeaseFactory(organization=org, dwelling=Dwelling.objects.get(reference="GR0101-0002"))
    # Unchanged: nothing to save, nothing to refuse (as the per-row services did).
    assert import_stock(org, in_org, STOCK.encode("utf-8")).counts == {"unchanged": 3}
    changed = STOCK.replace("318,90", "320,00")
    with pytest.raises(csvimport.ImportFailed) as failure:
        import_stock(org, in_org, changed.encode("utf-8"))
    assert [(e.line, e.column) for e in failure.value.errors] == [(3, "status")]
    with in_org(org), pytest.raises(ValidationError) as refused:  # the service's own rule
        services.dwelling_save(
            organization=org,
            acting_user=None,
            dwelling=Dwelling.objects.get(reference="GR0101-0002"),
            rent=Decimal("320.00"),
        )
    assert failure.value.errors[0].message == refused.value.messages[0] == OPEN_LEASE_MESSAGE
    fixed = changed.replace("oui;oui;vacant", "oui;oui;occupied")
    assert import_stock(org, in_org, fixed.encode("utf-8")).counts == {
        "updated": 1,
        "unchanged": 2,
    }


def test_reimporting_the_same_stock_touches_no_row_and_writes_no_audit(
    org, in_org, lorraine, member_of
) -> None:
    user = member_of(org, "manager")
    import_stock(org, in_org, STOCK.encode("utf-8"), user=user)
    with in_org(org):
        before = {d.pk: d.updated_at for d in Dwelling.objects.all()}
        residences = {r.pk: r.updated_at for r in Residence.objects.all()}
        audited = AuditEvent.objects.count()
    again = import_stock(org, in_org, STOCK.encode("cp1252"), user=user)
    assert again.counts == {"unchanged": 3}
    with in_org(org):
        assert {d.pk: d.updated_at for d in Dwelling.objects.all()} == before
        assert {r.pk: r.updated_at for r in Residence.objects.all()} == residences
        assert AuditEvent.objects.count() == audited


def test_every_created_or_changed_row_keeps_its_audit_row_with_the_actor(
    org, in_org, lorraine, member_of
) -> None:
    user = member_of(org, "manager")
    import_stock(org, in_org, STOCK.encode("utf-8"), user=user)
    import_stock(org, in_org, STOCK.replace("412,35", "420,00").encode("utf-8"), user=user)
    with in_org(org):
        dwelling = Dwelling.objects.get(reference="GR0101-0001")
        assert (dwelling.created_by, dwelling.updated_by) == (user, user)
        events = AuditEvent.objects.filter(table_name="housing_dwelling")
        assert sorted(events.values_list("action", flat=True)) == ["I", "I", "I", "U"]
        assert set(events.values_list("actor_id", flat=True)) == {user.pk}
        update = events.get(action="U")
        assert update.row_pk == dwelling.pk
        assert set(update.changes) == {"rent"}
        assert [Decimal(str(v)) for v in update.changes["rent"]] == [
            Decimal("412.35"),
            Decimal("420.00"),
        ]
        assert AuditEvent.objects.filter(table_name="housing_residence", action="I").count() == 2


def test_another_organisations_stock_with_the_same_references_is_never_touched(
    org, other_org, in_org, lorraine
) -> None:
    with in_org(other_org):
        theirs = DwellingFactory(
            organization=other_org,
            reference="GR0101-0001",
            residence=ResidenceFactory(organization=other_org, external_ref="GR0101"),
            rent=Decimal("999.00"),
        )
        TerritoryFactory(organization=other_org, name="Bretagne")
    result = import_stock(org, in_org, STOCK.encode("utf-8"))
    assert result.counts == {"created": 3}
    with in_org(org):
        assert Dwelling.objects.get(reference="GR0101-0001").rent == Decimal("412.35")
        assert Residence.objects.count() == 2
    with in_org(other_org):
        unchanged = Dwelling.objects.get()
        assert (unchanged.pk, unchanged.rent, unchanged.updated_at) == (
            theirs.pk,
            Decimal("999.00"),
            theirs.updated_at,
        )
        assert Residence.objects.count() == 1
    # Their territory is not ours either.
    refused = STOCK.replace(";Lorraine;GR0102-0001", ";Bretagne;GR0102-0001")
    with pytest.raises(csvimport.ImportFailed):
        import_stock(org, in_org, refused.encode("utf-8"))


def test_a_residence_repeated_on_several_rows_takes_the_last_rows_values(
    org, in_org, lorraine
) -> None:
    renamed = STOCK.replace(
        "Résidence Les Hauts de Borny;12 rue de Toulouse;57070;Metz;57463;200039865;Metz Métropole;oui;Lorraine;GR0101-0002",
        "Les Hauts de Borny (bât. B);12 rue de Toulouse;57070;Metz;57463;200039865;Metz Métropole;oui;Lorraine;GR0101-0002",
    )
    import_stock(org, in_org, renamed.encode("utf-8"))
    with in_org(org):
        assert Residence.objects.get(external_ref="GR0101").name == "Les Hauts de Borny (bât. B)"
    # Back to the first name everywhere: the residence changes, its dwellings do not.
    assert import_stock(org, in_org, STOCK.encode("utf-8")).counts == {"unchanged": 3}
    with in_org(org):
        assert Residence.objects.get(external_ref="GR0101").name == "Résidence Les Hauts de Borny"


def test_the_generic_writer_of_the_sqlite_demo_gives_the_same_result(
    org, in_org, lorraine, member_of, monkeypatch
) -> None:
    # The SQLite demo (`make run`) writes with bulk_create / bulk_update: run it here, on the
    # real database under row-level security, in place of COPY.
    monkeypatch.setattr(csvimport, "_write_rows_postgresql", csvimport._write_rows_generic)
    user = member_of(org, "manager")
    assert import_stock(org, in_org, STOCK.encode("utf-8"), user=user).counts == {"created": 3}
    changed = STOCK.replace("412,35", "420,00").replace("Le Clos des Vignes", "Les Vignes")
    assert import_stock(org, in_org, changed.encode("utf-8"), user=user).counts == {
        "updated": 1,
        "unchanged": 2,
    }
    with in_org(org):
        dwelling = Dwelling.objects.get(reference="GR0101-0001")
        assert (dwelling.rent, dwelling.updated_by, dwelling.residence.external_ref) == (
            Decimal("420.00"),
            user,
            "GR0101",
        )
        assert Residence.objects.get(external_ref="GR0102").name == "Les Vignes"
        assert Dwelling.objects.get(reference="GR0102-0001").annex_rent == Decimal("0")
