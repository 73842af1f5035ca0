from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Socle"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from core import checks, db  # noqa: F401  (registers system checks)

        post_migrate.connect(
            db.install_database_guards, dispatch_uid="core.install_database_guards"
        )
