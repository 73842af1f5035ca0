"""Pages of the housing app: the household file, search, stock, partners, forms, imports."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from core import selectors as core_selectors
from core import timeline
from core.access import can, require
from core.forms import apply_service_errors
from core.sections import household_sections
from core.services import access_log
from housing import affordability, forms, selectors, services
from housing.enums import DwellingStatus, PartnerKind, Typology
from housing.models import Dwelling, Household, Income, Lease, Partner, Person, Residence

PAGE_SIZE = 50


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _form_page(
    request: HttpRequest, form: Any, title: str, cancel_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "housing/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, **extra},
    )


def _households(request: HttpRequest) -> Any:
    return Household.objects.for_organization(request.organization)


# --- Households ---------------------------------------------------------------------------------


@require("housing.view_household")
def household_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    page = _page(request, selectors.household_list(organization=request.organization, query=query))
    context = {"page": page, "query": query}
    if request.htmx and request.htmx.target == "household-results":
        return render(request, "housing/_household_results.html", context)
    return render(request, "housing/household_list.html", context)


@require("housing.edit_household")
def household_create(request: HttpRequest) -> HttpResponse:
    form = forms.HouseholdForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_save(
                organization=request.organization,
                acting_user=request.user,
                **form.service_data(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Ménage créé : ajoutez ses membres et ses ressources.")
            return redirect("housing:household_detail", household.public_id)
    return _form_page(request, form, "Nouveau ménage", "/patrimoine/menages/")


@require("housing.edit_household", model="housing.Household")
def household_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    household = get_object_or_404(_households(request), public_id=public_id)
    form = forms.HouseholdForm(
        request.POST or None, instance=household, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.household_save(
                organization=request.organization,
                acting_user=request.user,
                household=Household.objects.get(pk=household.pk),
                **form.service_data(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Ménage enregistré.")
            return redirect("housing:household_detail", household.public_id)
    return _form_page(
        request,
        form,
        f"Modifier le ménage {household.name}",
        household_url(household),
    )


def household_url(household: Household) -> str:
    from django.urls import reverse

    return reverse("housing:household_detail", args=[household.public_id])


@require("housing.view_household", model="housing.Household")
def household_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The household file (dossier ménage): a constant number of queries whatever its size."""
    household = get_object_or_404(
        selectors.household_file(organization=request.organization), public_id=public_id
    )
    show_disability = can(request, "housing.view_disability")
    access_log(
        request=request,
        obj=household,
        household_id=household.public_id,
        context="Dossier ménage" + (" (dont handicap)" if show_disability else ""),
    )
    settings = affordability.AffordabilitySettings.load(organization=request.organization)
    indicators = affordability.household_indicators(
        household=household, organization=request.organization, settings=settings
    )
    leases = list(household.leases.all())
    current = affordability.current_lease(household)
    members = list(household.members.all())
    category = request.GET.get("categorie", "")
    events = list(
        timeline.household_timeline(household=household, category=category or None)[
            : selectors.HOUSEHOLD_FILE_TIMELINE_SIZE
        ]
    )
    access_events = None
    if can(request, "housing.view_access_log"):
        access_events = list(
            core_selectors.household_access_events(
                organization=request.organization, household_public_id=household.public_id
            )[:20]
        )
    return render(
        request,
        "housing/household_detail.html",
        {
            "household": household,
            "members": members,
            "leases": leases,
            "current_lease": current,
            "indicators": indicators,
            "settings": settings,
            "show_disability": show_disability,
            "events": events,
            "categories": timeline.CATEGORIES,
            "category": category,
            "sections": [
                render_to_string(
                    section.template,
                    {**section_context, "household": household, "section": section},
                    request=request,
                )
                for section, section_context in household_sections(request, household)
            ],
            "access_events": access_events,
            "can_history": can(request, "organizations.view_history"),
            "total_resources": indicators.resources,
        },
    )


@require("housing.view_household", model="housing.Household")
def household_timeline(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The timeline alone, filtered by category (htmx)."""
    household = get_object_or_404(_households(request), public_id=public_id)
    category = request.GET.get("categorie", "")
    events = timeline.household_timeline(household=household, category=category or None)[
        : selectors.HOUSEHOLD_FILE_TIMELINE_SIZE
    ]
    return render(
        request,
        "housing/_timeline.html",
        {
            "household": household,
            "events": events,
            "categories": timeline.CATEGORIES,
            "category": category,
        },
    )


# --- Members and incomes ------------------------------------------------------------------------


@require("housing.edit_household", model="housing.Household")
def person_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    household = get_object_or_404(_households(request), public_id=public_id)
    show = can(request, "housing.view_disability")
    form = forms.PersonForm(
        request.POST or None, organization=request.organization, show_disability=show
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_save(
                household=household, acting_user=request.user, **form.service_data()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Membre ajouté.")
            return redirect("housing:household_detail", household.public_id)
    return _form_page(
        request, form, f"Ajouter un membre au ménage {household.name}", household_url(household)
    )


@require("housing.edit_household", model="housing.Person")
def person_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.for_organization(request.organization).select_related("household"),
        public_id=public_id,
    )
    show = can(request, "housing.view_disability")
    if show:
        access_log(
            request=request,
            obj=person,
            household_id=person.household.public_id,
            context="Fiche membre (handicap)",
        )
    form = forms.PersonForm(
        request.POST or None,
        instance=person,
        organization=request.organization,
        show_disability=show,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_save(
                household=person.household,
                person=Person.objects.get(pk=person.pk),
                acting_user=request.user,
                **form.service_data(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Membre enregistré.")
            return redirect("housing:household_detail", person.household.public_id)
    return _form_page(
        request, form, f"Modifier {person}", household_url(person.household), person=person
    )


@require_POST
@require("housing.edit_household", model="housing.Person")
def person_remove(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.for_organization(request.organization).select_related("household"),
        public_id=public_id,
    )
    household = person.household
    services.person_remove(
        person=person, acting_user=request.user, reason=request.POST.get("reason", "")[:200]
    )
    messages.success(request, f"{person} ne fait plus partie du ménage.")
    return redirect("housing:household_detail", household.public_id)


@require("housing.edit_household", model="housing.Person")
def income_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.for_organization(request.organization).select_related("household"),
        public_id=public_id,
    )
    form = forms.IncomeForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.income_save(person=person, acting_user=request.user, **form.service_data())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Ressource ajoutée.")
            return redirect("housing:household_detail", person.household.public_id)
    return _form_page(
        request, form, f"Nouvelle ressource de {person}", household_url(person.household)
    )


@require("housing.edit_household", model="housing.Income")
def income_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    income = get_object_or_404(
        Income.objects.for_organization(request.organization).select_related("person__household"),
        public_id=public_id,
    )
    household = income.person.household
    if request.method == "POST" and request.POST.get("delete"):
        services.income_remove(income=income, acting_user=request.user)
        messages.success(request, "Ressource retirée.")
        return redirect("housing:household_detail", household.public_id)
    form = forms.IncomeForm(
        request.POST or None, instance=income, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.income_save(
                person=income.person,
                income=Income.objects.get(pk=income.pk),
                acting_user=request.user,
                **form.service_data(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Ressource enregistrée.")
            return redirect("housing:household_detail", household.public_id)
    return _form_page(
        request,
        form,
        f"Ressource de {income.person}",
        household_url(household),
        delete_label="Retirer cette ressource",
    )


# --- Leases -------------------------------------------------------------------------------------


@require("housing.edit_household", model="housing.Household")
def lease_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    household = get_object_or_404(_households(request), public_id=public_id)
    form = forms.LeaseForm(request.POST or None, organization=request.organization)
    form.fields["dwelling"].queryset = form.fields["dwelling"].queryset.filter(
        status=DwellingStatus.VACANT
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.lease_create(
                household=household, acting_user=request.user, **form.service_data()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Bail enregistré.")
            return redirect("housing:household_detail", household.public_id)
    return _form_page(
        request, form, f"Nouveau bail pour le ménage {household.name}", household_url(household)
    )


def _lease(request: HttpRequest, public_id: uuid.UUID) -> Lease:
    return get_object_or_404(
        Lease.objects.for_organization(request.organization).select_related(
            "household", "dwelling", "lessee_partner"
        ),
        public_id=public_id,
    )


@require("housing.edit_household", model="housing.Lease")
def lease_end(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    lease = _lease(request, public_id)
    form = forms.LeaseEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lease_end(
                lease=lease,
                end_date=form.cleaned_data["end_date"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Fin de bail enregistrée.")
            return redirect("housing:household_detail", lease.household.public_id)
    return _form_page(
        request,
        form,
        f"Fin du bail du logement {lease.dwelling.reference}",
        household_url(lease.household),
    )


@require("housing.edit_household", model="housing.Lease")
def lease_slide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    lease = _lease(request, public_id)
    form = forms.LeaseSlideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lease_slide(
                lease=lease, slide_date=form.cleaned_data["slide_date"], acting_user=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Le bail a glissé au ménage.")
            return redirect("housing:household_detail", lease.household.public_id)
    return _form_page(
        request,
        form,
        f"Glissement du bail {lease.dwelling.reference} au ménage",
        household_url(lease.household),
    )


# --- Stock and partners --------------------------------------------------------------------------


@require("housing.view_stock")
def residence_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.residence_list(organization=request.organization))
    return render(request, "housing/residence_list.html", {"page": page})


@require("housing.edit_stock", model="housing.Residence")
def residence_edit(request: HttpRequest, public_id: uuid.UUID | None = None) -> HttpResponse:
    residence = None
    if public_id is not None:
        residence = get_object_or_404(
            Residence.objects.for_organization(request.organization), public_id=public_id
        )
    form = forms.ResidenceForm(
        request.POST or None, instance=residence, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.residence_save(
                organization=request.organization,
                acting_user=request.user,
                residence=Residence.objects.get(pk=residence.pk) if residence else None,
                **form.service_data(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Résidence enregistrée.")
            return redirect("housing:residences")
    title = f"Modifier {residence}" if residence else "Nouvelle résidence"
    return _form_page(request, form, title, "/patrimoine/residences/")


@require("housing.view_stock")
def dwelling_list(request: HttpRequest) -> HttpResponse:
    residence = None
    if request.GET.get("residence"):
        try:
            residence = (
                Residence.objects.for_organization(request.organization)
                .filter(public_id=request.GET["residence"])
                .first()
            )
        except ValidationError:
            residence = None
    status = request.GET.get("statut", "")
    typology = request.GET.get("typologie", "")
    query = request.GET.get("q", "").strip()
    dwellings = selectors.dwelling_list(
        organization=request.organization,
        residence=residence,
        status=status if status in DwellingStatus.values else "",
        typology=typology if typology in Typology.values else "",
        query=query,
    )
    return render(
        request,
        "housing/dwelling_list.html",
        {
            "page": _page(request, dwellings),
            "residence": residence,
            "status": status,
            "typology": typology,
            "query": query,
            "statuses": DwellingStatus.choices,
            "typologies": Typology.choices,
        },
    )


@require("housing.edit_stock", model="housing.Dwelling")
def dwelling_edit(request: HttpRequest, public_id: uuid.UUID | None = None) -> HttpResponse:
    dwelling = None
    if public_id is not None:
        dwelling = get_object_or_404(
            Dwelling.objects.for_organization(request.organization), public_id=public_id
        )
    form = forms.DwellingForm(
        request.POST or None, instance=dwelling, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.dwelling_save(
                organization=request.organization,
                acting_user=request.user,
                dwelling=Dwelling.objects.get(pk=dwelling.pk) if dwelling else None,
                **form.service_data(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Logement enregistré.")
            return redirect("housing:dwellings")
    title = f"Modifier le logement {dwelling.reference}" if dwelling else "Nouveau logement"
    return _form_page(request, form, title, "/patrimoine/logements/")


@require("housing.view_partners")
def partner_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("type", "")
    query = request.GET.get("q", "").strip()
    partners = selectors.partner_list(
        organization=request.organization,
        kind=kind if kind in PartnerKind.values else "",
        query=query,
    )
    return render(
        request,
        "housing/partner_list.html",
        {
            "page": _page(request, partners),
            "kind": kind,
            "query": query,
            "kinds": PartnerKind.choices,
        },
    )


@require("housing.edit_partners", model="housing.Partner")
def partner_edit(request: HttpRequest, public_id: uuid.UUID | None = None) -> HttpResponse:
    partner = None
    if public_id is not None:
        partner = get_object_or_404(
            Partner.objects.for_organization(request.organization), public_id=public_id
        )
    form = forms.PartnerForm(
        request.POST or None, instance=partner, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_save(
                organization=request.organization,
                acting_user=request.user,
                partner=Partner.objects.get(pk=partner.pk) if partner else None,
                **form.service_data(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Partenaire enregistré.")
            return redirect("housing:partners")
    title = f"Modifier {partner}" if partner else "Nouveau partenaire"
    return _form_page(request, form, title, "/patrimoine/partenaires/")


# --- Duplicates ---------------------------------------------------------------------------------


@require("housing.merge_persons")
def duplicate_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.possible_duplicate_persons(organization=request.organization)
    return render(request, "housing/duplicate_list.html", {"groups": groups})


@require_POST
@require("housing.merge_persons")
def persons_merge(request: HttpRequest) -> HttpResponse:
    form = forms.MergeForm(request.POST)
    persons = Person.objects.for_organization(request.organization)
    if form.is_valid():
        keep = get_object_or_404(persons, public_id=form.cleaned_data["keep"])
        duplicate = get_object_or_404(persons, public_id=form.cleaned_data["duplicate"])
        try:
            services.persons_merge(keep=keep, duplicate=duplicate, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Les deux fiches de {keep} ont été fusionnées.")
    else:
        messages.error(request, "Choisissez la fiche à garder et celle à fusionner.")
    return redirect("housing:duplicates")


# --- Imports ------------------------------------------------------------------------------------


@require("housing.import_data")
def import_list(request: HttpRequest) -> HttpResponse:
    from housing import imports

    form = forms.ImportForm(
        request.POST or None, request.FILES or None, choices=imports.KIND_CHOICES
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = imports.import_job_create(
            organization=request.organization,
            kind=form.cleaned_data["kind"],
            file_name=upload.name,
            content=upload.read(),
            acting_user=request.user,
        )
        messages.success(request, "Import lancé : suivez sa progression ci-dessous.")
        return redirect("housing:import_detail", job.public_id)
    jobs = selectors.import_job_list(organization=request.organization)[:20]
    return render(request, "housing/import_list.html", {"form": form, "jobs": jobs})


@require("housing.import_data", model="housing.ImportJob")
def import_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    job = get_object_or_404(
        selectors.import_job_list(organization=request.organization), public_id=public_id
    )
    from housing.imports import job_progress

    template = "housing/_import_progress.html" if request.htmx else "housing/import_detail.html"
    return render(request, template, {"job": job, "progress": job_progress(job)})
