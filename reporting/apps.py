from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Rapports et indicateurs"
    default_auto_field = "django.db.models.BigAutoField"
