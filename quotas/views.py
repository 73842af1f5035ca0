"""Pages of the quotas app (/quotas/): the dashboard per territory and year, the drill-down to
the households counted, targets and agreements, the yearly review per réservataire."""

from __future__ import annotations

import csv
import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import require
from core.forms import apply_service_errors
from core.pdf import render_pdf
from core.services import document_store
from housing.models import Dwelling
from organizations.models import Territory
from quotas import selectors, services
from quotas.forms import AgreementForm, ExclusionForm, LegalTargetsForm, TargetForm
from quotas.models import ExcludedDwelling, QuotaTarget


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("annee", ""))
    except ValueError:
        return timezone.localdate().year


def _chart(progress: list[selectors.Progress]) -> Any:
    """Achievement of each target, in % of the target (the reports' chart code)."""
    try:
        from reporting.charts import breakdown_chart
    except ImportError:  # pragma: no cover - reporting absent
        return None
    rows = []
    for p in progress:
        if p.achieved is None or not p.target.value:
            continue
        rows.append(
            {
                "label": p.target.label,
                "value": float((p.achieved * 100 / Decimal(p.target.value)).quantize(Decimal("1"))),
            }
        )
    if not rows:
        return None
    return breakdown_chart("Réalisé, en % de l'objectif", rows)


@require("quotas.view_quotas")
def dashboard(request: HttpRequest) -> HttpResponse:
    territories = list(Territory.objects.for_organization(request.organization).order_by("name"))
    year = _year(request)
    territory = None
    wanted = request.GET.get("territoire")
    for t in territories:
        if wanted and str(t.public_id) == wanted:
            territory = t
    if territory is None and territories:
        territory = territories[0]
    board = (
        selectors.quota_dashboard(
            organization=request.organization,
            territory=territory,
            year=year,
            with_households=False,  # the figures; the households are on each target's page
        )
        if territory is not None
        else None
    )
    return render(
        request,
        "quotas/dashboard.html",
        {
            "territories": territories,
            "territory": territory,
            "year": year,
            "years": range(timezone.localdate().year + 1, timezone.localdate().year - 4, -1),
            "board": board,
            "chart": _chart(board.progress) if board else None,
            "legal_form": LegalTargetsForm(
                organization=request.organization,
                initial={"territory": territory, "year": year},
            ),
        },
    )


@require("quotas.view_counted_households", model="quotas.QuotaTarget")
def target_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    target = get_object_or_404(
        selectors.target_list(organization=request.organization), public_id=public_id
    )
    progress = selectors.progress_for_targets(organization=request.organization, targets=[target])[
        target.pk
    ]
    return render(request, "quotas/target_detail.html", {"target": target, "p": progress})


@require("quotas.manage_quotas")
def target_create(request: HttpRequest) -> HttpResponse:
    form = TargetForm(
        request.POST or None,
        organization=request.organization,
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            target = services.target_create(
                organization=request.organization, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Objectif enregistré.")
            return redirect(f"/quotas/?territoire={target.territory.public_id}&annee={target.year}")
    return render(request, "quotas/form.html", {"form": form, "title": "Nouvel objectif"})


@require("quotas.manage_quotas", model="quotas.QuotaTarget")
def target_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    target = get_object_or_404(
        QuotaTarget.objects.for_organization(request.organization), public_id=public_id
    )
    form = TargetForm(
        request.POST or None,
        organization=request.organization,
        initial={f: getattr(target, f) for f in services.TARGET_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.target_update(target=target, updated_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Objectif modifié.")
            return redirect("quotas:target", target.public_id)
    return render(request, "quotas/form.html", {"form": form, "title": "Modifier l'objectif"})


@require("quotas.manage_quotas")
def legal_targets(request: HttpRequest) -> HttpResponse:
    form = LegalTargetsForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        created = services.legal_targets_create(
            organization=request.organization,
            territory=form.cleaned_data["territory"],
            year=form.cleaned_data["year"],
            created_by=request.user,
        )
        messages.success(request, f"{len(created)} objectif(s) légal(aux) créé(s).")
        return redirect(
            f"/quotas/?territoire={form.cleaned_data['territory'].public_id}"
            f"&annee={form.cleaned_data['year']}"
        )
    return render(
        request, "quotas/form.html", {"form": form, "title": "Créer les objectifs légaux"}
    )


@require("quotas.view_quotas")
def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = selectors.agreement_list(organization=request.organization)
    return render(request, "quotas/agreement_list.html", {"agreements": agreements})


@require("quotas.manage_quotas")
def agreement_create(request: HttpRequest) -> HttpResponse:
    form = AgreementForm(
        request.POST or None,
        organization=request.organization,
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_create(
                organization=request.organization, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Convention enregistrée.")
            return redirect("quotas:agreements")
    return render(
        request, "quotas/form.html", {"form": form, "title": "Nouvelle convention de réservation"}
    )


@require("quotas.manage_quotas", model="quotas.ReservationAgreement")
def exclusions(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The dwellings left out of an agreement's flow: list, add one by its reference."""
    agreement = get_object_or_404(
        selectors.agreement_list(organization=request.organization), public_id=public_id
    )
    form = ExclusionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        dwelling = (
            Dwelling.objects.for_organization(request.organization)
            .filter(reference=form.cleaned_data["dwelling_reference"].strip())
            .first()
        )
        try:
            if dwelling is None:
                raise ValidationError({"dwelling_reference": "Aucun logement de cette référence."})
            services.exclusion_add(
                agreement=agreement,
                dwelling=dwelling,
                reason=form.cleaned_data["reason"],
                created_by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(
                form,
                ValidationError(
                    {
                        ("dwelling_reference" if field == "dwelling" else field): messages_
                        for field, messages_ in error.message_dict.items()
                    }
                ),
            )
        else:
            messages.success(request, f"Logement {dwelling.reference} exclu du flux.")
            return redirect("quotas:agreement_exclusions", agreement.public_id)
    return render(
        request,
        "quotas/agreement_exclusions.html",
        {
            "agreement": agreement,
            "exclusions": selectors.agreement_exclusions(
                organization=request.organization, agreement=agreement
            ),
            "form": form,
        },
    )


@require_POST
@require("quotas.manage_quotas", model="quotas.ExcludedDwelling")
def exclusion_remove(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    exclusion = get_object_or_404(
        ExcludedDwelling.objects.for_organization(request.organization).select_related(
            "agreement", "dwelling"
        ),
        public_id=public_id,
    )
    services.exclusion_remove(exclusion=exclusion, removed_by=request.user)
    messages.success(request, f"Logement {exclusion.dwelling.reference} remis dans le flux.")
    return redirect("quotas:agreement_exclusions", exclusion.agreement.public_id)


REVIEW_COLUMNS = [
    "Logement",
    "Résidence",
    "Séance",
    "Candidats",
    "Attribué à (n° unique)",
    "Bail signé le",
    "Ménage prioritaire",
    "DALO",
]


@require("quotas.reservation_review", model="quotas.ReservationAgreement")
def review(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The yearly review: page, CSV (?format=csv), PDF (POST: generated, stored, downloaded)."""
    agreement = get_object_or_404(
        selectors.agreement_list(organization=request.organization), public_id=public_id
    )
    data = selectors.reservation_review(organization=request.organization, agreement=agreement)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="bilan-{agreement.year}-{agreement.public_id}.csv"'
        )
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(REVIEW_COLUMNS)
        for row in data["rows"]:
            writer.writerow(
                [
                    row.dwelling_reference,
                    row.residence,
                    row.session_date.isoformat(),
                    row.candidates,
                    row.attributed_to,
                    row.signed_on.isoformat() if row.signed_on else "",
                    "oui" if row.priority else "non",
                    "oui" if row.dalo else "non",
                ]
            )
        return response
    if request.method == "POST":
        content = render_pdf(
            "quotas/pdf/review.html",
            {"data": data, "organization": request.organization, "today": timezone.localdate()},
        )
        document = document_store(
            organization=request.organization,
            kind="reservation_review",
            title=f"Bilan annuel {agreement.year} — {agreement.partner.name} — {agreement.territory.name}",
            content=content,
            access_action="quotas.reservation_review",
            created_by=request.user,
            subject=agreement,
        )
        return redirect("document_download", document.public_id)
    return render(request, "quotas/review.html", {"data": data, "agreement": agreement})
