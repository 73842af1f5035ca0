"""Benchmark: importing 12 months of account statements for 100,000 leases (target < 120 s).

    python -m bench.arrears_import          (run by bench/imports.py inside `make bench`)

Environment: DJANGO_SETTINGS_MODULE (default config.settings.bench), BENCH_ORGANIZATION (slug;
default the first organisation), BENCH_LEASES (default 100000), BENCH_MONTHS (default 12).
The time includes the foreign-key checks PostgreSQL defers to the commit.
Leases missing for the count are created first; everything (leases and statements) is rolled
back at the end, so the benchmark database stays as generated (BENCH_KEEP_LEASES=1 keeps the
created leases, for repeated runs on a dedicated database). Prints `name value unit` lines.
"""

from __future__ import annotations

import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import django

django.setup()

from decimal import Decimal  # noqa: E402

from django.db import connection, transaction  # noqa: E402

from core.context import organization_context  # noqa: E402


class Rollback(Exception):
    pass


def out(name: str, value: float | int, unit: str) -> None:
    value = round(value, 2) if isinstance(value, float) else value
    print(f"bench.imports.statements.{name} {value} {unit}", flush=True)


def ensure_leases(org, count: int) -> list[str]:
    """External references of `count` leases, creating what is missing (bulk)."""
    from housing.models import Dwelling, Household, Lease, Residence
    from organizations.models import Territory

    refs = list(
        Lease.objects.exclude(external_ref="")
        .order_by("pk")
        .values_list("external_ref", flat=True)[:count]
    )
    missing = count - len(refs)
    if missing <= 0:
        return refs
    territory = Territory.objects.order_by("pk").first() or Territory.objects.create(
        organization=org, name="Territoire banc d'essai"
    )
    residences = Residence.objects.bulk_create(
        [
            Residence(
                organization=org,
                external_ref=f"BENCH-ARR-{r:05d}",
                name=f"Résidence banc {r}",
                address="1 rue du Banc",
                commune_name="Metz",
                commune_insee="57463",
                territory=territory,
            )
            for r in range(missing // 100 + 1)
        ]
    )
    dwellings = Dwelling.objects.bulk_create(
        [
            Dwelling(
                organization=org,
                residence=residences[i // 100],
                reference=f"BENCH-ARR-LOG-{i:06d}",
                typology="T3",
                surface=Decimal("65.00"),
                financing="plus",
                rent=Decimal("420.00"),
                charges=Decimal("110.00"),
                status="occupied",
            )
            for i in range(missing)
        ],
        batch_size=5000,
    )
    households = Household.objects.bulk_create(
        [Household(organization=org, name=f"Ménage banc {i}") for i in range(missing)],
        batch_size=5000,
    )
    start = datetime.date(2020, 1, 1)
    new = [
        Lease(
            organization=org,
            dwelling=dwelling,
            household=household,
            external_ref=f"BENCH-ARR-BAIL-{i:06d}",
            signed_on=start,
            start_date=start,
        )
        for i, (dwelling, household) in enumerate(zip(dwellings, households, strict=True))
    ]
    Lease.objects.bulk_create(new, batch_size=5000)
    return refs + [lease.external_ref for lease in new]


def statements_csv(refs: list[str], months: int) -> bytes:
    """`;`-separated, French decimals, like an accounting export: most tenants pay, some owe."""
    rng = random.Random(7)
    buffer = io.StringIO()
    buffer.write("bail;mois;quittance;aide_logement;encaissements;solde\n")
    first = datetime.date(2025, 1, 1)
    for ref in refs:
        billed = 530 + rng.randint(-80, 120)
        benefit = rng.choice((0, 0, 150, 210))
        debtor = rng.random() < 0.06
        balance = 0
        for k in range(months):
            month = (
                f"{first.year + (first.month - 1 + k) // 12}-{(first.month - 1 + k) % 12 + 1:02d}"
            )
            paid = 0 if debtor and rng.random() < 0.5 else billed - benefit
            balance += billed - benefit - paid
            buffer.write(f"{ref};{month};{billed},00;{benefit},00;{paid},00;{balance},00\n")
    return buffer.getvalue().encode("utf-8")


def main() -> int:
    from arrears.imports import statements_import
    from organizations.models import Organization

    slug = os.environ.get("BENCH_ORGANIZATION")
    org = (
        (Organization.objects.filter(slug=slug) if slug else Organization.objects)
        .order_by("pk")
        .first()
    )
    if org is None:
        print("# no organisation in the benchmark database", file=sys.stderr)
        return 1
    leases = int(os.environ.get("BENCH_LEASES", "100000"))
    months = int(os.environ.get("BENCH_MONTHS", "12"))
    if os.environ.get("BENCH_KEEP_LEASES") == "1":
        # Create the missing leases once, committed (a dedicated benchmark database).
        with organization_context(org):
            ensure_leases(org, leases)
    try:
        with organization_context(org), transaction.atomic():
            started = time.perf_counter()
            refs = ensure_leases(org, leases)
            out("setup_leases_seconds", time.perf_counter() - started, "s")
            started = time.perf_counter()
            data = statements_csv(refs, months)
            out("csv_generation_seconds", time.perf_counter() - started, "s")
            out("csv_megabytes", len(data) / 1_000_000, "MB")
            started = time.perf_counter()
            report = statements_import(organization=org, data=data)
            imported = time.perf_counter()
            if not report.ok:
                print(f"# refused: {report.errors[:3]}", file=sys.stderr)
                return 1
            # The foreign keys (lease, organisation) are checked at the commit, which this
            # benchmark never reaches (it rolls back): run the checks now, inside the time.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            elapsed = time.perf_counter() - started
            out("rows", report.rows, "rows")
            out("created", report.created, "rows")
            out("seconds", elapsed, "s")
            out("import_call_seconds", imported - started, "s")
            out("deferred_checks_seconds", started + elapsed - imported, "s")
            out("parse_seconds", report.parse_seconds, "s")
            out("database_seconds", report.apply_seconds, "s")
            out("rows_per_second", report.rows / elapsed, "rows/s")
            out("projected_12x100k_seconds", elapsed * 1_200_000 / report.rows, "s")
            started = time.perf_counter()
            again = statements_import(organization=org, data=data)
            out("reimport_seconds", time.perf_counter() - started, "s")
            out("reimport_unchanged", again.unchanged, "rows")
            raise Rollback
    except Rollback:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
