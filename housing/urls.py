from django.urls import path

from housing import views

app_name = "housing"

urlpatterns = [
    path("menages/", views.household_list, name="households"),
    path("menages/nouveau/", views.household_create, name="household_create"),
    path("menages/<uuid:public_id>/", views.household_detail, name="household_detail"),
    path("menages/<uuid:public_id>/modifier/", views.household_edit, name="household_edit"),
    path("menages/<uuid:public_id>/parcours/", views.household_timeline, name="household_timeline"),
    path("menages/<uuid:public_id>/membres/nouveau/", views.person_create, name="person_create"),
    path("menages/<uuid:public_id>/baux/nouveau/", views.lease_create, name="lease_create"),
    path("membres/<uuid:public_id>/", views.person_edit, name="person_edit"),
    path("membres/<uuid:public_id>/retirer/", views.person_remove, name="person_remove"),
    path(
        "membres/<uuid:public_id>/ressources/nouvelle/", views.income_create, name="income_create"
    ),
    path("ressources/<uuid:public_id>/", views.income_edit, name="income_edit"),
    path("baux/<uuid:public_id>/fin/", views.lease_end, name="lease_end"),
    path("baux/<uuid:public_id>/glissement/", views.lease_slide, name="lease_slide"),
    path("residences/", views.residence_list, name="residences"),
    path("residences/nouvelle/", views.residence_edit, name="residence_create"),
    path("residences/<uuid:public_id>/", views.residence_edit, name="residence_edit"),
    path("logements/", views.dwelling_list, name="dwellings"),
    path("logements/nouveau/", views.dwelling_edit, name="dwelling_create"),
    path("logements/<uuid:public_id>/", views.dwelling_edit, name="dwelling_edit"),
    path("partenaires/", views.partner_list, name="partners"),
    path("partenaires/nouveau/", views.partner_edit, name="partner_create"),
    path("partenaires/<uuid:public_id>/", views.partner_edit, name="partner_edit"),
    path("doublons/", views.duplicate_list, name="duplicates"),
    path("doublons/fusionner/", views.persons_merge, name="persons_merge"),
    path("imports/", views.import_list, name="imports"),
    path("imports/<uuid:public_id>/", views.import_detail, name="import_detail"),
]
