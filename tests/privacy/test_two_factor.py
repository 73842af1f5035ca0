"""Second factor: enrolment, verification at login, enforcement per organisation, recovery
codes, reset by an organisation administrator."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from organizations import two_factor
from privacy.enums import SecurityEventKind
from privacy.models import SecurityEvent

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, drift: int = 0) -> str:
    """The current code; drift=1 the next one (a code is accepted once: replay protection)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{value:06d}"


def _membership(org: Any, user: Any) -> Any:
    from core.context import organization_context
    from organizations.models import Membership

    with organization_context(org):
        return Membership.objects.select_related("organization").get(user=user)


def _enrol(user: Any) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.pending_totp_device(user=user)
    codes = two_factor.totp_device_confirm(user=user, device=device, token=_code(device))
    device.refresh_from_db()
    return device, codes


def test_enrolment_page_shows_an_inline_svg_qr_code(
    client_for: Any, org: Any, member_of: Any
) -> None:
    user = member_of(org, "social_worker")
    response = client_for(user, org).get(reverse("organizations:2fa_setup"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "otpauth" not in body  # the URI is only inside the QR code
    assert TOTPDevice.objects.filter(user=user, confirmed=False).count() == 1


def test_confirming_with_a_good_code_enrols_and_gives_recovery_codes(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    user = member_of(org, "social_worker")
    client = client_for(user, org)
    client.get(reverse("organizations:2fa_setup"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("organizations:2fa_setup"), {"token": _code(device)})
    assert response.status_code == 200
    assert len(response.context["codes"]) == two_factor.RECOVERY_CODE_COUNT
    device.refresh_from_db()
    assert device.confirmed
    with in_org(org):
        assert SecurityEvent.objects.filter(
            user=user, kind=SecurityEventKind.SECOND_FACTOR_ENROLLED
        ).exists()
    # The session is verified: pages open.
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_code_does_not_enrol(client_for: Any, org: Any, member_of: Any) -> None:
    user = member_of(org, "social_worker")
    client = client_for(user, org)
    client.get(reverse("organizations:2fa_setup"))
    response = client.post(reverse("organizations:2fa_setup"), {"token": "000000x"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_a_user_with_a_device_must_verify_before_any_page(
    client_for: Any, org: Any, member_of: Any
) -> None:
    user = member_of(org, "read_only")
    device, _ = _enrol(user)
    client = client_for(user, org)
    response = client.get(reverse("organizations:members"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("organizations:2fa_verify"))
    response = client.post(
        reverse("organizations:2fa_verify"), {"token": _code(device, drift=1), "next": "/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200


def test_a_recovery_code_works_once(client_for: Any, org: Any, member_of: Any, in_org: Any) -> None:
    user = member_of(org, "manager")
    _, codes = _enrol(user)
    client = client_for(user, org)
    response = client.post(reverse("organizations:2fa_verify"), {"token": codes[0]})
    assert response.status_code == 302
    assert two_factor.recovery_codes_left(user) == two_factor.RECOVERY_CODE_COUNT - 1
    with in_org(org):
        assert SecurityEvent.objects.filter(kind=SecurityEventKind.RECOVERY_CODE_USED).count() == 1
    client.logout()
    client = client_for(user, org)
    response = client.post(reverse("organizations:2fa_verify"), {"token": codes[0]})
    assert response.status_code == 200 and response.context["form"].errors


def test_organisation_requirement_applies_to_roles_reading_social_notes(
    client_for: Any, org: Any, member_of: Any
) -> None:
    org.require_second_factor = True
    org.save(update_fields=["require_second_factor"])
    worker = member_of(org, "social_worker")
    response = client_for(worker, org).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("organizations:2fa_setup"))
    # A role that cannot read notes is not forced.
    reader = member_of(org, "commission_member")
    assert reader.pk != worker.pk
    assert not two_factor.second_factor_required(_membership(org, reader))
    assert two_factor.second_factor_required(_membership(org, worker))


def test_without_the_requirement_nobody_is_forced(
    client_for: Any, org: Any, member_of: Any
) -> None:
    worker = member_of(org, "social_worker")
    assert client_for(worker, org).get(reverse("home")).status_code == 200


def test_roles_come_from_the_policy_when_cases_declares_view_notes() -> None:
    from core import policy

    roles = two_factor.roles_requiring_second_factor()
    if policy.is_known("cases.view_notes"):
        assert roles == policy.roles_for("cases.view_notes")
    else:
        assert roles == two_factor.FALLBACK_ROLES


def test_api_with_session_answers_403_json_until_verified(
    client_for: Any, org: Any, member_of: Any
) -> None:
    user = member_of(org, "manager")
    _enrol(user)
    response = client_for(user, org).get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


def test_org_admin_resets_a_members_second_factor(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    admin = member_of(org, "org_admin")
    worker = member_of(org, "social_worker")
    _enrol(worker)
    membership = _membership(org, worker)
    url = reverse("organizations:2fa_reset", args=[membership.public_id])
    response = client_for(admin, org).post(url, {"reason": "Téléphone perdu"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert not StaticDevice.objects.filter(user=worker).exists()
    with in_org(org):
        event = SecurityEvent.objects.get(kind=SecurityEventKind.SECOND_FACTOR_RESET)
    assert event.user == worker and event.created_by == admin and event.detail == "Téléphone perdu"


def test_a_manager_cannot_reset_and_nothing_changes(
    client_for: Any, org: Any, member_of: Any
) -> None:
    manager = member_of(org, "manager")
    worker = member_of(org, "social_worker")
    _enrol(worker)
    membership = _membership(org, worker)
    url = reverse("organizations:2fa_reset", args=[membership.public_id])
    assert client_for(manager, org).post(url, {"reason": "x"}).status_code == 403
    assert TOTPDevice.objects.filter(user=worker, confirmed=True).exists()


def test_reset_of_another_organisations_member_is_404(
    client_for: Any, org: Any, other_org: Any, member_of: Any
) -> None:
    admin = member_of(org, "org_admin")
    stranger = member_of(other_org, "social_worker")
    _enrol(stranger)
    membership = _membership(other_org, stranger)
    url = reverse("organizations:2fa_reset", args=[membership.public_id])
    assert client_for(admin, org).post(url, {"reason": "x"}).status_code == 404
    assert TOTPDevice.objects.filter(user=stranger, confirmed=True).exists()


# --- API tokens: a login too ---------------------------------------------------------------------


def _token(client: Any, user: Any, otp: str | None = None) -> Any:
    from tests.organizations.factories import PASSWORD

    data = {"email": user.email, "password": PASSWORD}
    if otp is not None:
        data["otp"] = otp
    return client.post("/api/v1/auth/token/", data)


def test_with_a_second_factor_a_token_needs_its_code(client: Any, org: Any, member_of: Any) -> None:
    from rest_framework.authtoken.models import Token

    user = member_of(org, "social_worker")
    device, codes = _enrol(user)
    missing = _token(client, user)
    assert missing.status_code == 400 and "second facteur" in missing.json()["otp"][0]
    wrong = _token(client, user, "000000")
    assert wrong.status_code == 400 and wrong.json()["otp"] == ["Code incorrect ou déjà utilisé."]
    assert not Token.objects.filter(user=user).exists()
    assert _token(client, user, _code(device, drift=1)).status_code == 200
    Token.objects.filter(user=user).delete()
    assert _token(client, user, codes[0]).status_code == 200  # a recovery code works once
    assert _token(client, user, codes[0]).status_code == 400


def test_enrolling_or_a_reset_revokes_the_tokens_issued_before(
    client: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    from rest_framework.authtoken.models import Token

    user = member_of(org, "social_worker")
    admin = member_of(org, "org_admin")
    key = _token(client, user).json()["token"]
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    device, _ = _enrol(user)
    assert not Token.objects.filter(key=key).exists()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code in (401, 403)
    assert _token(client, user, _code(device, drift=1)).status_code == 200
    assert Token.objects.filter(user=user).exists()
    membership = _membership(org, user)
    with in_org(org, user=admin):
        two_factor.second_factor_reset(
            membership=membership, acting_user=admin, reason="Téléphone perdu"
        )
    assert not Token.objects.filter(user=user).exists()


def test_where_the_organisation_requires_it_a_token_needs_enrolment_first(
    client: Any, org: Any, member_of: Any
) -> None:
    from rest_framework.authtoken.models import Token

    worker = member_of(org, "social_worker")  # reads social notes
    manager = member_of(org, "manager")
    old = Token.objects.create(user=worker)  # issued before the organisation required it
    org.require_second_factor = True
    org.save(update_fields=["require_second_factor"])
    refused = _token(client, worker)
    assert refused.status_code == 400 and "activez-le" in refused.json()["non_field_errors"][0]
    assert Token.objects.filter(user=worker).count() == 1
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {old.key}")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"
    # A role that reads no notes is not concerned.
    key = _token(client, manager).json()["token"]
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
