"""Import a CSV of monthly account statements for one organisation (all or nothing).

manage.py import_statements habitat-est situations-2026-01.csv [--user email]
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from arrears.imports import statements_import
from core.context import organization_context


class Command(BaseCommand):
    help = "Importe les situations de compte mensuelles (CSV « ; ») d'une organisation."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("organization", help="identifiant court de l'organisation")
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="e-mail de l'utilisateur à qui attribuer l'import")
        parser.add_argument(
            "--no-detection", action="store_true", help="ne pas lancer la détection ensuite"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from arrears import services
        from organizations.models import Organization, User

        organization = Organization.objects.filter(slug=options["organization"]).first()
        if organization is None:
            raise CommandError(f"Organisation inconnue : {options['organization']}")
        user = None
        if options["user"]:
            user = User.objects.filter(email=options["user"].lower()).first()
            if user is None:
                raise CommandError(f"Utilisateur inconnu : {options['user']}")
        data = options["file"].read_bytes()
        with organization_context(organization, user=user):
            report = statements_import(organization=organization, data=data, acting_user=user)
            if not report.ok:
                for error in report.errors:
                    self.stderr.write(str(error))
                raise CommandError(
                    f"Fichier refusé : {report.error_count} erreur(s), rien n'a été importé."
                )
            if not options["no_detection"]:
                services.arrears_detect(organization=organization)
                services.plans_match_payments(organization=organization)
        self.stdout.write(
            f"{report.rows} lignes : {report.created} créées, {report.updated} mises à jour, "
            f"{report.unchanged} inchangées."
        )
