from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "housing"
    verbose_name = "Patrimoine et ménages"
    default_auto_field = "django.db.models.BigAutoField"
