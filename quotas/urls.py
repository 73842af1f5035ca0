from django.urls import path

from quotas import views

app_name = "quotas"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("objectifs/nouveau/", views.target_create, name="target_create"),
    path("objectifs/legaux/", views.legal_targets, name="legal_targets"),
    path("objectifs/<uuid:public_id>/", views.target_detail, name="target"),
    path("objectifs/<uuid:public_id>/modifier/", views.target_edit, name="target_edit"),
    path("conventions/", views.agreement_list, name="agreements"),
    path("conventions/nouvelle/", views.agreement_create, name="agreement_create"),
    path("conventions/<uuid:public_id>/bilan/", views.review, name="review"),
    path("conventions/<uuid:public_id>/exclusions/", views.exclusions, name="agreement_exclusions"),
    path(
        "exclusions/<uuid:public_id>/retirer/",
        views.exclusion_remove,
        name="exclusion_remove",
    ),
]
