from django.urls import path

from allocations import views

app_name = "allocations"

urlpatterns = [
    path("", views.session_list, name="sessions"),
    path("seances/nouvelle/", views.session_create, name="session_create"),
    path("seances/<uuid:public_id>/", views.session_detail, name="session"),
    path("seances/<uuid:public_id>/etat/", views.session_transition, name="session_transition"),
    path(
        "seances/<uuid:public_id>/logements/",
        views.session_dwelling_add,
        name="session_dwelling_add",
    ),
    path("seances/<uuid:public_id>/presences/", views.attendance, name="attendance"),
    path("logements/<uuid:public_id>/assistant/", views.assistant, name="assistant"),
    path(
        "logements/<uuid:public_id>/exception/", views.dwelling_exception, name="dwelling_exception"
    ),
    path("logements/<uuid:public_id>/decisions/", views.decisions, name="decisions"),
    path("logements/<uuid:public_id>/proposition/", views.offer_make, name="offer_make"),
    path("logements/<uuid:public_id>/vote/", views.remote_vote, name="remote_vote"),
    path("candidatures/<uuid:public_id>/fiche/", views.commission_sheet, name="sheet"),
    path("demandes/", views.application_list, name="applications"),
    path("demandes/nouvelle/", views.application_create, name="application_create"),
    path("demandes/import/", views.application_import, name="application_import"),
    path("demandes/<uuid:public_id>/", views.application_detail, name="application"),
    path("demandes/<uuid:public_id>/modifier/", views.application_edit, name="application_edit"),
    path(
        "demandes/<uuid:public_id>/renouveler/",
        views.application_renew,
        name="application_renew",
    ),
    path(
        "demandes/<uuid:public_id>/radier/", views.application_radiate, name="application_radiate"
    ),
    path("propositions/", views.offer_list, name="offers"),
    path("propositions/<uuid:public_id>/reponse/", views.offer_answer, name="offer_answer"),
    path("commissions/", views.commission_list, name="commissions"),
    path("commissions/nouvelle/", views.commission_create, name="commission_create"),
    path("commissions/<uuid:public_id>/", views.commission_edit, name="commission_edit"),
    path(
        "commissions/<uuid:public_id>/membres/",
        views.commission_member_add,
        name="commission_member_add",
    ),
    path(
        "commissions/membres/<uuid:public_id>/",
        views.commission_member_edit,
        name="commission_member_edit",
    ),
    path(
        "commissions/membres/<uuid:public_id>/retrait/",
        views.commission_member_remove,
        name="commission_member_remove",
    ),
    path("examens-occupation/", views.occupancy_review_list, name="occupancy_reviews"),
    path(
        "examens-occupation/<uuid:public_id>/",
        views.occupancy_review_detail,
        name="occupancy_review",
    ),
]
