"""Second factor (TOTP, RFC 6238) with recovery codes, on top of django-otp.

- Anyone may enrol; once a user has a confirmed device, every session must be verified with it.
- An organisation may require it (`Organization.require_second_factor`) of the roles that can
  read social notes: the policy says which (`cases.view_notes`), the fallback list applies
  until that action exists. CNIL recommends strong authentication for sensitive data.
- Recovery codes are a django-otp static device (each code works once).
- An organisation administrator can reset a member's second factor (lost phone): audited.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote, urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import policy
from organizations.enums import Role

NOTE_READING_ACTION = "cases.view_notes"
FALLBACK_ROLES = frozenset({Role.SOCIAL_WORKER.value, Role.MANAGER.value, Role.ORG_ADMIN.value})
RECOVERY_CODE_COUNT = 10
ISSUER = "Parcours"
TOTP_DEVICE_NAME = "Application d'authentification"
STATIC_DEVICE_NAME = "Codes de secours"


def roles_requiring_second_factor() -> frozenset[str]:
    """The roles that can read social notes, per the policy (fallback until cases declares it)."""
    if policy.is_known(NOTE_READING_ACTION):
        return policy.roles_for(NOTE_READING_ACTION)
    return FALLBACK_ROLES


def second_factor_required(membership: Any) -> bool:
    if membership is None:
        return False
    return bool(membership.organization.require_second_factor) and (
        membership.role in roles_requiring_second_factor()
    )


def has_second_factor(user: Any) -> bool:
    return user_has_device(user, confirmed=True)


def second_factor_required_anywhere(user: Any) -> bool:
    """Whether one of the user's organisations requires a second factor of their role (read as
    the user: their own memberships, across organisations)."""
    from core.context import organization_context
    from organizations.models import Membership

    with organization_context(None, user=user):
        return Membership.of_current_user.filter(
            is_active=True,
            organization__require_second_factor=True,
            role__in=roles_requiring_second_factor(),
        ).exists()


def api_token_check(*, user: Any, code: str) -> None:
    """The API token is a login too (issuing one needs the password): with a second factor, a
    token is issued only with a current code (or a recovery code); a user whose organisation
    requires a second factor enrols first (on the site). Raises ValidationError, in French."""
    import django_otp

    code = (code or "").replace(" ", "").strip()
    if has_second_factor(user):
        if not code:
            raise ValidationError(
                {"otp": "Code du second facteur requis (application ou code de secours)."}
            )
        if django_otp.match_token(user, code) is None:
            raise ValidationError({"otp": "Code incorrect ou déjà utilisé."})
    elif second_factor_required_anywhere(user):
        raise ValidationError(
            "Votre organisation exige un second facteur pour votre rôle : activez-le sur le "
            "site (Double authentification) avant de demander un jeton."
        )


def api_tokens_revoke(user: Any) -> int:
    """Tokens issued before a second factor was enrolled or reset stop working."""
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(user=user).delete()[0]


def pending_totp_device(*, user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (created on first call, reused after)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The base32 secret, for manual entry in the application."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def provisioning_uri(device: TOTPDevice) -> str:
    label = quote(f"{ISSUER}:{device.user.get_username()}")
    params = urlencode(
        {
            "secret": totp_secret(device),
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{label}?{params}"


def qr_code_svg(data: str) -> str:
    """An inline SVG QR code, rendered locally (the secret never leaves the server)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    # Drop the XML declaration: the SVG is embedded in the page.
    return svg[svg.index("<svg") :]


def _log(*, organization: Any, user: Any, kind: str, actor: Any, detail: str = "") -> None:
    if organization is None:
        return
    from core.context import organization_context
    from privacy.models import SecurityEvent

    with organization_context(organization, user=actor):
        SecurityEvent.objects.create(
            organization=organization,
            user=user,
            kind=kind,
            detail=detail[:250],
            created_by=actor,
            updated_by=actor,
        )


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=STATIC_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def totp_device_confirm(
    *, user: Any, device: TOTPDevice, token: str, organization: Any = None
) -> list[str]:
    """Confirm an enrolment with a first code from the application; returns the recovery codes
    (shown once). Earlier devices of the user are replaced."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"token": "Cet enrôlement n'est plus valable : recommencez."})
    token = (token or "").replace(" ", "").strip()
    if not token.isdigit() or not device.verify_token(token):
        raise ValidationError(
            {"token": "Code incorrect. Vérifiez l'heure de votre téléphone et réessayez."}
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    api_tokens_revoke(user)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    from privacy.enums import SecurityEventKind

    _log(
        organization=organization,
        user=user,
        kind=SecurityEventKind.SECOND_FACTOR_ENROLLED,
        actor=user,
    )
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: Any, organization: Any = None) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError("Activez d'abord le second facteur.")
    codes = _new_recovery_codes(user)
    from privacy.enums import SecurityEventKind

    _log(
        organization=organization,
        user=user,
        kind=SecurityEventKind.RECOVERY_CODES_GENERATED,
        actor=user,
    )
    return codes


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def second_factor_reset(*, membership: Any, acting_user: Any, reason: str) -> int:
    """An organisation administrator removes a member's second factor (lost phone): the member
    enrols again at next login. Logged with the administrator and the reason."""
    from organizations.models import Membership
    from privacy.enums import SecurityEventKind

    admin = (
        Membership.objects.for_organization(membership.organization_id)
        .filter(user=acting_user, is_active=True, role=Role.ORG_ADMIN)
        .exists()
    )
    if not admin:
        raise PermissionDenied("Seul un administrateur de l'organisation peut réinitialiser.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif (ex. téléphone perdu)."})
    user = membership.user
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    api_tokens_revoke(user)
    _log(
        organization=membership.organization,
        user=user,
        kind=SecurityEventKind.SECOND_FACTOR_RESET,
        actor=acting_user,
        detail=reason,
    )
    return removed


def record_recovery_code_use(*, user: Any, organization: Any) -> None:
    from privacy.enums import SecurityEventKind

    _log(
        organization=organization,
        user=user,
        kind=SecurityEventKind.RECOVERY_CODE_USED,
        actor=user,
    )
