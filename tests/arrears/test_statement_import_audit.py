"""Statements are not audited row by row; each import leaves one audited trace instead."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.db import connection

from arrears.imports import statements_import
from arrears.models import StatementImport
from core.context import organization_context
from tests.housing.factories import LeaseFactory

pytestmark = pytest.mark.django_db


def test_an_import_writes_one_audited_trace_and_no_per_statement_audit_rows(
    org: Any, member_of: Any
) -> None:
    user = member_of(org, "arrears_officer")
    lease = LeaseFactory(organization=org, external_ref="BAIL-1")
    csv = (
        b"bail;mois;quittance;aide_logement;encaissements;solde\n"
        b"BAIL-1;2026-01;530,00;0,00;530,00;0,00\n"
        b"BAIL-1;2026-02;530,00;0,00;500,00;30,00\n"
    )
    with organization_context(org, user=user):
        report = statements_import(organization=org, data=csv, acting_user=user)
        assert report.ok, report
        trace = StatementImport.objects.get()
        with connection.cursor() as cursor:
            cursor.execute("SELECT table_name, count(*) FROM core_auditevent GROUP BY table_name")
            audited = dict(cursor.fetchall())
    assert lease.pk
    assert trace.file_sha256 == hashlib.sha256(csv).hexdigest()
    assert (trace.rows, trace.created_count, trace.created_by_id) == (2, 2, user.pk)
    assert "arrears_accountstatement" not in audited
    assert audited["arrears_statementimport"] == 1
