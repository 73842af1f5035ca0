from django.urls import include, path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("choisir/", views.choose_organization, name="choose"),
    path("membres/", views.member_list, name="members"),
    path("membres/inviter/", views.member_invite, name="member_invite"),
    path("membres/<uuid:public_id>/", views.member_edit, name="member_edit"),
    path("membres/<uuid:public_id>/desactiver/", views.member_deactivate, name="member_deactivate"),
    path("territoires/", views.territory_list, name="territories"),
    path("territoires/nouveau/", views.territory_edit, name="territory_create"),
    path("territoires/<uuid:public_id>/", views.territory_edit, name="territory_edit"),
    path("parametres/", views.parameter_list, name="parameters"),
    path("parametres/<str:key>/", views.parameter_edit, name="parameter_edit"),
    path("double-authentification/", include("organizations.urls_2fa")),
]
