"""Pages of the DPO and managers: "who saw this", the access log export, the retention
report (dry run, runs, PDF/CSV), legal holds, subject access, erasure requests, consents."""

from __future__ import annotations

import csv
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import selectors as core_selectors
from core.access import can, require
from core.forms import apply_service_errors
from core.models import AccessEvent
from core.pdf import render_pdf
from core.services import access_log
from housing.models import Household, Person
from privacy import partners, selectors, services, subject_access
from privacy.forms import (
    ConsentForm,
    DayForm,
    ErasureDecisionForm,
    ErasureRequestForm,
    LegalHoldForm,
    LegalHoldLiftForm,
    PartnerGrantForm,
    PeriodForm,
)
from privacy.models import ConsentRecord
from privacy.retention import dry_run


def _household(request: HttpRequest, public_id: uuid.UUID) -> Household:
    return get_object_or_404(
        Household.objects.for_organization(request.organization), public_id=public_id
    )


@require("privacy.view_access_log")
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/index.html",
        {
            "runs": selectors.retention_runs(organization=request.organization)[:5],
            "holds": selectors.legal_holds(organization=request.organization, active_only=True)[
                :20
            ],
            "period_form": PeriodForm(),
        },
    )


# --- Read logs --------------------------------------------------------------------------------


@require("privacy.view_access_log", model="housing.Household")
def household_access_log(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Who saw this household's sensitive data, when and through which page (CNIL)."""
    household = _household(request, public_id)
    events = core_selectors.household_access_events(
        organization=request.organization, household_public_id=household.public_id
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request, "privacy/household_access_log.html", {"household": household, "page": page}
    )


@require("privacy.export_access_log")
def access_log_export(request: HttpRequest) -> HttpResponse:
    """The organisation's access log for a period, as CSV (for the DPO, an audit, a request)."""
    form = PeriodForm(request.GET or None)
    if not form.is_valid():
        return render(request, "privacy/access_log_export.html", {"form": form})
    events = selectors.access_log_for_period(
        organization=request.organization,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
    )
    actions = dict(AccessEvent.Action.choices)
    name = f"journal-consultations-{form.cleaned_data['start']}-{form.cleaned_data['end']}.csv"
    # Written inside the request (not streamed): the organisation scope and the database
    # context end with the view.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "date",
            "utilisateur",
            "e-mail",
            "organisation partenaire (mandat)",
            "action",
            "objet",
            "identifiant",
            "ménage",
            "contexte",
        ]
    )
    for event in events.iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(event.at).isoformat(timespec="seconds"),
                event.user.get_full_name(),
                event.user.email,
                event.acting_organization.name if event.acting_organization else "",
                actions.get(event.action, event.action),
                event.object_type,
                event.object_id,
                event.household_id or "",
                event.context,
            ]
        )
    return response


# --- Retention ----------------------------------------------------------------------------------


def _report(request: HttpRequest):
    form = DayForm(request.GET or None)
    day = form.day_or_today()
    return form, day, dry_run(organization=request.organization, today=day)


@require("privacy.view_retention")
def retention_report(request: HttpRequest) -> HttpResponse:
    """The dry run: what the retention rules would delete or anonymise on a date."""
    form, day, results = _report(request)
    return render(
        request,
        "privacy/retention_report.html",
        {
            "form": form,
            "day": day,
            "results": results,
            "total": sum(r["count"] for r in results),
            "runs": selectors.retention_runs(organization=request.organization)[:20],
            "query": request.GET.urlencode(),
        },
    )


@require("privacy.view_retention")
def retention_report_csv(request: HttpRequest) -> HttpResponse:
    _, day, results = _report(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="conservation-simulation-{day}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["règle", "libellé", "action", "lignes", "paramètre", "valeur", "fondement"])
    for r in results:
        writer.writerow(
            [
                r["key"],
                r["label"],
                r["action"],
                r["count"],
                r["parameter"],
                r["value"],
                r["legal_basis"],
            ]
        )
    return response


@require("privacy.view_retention")
def retention_report_pdf(request: HttpRequest) -> HttpResponse:
    _, day, results = _report(request)
    pdf = render_pdf(
        "privacy/retention_report_pdf.html",
        {
            "organization": request.organization,
            "day": day,
            "results": results,
            "total": sum(r["count"] for r in results),
            "generated_at": timezone.now(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="conservation-simulation-{day}.pdf"'
    return response


@require_POST
@require("privacy.run_retention")
def retention_run_now(request: HttpRequest) -> HttpResponse:
    run = services.retention_run(organization=request.organization, acting_user=request.user)
    if run.error:
        messages.warning(request, f"Conservation appliquée avec des erreurs : {run.error[:200]}")
    else:
        messages.success(request, f"Conservation appliquée : {run.total} ligne(s) traitée(s).")
    return redirect("privacy:retention")


# --- Legal holds --------------------------------------------------------------------------------


@require("privacy.manage_legal_holds", model="housing.Household")
def legal_hold_set(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    household = _household(request, public_id)
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_set(
                organization=request.organization,
                household=household,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Gel de suppression posé.")
            return redirect("privacy:legal_holds")
    holds = selectors.household_legal_holds(organization=request.organization, household=household)
    return render(
        request,
        "privacy/legal_hold_form.html",
        {"form": form, "household": household, "holds": holds},
    )


@require("privacy.manage_legal_holds")
def legal_hold_list(request: HttpRequest) -> HttpResponse:
    holds = selectors.legal_holds(organization=request.organization)
    page = Paginator(holds, 50).get_page(request.GET.get("page"))
    return render(request, "privacy/legal_hold_list.html", {"page": page})


@require("privacy.manage_legal_holds", model="privacy.LegalHold")
def legal_hold_lift(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    hold = get_object_or_404(
        selectors.legal_holds(organization=request.organization), public_id=public_id
    )
    form = LegalHoldLiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_lift(
                hold=hold, reason=form.cleaned_data["lift_reason"], acting_user=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Gel levé.")
            return redirect("privacy:legal_holds")
    return render(request, "privacy/legal_hold_lift.html", {"form": form, "hold": hold})


# --- Subject access -------------------------------------------------------------------------------


def _export_logged(request: HttpRequest, obj, household: Household, context: str) -> None:
    access_log(
        request=request,
        obj=obj,
        household_id=household.public_id,
        context=context,
        action=AccessEvent.Action.EXPORT,
    )


@require("privacy.subject_access", model="housing.Household")
def subject_access_household(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Everything about the household, as JSON, for the record of the answer."""
    household = _household(request, public_id)
    data = subject_access.collect(household=household)
    _export_logged(request, household, household, "Droit d'accès (ménage, JSON)")
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="droit-acces-{household.public_id}.json"'
    )
    return response


def _person(request: HttpRequest, public_id: uuid.UUID) -> Person:
    return get_object_or_404(
        Person.objects.for_organization(request.organization).select_related("household"),
        public_id=public_id,
    )


@require("privacy.subject_access", model="housing.Person")
def subject_access_person(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """What the person receives (PDF), or the same as JSON with ?format=json."""
    person = _person(request, public_id)
    household = person.household
    data = subject_access.collect(household=household, person=person)
    if request.GET.get("format") == "json":
        _export_logged(request, person, household, "Droit d'accès (personne, JSON)")
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = (
            f'attachment; filename="droit-acces-{person.public_id}.json"'
        )
        return response
    _export_logged(request, person, household, "Droit d'accès (personne, PDF)")
    pdf = render_pdf(
        "privacy/subject_access_pdf.html",
        {
            "organization": request.organization,
            "person": person,
            "data": data,
            "generated_at": timezone.now(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="droit-acces-{person.public_id}.pdf"'
    return response


@require("privacy.subject_access", model="housing.Household")
def subject_access_page(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    household = _household(request, public_id)
    return render(
        request,
        "privacy/subject_access.html",
        {
            "household": household,
            "members": household.members.all(),
            "holds": selectors.household_legal_holds(
                organization=request.organization, household=household
            ),
            "withheld": [
                (str(model._meta.verbose_name_plural), subject_access.withheld_fields(model))
                for model, _, _ in subject_access.exported_models()
                if subject_access.withheld_fields(model)
            ],
        },
    )


# --- Erasure requests ------------------------------------------------------------------------------


@require("privacy.manage_erasure_requests")
def erasure_request_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.erasure_requests(organization=request.organization), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "privacy/erasure_request_list.html", {"page": page})


@require("privacy.manage_erasure_requests", model="housing.Household")
def erasure_request_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    household = _household(request, public_id)
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erasure_request_create(
                organization=request.organization,
                household=household,
                acting_user=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Demande d'effacement enregistrée.")
            return redirect("privacy:erasure_requests")
    return render(
        request, "privacy/erasure_request_form.html", {"form": form, "household": household}
    )


@require("privacy.manage_erasure_requests", model="privacy.ErasureRequest")
def erasure_request_decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    erasure_request = get_object_or_404(
        selectors.erasure_requests(organization=request.organization), public_id=public_id
    )
    form = ErasureDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erasure_request_decide(
                erasure_request=erasure_request,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Décision enregistrée.")
            return redirect("privacy:erasure_requests")
    return render(
        request,
        "privacy/erasure_request_decide.html",
        {"form": form, "erasure_request": erasure_request},
    )


# --- Consents ------------------------------------------------------------------------------------------


@require("privacy.view_consents", model="housing.Household")
def household_consents(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    household = _household(request, public_id)
    form = ConsentForm(request.POST or None, household=household)
    if request.method == "POST":
        if not can(request, "privacy.manage_consents"):
            raise PermissionDenied("Votre rôle ne permet pas d'enregistrer un consentement.")
        if form.is_valid():
            try:
                services.consent_record(
                    organization=request.organization,
                    household=household,
                    acting_user=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Consentement enregistré.")
                return redirect("privacy:household_consents", public_id=household.public_id)
    consents = selectors.household_consents(organization=request.organization, household=household)
    return render(
        request,
        "privacy/household_consents.html",
        {
            "household": household,
            "consents": consents,
            "form": form,
            "today": timezone.localdate(),
        },
    )


@require_POST
@require("privacy.manage_consents", model="privacy.ConsentRecord")
def consent_withdraw(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    consent = get_object_or_404(
        ConsentRecord.objects.for_organization(request.organization).select_related("household"),
        public_id=public_id,
    )
    try:
        services.consent_withdraw(consent=consent, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Consentement retiré.")
    return redirect("privacy:household_consents", public_id=consent.household.public_id)


# --- Partner access under mandate ------------------------------------------------------------------


@require("privacy.view_partner_grants")
def partner_grant_list(request: HttpRequest) -> HttpResponse:
    grants = partners.grants_given(organization=request.organization)
    return render(
        request,
        "privacy/partner_grant_list.html",
        {"grants": grants, "today": timezone.localdate()},
    )


@require("privacy.manage_partner_grants")
def partner_grant_create(request: HttpRequest) -> HttpResponse:
    form = PartnerGrantForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partners.partner_grant_create(
                organization=request.organization,
                partner_organization=data["partner_slug"],
                scope=data["scope"],
                permissions=data["permissions"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                mandate_reference=data["mandate_reference"],
                households=data["households"],
                programme=data["programme"],
                residence=data["residence"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Accès partenaire accordé.")
            return redirect("privacy:partner_grants")
    return render(request, "privacy/partner_grant_form.html", {"form": form})


@require_POST
@require("privacy.manage_partner_grants", model="privacy.PartnerAccessGrant")
def partner_grant_revoke(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    grant = get_object_or_404(
        partners.grants_given(organization=request.organization), public_id=public_id
    )
    try:
        partners.partner_grant_revoke(grant=grant, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Accès révoqué : il cesse dès la prochaine requête.")
    return redirect("privacy:partner_grants")
