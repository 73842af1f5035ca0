"""Pages of the second factor: enrolment (QR code), verification at login, recovery codes,
reset by an organisation administrator. See organizations/two_factor.py for the rules."""

from __future__ import annotations

import uuid

import django_otp
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from core.access import authenticated, require
from organizations import selectors, two_factor


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code à 6 chiffres (ou code de secours)",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ResetForm(forms.Form):
    reason = forms.CharField(label="Motif", max_length=200)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


def _is_verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


@authenticated
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """Second step of the login for users who have a device."""
    if not two_factor.has_second_factor(request.user):
        return redirect("organizations:2fa_setup")
    if _is_verified(request):
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].replace(" ", "").strip()
        device = django_otp.match_token(request.user, token)
        if device is None:
            form.add_error("token", "Code incorrect ou déjà utilisé.")
        else:
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                two_factor.record_recovery_code_use(
                    user=request.user, organization=getattr(request, "organization", None)
                )
                left = two_factor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    f"Code de secours utilisé : il vous en reste {left}. "
                    "Générez-en de nouveaux depuis la page « Double authentification ».",
                )
            return redirect(_next_url(request))
    return render(
        request, "organizations/2fa_verify.html", {"form": form, "next": _next_url(request)}
    )


@authenticated
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Status and enrolment: scan the QR code, confirm with a first code, get recovery codes."""
    has_device = two_factor.has_second_factor(request.user)
    if has_device and not _is_verified(request):
        return redirect("organizations:2fa_verify")
    membership = getattr(request, "membership", None)
    context = {
        "has_device": has_device,
        "required": two_factor.second_factor_required(membership),
        "codes_left": two_factor.recovery_codes_left(request.user) if has_device else 0,
        "next": _next_url(request),
    }
    if has_device:
        return render(request, "organizations/2fa_setup.html", context)
    device = two_factor.pending_totp_device(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.totp_device_confirm(
                user=request.user,
                device=device,
                token=form.cleaned_data["token"],
                organization=getattr(request, "organization", None),
            )
        except ValidationError as error:
            for message in error.message_dict.get("token", error.messages):
                form.add_error("token", message)
        else:
            django_otp.login(request, device)
            return render(
                request,
                "organizations/2fa_recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
    uri = two_factor.provisioning_uri(device)
    context.update(
        form=form,
        qr_svg=two_factor.qr_code_svg(uri),
        secret=two_factor.totp_secret(device),
    )
    return render(request, "organizations/2fa_setup.html", context)


@require_POST
@authenticated
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    if not _is_verified(request):
        raise PermissionDenied("Vérifiez d'abord votre second facteur.")
    try:
        codes = two_factor.recovery_codes_regenerate(
            user=request.user, organization=getattr(request, "organization", None)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("organizations:2fa_setup")
    return render(request, "organizations/2fa_recovery_codes.html", {"codes": codes, "next": "/"})


@require("organizations.manage_members", model="organizations.Membership")
def second_factor_reset(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """An organisation administrator resets a member's second factor."""
    membership = get_object_or_404(
        selectors.organization_members(organization=request.organization), public_id=public_id
    )
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        two_factor.second_factor_reset(
            membership=membership, acting_user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            f"Second facteur de {membership.user} réinitialisé : la personne l'activera de "
            "nouveau à sa prochaine connexion.",
        )
        return redirect("organizations:members")
    return render(
        request,
        "organizations/2fa_reset.html",
        {
            "form": form,
            "membership": membership,
            "has_device": two_factor.has_second_factor(membership.user),
        },
    )
