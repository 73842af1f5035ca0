"""Second-factor pages, included by organizations/urls.py (namespace "organizations")."""

from django.urls import path

from organizations import views_2fa

urlpatterns = [
    path("", views_2fa.second_factor_setup, name="2fa_setup"),
    path("verification/", views_2fa.second_factor_verify, name="2fa_verify"),
    path("codes-de-secours/", views_2fa.recovery_codes_regenerate, name="2fa_recovery_codes"),
    path(
        "reinitialiser/<uuid:public_id>/",
        views_2fa.second_factor_reset,
        name="2fa_reset",
    ),
]
