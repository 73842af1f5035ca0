from __future__ import annotations

import csv
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from core.access import require
from core.forms import apply_service_errors
from reporting import build, selectors, services
from reporting.forms import IndicatorFilterForm, ReportRequestForm
from reporting.indicators import Unit, registry
from reporting.sections import SECTIONS, available_sections
from reporting.templatetags.reporting_format import fr_change, fr_value


def _list_page(request: HttpRequest, form: ReportRequestForm, status: int = 200) -> HttpResponse:
    jobs = selectors.report_job_list(organization=request.organization)[:50]
    return render(
        request, "reporting/report_list.html", {"form": form, "jobs": jobs}, status=status
    )


@require("reporting.view_reports")
def report_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, ReportRequestForm(organization=request.organization))


@require_POST
@require("reporting.request_report")
def report_request(request: HttpRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST, organization=request.organization)
    if form.is_valid():
        try:
            job, created = services.report_request(
                organization=request.organization,
                requested_by=request.user,
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                territory=form.cleaned_data["territory"],
                sections=form.cleaned_data["sections"] or None,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if created:
                messages.success(request, "Rapport demandé : il est en cours de préparation.")
            else:
                messages.info(request, "Ce rapport est déjà en préparation : voici son avancement.")
            return redirect("reporting:detail", public_id=job.public_id)
    return _list_page(request, form, status=400)


def _job(request: HttpRequest, public_id: uuid.UUID) -> Any:
    return get_object_or_404(
        selectors.report_job_list(organization=request.organization), public_id=public_id
    )


@require("reporting.view_reports", model="reporting.ReportJob")
def report_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    job = _job(request, public_id)
    titles = {s.key: s.title for s in SECTIONS}
    section_titles = [titles.get(key, key) for key in job.sections]
    return render(
        request, "reporting/report_detail.html", {"job": job, "section_titles": section_titles}
    )


@require("reporting.view_reports", model="reporting.ReportJob")
def report_status(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The live status box (htmx polls it every 2 s while the job is pending)."""
    return render(request, "reporting/_job_status.html", {"job": _job(request, public_id)})


@require_POST
@require("reporting.request_report", model="reporting.ReportJob")
def report_retry(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    job = _job(request, public_id)
    try:
        job = services.report_retry(job=job, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Le rapport est relancé.")
    return redirect("reporting:detail", public_id=job.public_id)


def _snapshot(request: HttpRequest, year: int, territory: Any) -> Any:
    return services.indicator_snapshot_obtain(
        organization=request.organization,
        year=year,
        territory=territory,
        acting_user=request.user,
    )


def _dashboard_context(request: HttpRequest, form: IndicatorFilterForm) -> dict[str, Any]:
    year, territory = form.filters()
    snapshot = _snapshot(request, year, territory)
    return {
        "form": form,
        "year": year,
        "territory": territory,
        "snapshot": snapshot,
        "refreshing": services.snapshot_refresh_pending(snapshot, now=timezone.now()),
        "nightly": year >= timezone.localdate().year - 1,
        "sections": build.present_snapshot(snapshot),
    }


@require("reporting.view_indicators")
def indicator_dashboard(request: HttpRequest) -> HttpResponse:
    """Every section's indicators, served from the (year, territory) snapshot: computed in the
    background, "calculé le …" on the page (docs/reporting.md, "Snapshots")."""
    form = IndicatorFilterForm(request.GET or None, organization=request.organization)
    template = "reporting/_indicator_sections.html" if request.htmx else "reporting/indicators.html"
    return render(request, template, _dashboard_context(request, form))


@require_POST
@require("reporting.refresh_indicators")
def indicator_refresh(request: HttpRequest) -> HttpResponse:
    """The "Actualiser" button: the snapshot is computed again in the background; the page
    shows the stored figures meanwhile and follows the refresh."""
    form = IndicatorFilterForm(request.POST, organization=request.organization)
    if not form.is_valid():
        messages.error(request, "Année ou périmètre inconnu : rien n'a été actualisé.")
        return redirect("reporting:indicators")
    year, territory = form.filters()
    try:
        sent = services.indicator_snapshot_refresh(
            organization=request.organization,
            year=year,
            territory=territory,
            requested_by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reporting:indicators")
    if request.htmx:
        return render(
            request, "reporting/_indicator_sections.html", _dashboard_context(request, form)
        )
    if sent:
        messages.success(
            request, "Actualisation demandée : les chiffres seront recalculés dans un instant."
        )
    else:
        messages.info(request, "Une actualisation est déjà en cours.")
    query = urlencode({"year": year, **({"territory": territory.public_id} if territory else {})})
    return redirect(f"{reverse('reporting:indicators')}?{query}")


@require("reporting.view_indicators")
def indicator_export(request: HttpRequest, key: str) -> HttpResponse:
    """CSV of one table of the dashboard: a section's key figures, or one breakdown.
    Semicolons and decimal commas (French spreadsheets), UTF-8 with BOM."""
    form = IndicatorFilterForm(request.GET or None, organization=request.organization)
    year, territory = form.filters()
    indicator = registry().get(key)
    if key not in {s.key for s in available_sections()} and (
        indicator is None or indicator.unit != Unit.BREAKDOWN
    ):
        raise Http404
    # The figures the dashboard shows (its snapshot), not a new computation.
    snapshot = _snapshot(request, year, territory)
    parts = {part["key"]: part for part in snapshot.sections}
    entries = build.entries_by_key(snapshot.sections)
    if key in parts:
        part = parts[key]
        header = ["Indicateur", "Clé", str(year - 1), str(year), "Évolution"]
        rows = [
            [
                e["label"],
                e["key"],
                fr_value(e.get("previous"), e["unit"]) if "previous" in e else "",
                fr_value(e["value"], e["unit"]),
                fr_change(e.get("change"), e["unit"]) if "previous" in e else "",
            ]
            for e in part["indicators"]
            if e["unit"] != Unit.BREAKDOWN
        ]
    elif key in entries:
        header = [entries[key]["label"], "Nombre", "Part (%)"]
        rows = [
            [row["label"], fr_value(row["value"], "count"), fr_value(row["share"], "percent")]
            for row in entries[key]["value"]
        ]
    else:  # registered since the snapshot was computed: shown once it is refreshed
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    scope = territory.name if territory else "organisation"
    filename = f"{key}-{year}-{scope}.csv".replace(" ", "_")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell.replace("\xa0", " ") for cell in row])
    return response
