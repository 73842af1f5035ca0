"""Second factor enforcement (organizations/two_factor.py).

After login, a user who has a confirmed device is sent to the verification page until the
session is verified; a member whose organisation requires a second factor for their role (the
roles that can read social notes) is sent to the enrolment page until they have one. Pages of
the login itself, of the second factor and the logout stay reachable.

Place after OrganizationMiddleware and AccessRuleMiddleware (needs request.membership and
django-otp's request.user.is_verified).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

GetResponse = Callable[[HttpRequest], HttpResponse]

EXEMPT_URL_NAMES = {
    "login",
    "logout",
    "health",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "organizations:2fa_setup",
    "organizations:2fa_verify",
    "organizations:choose",
}


class SecondFactorMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        from organizations import two_factor

        user = request.user
        if not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_URL_NAMES:
            return None
        if getattr(user, "is_verified", lambda: False)():
            return None
        if two_factor.has_second_factor(user):
            target = "organizations:2fa_verify"
            message = "Saisissez le code de votre second facteur."
        elif two_factor.second_factor_required(getattr(request, "membership", None)):
            target = "organizations:2fa_setup"
            message = "Votre organisation exige un second facteur pour votre rôle : activez-le."
        else:
            return None
        if getattr(view_func, "cls", None) is not None:  # API: no redirect, a JSON refusal
            return JsonResponse({"detail": message, "code": "second_factor_required"}, status=403)
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
