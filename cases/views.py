"""Pages of the social accompaniment. Reads go through selectors, writes through services;
each display of a confidential note is access-logged (core.services.access_log*)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cases import forms, indicators, selectors, services
from cases.enums import CaseStatus, InterventionKind, Service
from cases.models import (
    AdaptationRequest,
    CampaignTarget,
    CaseReview,
    CaseReviewItem,
    Evaluation,
    OutreachCampaign,
    ProgrammeEnrolment,
    SocialCase,
    StatusChange,
    SupportProgramme,
)
from cases.policy import can_read_note
from core.access import can, require
from core.forms import apply_service_errors
from core.services import access_log, access_log_many
from organizations.enums import Role

# --- helpers -------------------------------------------------------------------------------------------


def _org(request: HttpRequest) -> Any:
    return request.organization  # type: ignore[attr-defined]


def _household(request: HttpRequest, public_id: uuid.UUID) -> Any:
    from housing.models import Household

    return get_object_or_404(Household.objects.for_organization(_org(request)), public_id=public_id)


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _form_page(
    request: HttpRequest,
    form: Any,
    title: str,
    cancel: str,
    *,
    submit: str = "Enregistrer",
    intro: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "cases/form.html",
        {"form": form, "title": title, "cancel": cancel, "submit": submit, "intro": intro},
        status=status,
    )


def _log_notes(request: HttpRequest, objects: Iterable[Any], context: str) -> set[int]:
    """Which of `objects` may show their note to this member; log those that have one."""
    visible = [o for o in objects if can_read_note(request, o)]
    shown = [o for o in visible if _has_note(o)]
    if shown:
        access_log_many(
            request=request,
            objects=shown,
            household_id_of=lambda o: o.household.public_id,
            context=context,
        )
    return {o.pk for o in visible}


def _has_note(obj: Any) -> bool:
    from cases.models import NOTE_FIELDS

    return any(getattr(obj, f, "") for f in NOTE_FIELDS.get(type(obj).__name__, ()))


def _page(request: HttpRequest, queryset: Any, size: int = 50) -> Any:
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _changes(obj: Any) -> list[StatusChange]:
    return list(
        StatusChange.objects.filter(subject_type=obj._meta.label, subject_id=obj.public_id)
        .select_related("actor")
        .order_by("at", "pk")
    )


# --- Caseload -----------------------------------------------------------------------------------------


@require("cases.view_caseload")
def caseload(request: HttpRequest) -> HttpResponse:
    """The social worker's home: what to do today, one click to log a contact."""
    data = selectors.caseload(organization=_org(request), user=request.user)
    return render(request, "cases/caseload.html", {"caseload": data})


# --- Household ----------------------------------------------------------------------------------------


@require("cases.view_cases", model="housing.Household")
def household_social(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The social file of one household: accompaniments, evaluations, contacts, orientations."""
    household = _household(request, public_id)
    org = _org(request)
    overview = selectors.household_overview(organization=org, household=household)
    for obj in overview["cases"] + overview["evaluations"] + overview["interventions"]:
        obj.household = household
    visible = _log_notes(
        request,
        overview["interventions"] + overview["cases"],
        "Suivi social du ménage",
    )
    return render(
        request,
        "cases/household.html",
        {
            "household": household,
            "overview": overview,
            "visible_notes": visible,
            "synthesis": selectors.household_social_synthesis(
                organization=org, household=household
            ),
        },
    )


# --- Interventions ------------------------------------------------------------------------------------


def _default_service(request: HttpRequest) -> str:
    membership = getattr(request, "membership", None)
    if membership is not None and membership.role == Role.ARREARS_OFFICER:
        return Service.ARREARS
    return Service.SOCIAL


@require("cases.log_intervention", model="housing.Household")
def intervention_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Log a contact in a few seconds (htmx: the form swaps in place of the caseload line)."""
    household = _household(request, public_id)
    initial = {"kind": request.GET.get("kind") or InterventionKind.PHONE_OUT}
    form = forms.InterventionForm(request.POST or None, initial=initial)
    template = "cases/_intervention_form.html" if request.htmx else "cases/intervention_form.html"  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            intervention = services.intervention_log(
                organization=_org(request),
                household=household,
                author=request.user,
                service=_default_service(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return render(
                    request,
                    "cases/_intervention_logged.html",
                    {"intervention": intervention, "household": household},
                )
            messages.success(request, "Intervention enregistrée.")
            return redirect(_next(request, reverse("cases:caseload")))
    return render(
        request,
        template,
        {"form": form, "household": household, "next": _next(request, "")},
        # htmx swaps only 2xx answers: the form with its errors comes back as a 200.
        status=400 if form.errors and not request.htmx else 200,  # type: ignore[attr-defined]
    )


@require("cases.view_cases")
def intervention_list(request: HttpRequest) -> HttpResponse:
    """Contacts logged (no notes in the list: open one to read it)."""
    mine = request.GET.get("mes") == "1"
    year = request.GET.get("annee", "")
    interventions = selectors.intervention_list(
        organization=_org(request),
        author=request.user if mine else None,
        service=request.GET.get("service") or None,
        kind=request.GET.get("type") or None,
        year=int(year) if year.isdigit() else None,
    ).defer("note")
    return render(
        request,
        "cases/intervention_list.html",
        {
            "page": _page(request, interventions),
            "kinds": InterventionKind.choices,
            "services": Service.choices,
            "mine": mine,
        },
    )


@require("cases.view_cases")
def intervention_export(request: HttpRequest) -> HttpResponse:
    """The contacts of a year as CSV for counting (never the notes, whoever asks)."""
    import csv

    year = request.GET.get("annee", "")
    interventions = selectors.intervention_list(
        organization=_org(request),
        service=request.GET.get("service") or None,
        year=int(year) if year.isdigit() else timezone.localdate().year,
    ).defer("note")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="interventions.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        ["date", "ménage", "type", "service", "durée (min)", "motif", "objet", "résultat", "par"]
    )
    for i in interventions.iterator(chunk_size=500):
        writer.writerow(
            [
                i.occurred_on.isoformat(),
                i.household.name,
                i.get_kind_display(),
                i.get_service_display(),
                i.duration_minutes,
                i.get_motive_display(),
                i.subject,
                i.get_outcome_display(),
                i.author.get_full_name() or i.author.email,
            ]
        )
    return response


@require("cases.view_cases", model="cases.Intervention")
def intervention_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    intervention = get_object_or_404(
        selectors.intervention_list(organization=_org(request)), public_id=public_id
    )
    show_note = can_read_note(request, intervention)
    if show_note and intervention.note:
        access_log(
            request=request,
            obj=intervention,
            household_id=intervention.household.public_id,
            context="Intervention",
        )
    return render(
        request,
        "cases/intervention_detail.html",
        {"intervention": intervention, "show_note": show_note},
    )


# --- Accompaniments ----------------------------------------------------------------------------------


@require("cases.view_cases")
def social_case_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("statut", "active")
    mine = request.GET.get("mes") == "1"
    cases = selectors.social_case_list(
        organization=_org(request),
        status=status if status in ("active", *CaseStatus.values) else None,
        referent=request.user if mine else None,
        motive=request.GET.get("motif") or None,
    )
    from cases.enums import Motive

    return render(
        request,
        "cases/social_case_list.html",
        {
            "page": _page(request, cases),
            "status": status,
            "mine": mine,
            "statuses": CaseStatus.choices,
            "motives": Motive.choices,
            "today": timezone.localdate(),
        },
    )


@require("cases.manage_cases", model="housing.Household")
def social_case_open(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    household = _household(request, public_id)
    form = forms.SocialCaseOpenForm(
        request.POST or None, organization=_org(request), initial={"referent": request.user}
    )
    if request.method == "POST" and form.is_valid():
        try:
            social_case = services.social_case_open(
                organization=_org(request),
                household=household,
                opened_by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Accompagnement ouvert.")
            return redirect("cases:social_case_detail", public_id=social_case.public_id)
    return _form_page(
        request,
        form,
        f"Ouvrir un accompagnement — {household}",
        reverse("cases:household", args=[household.public_id]),
        submit="Ouvrir",
        status=400 if form.errors else 200,
    )


def _social_case(request: HttpRequest, public_id: uuid.UUID) -> SocialCase:
    return get_object_or_404(
        SocialCase.objects.for_organization(_org(request)).select_related(
            "household", "referent", "external_partner", "programme"
        ),
        public_id=public_id,
    )


@require("cases.view_cases", model="cases.SocialCase")
def social_case_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    social_case = _social_case(request, public_id)
    interventions = list(
        social_case.interventions.select_related("author").order_by("-occurred_on", "-pk")
    )
    for i in interventions:
        i.household = social_case.household
    visible = _log_notes(request, [social_case, *interventions], "Accompagnement social")
    return render(
        request,
        "cases/social_case_detail.html",
        {
            "case": social_case,
            "interventions": interventions,
            "visible_notes": visible,
            "extensions": list(social_case.extensions.order_by("created_at")),
            "evaluations": list(social_case.evaluations.defer(*selectors.EVALUATION_NOTES)),
            "referrals": list(social_case.referrals.select_related("partner")),
            "changes": _changes(social_case),
            "extend_form": forms.ExtendForm(),
            "close_form": forms.CloseForm(),
            "status_form": forms.CaseStatusForm(),
        },
    )


def _case_action(
    request: HttpRequest, public_id: uuid.UUID, form_class: Any, title: str, action: Any
) -> HttpResponse:
    social_case = _social_case(request, public_id)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action(social_case, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Accompagnement mis à jour.")
            return redirect("cases:social_case_detail", public_id=social_case.public_id)
    return _form_page(
        request,
        form,
        f"{title} — {social_case.household}",
        reverse("cases:social_case_detail", args=[social_case.public_id]),
        status=400 if form.errors else 200,
    )


@require("cases.manage_cases", model="cases.SocialCase")
def social_case_extend(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _case_action(
        request,
        public_id,
        forms.ExtendForm,
        "Prolonger l'accompagnement",
        lambda c, data: services.social_case_extend(
            social_case=c, extended_by=request.user, **data
        ),
    )


@require("cases.manage_cases", model="cases.SocialCase")
def social_case_close(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _case_action(
        request,
        public_id,
        forms.CloseForm,
        "Clore l'accompagnement",
        lambda c, data: services.social_case_close(social_case=c, closed_by=request.user, **data),
    )


@require("cases.manage_cases", model="cases.SocialCase")
def social_case_status(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _case_action(
        request,
        public_id,
        forms.CaseStatusForm,
        "Suspendre, reprendre ou rouvrir",
        lambda c, data: services.social_case_set_status(social_case=c, actor=request.user, **data),
    )


# --- Evaluations --------------------------------------------------------------------------------------


@require("cases.view_evaluations")
def evaluation_list(request: HttpRequest) -> HttpResponse:
    evaluations = selectors.evaluation_list(organization=_org(request)).defer(
        *selectors.EVALUATION_NOTES
    )
    return render(request, "cases/evaluation_list.html", {"page": _page(request, evaluations)})


@require("cases.manage_evaluations", model="housing.Household")
def evaluation_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    household = _household(request, public_id)
    form = forms.EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_create(
                organization=_org(request),
                household=household,
                author=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Évaluation enregistrée.")
            return redirect("cases:evaluation_detail", public_id=evaluation.public_id)
    return _form_page(
        request,
        form,
        f"Évaluation sociale — {household}",
        reverse("cases:household", args=[household.public_id]),
        status=400 if form.errors else 200,
    )


def _evaluation(request: HttpRequest, public_id: uuid.UUID) -> Evaluation:
    return get_object_or_404(
        selectors.evaluation_list(organization=_org(request)), public_id=public_id
    )


@require("cases.view_evaluations", model="cases.Evaluation")
def evaluation_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    evaluation = _evaluation(request, public_id)
    show_notes = can_read_note(request, evaluation)
    if show_notes:
        access_log(
            request=request,
            obj=evaluation,
            household_id=evaluation.household.public_id,
            context="Évaluation sociale",
        )
    return render(
        request,
        "cases/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "show_notes": show_notes,
            "complete_form": forms.EvaluationCompleteForm(),
            "changes": _changes(evaluation),
        },
    )


@require("cases.manage_evaluations", model="cases.Evaluation")
def evaluation_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    evaluation = _evaluation(request, public_id)
    initial = {f: getattr(evaluation, f) for f in forms.EvaluationForm.base_fields}
    form = forms.EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_update(
                evaluation=evaluation, updated_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Évaluation mise à jour.")
            return redirect("cases:evaluation_detail", public_id=evaluation.public_id)
    elif request.method == "GET":
        access_log(
            request=request,
            obj=evaluation,
            household_id=evaluation.household.public_id,
            context="Évaluation sociale (modification)",
        )
    return _form_page(
        request,
        form,
        f"Modifier l'évaluation — {evaluation.household}",
        reverse("cases:evaluation_detail", args=[evaluation.public_id]),
        status=400 if form.errors else 200,
    )


@require_POST
@require("cases.manage_evaluations", model="cases.Evaluation")
def evaluation_complete(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    evaluation = _evaluation(request, public_id)
    form = forms.EvaluationCompleteForm(request.POST)
    if form.is_valid():
        try:
            services.evaluation_complete(
                evaluation=evaluation,
                completed_by=request.user,
                open_case=form.cleaned_data["open_case"],
                motives=form.cleaned_data["motives"] or None,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Évaluation terminée.")
    return redirect("cases:evaluation_detail", public_id=evaluation.public_id)


# --- Referrals ----------------------------------------------------------------------------------------


@require("cases.view_cases")
def referral_list(request: HttpRequest) -> HttpResponse:
    referrals = selectors.referral_list(
        organization=_org(request), status=request.GET.get("statut") or None
    ).defer("note")
    return render(request, "cases/referral_list.html", {"page": _page(request, referrals)})


@require("cases.manage_referrals", model="housing.Household")
def referral_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    household = _household(request, public_id)
    form = forms.ReferralForm(request.POST or None, organization=_org(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(
                organization=_org(request),
                household=household,
                referred_by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Orientation enregistrée.")
            return redirect("cases:household", public_id=household.public_id)
    return _form_page(
        request,
        form,
        f"Orienter vers un partenaire — {household}",
        reverse("cases:household", args=[household.public_id]),
        status=400 if form.errors else 200,
    )


@require("cases.manage_referrals", model="cases.Referral")
def referral_outcome(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = get_object_or_404(
        selectors.referral_list(organization=_org(request)), public_id=public_id
    )
    form = forms.ReferralOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_record_outcome(
                referral=referral, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Suite de l'orientation enregistrée.")
            return redirect("cases:referrals")
    return _form_page(
        request,
        form,
        f"Suite de l'orientation vers {referral.partner} — {referral.household}",
        reverse("cases:referrals"),
        status=400 if form.errors else 200,
    )


# --- Appointments -------------------------------------------------------------------------------------


@require("cases.manage_appointments")
def appointment_list(request: HttpRequest) -> HttpResponse:
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    appointments = selectors.appointment_list(
        organization=_org(request),
        worker=None if request.GET.get("tous") == "1" else request.user,
        start=start,
        status="planned",
    )
    return render(request, "cases/appointment_list.html", {"page": _page(request, appointments)})


@require("cases.manage_appointments", model="housing.Household")
def appointment_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    household = _household(request, public_id)
    form = forms.AppointmentForm(
        request.POST or None,
        organization=_org(request),
        initial={"worker": request.user, "kind": InterventionKind.HOME_VISIT},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_plan(
                organization=_org(request),
                household=household,
                planned_by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Rendez-vous planifié.")
            return redirect(_next(request, reverse("cases:caseload")))
    return _form_page(
        request,
        form,
        f"Planifier un rendez-vous — {household}",
        reverse("cases:household", args=[household.public_id]),
        status=400 if form.errors else 200,
    )


@require("cases.manage_appointments", model="cases.Appointment")
def appointment_status(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    appointment = get_object_or_404(
        selectors.appointment_list(organization=_org(request)), public_id=public_id
    )
    form = forms.AppointmentStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_set_status(
                appointment=appointment, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Rendez-vous mis à jour.")
            return redirect(_next(request, reverse("cases:caseload")))
    return _form_page(
        request,
        form,
        f"{appointment}",
        reverse("cases:caseload"),
        status=400 if form.errors else 200,
    )


# --- Outreach campaigns -------------------------------------------------------------------------------


@require("cases.view_campaigns")
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.campaign_list(organization=_org(request))
    return render(request, "cases/campaign_list.html", {"page": _page(request, campaigns)})


@require("cases.manage_campaigns")
def campaign_create(request: HttpRequest) -> HttpResponse:
    from core.parameters import get_parameter

    form = forms.CampaignForm(
        request.POST or None,
        organization=_org(request),
        initial={
            "min_age": get_parameter("cases.campaign_default_min_age", organization=_org(request)),
            "tenants_only": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                organization=_org(request),
                name=data["name"],
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                criteria=form.criteria(),
                calls_per_week=data["calls_per_week"],
                callers=list(data["callers"]),
                created_by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Campagne créée : générez la liste des ménages.")
            return redirect("cases:campaign_detail", public_id=campaign.public_id)
    return _form_page(
        request,
        form,
        "Nouvelle campagne d'aller vers",
        reverse("cases:campaigns"),
        status=400 if form.errors else 200,
    )


def _campaign(request: HttpRequest, public_id: uuid.UUID) -> OutreachCampaign:
    return get_object_or_404(
        OutreachCampaign.objects.for_organization(_org(request)), public_id=public_id
    )


@require("cases.view_campaigns", model="cases.OutreachCampaign")
def campaign_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    campaign = _campaign(request, public_id)
    targets = selectors.campaign_targets(campaign=campaign)
    if request.GET.get("mes") == "1":
        targets = targets.filter(assigned_to=request.user)
    return render(
        request,
        "cases/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": selectors.campaign_progress(campaign=campaign),
            "page": _page(request, targets, 100),
            "callers": list(campaign.callers.order_by("last_name")),
        },
    )


@require("cases.view_campaigns", model="cases.OutreachCampaign")
def campaign_progress(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The progress bar alone, polled by htmx while the campaign runs."""
    campaign = _campaign(request, public_id)
    return render(
        request,
        "cases/_campaign_progress.html",
        {"campaign": campaign, "progress": selectors.campaign_progress(campaign=campaign)},
    )


@require_POST
@require("cases.manage_campaigns", model="cases.OutreachCampaign")
def campaign_generate(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    campaign = _campaign(request, public_id)
    try:
        added = services.campaign_generate_targets(campaign=campaign, generated_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{added} ménage(s) ajouté(s) à la liste.")
    return redirect("cases:campaign_detail", public_id=campaign.public_id)


@require_POST
@require("cases.manage_campaigns", model="cases.OutreachCampaign")
def campaign_status(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    campaign = _campaign(request, public_id)
    try:
        services.campaign_set_status(
            campaign=campaign, status=request.POST.get("status", ""), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Statut de la campagne mis à jour.")
    return redirect("cases:campaign_detail", public_id=campaign.public_id)


@require("cases.call_campaign", model="cases.CampaignTarget")
def campaign_call(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Record one call of a campaign (htmx: swapped in place of the list line)."""
    target = get_object_or_404(
        CampaignTarget.objects.for_organization(_org(request)).select_related(
            "household", "campaign"
        ),
        public_id=public_id,
    )
    form = forms.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_contact_record(
                target=target, caller=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            target.refresh_from_db()
            if request.htmx:  # type: ignore[attr-defined]
                return render(request, "cases/_call_logged.html", {"target": target})
            messages.success(request, "Appel enregistré.")
            return redirect(_next(request, reverse("cases:caseload")))
    template = "cases/_call_form.html" if request.htmx else "cases/call_form.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"form": form, "target": target, "next": _next(request, "")},
        status=400 if form.errors and not request.htmx else 200,  # type: ignore[attr-defined]
    )


# --- Adaptation requests ------------------------------------------------------------------------------


@require("cases.view_adaptations")
def adaptation_list(request: HttpRequest) -> HttpResponse:
    from cases.enums import AdaptationStatus

    requests = selectors.adaptation_list(
        organization=_org(request), status=request.GET.get("statut") or None
    )
    return render(
        request,
        "cases/adaptation_list.html",
        {"page": _page(request, requests), "statuses": AdaptationStatus.choices},
    )


@require("cases.manage_adaptations", model="housing.Household")
def adaptation_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    household = _household(request, public_id)
    form = forms.AdaptationForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            adaptation = services.adaptation_request_create(
                organization=_org(request),
                household=household,
                requested_by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Demande d'adaptation enregistrée.")
            return redirect("cases:adaptation_detail", public_id=adaptation.public_id)
    return _form_page(
        request,
        form,
        f"Demande d'adaptation du logement — {household}",
        reverse("cases:household", args=[household.public_id]),
        status=400 if form.errors else 200,
    )


def _adaptation(request: HttpRequest, public_id: uuid.UUID) -> AdaptationRequest:
    return get_object_or_404(
        AdaptationRequest.objects.for_organization(_org(request)).select_related(
            "household", "requester"
        ),
        public_id=public_id,
    )


@require("cases.view_adaptations", model="cases.AdaptationRequest")
def adaptation_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    adaptation = _adaptation(request, public_id)
    show_note = can_read_note(request, adaptation)
    if show_note and adaptation.note:
        access_log(
            request=request,
            obj=adaptation,
            household_id=adaptation.household.public_id,
            context="Demande d'adaptation",
        )
    return render(
        request,
        "cases/adaptation_detail.html",
        {
            "adaptation": adaptation,
            "show_note": show_note,
            "fundings": list(adaptation.fundings.select_related("partner")),
            "decision_form": forms.AdaptationDecisionForm(),
            "progress_form": forms.AdaptationProgressForm(),
            "funding_form": forms.FundingForm(organization=_org(request)),
            "changes": _changes(adaptation),
        },
    )


def _adaptation_post(
    request: HttpRequest, public_id: uuid.UUID, form: Any, action: Any
) -> HttpResponse:
    adaptation = _adaptation(request, public_id)
    if form.is_valid():
        try:
            action(adaptation, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Demande mise à jour.")
    else:
        messages.error(request, "Formulaire incomplet : " + form.errors.as_text())
    return redirect("cases:adaptation_detail", public_id=adaptation.public_id)


@require_POST
@require("cases.manage_adaptations", model="cases.AdaptationRequest")
def adaptation_decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _adaptation_post(
        request,
        public_id,
        forms.AdaptationDecisionForm(request.POST),
        lambda a, d: services.adaptation_request_decide(request=a, decided_by=request.user, **d),
    )


@require_POST
@require("cases.manage_adaptations", model="cases.AdaptationRequest")
def adaptation_progress(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _adaptation_post(
        request,
        public_id,
        forms.AdaptationProgressForm(request.POST),
        lambda a, d: services.adaptation_request_progress(request=a, actor=request.user, **d),
    )


@require_POST
@require("cases.manage_adaptations", model="cases.AdaptationRequest")
def adaptation_funding(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _adaptation_post(
        request,
        public_id,
        forms.FundingForm(request.POST, organization=_org(request)),
        lambda a, d: services.adaptation_funding_set(request=a, set_by=request.user, **d),
    )


# --- Social-action commission -------------------------------------------------------------------------


@require("cases.view_case_reviews")
def case_review_list(request: HttpRequest) -> HttpResponse:
    reviews = selectors.case_review_list(organization=_org(request))
    return render(request, "cases/case_review_list.html", {"page": _page(request, reviews)})


@require("cases.manage_case_reviews")
def case_review_create(request: HttpRequest) -> HttpResponse:
    form = forms.CaseReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        review = services.case_review_create(
            organization=_org(request), created_by=request.user, **form.cleaned_data
        )
        messages.success(request, "Commission planifiée.")
        return redirect("cases:case_review_detail", public_id=review.public_id)
    return _form_page(
        request,
        form,
        "Nouvelle commission d'action sociale",
        reverse("cases:case_reviews"),
        status=400 if form.errors else 200,
    )


def _review(request: HttpRequest, public_id: uuid.UUID) -> CaseReview:
    return get_object_or_404(
        CaseReview.objects.for_organization(_org(request)), public_id=public_id
    )


@require("cases.view_case_reviews", model="cases.CaseReview")
def case_review_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    review = _review(request, public_id)
    items = list(review.items.select_related("household", "social_case").order_by("pk"))
    for item in items:  # one form per file, with ids of its own (labels stay unambiguous)
        item.decision_form = forms.ReviewDecisionForm(auto_id=f"id_item{item.pk}_%s")
    visible = _log_notes(request, items, "Commission d'action sociale")
    return render(
        request,
        "cases/case_review_detail.html",
        {
            "review": review,
            "items": items,
            "visible_notes": visible,
            "item_form": forms.ReviewItemForm(organization=_org(request)),
        },
    )


@require_POST
@require("cases.manage_case_reviews", model="cases.CaseReview")
def case_review_item_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    review = _review(request, public_id)
    form = forms.ReviewItemForm(request.POST, organization=_org(request))
    if form.is_valid():
        try:
            services.case_review_item_add(review=review, added_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Dossier inscrit à l'ordre du jour.")
    else:
        messages.error(request, "Formulaire incomplet : " + form.errors.as_text())
    return redirect("cases:case_review_detail", public_id=review.public_id)


@require_POST
@require("cases.manage_case_reviews", model="cases.CaseReviewItem")
def case_review_item_decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    item = get_object_or_404(
        CaseReviewItem.objects.for_organization(_org(request)).select_related(
            "review", "household"
        ),
        public_id=public_id,
    )
    form = forms.ReviewDecisionForm(request.POST)
    if form.is_valid():
        services.case_review_item_decide(item=item, decided_by=request.user, **form.cleaned_data)
        messages.success(request, "Décision enregistrée.")
    else:
        messages.error(request, "Indiquez la décision.")
    return redirect("cases:case_review_detail", public_id=item.review.public_id)


@require_POST
@require("cases.manage_case_reviews", model="cases.CaseReview")
def case_review_hold(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    review = _review(request, public_id)
    try:
        services.case_review_hold(review=review, held_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Commission close.")
    return redirect("cases:case_review_detail", public_id=review.public_id)


# --- Support programmes -------------------------------------------------------------------------------


@require("cases.view_programmes")
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = selectors.programme_list(organization=_org(request))
    return render(request, "cases/programme_list.html", {"page": _page(request, programmes)})


def _programme_form(request: HttpRequest, programme: SupportProgramme | None) -> HttpResponse:
    initial = (
        {f: getattr(programme, f) for f in forms.ProgrammeForm.base_fields} if programme else {}
    )
    form = forms.ProgrammeForm(request.POST or None, organization=_org(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_save(
                organization=_org(request),
                saved_by=request.user,
                programme=programme,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Dispositif enregistré.")
            return redirect("cases:programme_detail", public_id=programme.public_id)
    return _form_page(
        request,
        form,
        f"Modifier {programme}" if programme else "Nouveau dispositif d'accompagnement",
        reverse("cases:programmes"),
        status=400 if form.errors else 200,
    )


@require("cases.manage_programmes")
def programme_create(request: HttpRequest) -> HttpResponse:
    return _programme_form(request, None)


def _programme(request: HttpRequest, public_id: uuid.UUID) -> SupportProgramme:
    return get_object_or_404(
        selectors.programme_list(organization=_org(request)), public_id=public_id
    )


@require("cases.manage_programmes", model="cases.SupportProgramme")
def programme_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _programme_form(request, _programme(request, public_id))


@require("cases.view_programmes", model="cases.SupportProgramme")
def programme_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    programme = _programme(request, public_id)
    year = timezone.localdate().year
    progress = next(
        (
            row
            for row in indicators.programme_targets(organization=_org(request), year=year)
            if row["public_id"] == programme.public_id
        ),
        None,
    )
    enrolments = list(
        programme.enrolments.select_related("household").order_by("-proposed_on", "pk")
    )
    for enrolment in enrolments:
        enrolment.decision_form = forms.EnrolDecisionForm(auto_id=f"id_enrolment{enrolment.pk}_%s")
    return render(
        request,
        "cases/programme_detail.html",
        {
            "programme": programme,
            "progress": progress,
            "enrolments": enrolments,
            "enrol_form": forms.EnrolForm(organization=_org(request)),
        },
    )


@require_POST
@require("cases.manage_programmes", model="cases.SupportProgramme")
def programme_enrol(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    programme = _programme(request, public_id)
    form = forms.EnrolForm(request.POST, organization=_org(request))
    if form.is_valid():
        try:
            services.programme_enrol(
                programme=programme, enrolled_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Ménage proposé au dispositif.")
    else:
        messages.error(request, "Formulaire incomplet : " + form.errors.as_text())
    return redirect("cases:programme_detail", public_id=programme.public_id)


@require_POST
@require("cases.manage_programmes", model="cases.ProgrammeEnrolment")
def enrolment_decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    enrolment = get_object_or_404(
        ProgrammeEnrolment.objects.for_organization(_org(request)).select_related("programme"),
        public_id=public_id,
    )
    form = forms.EnrolDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.programme_enrolment_decide(
                enrolment=enrolment, decided_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Décision enregistrée.")
    else:
        messages.error(request, "Formulaire incomplet : " + form.errors.as_text())
    return redirect("cases:programme_detail", public_id=enrolment.programme.public_id)


# --- Indicators ---------------------------------------------------------------------------------------


@require("cases.view_indicators")
def indicator_page(request: HttpRequest) -> HttpResponse:
    from organizations.models import Territory

    raw = request.GET.get("annee", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year
    territories = list(Territory.objects.for_organization(_org(request)).order_by("name"))
    territory = next(
        (t for t in territories if str(t.public_id) == request.GET.get("territoire")), None
    )
    data = indicators.all_indicators(organization=_org(request), year=year, territory=territory)
    from cases.enums import InterventionKind, Motive

    return render(
        request,
        "cases/indicators.html",
        {
            "year": year,
            "data": data,
            "territories": territories,
            "territory": territory,
            "motive_labels": dict(Motive.choices),
            "kind_labels": dict(InterventionKind.choices),
            "can_see": can(request, "cases.view_indicators"),
        },
    )
