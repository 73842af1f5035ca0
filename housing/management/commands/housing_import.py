"""Import a CSV file into an organisation from the command line (same rules as the page):

manage.py housing_import --organization habitat-est --kind stock docs/samples/stock.csv
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.context import organization_context
from housing.enums import ImportKind, ImportStatus


class Command(BaseCommand):
    help = "Importe un fichier CSV (patrimoine ou ménages) dans une organisation."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--organization", required=True, help="slug de l'organisation")
        parser.add_argument("--kind", required=True, choices=ImportKind.values)
        parser.add_argument("--user", help="e-mail de l'utilisateur à qui attribuer l'import")

    def handle(self, *args: Any, **options: Any) -> None:
        from housing.imports import import_job_run
        from housing.models import ImportJob
        from organizations.models import Organization, User

        organization = Organization.objects.filter(slug=options["organization"]).first()
        if organization is None:
            raise CommandError(f"Organisation inconnue : {options['organization']}")
        user = User.objects.filter(email=options["user"]).first() if options["user"] else None
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"Fichier introuvable : {path}")
        with organization_context(organization, user=user):
            job = ImportJob.objects.create(
                organization=organization,
                kind=options["kind"],
                file_name=path.name,
                content=path.read_bytes(),
                created_by=user,
            )
            job = import_job_run(job=job, acting_user=user)
        if job.status == ImportStatus.FAILED:
            for error in job.errors:
                column = f", colonne « {error['column']} »" if error["column"] else ""
                self.stderr.write(f"ligne {error['line']}{column} : {error['message']}")
            raise CommandError("Fichier refusé : rien n'a été importé.")
        self.stdout.write(self.style.SUCCESS(f"Import terminé : {job.summary}"))
