"""generate_scale_data at size S: it fills every landed app, keeps organisations apart, and
the same seed gives the same data."""

from __future__ import annotations

import io
import os
from typing import Any
from urllib.parse import urlparse

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from bench import scale

pytestmark = pytest.mark.django_db(transaction=True)

AS_OF = "2026-11-01"


def _url(user: str, password: str = "") -> str:
    db = connections["default"].settings_dict
    base = urlparse(
        os.environ.get("DATABASE_OWNER_URL", "postgres://parcours_owner@127.0.0.1:5432/parcours")
    )
    auth = f"{user}:{password}" if password else user
    host = base.hostname or "127.0.0.1"
    return f"postgresql://{auth}@{host}:{base.port or 5432}/{db['NAME']}"


def _owner_url() -> str:
    base = urlparse(
        os.environ.get("DATABASE_OWNER_URL", "postgres://parcours_owner@127.0.0.1:5432/parcours")
    )
    return _url(base.username or "parcours_owner", base.password or "")


def _generate(**kwargs: Any) -> str:
    out = io.StringIO()
    call_command(
        "generate_scale_data",
        size="S",
        seed=kwargs.pop("seed", 7),
        as_of=AS_OF,
        database_url=_owner_url(),
        stdout=out,
        **kwargs,
    )
    return out.getvalue()


def _counts(conn: Any, table: str) -> dict[int, int]:
    rows = conn.execute(
        f"SELECT organization_id, count(*) FROM {table} GROUP BY 1 ORDER BY 1"
    ).fetchall()
    return dict(rows)


def test_size_s_generates_reproducible_isolated_data() -> None:
    output = _generate()
    assert "scale.rows_total" in output
    slugs = [scale.org_slug(0), scale.org_slug(1)]
    with psycopg.connect(_owner_url()) as conn:
        orgs = dict(
            conn.execute(
                "SELECT slug, id FROM organizations_organization WHERE slug = ANY(%s)", [slugs]
            ).fetchall()
        )
        assert sorted(orgs) == slugs
        for table in [
            "organizations_membership",
            "housing_residence",
            "housing_dwelling",
            "housing_household",
            "housing_person",
            "housing_lease",
        ]:
            counts = _counts(conn, table)
            assert set(counts) == set(orgs.values()), table
            assert all(n > 0 for n in counts.values()), table
        # Every lease points at a dwelling and a household of its own organisation.
        mixed = conn.execute(
            "SELECT count(*) FROM housing_lease l JOIN housing_dwelling d ON d.id = l.dwelling_id "
            "JOIN housing_household h ON h.id = l.household_id "
            "WHERE d.organization_id <> l.organization_id OR h.organization_id <> l.organization_id"
        ).fetchone()[0]
        assert mixed == 0
        # The audit trigger was off for the load, and is on again.
        assert conn.execute("SELECT count(*) FROM core_auditevent").fetchone()[0] == 0
        disabled = conn.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'parcours_audit' AND tgenabled = 'D'"
        ).fetchone()[0]
        assert disabled == 0
        first = scale.fingerprint(conn, slugs)
    assert first["housing_dwelling"].split(":")[0] != "0"

    # Without --replace the command refuses; with it, the same seed gives the same data.
    with pytest.raises(Exception, match="replace"):
        _generate()
    _generate(replace=True)
    with psycopg.connect(_owner_url()) as conn:
        assert scale.fingerprint(conn, slugs) == first
    # Another seed gives other data.
    _generate(replace=True, seed=8)
    with psycopg.connect(_owner_url()) as conn:
        assert scale.fingerprint(conn, slugs)["housing_household"] != first["housing_household"]

    # The application role, under row-level security, sees only the organisation it sets.
    with psycopg.connect(_owner_url()) as conn:
        orgs = dict(
            conn.execute(
                "SELECT slug, id FROM organizations_organization WHERE slug = ANY(%s)", [slugs]
            ).fetchall()
        )
    app_url = _url(settings.DATABASE_APP_ROLE, os.environ.get("DATABASE_APP_PASSWORD", ""))
    with psycopg.connect(app_url) as conn:
        assert conn.execute("SELECT count(*) FROM housing_dwelling").fetchone()[0] == 0
        conn.execute("SELECT set_config('app.organization_id', %s, true)", [str(orgs[slugs[0]])])
        seen = _counts(conn, "housing_dwelling")
        assert list(seen) == [orgs[slugs[0]]]
        assert seen[orgs[slugs[0]]] > 0
