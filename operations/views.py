"""Pages of leasing activity, relocation operations and collective actions."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import require
from core.forms import apply_service_errors, form_error_messages
from operations import forms, indicators, selectors, services
from operations.enums import DwellingRole, ProspectionOutcome, RelocationStatus
from operations.models import CollectiveAction, RelocationHousehold, RelocationOperation


def _org(request: HttpRequest) -> Any:
    return request.organization  # type: ignore[attr-defined]


def _page(request: HttpRequest, queryset: Any, size: int = 50, count: int | None = None) -> Any:
    """A page of `queryset`; `count`, when the caller already knows it, spares the COUNT(*)."""
    paginator = Paginator(queryset, size)
    if count is not None:
        paginator.count = count  # type: ignore[misc]  # a cached_property: set once here
    return paginator.get_page(request.GET.get("page"))


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() else timezone.localdate().year


def _form_page(request: HttpRequest, form: Any, title: str, back: str = "") -> HttpResponse:
    return render(
        request, "operations/form.html", {"form": form, "title": title, "back": back}, status=200
    )


# --- Leasing activity ------------------------------------------------------------------------


# What the leasing page's list shows (and the relations it goes through).
PROSPECTION_COLUMNS = (
    "contacted_on",
    "outcome",
    "application__registration_number",
    "application__household__name",
    "dwelling__reference",
    "residence__territory__name",
)


@require("operations.view_leasing")
def prospections(request: HttpRequest) -> HttpResponse:
    """Per territory, the landlord's figures beside the register's, each in one grouped query
    (prospections, registration desks, register statistics); then the year's prospections,
    newest first, 50 per page."""
    from organizations.models import Territory

    org, year = _org(request), _year(request)
    territories = list(Territory.objects.for_organization(org).order_by("name"))
    prospected = indicators.prospections_per_territory(organization=org, year=year)
    desks = indicators.applications_by_desk_per_territory(
        organization=org, year=year, territories=territories
    )
    register = indicators.register_per_territory(organization=org, year=year)
    rows = [
        {
            "territory": territory,
            "prospections": prospected.get(territory.pk, 0),
            "landlord": desks[territory.pk].get("landlord", 0),
            "received": desks[territory.pk].get("received", 0),
            "register": register.get(territory.pk),
        }
        for territory in territories
    ]
    return render(
        request,
        "operations/prospections.html",
        {
            "year": year,
            "rows": rows,
            # Every residence has a territory: the per-territory counts add up to the year's.
            "page": _page(
                request,
                selectors.prospection_list(organization=org)
                .filter(contacted_on__year=year)
                .only(*PROSPECTION_COLUMNS),
                count=sum(prospected.values()),
            ),
            "statistics": selectors.register_statistics(organization=org)[:20],
        },
    )


@require("operations.log_prospection")
@require_POST
def prospection_log(request: HttpRequest) -> HttpResponse:
    """One click from the candidate assistant: application + session dwelling + outcome."""
    from allocations.models import HousingApplication, SessionDwelling

    org = _org(request)
    application = get_object_or_404(
        HousingApplication.objects.for_organization(org).select_related("household"),
        public_id=request.POST.get("application"),
    )
    item = get_object_or_404(
        SessionDwelling.objects.for_organization(org).select_related("dwelling"),
        public_id=request.POST.get("session_dwelling"),
    )
    context: dict[str, Any] = {"application": application, "item": item}
    try:
        context["prospection"] = services.prospection_log(
            organization=org,
            application=application,
            dwelling=item.dwelling,
            session_dwelling=item,
            outcome=request.POST.get("outcome", ""),
            user=request.user,
        )
    except ValidationError as error:
        context["errors"] = error.messages
        status = 400
    else:
        status = 201
    if request.headers.get("HX-Request"):
        return render(request, "operations/_prospection_button.html", context, status=status)
    if status == 201:
        messages.success(request, "Prospection enregistrée.")
    else:
        for message in context["errors"]:
            messages.error(request, message)
    return redirect("allocations:assistant", item.public_id)


@require("operations.manage_register")
def register_create(request: HttpRequest) -> HttpResponse:
    form = forms.RegisterStatisticForm(request.POST or None, organization=_org(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.register_statistic_set(
                organization=_org(request), user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Relevé du registre enregistré.")
            return redirect("operations:prospections")
    return _form_page(request, form, "Relevé du registre national", "operations:prospections")


@require("operations.manage_register")
def register_import(request: HttpRequest) -> HttpResponse:
    form = forms.RegisterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from operations.imports import import_register_statistics

        try:
            count = import_register_statistics(
                organization=_org(request), user=request.user, file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{count} relevé(s) importé(s).")
            return redirect("operations:prospections")
    return _form_page(
        request, form, "Importer les statistiques du registre", "operations:prospections"
    )


# --- Relocation operations -------------------------------------------------------------------


def _operation(request: HttpRequest, public_id: uuid.UUID) -> RelocationOperation:
    return get_object_or_404(
        selectors.relocation_operation_list(organization=_org(request)), public_id=public_id
    )


@require("operations.view_relocations")
def relocations(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    return render(
        request,
        "operations/relocation_list.html",
        {"page": _page(request, selectors.relocation_operation_list(organization=org))},
    )


def _operation_form(request: HttpRequest, operation: RelocationOperation | None) -> HttpResponse:
    initial = {}
    if operation is not None:
        initial = {
            "name": operation.name,
            "kind": operation.kind,
            "starts_on": operation.starts_on,
            "ends_on": operation.ends_on,
            "description": operation.description,
            "residences": [link.residence for link in operation.residence_links.all()],
            "partners": [link.partner for link in operation.partner_links.all()],
        }
    form = forms.RelocationOperationForm(
        request.POST or None, organization=_org(request), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            operation = services.relocation_operation_save(
                organization=_org(request),
                user=request.user,
                operation=operation,
                name=data["name"],
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                description=data["description"],
                residences=list(data["residences"]),
                partners=list(data["partners"]),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("operations:relocation_detail", operation.public_id)
    return _form_page(request, form, "Opération de relogement", "operations:relocations")


@require("operations.manage_relocations")
def relocation_create(request: HttpRequest) -> HttpResponse:
    return _operation_form(request, None)


@require("operations.manage_relocations", model="operations.RelocationOperation")
def relocation_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _operation_form(request, _operation(request, public_id))


@require("operations.view_relocations", model="operations.RelocationOperation")
def relocation_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The operation's dashboard, its households 50 per page (each with the moves its status
    allows, written by hand: a form instance per household rendered its widgets through the
    template engine, 630 of them for 210 households), its dwellings' references. Positioning
    and linking an accompaniment have their own pages (their choice lists are the operation's
    households, mobilised dwellings and offers: hundreds of options)."""
    operation = _operation(request, public_id)
    page = _page(request, selectors.operation_households(operation=operation))
    labels = dict(RelocationStatus.choices)
    rows = [
        (
            link,
            [
                (status, labels[status])
                for status in RelocationHousehold.TRANSITIONS[RelocationStatus(link.status)]
            ],
        )
        for link in page
    ]
    references = selectors.operation_dwelling_references(operation=operation)
    return render(
        request,
        "operations/relocation_detail.html",
        {
            "operation": operation,
            "dashboard": indicators.operation_dashboard(operation=operation),
            "page": page,
            "rows": rows,
            "today": timezone.localdate(),
            "household_form": forms.RelocationHouseholdForm(organization=_org(request)),
            "dwellings_form": forms.DwellingsForm(),
            "concerned": references[DwellingRole.CONCERNED],
            "mobilised": references[DwellingRole.MOBILISED],
        },
    )


@require("operations.manage_relocations", model="operations.RelocationOperation")
@require_POST
def relocation_household_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    operation = _operation(request, public_id)
    form = forms.RelocationHouseholdForm(request.POST, organization=_org(request))
    if form.is_valid():
        try:
            services.relocation_household_add(
                operation=operation, household=form.cleaned_data["household"], user=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    else:
        for message in form_error_messages(form):
            messages.error(request, message)
    return redirect("operations:relocation_detail", operation.public_id)


@require("operations.manage_relocations", model="operations.RelocationOperation")
@require_POST
def relocation_dwellings(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    from housing.models import Dwelling

    operation = _operation(request, public_id)
    form = forms.DwellingsForm(request.POST)
    if form.is_valid():
        refs = [r.strip() for r in form.cleaned_data["references"].splitlines() if r.strip()]
        found = list(Dwelling.objects.for_organization(_org(request)).filter(reference__in=refs))
        missing = set(refs) - {d.reference for d in found}
        if missing:
            messages.error(request, f"Logements inconnus : {', '.join(sorted(missing))}.")
        else:
            role = form.cleaned_data["role"]
            current = [
                link.dwelling
                for link in operation.dwelling_links.filter(role=role).select_related("dwelling")
            ]
            key = "concerned_dwellings" if role == DwellingRole.CONCERNED else "mobilised_dwellings"
            services.relocation_operation_save(
                organization=_org(request),
                user=request.user,
                operation=operation,
                name=operation.name,
                kind=operation.kind,
                starts_on=operation.starts_on,
                ends_on=operation.ends_on,
                description=operation.description,
                **{key: list({d.pk: d for d in current + found}.values())},
            )
            messages.success(request, f"{len(found)} logement(s) ajouté(s).")
    return redirect("operations:relocation_detail", operation.public_id)


@require("operations.manage_relocations", model="operations.RelocationHousehold")
@require_POST
def relocation_advance(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    link = get_object_or_404(
        RelocationHousehold.objects.for_organization(_org(request)).select_related(
            "operation", "household"
        ),
        public_id=public_id,
    )
    form = forms.AdvanceForm(request.POST)
    if form.is_valid():
        try:
            services.relocation_household_advance(
                link=link,
                to=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
                is_transfer=form.cleaned_data["is_transfer"] or None,
                user=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    else:
        for message in form_error_messages(form):
            messages.error(request, message)
    return redirect("operations:relocation_detail", link.operation.public_id)


def _relocation_link_action(
    request: HttpRequest, public_id: uuid.UUID, form_class: Any, title: str, save: Any
) -> HttpResponse:
    """GET shows the form alone (`?menage=<id>`: that household chosen, from its row on the
    operation's page); POST saves through the service, or shows the French errors (status 400)
    with nothing saved."""
    operation = _operation(request, public_id)
    initial = {}
    wanted = request.GET.get("menage", "")
    if request.method == "GET" and wanted:
        with contextlib.suppress(ValueError):
            initial["link"] = operation.households.filter(public_id=uuid.UUID(wanted)).first()
    form = form_class(
        request.POST or None, organization=_org(request), operation=operation, initial=initial
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Enregistré.")
                return redirect("operations:relocation_detail", operation.public_id)
        return render(
            request,
            "operations/form.html",
            {"form": form, "title": f"{title} — {operation.name}", "back": ""},
            status=400,
        )
    return _form_page(request, form, f"{title} — {operation.name}")


@require("operations.manage_relocations", model="operations.RelocationOperation")
def relocation_position(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    def save(data: dict[str, Any]) -> None:
        services.relocation_position(
            link=data["link"],
            dwelling=data["dwelling"],
            positioned_on=data["positioned_on"],
            offer=data["offer"],
            user=request.user,
        )

    return _relocation_link_action(
        request, public_id, forms.PositionForm, "Positionner un ménage", save
    )


@require("operations.manage_relocations", model="operations.RelocationOperation")
def relocation_accompaniment(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    def save(data: dict[str, Any]) -> None:
        services.relocation_accompaniment_link(
            link=data["link"], social_case=data["social_case"], user=request.user
        )

    return _relocation_link_action(
        request, public_id, forms.AccompanimentForm, "Lier l'accompagnement", save
    )


# --- Collective actions ----------------------------------------------------------------------


def _action(request: HttpRequest, public_id: uuid.UUID) -> CollectiveAction:
    return get_object_or_404(
        selectors.collective_action_list(organization=_org(request)), public_id=public_id
    )


@require("operations.view_actions")
def actions(request: HttpRequest) -> HttpResponse:
    org, year = _org(request), _year(request)
    return render(
        request,
        "operations/action_list.html",
        {
            "year": year,
            "summary": indicators.collective_actions_summary(organization=org, year=year),
            "hours": indicators.insertion_hours(organization=org, year=year),
            "page": _page(request, selectors.collective_action_list(organization=org)),
            "clauses": selectors.insertion_clauses(organization=org)[:50],
        },
    )


FIELDS = (
    "name",
    "kind",
    "starts_on",
    "ends_on",
    "neighbourhood",
    "sessions",
    "participants",
    "households_reached",
    "back_to_work",
    "outcomes",
    "cost",
)


def _action_form(request: HttpRequest, action: CollectiveAction | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if action is not None:
        initial = {f: getattr(action, f) for f in FIELDS}
        initial["residences"] = [link.residence for link in action.residence_links.all()]
        initial["partners"] = [link.partner for link in action.partner_links.all()]
    form = forms.CollectiveActionForm(
        request.POST or None, organization=_org(request), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.collective_action_save(
                organization=_org(request),
                user=request.user,
                action=action,
                residences=list(data["residences"]),
                partners=list(data["partners"]),
                **{f: data[f] for f in FIELDS},
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("operations:action_detail", action.public_id)
    return _form_page(request, form, "Action collective", "operations:actions")


@require("operations.manage_actions")
def action_create(request: HttpRequest) -> HttpResponse:
    return _action_form(request, None)


@require("operations.manage_actions", model="operations.CollectiveAction")
def action_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _action_form(request, _action(request, public_id))


@require("operations.view_actions", model="operations.CollectiveAction")
def action_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    action = _action(request, public_id)
    return render(
        request,
        "operations/action_detail.html",
        {
            "action": action,
            "named_participants": action.named_participants.select_related("household"),
            "funding_form": forms.FundingForm(),
            "participant_form": forms.ParticipantForm(organization=_org(request)),
        },
    )


@require("operations.manage_actions", model="operations.CollectiveAction")
@require_POST
def action_funding_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    action = _action(request, public_id)
    form = forms.FundingForm(request.POST)
    if form.is_valid():
        try:
            services.action_funding_add(action=action, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    else:
        for message in form_error_messages(form):
            messages.error(request, message)
    return redirect("operations:action_detail", action.public_id)


@require("operations.manage_actions", model="operations.CollectiveAction")
def action_participant_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    action = _action(request, public_id)
    form = forms.ParticipantForm(request.POST or None, organization=_org(request))
    title = f"Nommer un participant — {action.name}"
    if request.method == "POST":
        if form.is_valid():
            try:
                services.action_participant_add(
                    action=action, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Participant enregistré.")
                return redirect("operations:action_detail", action.public_id)
        return render(
            request, "operations/form.html", {"form": form, "title": title, "back": ""}, status=400
        )
    return _form_page(request, form, title)


@require("operations.manage_actions")
def clause_create(request: HttpRequest) -> HttpResponse:
    form = forms.InsertionClauseForm(
        request.POST or None,
        organization=_org(request),
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.insertion_clause_save(
                organization=_org(request), user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("operations:actions")
    return _form_page(request, form, "Clause d'insertion", "operations:actions")


OUTCOMES = ProspectionOutcome.choices
