"""Import of account statements: good, bad (line, column, reason; nothing applied),
idempotent, encodings."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arrears.imports import parse_amount, parse_month, statements_import
from arrears.models import AccountStatement
from tests.arrears.conftest import D, E, csv_bytes
from tests.arrears.factories import AccountStatementFactory
from tests.housing.factories import LeaseFactory

pytestmark = pytest.mark.django_db


def _run(org, data, user=None):
    return statements_import(organization=org, data=data, acting_user=user)


def test_a_good_file_creates_one_statement_per_lease_and_month(org, in_org, lease):
    other = LeaseFactory(organization=org, external_ref="BAIL-2")
    data = csv_bytes(
        [
            "BAIL-1;2026-01;530,00;200,00;330,00;0,00",
            "BAIL-1;02/2026;530,00;200,00;0,00;330,00",
            "BAIL-2;2026-01;1 200,50;0;1200.50;-10,00",
        ]
    )
    with in_org(org):
        report = _run(org, data)
        assert (report.ok, report.created, report.updated, report.unchanged) == (True, 3, 0, 0)
        february = AccountStatement.objects.get(lease=lease, month=D(2026, 2, 1))
        assert february.balance == Decimal("330.00")
        assert AccountStatement.objects.get(lease=other).billed == Decimal("1200.50")
        assert AccountStatement.objects.get(lease=other).balance == Decimal("-10.00")


def test_importing_the_same_file_twice_changes_nothing(org, in_org, lease):
    data = csv_bytes(["BAIL-1;2026-01;530,00;200,00;330,00;0,00"])
    with in_org(org):
        _run(org, data)
        first = AccountStatement.objects.get()
        report = _run(org, data)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
        assert AccountStatement.objects.count() == 1
        assert AccountStatement.objects.get().updated_at == first.updated_at


def test_a_corrected_file_updates_the_month(org, in_org, lease):
    with in_org(org):
        _run(org, csv_bytes(["BAIL-1;2026-01;530,00;200,00;330,00;0,00"]))
        report = _run(org, csv_bytes(["BAIL-1;2026-01;530,00;200,00;300,00;30,00"]))
        assert (report.created, report.updated) == (0, 1)
        assert AccountStatement.objects.get().balance == Decimal("30.00")


def test_a_bad_row_is_reported_with_line_column_reason_and_nothing_is_applied(org, in_org, lease):
    data = csv_bytes(
        [
            "BAIL-1;2026-01;530,00;200,00;330,00;0,00",
            "BAIL-9;2026-01;530,00;200,00;330,00;0,00",
            "BAIL-1;2026-13;530,00;200,00;330,00;0,00",
            "BAIL-1;2026-02;abc;200,00;-5;0,00",
            "BAIL-1;2026-01;530,00;200,00;330,00;0,00",
        ]
    )
    with in_org(org):
        report = _run(org, data)
        assert not report.ok
        found = {(e.line, e.column) for e in report.errors}
        assert found == {
            (3, "bail"),
            (4, "mois"),
            (5, "quittance"),
            (5, "encaissements"),
            (6, "mois"),
        }
        assert "Bail inconnu" in next(e.reason for e in report.errors if e.line == 3)
        assert "ligne 2" in next(e.reason for e in report.errors if e.line == 6)
        assert AccountStatement.objects.count() == 0


def test_missing_columns_are_reported_on_the_header(org, in_org, lease):
    with in_org(org):
        report = _run(org, b"bail;mois\r\nBAIL-1;2026-01\r\n")
    assert {(e.line, e.column) for e in report.errors} >= {(1, "quittance"), (1, "solde")}


def test_another_organisations_lease_is_unknown(org, other_org, in_org):
    LeaseFactory(organization=other_org, external_ref="BAIL-X")
    with in_org(org):
        report = _run(org, csv_bytes(["BAIL-X;2026-01;530,00;200,00;330,00;0,00"]))
        assert report.errors[0].column == "bail"
        assert AccountStatement.objects.count() == 0


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", True), ("utf-8", False), ("cp1252", False)]
)
def test_utf8_with_bom_and_windows_1252_are_read(org, in_org, encoding, bom):
    LeaseFactory(organization=org, external_ref="BAIL-É1")
    data = csv_bytes(["BAIL-É1;2026-01;530,00;200,00;330,00;0,00"], encoding=encoding, bom=bom)
    with in_org(org):
        report = _run(org, data)
        assert report.ok, report.errors
        assert AccountStatement.objects.count() == 1


def test_departed_tenants_are_marked(org, in_org):
    LeaseFactory(organization=org, external_ref="BAIL-P", end_date=D(2025, 12, 15))
    with in_org(org):
        _run(org, csv_bytes(["BAIL-P;2026-01;0;0;0;845,00"]))
        assert AccountStatement.objects.get().tenant_departed is True


def test_amount_and_month_parsing():
    assert parse_amount("1 234,56") == Decimal("1234.56")
    assert parse_amount("-12.5", allow_negative=True) == Decimal("-12.5")
    for bad in ("", "12,345", "1.234", "abc", "-5"):
        with pytest.raises(ValueError):
            parse_amount(bad)
    assert parse_month("2026-03") == D(2026, 3, 1)
    assert parse_month("03/2026") == D(2026, 3, 1)
    assert parse_month("01/03/2026") == D(2026, 3, 1)


def _year(refs, *, paid="330,00"):
    return csv_bytes(
        [f"{ref};2026-{m:02d};530,00;200,00;{paid};0,00" for ref in refs for m in range(1, 13)]
    )


def test_queries_do_not_grow_with_rows(org, in_org, django_assert_max_num_queries):
    refs = [f"BAIL-Q{i}" for i in range(8)]
    for ref in refs:
        LeaseFactory(organization=org, external_ref=ref)

    def queries(data):
        with in_org(org), CaptureQueriesContext(connection) as captured:
            assert _run(org, data).ok
        return len(captured)

    # Created, then updated, then unchanged: as many queries for 12 rows as for 96.
    assert queries(_year(refs[:1])) == queries(_year(refs[1:]))
    assert queries(_year(refs[:1], paid="300,00")) == queries(_year(refs[1:], paid="300,00"))
    with in_org(org), django_assert_max_num_queries(10):
        report = _run(org, _year(refs, paid="300,00"))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 96)


def test_a_partly_changed_file_touches_only_what_changed(org, in_org, lease):
    months = [
        "BAIL-1;2026-01;530,00;200,00;330,00;0,00",
        "BAIL-1;2026-02;530,00;200,00;330,00;0,00",
    ]
    with in_org(org):
        _run(org, csv_bytes(months))
        before = dict(AccountStatement.objects.values_list("month", "updated_at"))
        report = _run(
            org,
            csv_bytes(
                [
                    months[0],
                    "BAIL-1;2026-02;530,00;200,00;300,00;30,00",
                    "BAIL-1;2026-03;530,00;200,00;330,00;30,00",
                ]
            ),
        )
        assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
        after = dict(AccountStatement.objects.values_list("month", "updated_at"))
        assert after[D(2026, 1, 1)] == before[D(2026, 1, 1)]
        assert after[D(2026, 2, 1)] > before[D(2026, 2, 1)]
        assert AccountStatement.objects.get(month=D(2026, 2, 1)).balance == Decimal("30.00")


def test_another_organisations_statements_are_never_touched(org, other_org, in_org, lease):
    with in_org(other_org):
        theirs = AccountStatementFactory(
            organization=other_org,
            lease=LeaseFactory(organization=other_org, external_ref="BAIL-1"),
            month=D(2026, 1, 1),
            balance=Decimal("999.00"),
        )
    with in_org(org):
        report = _run(org, csv_bytes(["BAIL-1;2026-01;530,00;200,00;330,00;0,00"]))
        assert (report.created, report.updated) == (1, 0)
        assert AccountStatement.objects.get().lease == lease
    with in_org(other_org):
        kept = AccountStatement.objects.get()
        assert (kept.pk, kept.balance, kept.updated_at) == (
            theirs.pk,
            Decimal("999.00"),
            theirs.updated_at,
        )


def test_amounts_are_read_as_accounting_systems_write_them(org, in_org, lease):
    data = csv_bytes(
        [
            "BAIL-1;2026-01;530;0;530.5;-0,50",
            "BAIL-1;2026-02;1 234,56;12,5;1234,56 €;99999999,99",
            "BAIL-1;2026-03;007,10;0,00;0;-12",
        ]
    )
    with in_org(org):
        assert _run(org, data).ok
        stored = {
            s.month.month: (s.billed, s.housing_benefit, s.payments, s.balance)
            for s in AccountStatement.objects.all()
        }
    assert stored == {
        1: (E("530"), E("0"), E("530.50"), E("-0.50")),
        2: (E("1234.56"), E("12.50"), E("1234.56"), E("99999999.99")),
        3: (E("7.10"), E("0"), E("0"), E("-12")),
    }
    bad = csv_bytes(["BAIL-1;2026-04;100000000;-1;1,234;12,3,4"])
    with in_org(org):
        report = _run(org, bad)
    assert [(e.column, e.reason) for e in report.errors] == [
        ("quittance", "Montant hors limites : « 100000000 »."),
        ("aide_logement", "Montant négatif : « -1 »."),
        ("encaissements", "Montant invalide (deux décimales au plus) : « 1,234 »."),
        ("solde", "Montant illisible : « 12,3,4 »."),
    ]


def test_the_generic_path_of_the_sqlite_demo_gives_the_same_counts(org, in_org, lease, monkeypatch):
    import arrears.imports

    # `make run` (SQLite) upserts with bulk_create: run it here, on the real database.
    monkeypatch.setattr(arrears.imports, "_apply_postgresql", arrears.imports._apply_generic)
    first = csv_bytes(["BAIL-1;2026-01;530,00;200,00;330,00;0,00"])
    with in_org(org):
        assert (_run(org, first).created, _run(org, first).unchanged) == (1, 1)
        report = _run(
            org,
            csv_bytes(
                [
                    "BAIL-1;2026-01;530,00;200,00;300,00;30,00",
                    "BAIL-1;2026-02;530,00;200,00;330,00;30,00",
                ]
            ),
        )
        assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
        assert AccountStatement.objects.get(month=D(2026, 1, 1)).balance == Decimal("30.00")
