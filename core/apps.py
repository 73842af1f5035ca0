from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Socle"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # OpenAPI: enums named after their TextChoices class (core/schema.py).
        from django.conf import settings
        from django.db.models.signals import post_migrate

        from core import checks, db  # noqa: F401  (registers system checks)
        from core.schema import enum_name_overrides

        spectacular: dict = settings.SPECTACULAR_SETTINGS
        overrides = spectacular.setdefault("ENUM_NAME_OVERRIDES", {})
        for name, path in enum_name_overrides().items():
            overrides.setdefault(name, path)

        post_migrate.connect(
            db.install_database_guards, dispatch_uid="core.install_database_guards"
        )
