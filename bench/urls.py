"""Benchmark URLconf (config/settings/bench.py): the project's URLs plus the bare view."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as project_urlpatterns
from core.access import authenticated

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


@authenticated
def ping(request: HttpRequest) -> HttpResponse:
    """Login required, one query: the framework's ceiling on this machine."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM organizations_organization")
        count = cursor.fetchone()[0]
    return HttpResponse(f"ok {count}", content_type="text/plain")


urlpatterns = [path("__bench__/ping/", ping, name="bench_ping"), *project_urlpatterns]
