from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("demander/", views.report_request, name="request"),
    path("indicateurs/", views.indicator_dashboard, name="indicators"),
    path("indicateurs/actualiser/", views.indicator_refresh, name="refresh"),
    path("indicateurs/export/<str:key>/", views.indicator_export, name="export"),
    path("<uuid:public_id>/", views.report_detail, name="detail"),
    path("<uuid:public_id>/statut/", views.report_status, name="status"),
    path("<uuid:public_id>/relancer/", views.report_retry, name="retry"),
]
