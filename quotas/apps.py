from django.apps import AppConfig


class QuotasConfig(AppConfig):
    name = "quotas"
    verbose_name = "Publics prioritaires, réservations et objectifs"
    default_auto_field = "django.db.models.BigAutoField"
