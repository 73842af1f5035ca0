"""Import of account statements: good, bad (line, column, reason; nothing applied),
idempotent, encodings."""

from decimal import Decimal

import pytest

from arrears.imports import parse_amount, parse_month, statements_import
from arrears.models import AccountStatement
from tests.arrears.conftest import D, csv_bytes
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
