from django.apps import AppConfig


class ArrearsConfig(AppConfig):
    name = "arrears"
    verbose_name = "Impayés et prévention des expulsions"
    default_auto_field = "django.db.models.BigAutoField"
