from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.access import authenticated, public, require
from core.forms import apply_service_errors
from core.middleware import SESSION_ORGANIZATION_KEY
from core.models import ParameterValue
from core.parameters import parameter, registry
from organizations import selectors, services
from organizations.forms import (
    InviteForm,
    LoginForm,
    MembershipForm,
    ParameterValueForm,
    TerritoryForm,
)
from organizations.models import Membership, Territory


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer once an (e-mail, address) pair is locked out: 429, in JSON for the
    API, as a page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": "Trop d'essais infructueux : la connexion est bloquée pendant "
                "15 minutes pour ce compte depuis cette adresse."
            },
            status=429,
        )
    return render(request, "registration/locked_out.html", status=429)


login = public(
    auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True)
)
logout = authenticated(auth_views.LogoutView.as_view())
password_change = authenticated(auth_views.PasswordChangeView.as_view())
password_change_done = authenticated(auth_views.PasswordChangeDoneView.as_view())
password_reset = public(auth_views.PasswordResetView.as_view())
password_reset_done = public(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = public(auth_views.PasswordResetConfirmView.as_view())
password_reset_complete = public(auth_views.PasswordResetCompleteView.as_view())


@authenticated
def choose_organization(request: HttpRequest) -> HttpResponse:
    """The organisation switcher (users with several memberships)."""
    memberships = selectors.user_memberships(user=request.user)
    if request.method == "POST":
        slug = request.POST.get("organization", "")
        for membership in memberships:
            if membership.organization.slug == slug:
                request.session[SESSION_ORGANIZATION_KEY] = membership.organization.pk
                messages.success(
                    request, f"Vous travaillez maintenant pour {membership.organization.name}."
                )
                target = request.POST.get("next") or "/"
                if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                    target = "/"
                return redirect(target)
        messages.error(request, "Vous n'êtes pas membre de cette organisation.")
    return render(request, "organizations/choose.html", {"memberships": memberships})


@require("organizations.view_members")
def member_list(request: HttpRequest) -> HttpResponse:
    members = selectors.organization_members(organization=request.organization)
    return render(request, "organizations/member_list.html", {"members": members})


@require("organizations.manage_members")
def member_invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.user_invite(
                organization=request.organization,
                invited_by=request.user,
                base_url=request.build_absolute_uri("/")[:-1],
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Invitation envoyée à {membership.user.email}.")
            return redirect("organizations:members")
    return render(
        request, "organizations/member_form.html", {"form": form, "title": "Inviter une personne"}
    )


@require("organizations.manage_members", model="organizations.Membership")
def member_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    membership = get_object_or_404(
        selectors.organization_members(organization=request.organization), public_id=public_id
    )
    initial = {
        "role": membership.role,
        "territories": list(membership.territories.all()),
        "is_active": membership.is_active,
    }
    form = MembershipForm(request.POST or None, initial=initial, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=membership, updated_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Droits mis à jour.")
            return redirect("organizations:members")
    return render(
        request,
        "organizations/member_form.html",
        {"form": form, "title": f"Droits de {membership.user}", "membership": membership},
    )


@require("organizations.view_territories")
def territory_list(request: HttpRequest) -> HttpResponse:
    territories = selectors.territory_list(organization=request.organization)
    return render(request, "organizations/territory_list.html", {"territories": territories})


@require("organizations.manage_territories", model="organizations.Territory")
def territory_edit(request: HttpRequest, public_id: uuid.UUID | None = None) -> HttpResponse:
    territory = None
    initial = {}
    if public_id is not None:
        territory = get_object_or_404(
            Territory.objects.for_organization(request.organization), public_id=public_id
        )
        initial = {"name": territory.name, "communes": ", ".join(territory.communes)}
    form = TerritoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.territory_save(
                organization=request.organization,
                territory=territory,
                acting_user=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Territoire enregistré.")
            return redirect("organizations:territories")
    title = f"Modifier {territory}" if territory else "Nouveau territoire"
    return render(request, "organizations/territory_form.html", {"form": form, "title": title})


@require("organizations.view_parameters")
def parameter_list(request: HttpRequest) -> HttpResponse:
    from core.parameters import get_parameter

    rows = [
        {"definition": definition, "value": get_parameter(key, organization=request.organization)}
        for key, definition in sorted(registry().items())
    ]
    return render(request, "organizations/parameter_list.html", {"rows": rows})


@require("organizations.manage_parameters")
def parameter_edit(request: HttpRequest, key: str) -> HttpResponse:
    try:
        definition = parameter(key)
    except KeyError as error:
        raise Http404 from error
    versions = (
        ParameterValue.objects.for_organization(request.organization)
        .filter(key=key)
        .order_by("-valid_from")
    )
    form = ParameterValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.parameter_set(
                organization=request.organization,
                key=key,
                raw_value=form.cleaned_data["value"],
                valid_from=form.cleaned_data["valid_from"],
                legal_reference=form.cleaned_data["legal_reference"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Nouvelle version enregistrée.")
            return redirect("organizations:parameters")
    return render(
        request,
        "organizations/parameter_form.html",
        {"form": form, "definition": definition, "versions": versions},
    )


@require_POST
@require("organizations.manage_members", model="organizations.Membership")
def member_deactivate(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.for_organization(request.organization), public_id=public_id
    )
    try:
        services.membership_update(
            membership=membership,
            role=membership.role,
            territories=list(membership.territories.all()),
            is_active=False,
            updated_by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Accès désactivé.")
    return redirect("organizations:members")
