"""Load the demo data: `<app>/demo.py` modules, each with `load(stdout)`, in app order.

Idempotent: each provider runs once per database (core.DemoLoad); `--reset` (make demo-reset)
is the way to start again.
"""

from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.models import DemoLoad


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        modules = []
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            modules.append(module)
            if DemoLoad.objects.filter(name=config.name).exists():
                continue
            with transaction.atomic():
                module.load(self.stdout)
                DemoLoad.objects.create(name=config.name)
            self.stdout.write(f"Démo : {config.verbose_name} chargé.")
        # The demo logins, in app order (organizations first, then e.g. privacy's partner).
        for module in modules:
            if hasattr(module, "print_logins"):
                module.print_logins(self.stdout)
