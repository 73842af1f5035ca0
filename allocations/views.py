"""The commission secretary's pages: sessions, the session (dwellings × candidates), the
candidate assistant, attendance, decisions, offers; the commission sheet for members."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from allocations import documents, selectors, services
from allocations.enums import ApplicationStatus, SessionStatus
from allocations.forms import (
    ApplicationEditForm,
    ApplicationForm,
    AttendanceForm,
    CommissionForm,
    CommissionMemberForm,
    DecisionForm,
    ExceptionForm,
    OccupancyOpinionForm,
    OfferAnswerForm,
    OfferMakeForm,
    PriorityForm,
    RadiateForm,
    RenewForm,
    SessionDwellingForm,
    SessionForm,
)
from allocations.models import (
    Candidacy,
    Commission,
    CommissionMember,
    CommissionSession,
    HousingApplication,
    Offer,
    SessionDwelling,
)
from core.access import require
from core.forms import apply_service_errors
from core.parameters import get_parameter
from core.services import access_log
from housing.enums import DwellingStatus
from housing.models import Dwelling, Partner
from organizations.models import Membership, Territory, User


def _errors(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(m) for messages_ in error.message_dict.values() for m in messages_]
    return [str(m) for m in error.messages]


# --- Sessions ------------------------------------------------------------------------------------


@require("allocations.view_sessions")
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = selectors.session_list(
        organization=request.organization, status=request.GET.get("statut") or None
    )
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "allocations/session_list.html",
        {"page": page, "statuses": SessionStatus.choices},
    )


@require("allocations.manage_sessions")
def session_create(request: HttpRequest) -> HttpResponse:
    commissions = Commission.objects.for_organization(request.organization).filter(is_active=True)
    form = SessionForm(request.POST or None, commissions=commissions)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Séance créée.")
            return redirect("allocations:session", session.public_id)
    return render(request, "allocations/form.html", {"form": form, "title": "Nouvelle séance"})


@require("allocations.view_sessions", model="allocations.CommissionSession")
def session_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    session = selectors.session_detail(organization=request.organization, public_id=public_id)
    docs = documents.documents_for(organization=request.organization, subjects=[session])
    return render(
        request,
        "allocations/session_detail.html",
        {"session": session, "documents": docs, "SessionStatus": SessionStatus},
    )


TRANSITIONS = {
    "publish": lambda s, u, p: services.session_publish_agenda(session=s, published_by=u),
    "draft": lambda s, u, p: services.session_back_to_draft(session=s, acting_user=u),
    "hold": lambda s, u, p: services.session_hold(
        session=s, held_by=u, president_name=p.get("president_name", "")
    ),
    "close": lambda s, u, p: services.session_close_decisions(session=s, closed_by=u),
    "reopen": lambda s, u, p: services.session_reopen_decisions(session=s, acting_user=u),
    "sign": lambda s, u, p: services.session_sign_minutes(
        session=s, president_name=p.get("president_name", ""), signed_by=u
    ),
}


@require("allocations.manage_sessions", model="allocations.CommissionSession")
def session_transition(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    session = get_object_or_404(
        CommissionSession.objects.for_organization(request.organization), public_id=public_id
    )
    action = TRANSITIONS.get(request.POST.get("action", ""))
    if request.method != "POST" or action is None:
        return redirect("allocations:session", session.public_id)
    try:
        action(session, request.user, request.POST)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, "Séance mise à jour.")
    return redirect("allocations:session", session.public_id)


@require("allocations.manage_sessions", model="allocations.CommissionSession")
def session_dwelling_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    session = get_object_or_404(
        CommissionSession.objects.for_organization(request.organization), public_id=public_id
    )
    dwellings = (
        Dwelling.objects.for_organization(request.organization)
        .filter(status=DwellingStatus.VACANT, residence__territory=session.commission.territory_id)
        .select_related("residence")
    )
    form = SessionDwellingForm(request.POST or None, dwellings=dwellings)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.session_dwelling_add(
                session=session, added_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Logement ajouté à l'ordre du jour.")
            return redirect("allocations:assistant", item.public_id)
    return render(
        request,
        "allocations/form.html",
        {"form": form, "title": f"Ajouter un logement — {session}", "back": session},
    )


@require("allocations.manage_sessions", model="allocations.CommissionSession")
def attendance(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    session = selectors.session_detail(organization=request.organization, public_id=public_id)
    rows = []
    for member, current in session.member_rows:
        initial = {
            "status": current.status if current else "present",
            "represented_by": current.represented_by if current else "",
        }
        rows.append(
            (member, AttendanceForm(request.POST or None, prefix=f"m{member.pk}", initial=initial))
        )
    if request.method == "POST" and all(form.is_valid() for _, form in rows):
        try:
            services.attendance_record(
                session=session,
                entries=[{"member": m, **form.cleaned_data} for m, form in rows],
                recorded_by=request.user,
            )
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(request, "Présences enregistrées.")
            return redirect("allocations:session", session.public_id)
    return render(request, "allocations/attendance.html", {"session": session, "rows": rows})


# --- Dwellings: assistant, exception, decisions, offers ------------------------------------------


def _session_dwelling(request: HttpRequest, public_id: uuid.UUID) -> SessionDwelling:
    return selectors.session_dwelling_for_decisions(
        organization=request.organization, public_id=public_id
    )


@require("allocations.manage_sessions", model="allocations.SessionDwelling")
def assistant(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    item = _session_dwelling(request, public_id)
    if request.method == "POST":
        application = get_object_or_404(
            HousingApplication.objects.for_organization(request.organization).select_related(
                "household"
            ),
            public_id=request.POST.get("application"),
        )
        try:
            services.candidacy_add(
                session_dwelling=item, application=application, added_by=request.user
            )
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(request, f"Demande {application.registration_number} présentée.")
        return redirect("allocations:assistant", item.public_id)
    suggestions = selectors.candidate_assistant(
        organization=request.organization, dwelling=item.dwelling, session_dwelling=item
    )
    return render(
        request,
        "allocations/assistant.html",
        {
            "item": item,
            "suggestions": suggestions,
            "candidates": item.candidacies.select_related("application__household"),
        },
    )


@require("allocations.manage_sessions", model="allocations.SessionDwelling")
def dwelling_exception(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    item = _session_dwelling(request, public_id)
    form = ExceptionForm(
        request.POST or None,
        initial={
            "candidate_exception": item.candidate_exception,
            "exception_justification": item.exception_justification,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_dwelling_set_exception(
                session_dwelling=item,
                exception=form.cleaned_data["candidate_exception"],
                justification=form.cleaned_data["exception_justification"],
                updated_by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Exception enregistrée.")
            return redirect("allocations:session", item.session.public_id)
    return render(
        request,
        "allocations/form.html",
        {
            "form": form,
            "title": f"Exception à la règle des trois candidats — {item.dwelling.reference}",
            "back": item.session,
        },
    )


@require("allocations.record_decisions", model="allocations.SessionDwelling")
def decisions(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    item = _session_dwelling(request, public_id)
    candidacies = list(
        item.candidacies.select_related("application__household", "decision").order_by(
            "position", "pk"
        )
    )
    official = get_parameter("allocations.official_documents", organization=request.organization)
    rows = []
    for c in candidacies:
        current = getattr(c, "decision", None) if hasattr(c, "decision") else None
        initial = {}
        if current is not None:
            initial = {
                f: getattr(current, f)
                for f in (
                    "kind",
                    "rank",
                    "missing_document",
                    "condition_deadline",
                    "reasons",
                    "legal_basis",
                    "score_departure_reason",
                )
            }
        rows.append(
            (
                c,
                DecisionForm(
                    request.POST or None, prefix=f"c{c.pk}", initial=initial, documents=official
                ),
            )
        )
    version = item.version
    conflict = False
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", "-1"))
        except ValueError:
            version = -1
        if all(form.is_valid() for _, form in rows):
            try:
                services.decisions_record(
                    session_dwelling=item,
                    expected_version=version,
                    decisions=[{"candidacy": c, **form.cleaned_data} for c, form in rows],
                    recorded_by=request.user,
                )
            except ValidationError as error:
                conflict = "version" in getattr(error, "error_dict", {})
                for message in _errors(error):
                    messages.error(request, message)
            else:
                messages.success(
                    request, f"Décisions enregistrées pour le logement {item.dwelling.reference}."
                )
                return redirect("allocations:session", item.session.public_id)
    consolidated = (
        services.remote_votes_consolidate(session_dwelling=item)
        if item.session.mode == "remote"
        else []
    )
    return render(
        request,
        "allocations/decisions.html",
        {"item": item, "rows": rows, "version": version, "consolidated": consolidated},
        status=409 if conflict else 200,
    )


@require("allocations.manage_offers", model="allocations.SessionDwelling")
def offer_make(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    item = _session_dwelling(request, public_id)
    form = OfferMakeForm(request.POST or None, initial={"notified_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_make(
                session_dwelling=item, made_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Proposition faite ; réponse attendue avant le {offer.answer_deadline:%d/%m/%Y}.",
            )
            return redirect("allocations:session", item.session.public_id)
    return render(
        request,
        "allocations/form.html",
        {
            "form": form,
            "title": f"Proposer le logement {item.dwelling.reference}",
            "back": item.session,
        },
    )


# --- Commission sheet ----------------------------------------------------------------------------


@require("allocations.view_commission_sheet", model="allocations.Candidacy")
def commission_sheet(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    candidacy = get_object_or_404(
        Candidacy.objects.for_organization(request.organization).select_related(
            "application__household",
            "session_dwelling__dwelling__residence",
            "session_dwelling__session",
        ),
        public_id=public_id,
    )
    sheet = selectors.commission_sheet(candidacy=candidacy)
    access_log(
        request=request,
        obj=candidacy,
        household_id=candidacy.application.household.public_id,
        context="Fiche de synthèse CAL",
    )
    return render(request, "allocations/sheet.html", {"sheet": sheet})


# --- Applications --------------------------------------------------------------------------------


@require("allocations.view_applications")
def application_list(request: HttpRequest) -> HttpResponse:
    applications = selectors.application_list(
        organization=request.organization,
        status=request.GET.get("statut", ApplicationStatus.ACTIVE) or None,
        search=request.GET.get("q", "").strip(),
    )
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    return render(
        request, "allocations/application_list.html", {"page": page, "q": request.GET.get("q", "")}
    )


@require("allocations.edit_applications")
def application_create(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            application = services.application_create(
                organization=request.organization,
                created_by=request.user,
                household=data.pop("household"),
                registration_number=data.pop("registration_number"),
                filed_on=data.pop("filed_on"),
                renewed_on=data.pop("renewed_on"),
                **data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Demande enregistrée.")
            return redirect("allocations:application", application.public_id)
    return render(
        request, "allocations/form.html", {"form": form, "title": "Nouvelle demande de logement"}
    )


@require("allocations.view_applications", model="allocations.HousingApplication")
def application_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application = get_object_or_404(
        selectors.application_list(organization=request.organization), public_id=public_id
    )
    labels = selectors.priority_labels(organization=request.organization)
    return render(
        request,
        "allocations/application_detail.html",
        {
            "application": application,
            "labels": labels,
            "priorities": [
                (labels.get(p.criterion, p.criterion), p) for p in application.priorities.all()
            ],
        },
    )


EDITABLE_APPLICATION_FIELDS = tuple(ApplicationEditForm.base_fields)
PriorityFormSet = formset_factory(PriorityForm, extra=2)


def _active_application(request: HttpRequest, public_id: uuid.UUID) -> HousingApplication:
    return get_object_or_404(
        selectors.application_list(organization=request.organization), public_id=public_id
    )


@require("allocations.edit_applications", model="allocations.HousingApplication")
def application_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Wishes, composition, resources, score and priority criteria: saved together or not at
    all."""
    application = _active_application(request, public_id)
    criteria = selectors.priority_labels(organization=request.organization)
    initial = {f: getattr(application, f) for f in EDITABLE_APPLICATION_FIELDS}
    initial["desired_communes"] = ", ".join(application.desired_communes or [])
    form = ApplicationEditForm(request.POST or None, initial=initial)
    priorities = PriorityFormSet(
        request.POST or None,
        prefix="p",
        form_kwargs={"criteria": criteria},
        initial=[
            {
                "criterion": p.criterion,
                "proof_type": p.proof_type,
                "labelling_source": p.labelling_source,
                "labelled_on": p.labelled_on,
            }
            for p in application.priorities.all()
        ],
    )
    if request.method == "POST" and form.is_valid() and priorities.is_valid():
        chosen = [f.cleaned_data for f in priorities if f.cleaned_data.get("criterion")]
        try:
            with transaction.atomic():
                services.application_update(
                    application=application, updated_by=request.user, **form.cleaned_data
                )
                services.application_set_priorities(
                    application=application, priorities=chosen, updated_by=request.user
                )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Demande modifiée.")
            return redirect("allocations:application", application.public_id)
    return render(
        request,
        "allocations/application_edit.html",
        {"form": form, "priorities": priorities, "application": application},
    )


@require("allocations.edit_applications", model="allocations.HousingApplication")
def application_renew(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A new year of validity; the first filing date (seniority) is kept."""
    application = _active_application(request, public_id)
    form = RenewForm(request.POST or None, initial={"renewed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_renew(
                application=application,
                renewed_on=form.cleaned_data["renewed_on"],
                renewed_by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Demande renouvelée.")
            return redirect("allocations:application", application.public_id)
    return render(
        request,
        "allocations/application_action.html",
        {
            "form": form,
            "application": application,
            "title": f"Renouveler la demande {application.registration_number}",
            "explanation": "Le renouvellement conserve l'ancienneté (date de dépôt initial) et "
            "ouvre une nouvelle période de validité à compter de la date de renouvellement.",
        },
    )


@require("allocations.edit_applications", model="allocations.HousingApplication")
def application_radiate(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Radiation with its reason (attribution is recorded by the lease signature only)."""
    application = _active_application(request, public_id)
    form = RadiateForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_radiate(
                application=application,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
                radiated_by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Demande radiée.")
            return redirect("allocations:application", application.public_id)
    return render(
        request,
        "allocations/application_action.html",
        {
            "form": form,
            "application": application,
            "title": f"Radier la demande {application.registration_number}",
            "explanation": "La radiation est définitive : la demande ne pourra plus être "
            "présentée en commission.",
        },
    )


# --- Offers --------------------------------------------------------------------------------------


@require("allocations.view_offers")
def offer_list(request: HttpRequest) -> HttpResponse:
    offers = selectors.offer_list(
        organization=request.organization, status=request.GET.get("statut") or None
    )
    page = Paginator(offers, 50).get_page(request.GET.get("page"))
    reasons = get_parameter("allocations.refusal_reasons", organization=request.organization)
    return render(
        request,
        "allocations/offer_list.html",
        {
            "page": page,
            "form": OfferAnswerForm(reasons=reasons, initial={"on": timezone.localdate()}),
        },
    )


@require("allocations.manage_offers", model="allocations.Offer")
def offer_answer(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    offer = get_object_or_404(
        Offer.objects.for_organization(request.organization), public_id=public_id
    )
    reasons = get_parameter("allocations.refusal_reasons", organization=request.organization)
    form = OfferAnswerForm(request.POST or None, reasons=reasons)
    if request.method == "POST" and form.is_valid():
        action, on = form.cleaned_data["action"], form.cleaned_data["on"]
        try:
            if action == "accept":
                services.offer_accept(offer=offer, on=on, accepted_by=request.user)
            elif action == "refuse":
                services.offer_refuse(
                    offer=offer, reason=form.cleaned_data["reason"], on=on, refused_by=request.user
                )
            else:
                services.offer_sign_lease(offer=offer, signed_on=on, signed_by=request.user)
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(request, "Réponse enregistrée.")
    return redirect("allocations:offers")


# --- Commissions, occupancy reviews --------------------------------------------------------------


@require("allocations.view_sessions")
def commission_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "allocations/commission_list.html",
        {"commissions": selectors.commission_list(organization=request.organization)},
    )


@require("allocations.view_occupancy_reviews")
def occupancy_review_list(request: HttpRequest) -> HttpResponse:
    reviews = selectors.occupancy_review_list(organization=request.organization)
    page = Paginator(reviews, 50).get_page(request.GET.get("page"))
    return render(request, "allocations/occupancy_review_list.html", {"page": page})


@require("allocations.manage_occupancy_reviews", model="allocations.OccupancyReview")
def occupancy_review_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    review = get_object_or_404(
        selectors.occupancy_review_list(organization=request.organization), public_id=public_id
    )
    form = OccupancyOpinionForm(request.POST or None)
    sessions = (
        CommissionSession.objects.for_organization(request.organization)
        .filter(status__in=[SessionStatus.DRAFT, SessionStatus.AGENDA_PUBLISHED])
        .select_related("commission")
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "schedule":
                session = get_object_or_404(sessions, public_id=request.POST.get("session"))
                services.occupancy_review_schedule(
                    review=review, session=session, scheduled_by=request.user
                )
            elif action == "notify":
                services.occupancy_review_notify(review=review, notified_by=request.user)
            elif form.is_valid():
                services.occupancy_review_record(
                    review=review, reviewed_by=request.user, **form.cleaned_data
                )
            else:
                return render(
                    request,
                    "allocations/occupancy_review_detail.html",
                    {"review": review, "form": form, "sessions": sessions},
                )
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(request, "Examen mis à jour.")
        return redirect("allocations:occupancy_review", review.public_id)
    docs = documents.documents_for(organization=request.organization, subjects=[review])
    return render(
        request,
        "allocations/occupancy_review_detail.html",
        {"review": review, "form": form, "sessions": sessions, "documents": docs},
    )


@require("allocations.import_applications")
def application_import(request: HttpRequest) -> HttpResponse:
    """Upload of the register extract (CSV): all or nothing, errors listed by line."""
    from allocations.imports import COLUMNS, applications_import
    from core.imports import ImportFailed

    errors: list = []
    if request.method == "POST" and request.FILES.get("file"):
        try:
            result = applications_import(
                organization=request.organization,
                content=request.FILES["file"].read(),
                imported_by=request.user,
            )
        except ImportFailed as failure:
            errors = failure.errors
        else:
            messages.success(
                request,
                f"{result.counts.get('created', 0)} demande(s) créée(s), "
                f"{result.counts.get('updated', 0)} mise(s) à jour.",
            )
            return redirect("allocations:applications")
    return render(
        request, "allocations/application_import.html", {"errors": errors, "columns": COLUMNS}
    )


@require("allocations.cast_vote", model="allocations.SessionDwelling")
def remote_vote(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A member ranks the candidates of a dwelling during a remote session's voting window."""
    from allocations.models import CommissionMember

    item = _session_dwelling(request, public_id)
    member = (
        CommissionMember.objects.for_organization(request.organization)
        .filter(commission_id=item.session.commission_id, user=request.user, is_active=True)
        .first()
    )
    candidacies = list(
        item.candidacies.select_related("application__household").order_by("position", "pk")
    )
    if request.method == "POST":
        ranked = []
        for c in candidacies:
            raw = request.POST.get(f"rank-{c.public_id}", "")
            if raw.isdigit():
                ranked.append((int(raw), c))
        ranked.sort(key=lambda pair: pair[0])
        try:
            if member is None:
                raise ValidationError("Vous ne siégez pas dans cette commission.")
            services.remote_vote_cast(
                session_dwelling=item,
                member=member,
                ranking=[c for _, c in ranked],
                cast_by=request.user,
            )
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(request, "Votre classement est enregistré.")
        return redirect("allocations:remote_vote", item.public_id)
    return render(
        request,
        "allocations/remote_vote.html",
        {
            "item": item,
            "candidacies": candidacies,
            "member": member,
            "positions": range(1, len(candidacies) + 1),
        },
    )


# --- Commissions and seats -----------------------------------------------------------------------


def _commission_form(request: HttpRequest, **kwargs: object) -> CommissionForm:
    territories = Territory.objects.for_organization(request.organization)
    return CommissionForm(request.POST or None, territories=territories, **kwargs)


@require("allocations.manage_commissions")
def commission_create(request: HttpRequest) -> HttpResponse:
    form = _commission_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.commission_create(
                organization=request.organization, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Commission créée.")
            return redirect("allocations:commissions")
    return render(
        request,
        "allocations/commission_form.html",
        {"form": form, "title": "Nouvelle commission"},
    )


@require("allocations.manage_commissions", model="allocations.Commission")
def commission_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    commission = get_object_or_404(
        selectors.commission_list(organization=request.organization), public_id=public_id
    )
    form = _commission_form(
        request, initial={f: getattr(commission, f) for f in services.COMMISSION_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.commission_update(
                commission=commission, updated_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Commission modifiée.")
            return redirect("allocations:commissions")
    return render(
        request,
        "allocations/commission_form.html",
        {
            "form": form,
            "title": f"Modifier la commission {commission.name}",
            "commission": commission,
        },
    )


def _member_form(request: HttpRequest, **kwargs: object) -> CommissionMemberForm:
    partners = Partner.objects.for_organization(request.organization)
    # Only accounts that belong to this organisation can hold a seat.
    users = User.objects.filter(
        pk__in=Membership.objects.for_organization(request.organization)
        .filter(is_active=True)
        .values("user_id")
    )
    return CommissionMemberForm(request.POST or None, partners=partners, users=users, **kwargs)


@require("allocations.manage_commissions", model="allocations.Commission")
def commission_member_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    commission = get_object_or_404(
        Commission.objects.for_organization(request.organization), public_id=public_id
    )
    form = _member_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.commission_member_add(
                commission=commission, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Membre ajouté.")
            return redirect("allocations:commissions")
    return render(
        request,
        "allocations/commission_form.html",
        {"form": form, "title": f"Nouveau membre — {commission.name}", "commission": commission},
    )


@require("allocations.manage_commissions", model="allocations.CommissionMember")
def commission_member_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    member = get_object_or_404(
        CommissionMember.objects.for_organization(request.organization).select_related(
            "commission"
        ),
        public_id=public_id,
    )
    form = _member_form(request, initial={f: getattr(member, f) for f in services.MEMBER_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.commission_member_update(
                member=member, updated_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Membre modifié.")
            return redirect("allocations:commissions")
    return render(
        request,
        "allocations/commission_form.html",
        {
            "form": form,
            "title": f"Modifier le membre {member.full_name}",
            "commission": member.commission,
            "member": member,
        },
    )


@require("allocations.manage_commissions", model="allocations.CommissionMember")
def commission_member_remove(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    member = get_object_or_404(
        CommissionMember.objects.for_organization(request.organization).select_related(
            "commission"
        ),
        public_id=public_id,
    )
    if request.method == "POST":
        deleted = services.commission_member_remove(member=member, removed_by=request.user)
        messages.success(
            request,
            "Membre retiré."
            if deleted
            else "Ce membre a déjà siégé : il reste dans l'historique, marqué « plus en fonction ».",
        )
        return redirect("allocations:commissions")
    return render(request, "allocations/commission_member_remove.html", {"member": member})
