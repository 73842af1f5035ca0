"""Create the PostgreSQL roles and database Parcours needs (idempotent).

    DATABASE_ADMIN_URL  a superuser connection (default postgres://postgres@127.0.0.1:5432/postgres)
    DATABASE_OWNER_URL  the owner role: owns the tables, runs migrations (BYPASSRLS, CREATEDB)
    DATABASE_URL        the application role: NOSUPERUSER NOBYPASSRLS NOINHERIT, owns nothing
    DATABASE_PARTNER_ROLE  a NOLOGIN role granted to the application role, which switches to it
                        while acting for a partner organisation (default <application>_partner)

See docs/operations.md.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import unquote, urlparse

import psycopg
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql


def _parts(url: str) -> tuple[str, str | None, str]:
    parsed = urlparse(url)
    if not parsed.username:
        raise CommandError(f"No user in {url!r}")
    return (
        unquote(parsed.username),
        unquote(parsed.password) if parsed.password else None,
        parsed.path.lstrip("/"),
    )


class Command(BaseCommand):
    help = "Crée les rôles PostgreSQL (propriétaire, application) et la base de données."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-database", action="store_true", help="Rôles seulement (tests).")

    def handle(self, *args: Any, **options: Any) -> None:
        admin_url = os.environ.get(
            "DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        )
        owner_url = os.environ.get(
            "DATABASE_OWNER_URL", "postgres://parcours_owner@127.0.0.1:5432/parcours"
        )
        app_url = os.environ.get("DATABASE_URL", "postgres://parcours_app@127.0.0.1:5432/parcours")
        owner, owner_password, database = _parts(owner_url)
        app, app_password, _ = _parts(app_url)
        if owner == app:
            raise CommandError(
                "Le rôle de l'application doit être distinct du propriétaire des tables."
            )

        partner = os.environ.get("DATABASE_PARTNER_ROLE", f"{app}_partner")
        with psycopg.connect(admin_url, autocommit=True) as conn:
            self._role(conn, owner, owner_password, "LOGIN CREATEDB BYPASSRLS NOSUPERUSER")
            # NOINHERIT: the application may switch to the partner role (SET ROLE) but does not
            # hold its privileges — nor fall under its policies — otherwise.
            self._role(
                conn,
                app,
                app_password,
                "LOGIN NOCREATEDB NOBYPASSRLS NOSUPERUSER NOCREATEROLE NOINHERIT",
            )
            self._role(
                conn,
                partner,
                None,
                "NOLOGIN NOCREATEDB NOBYPASSRLS NOSUPERUSER NOCREATEROLE NOINHERIT",
            )
            conn.execute(
                sql.SQL("GRANT {} TO {}").format(sql.Identifier(partner), sql.Identifier(app))
            )
            if not options["no_database"]:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [database]
                ).fetchone()
                if not exists:
                    conn.execute(
                        sql.SQL("CREATE DATABASE {} OWNER {}").format(
                            sql.Identifier(database), sql.Identifier(owner)
                        )
                    )
                    self.stdout.write(f"Base {database} créée.")
                conn.execute(
                    sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                        sql.Identifier(database), sql.Identifier(app)
                    )
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Rôles prêts : propriétaire {owner}, application {app} (et {partner})."
            )
        )

    def _role(
        self, conn: psycopg.Connection, name: str, password: str | None, attributes: str
    ) -> None:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone()
        verb = "ALTER" if exists else "CREATE"
        statement = sql.SQL(f"{verb} ROLE {{}} WITH {attributes}").format(sql.Identifier(name))
        if password:
            statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(password))
        conn.execute(statement)
