"""The partner's side of a mandate: the households a landlord granted to this organisation, their
file, the interventions its staff log there, the CSV export. Every page says whose data it is;
every read is logged in the landlord's access log, naming the partner (core.services.access_log).

What a member may do is the grant's permission AND their role in the partner organisation:
reading notes needs `read_notes` and `cases.view_notes`; logging an intervention,
`log_interventions` and `cases.log_intervention`; writing its note, `write_notes` too.
"""

from __future__ import annotations

import csv
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.forms import InterventionForm
from core.access import can, require
from core.forms import apply_service_errors
from core.models import AccessEvent
from core.services import access_log, access_log_many
from privacy import partners
from privacy.enums import GrantPermission

PAGE_SIZE = 50


def granted_household_or_404(public_id: uuid.UUID) -> Any:
    household = partners.granted_household(public_id=public_id)
    if household is None:
        raise Http404
    return household


def may_log(request: HttpRequest, permissions: set[str]) -> bool:
    return GrantPermission.LOG_INTERVENTIONS in permissions and can(
        request, "cases.log_intervention"
    )


def may_write_notes(request: HttpRequest, permissions: set[str]) -> bool:
    return GrantPermission.WRITE_NOTES in permissions and may_log(request, permissions)


def intervention_form(request: HttpRequest, permissions: set[str], data: Any = None) -> Any:
    form = InterventionForm(data, prefix="intervention")
    if not may_write_notes(request, permissions):
        del form.fields["note"]
    return form


def visible_notes(request: HttpRequest, file: dict[str, Any]) -> list[Any]:
    """The objects of the file whose notes this member may read: under `read_notes` all of
    them, else those of the interventions their organisation logged — and only for roles that
    read notes. Each is access-logged in the landlord's log."""
    if not can(request, "cases.view_notes"):
        return []
    organization_id = request.organization.pk  # type: ignore[attr-defined]
    objects = [
        i
        for i in file["interventions"]
        if file["notes_granted"]
        or (i.mandate is not None and i.mandate.partner_organization_id == organization_id)
    ]
    if file["notes_granted"]:
        objects += file["cases"] + file["evaluations"]
    household = file["household"]
    access_log_many(
        request=request,
        objects=objects,
        household_id_of=lambda obj: household.public_id,
        context=f"Mandat — notes du ménage de {file['landlord']}",
        owner_organization_id_of=lambda obj: household.organization_id,
    )
    return objects


@require("privacy.view_granted_households")
def granted_household_list(request: HttpRequest) -> HttpResponse:
    """The households other organisations granted to this one, with their landlord."""
    query = request.GET.get("q", "").strip()
    page = Paginator(partners.granted_households(query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "privacy/granted_household_list.html", {"page": page, "query": query})


@require("privacy.export_granted_households")
def granted_household_export(request: HttpRequest) -> HttpResponse:
    """The granted households as CSV (name, landlord, address, members, current dwelling):
    each household exported is logged in its landlord's access log."""
    households = list(partners.granted_households(query=request.GET.get("q", "")))
    from housing.models import Lease, Person

    ids = [h.pk for h in households]
    members: dict[int, int] = {}
    for household_id in Person._base_manager.filter(household_id__in=ids).values_list(
        "household_id", flat=True
    ):
        members[household_id] = members.get(household_id, 0) + 1
    dwellings = {
        lease.household_id: lease.dwelling
        for lease in Lease._base_manager.filter(household_id__in=ids, end_date__isnull=True)
        .select_related("dwelling__residence")
        .order_by("start_date")
    }
    access_log_many(
        request=request,
        objects=households,
        household_id_of=lambda h: h.public_id,
        context="Mandat — export des ménages confiés",
        action=AccessEvent.Action.EXPORT,
        owner_organization_id_of=lambda h: h.organization_id,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"menages-confies-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        ["ménage", "bailleur", "adresse", "code postal", "commune", "membres", "logement"]
    )
    for household in households:
        dwelling = dwellings.get(household.pk)
        writer.writerow(
            [
                household.name,
                household.organization.name,
                household.address,
                household.postal_code,
                household.commune_name,
                members.get(household.pk, 0),
                f"{dwelling.reference} — {dwelling.residence.name}" if dwelling else "",
            ]
        )
    return response


def _file_page(request: HttpRequest, household: Any, form: Any = None) -> HttpResponse:
    file = partners.granted_household_file(household=household)
    access_log(
        request=request,
        obj=household,
        household_id=household.public_id,
        context=f"Mandat — dossier du ménage de {file['landlord']}",
        owner_organization_id=household.organization_id,
    )
    permissions = file["permissions"]
    return render(
        request,
        "privacy/granted_household_detail.html",
        {
            **file,
            "visible_notes": visible_notes(request, file),
            "may_log": may_log(request, permissions),
            "form": form or intervention_form(request, permissions),
            "permission_labels": [
                label for value, label in GrantPermission.choices if value in permissions
            ],
        },
    )


@require("privacy.view_granted_households", model="housing.Household")
def granted_household_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _file_page(request, granted_household_or_404(public_id))


@require_POST
@require("privacy.view_granted_households", model="housing.Household")
def granted_intervention_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Log an intervention in a granted household's file (grant `log_interventions`)."""
    household = granted_household_or_404(public_id)
    permissions = partners.permissions_for(household)
    if not may_log(request, permissions):
        raise PermissionDenied("Votre mandat ou votre rôle ne permet pas de saisir d'intervention.")
    form = intervention_form(request, permissions, request.POST)
    if form.is_valid():
        try:
            partners.partner_intervention_log(
                household=household, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Intervention enregistrée dans le dossier du bailleur.")
            return redirect(reverse("privacy:granted_household", args=[household.public_id]))
    return _file_page(request, household, form)
