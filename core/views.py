from __future__ import annotations

import uuid

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from core import selectors
from core.access import authenticated, can, public, require
from core.dashboard import panels_for
from core.models import StoredDocument


@authenticated
def home(request: HttpRequest) -> HttpResponse:
    if getattr(request, "organization", None) is None:
        return render(request, "core/no_organization.html", status=403)
    return render(request, "core/home.html", {"panels": panels_for(request)})


@public
def health(request: HttpRequest) -> JsonResponse:
    """Database, Redis and Celery worker reachability, for load balancers and monitoring."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"erreur : {type(error).__name__}"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
            ).ping()
            checks["redis"] = "ok"
        except Exception as error:
            checks["redis"] = f"erreur : {type(error).__name__}"
        try:
            from config.celery import app

            replies = app.control.ping(timeout=1.0) or []
            checks["worker"] = "ok" if replies else "aucun worker ne répond"
        except Exception as error:
            checks["worker"] = f"erreur : {type(error).__name__}"
    else:
        checks["redis"] = "non configuré (tâches exécutées dans le processus web)"
        checks["worker"] = "non configuré (tâches exécutées dans le processus web)"
    healthy = all(value == "ok" or value.startswith("non configuré") for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "checks": checks},
        status=200 if healthy else 503,
    )


@require("organizations.view_history")
def record_history(request: HttpRequest, model_label: str, public_id: uuid.UUID) -> HttpResponse:
    """The audit trail of one record: who changed what, when (managers)."""
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError) as error:
        raise Http404 from error
    if not hasattr(model, "public_id") or not hasattr(model, "organization_id"):
        raise Http404
    organization = request.organization  # type: ignore[attr-defined]
    obj = get_object_or_404(model.objects.for_organization(organization), public_id=public_id)
    events = selectors.record_history(organization=request.organization, obj=obj)  # type: ignore[attr-defined]
    return render(
        request,
        "core/record_history.html",
        {"object": obj, "model_label": model_label, "events": events},
    )


@authenticated
def document_download(request: HttpRequest, public_id: uuid.UUID) -> FileResponse:
    """A stored document, for users whose role allows its `access_action` (else 404 if it is
    another organisation's, 403 if the role may not read it)."""
    if getattr(request, "organization", None) is None:
        raise Http404
    document = get_object_or_404(
        StoredDocument.objects.for_organization(request.organization),  # type: ignore[attr-defined]
        public_id=public_id,
    )
    if not can(request, document.access_action):
        raise PermissionDenied
    filename = f"{document.title}.pdf".replace("/", "-")
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )


document_download.access_model = "core.StoredDocument"  # type: ignore[attr-defined]
# Serves every organisation-owned model: the isolation sweep tries each.
record_history.access_model = "*"  # type: ignore[attr-defined]


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception) if exception else ""}, status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context processors: nothing here may need the database."""
    from django.template import loader

    return HttpResponse(loader.get_template("500_plain.html").render({}), status=500)
