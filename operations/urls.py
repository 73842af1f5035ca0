from django.urls import path

from operations import views

app_name = "operations"

urlpatterns = [
    path("prospections/", views.prospections, name="prospections"),
    path("prospections/nouvelle/", views.prospection_log, name="prospection_log"),
    path("registre/nouveau/", views.register_create, name="register_create"),
    path("registre/import/", views.register_import, name="register_import"),
    path("relogements/", views.relocations, name="relocations"),
    path("relogements/nouvelle/", views.relocation_create, name="relocation_create"),
    path("relogements/<uuid:public_id>/", views.relocation_detail, name="relocation_detail"),
    path("relogements/<uuid:public_id>/modifier/", views.relocation_edit, name="relocation_edit"),
    path(
        "relogements/<uuid:public_id>/menages/",
        views.relocation_household_add,
        name="relocation_household_add",
    ),
    path(
        "relogements/<uuid:public_id>/logements/",
        views.relocation_dwellings,
        name="relocation_dwellings",
    ),
    path(
        "relogements/menages/<uuid:public_id>/statut/",
        views.relocation_advance,
        name="relocation_advance",
    ),
    path(
        "relogements/<uuid:public_id>/positionnements/",
        views.relocation_position,
        name="relocation_position",
    ),
    path(
        "relogements/<uuid:public_id>/accompagnements/",
        views.relocation_accompaniment,
        name="relocation_accompaniment",
    ),
    path("actions/", views.actions, name="actions"),
    path("actions/nouvelle/", views.action_create, name="action_create"),
    path("actions/<uuid:public_id>/", views.action_detail, name="action_detail"),
    path("actions/<uuid:public_id>/modifier/", views.action_edit, name="action_edit"),
    path(
        "actions/<uuid:public_id>/financements/",
        views.action_funding_add,
        name="action_funding_add",
    ),
    path(
        "actions/<uuid:public_id>/participants/",
        views.action_participant_add,
        name="action_participant_add",
    ),
    path("clauses/nouvelle/", views.clause_create, name="clause_create"),
]
