"""URL configuration. Every app's pages and API routes are mounted here automatically:

- pages: `<app>/urls.py` (with `app_name`), under the prefix below;
- API: `<app>/api.py` may define `ROUTES = [(prefix, ViewSet, basename), ...]` for the router
  and `API_PATHS = [path(...), ...]` for other views, all under /api/v1/.

Every view declares an access rule (core/access.py); tests/core/test_access_rules.py walks
this configuration and fails on any view without one.
"""

from importlib import import_module
from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from core import views as core_views
from core.policy import AUTHENTICATED
from organizations import api as organizations_api
from organizations import views as organizations_views

PAGE_PREFIXES = {
    "organizations": "organisation/",
    "housing": "patrimoine/",
    "cases": "accompagnement/",
    "allocations": "attributions/",
    "quotas": "quotas/",
    "arrears": "impayes/",
    "reporting": "rapports/",
    "operations": "operations/",
    "privacy": "donnees-personnelles/",
    "core": "",
}

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"


class _Router(DefaultRouter):
    include_root_view = False


router = _Router(trailing_slash=True)
api_paths = [
    path("auth/token/", organizations_api.TokenView.as_view(), name="api-token"),
    path("me/", organizations_api.MeView.as_view(), name="api-me"),
]
page_urls = []
for app, prefix in PAGE_PREFIXES.items():
    if find_spec(f"{app}.urls") is not None:
        page_urls.append(path(prefix, include(f"{app}.urls")))
    if find_spec(f"{app}.api") is not None:
        module = import_module(f"{app}.api")
        for route in getattr(module, "ROUTES", []):
            router.register(*route)
        api_paths.extend(getattr(module, "API_PATHS", []))

router.register("territories", organizations_api.TerritoryViewSet, "territory")
router.register("users", organizations_api.UserViewSet, "user")


def _documented(view):
    view.access_rule = AUTHENTICATED
    return view


urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("documents/<uuid:public_id>/", core_views.document_download, name="document_download"),
    path(
        "historique/<str:model_label>/<uuid:public_id>/",
        core_views.record_history,
        name="record_history",
    ),
    path("connexion/", organizations_views.login, name="login"),
    path("deconnexion/", organizations_views.logout, name="logout"),
    path("compte/mot-de-passe/", organizations_views.password_change, name="password_change"),
    path(
        "compte/mot-de-passe/ok/",
        organizations_views.password_change_done,
        name="password_change_done",
    ),
    path("compte/oubli/", organizations_views.password_reset, name="password_reset"),
    path(
        "compte/oubli/envoye/", organizations_views.password_reset_done, name="password_reset_done"
    ),
    path(
        "compte/definir/<uidb64>/<token>/",
        organizations_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "compte/definir/fait/",
        organizations_views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("plateforme/", admin.site.urls),
    path("api/v1/", include([*api_paths, *router.urls])),
    path("api/v1/schema/", _documented(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/v1/docs/",
        # The split view serves Swagger UI's settings as a script file: no inline script (CSP).
        _documented(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "api/v1/redoc/",
        _documented(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
    *page_urls,
]
