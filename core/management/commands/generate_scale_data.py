"""Generate a large landlord's data for benchmarks: `bench/scale/` (see its docstring).

    DATABASE_URL=<owner URL> manage.py generate_scale_data --size M
    manage.py generate_scale_data --size L --organizations 2 --seed 1 --database-url <owner URL>

Runs as the OWNER role (BYPASSRLS): COPY into every organisation's tables in one transaction,
with the audit trigger disabled on the tables it fills and enabled again before COMMIT.
"""

from __future__ import annotations

import os
import time
from datetime import date
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench import scale


def owner_url_from_settings() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return (
        f"postgresql://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


class Command(BaseCommand):
    help = "Génère des données de volumétrie (S, M, L) pour les mesures de performance."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--size", choices=sorted(scale.SIZES), default="S")
        parser.add_argument("--organizations", type=int, default=2)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--database-url",
            default=os.environ.get("SCALE_DATABASE_URL", ""),
            help="URL du rôle propriétaire (défaut : DATABASE_URL des réglages).",
        )
        parser.add_argument(
            "--as-of", default="", help="Date de référence AAAA-MM-JJ (défaut : le 1er du mois)."
        )
        parser.add_argument(
            "--replace", action="store_true", help="Remplace les organisations bench-* existantes."
        )
        parser.add_argument("--only", default="", help="Applications à générer (ex. housing).")
        parser.add_argument("--no-analyze", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["database_url"] or owner_url_from_settings()
        today = date.today()
        as_of = date.fromisoformat(options["as_of"]) if options["as_of"] else today.replace(day=1)
        started = time.monotonic()
        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT current_user, rolbypassrls, rolsuper FROM pg_roles "
                "WHERE rolname = current_user"
            ).fetchone()
            assert row is not None  # current_user always has a pg_roles row
            if not (row[1] or row[2]):
                raise CommandError(
                    f"{row[0]} n'a pas BYPASSRLS : lancez la commande avec l'URL du rôle "
                    "propriétaire (--database-url ou DATABASE_URL)."
                )
            self.stdout.write(
                f"Volumétrie {options['size']} × {options['organizations']} organisation(s), "
                f"graine {options['seed']}, au {as_of:%d/%m/%Y}"
            )
            try:
                ctx = self._run(conn, options, as_of)
            except scale.GeneratorError as error:
                raise CommandError(str(error)) from error
            conn.commit()
            if not options["no_analyze"]:
                conn.autocommit = True
                scale.analyze(conn, [t for t in ctx.counts if not t.startswith("_")])
        total = sum(v for k, v in ctx.counts.items() if not k.startswith("_"))
        for table, count in sorted(ctx.counts.items()):
            if not table.startswith("_"):
                self.stdout.write(f"scale.rows.{table} {count}")
        self.stdout.write(f"scale.rows_total {total}")
        self.stdout.write(f"scale.seconds {time.monotonic() - started:.1f}")

    def _run(self, conn: Any, options: dict[str, Any], as_of: date) -> scale.Context:
        only = [x.strip() for x in options["only"].split(",") if x.strip()] or None
        return scale.generate(
            conn,
            size=options["size"],
            organizations=options["organizations"],
            seed=options["seed"],
            as_of=as_of,
            replace=options["replace"],
            only=only,
            stdout=self.stdout,
        )
