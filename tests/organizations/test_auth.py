"""Login, lockout, sessions and password rules (CNIL deliberation 2022-100)."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from core.middleware import IdleSessionTimeoutMiddleware
from tests.organizations.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/connexion/"


def _login(client: Any, email: str, password: str = PASSWORD) -> Any:
    return client.post(LOGIN_URL, {"username": email, "password": password})


def _session_key(client: Any) -> str | None:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else None


def test_a_member_logs_in_with_their_email_address(client: Any, org: Any, member_of: Any) -> None:
    user = member_of(org, "social_worker")
    response = _login(client, user.email.upper())
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_is_refused_with_a_french_message(
    client: Any, org: Any, member_of: Any
) -> None:
    user = member_of(org)
    response = _login(client, user.email, "pas le bon mot de passe")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()
    assert _session_key(client) is None or "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_out_for_fifteen_minutes(
    client: Any, org: Any, member_of: Any
) -> None:
    user = member_of(org)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.email, "mauvais mot de passe")
    response = _login(client, user.email)  # even the right password is refused now
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert datetime.timedelta(hours=settings.AXES_COOLOFF_TIME) == datetime.timedelta(minutes=15)


def test_the_lockout_ends_after_the_cool_off(client: Any, org: Any, member_of: Any) -> None:
    from axes.helpers import get_cache_timeout
    from axes.utils import reset

    user = member_of(org)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.email, "mauvais mot de passe")
    assert _login(client, user.email).status_code == 429
    assert get_cache_timeout() == 15 * 60  # the failures expire from the cache after 15 min
    reset(username=user.email, ip="127.0.0.1")  # what the expiry does
    assert _login(client, user.email).status_code == 302


def test_the_api_token_endpoint_is_locked_out_too(client: Any, org: Any, member_of: Any) -> None:
    user = member_of(org)
    statuses = [
        client.post(
            "/api/v1/auth/token/", {"email": user.email, "password": "mauvais mot de passe"}
        ).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = client.post("/api/v1/auth/token/", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "bloquée" in response.json()["detail"]
    assert "token" not in response.json()


def test_the_session_key_is_rotated_at_login(client: Any, org: Any, member_of: Any) -> None:
    user = member_of(org)
    session = client.session
    session["avant"] = "connexion"
    session.save()
    before = _session_key(client)
    assert _login(client, user.email).status_code == 302
    assert _session_key(client) != before
    assert not SessionStore().exists(before)


def test_logout_destroys_the_session(client: Any, org: Any, member_of: Any) -> None:
    user = member_of(org)
    _login(client, user.email)
    key = _session_key(client)
    response = client.post("/deconnexion/")
    assert response.status_code == 302
    assert not SessionStore().exists(key)
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = key
    assert stale.get("/").status_code == 302


def test_a_password_change_ends_the_other_sessions_but_keeps_this_one(
    org: Any, member_of: Any
) -> None:
    user = member_of(org)
    here, elsewhere = Client(), Client()
    _login(here, user.email)
    _login(elsewhere, user.email)
    assert elsewhere.get("/").status_code == 200
    response = here.post(
        "/compte/mot-de-passe/",
        {
            "old_password": PASSWORD,
            "new_password1": "une toute nouvelle phrase de passe",
            "new_password2": "une toute nouvelle phrase de passe",
        },
    )
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    response = elsewhere.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_an_idle_session_expires(client: Any, org: Any, member_of: Any) -> None:
    user = member_of(org)
    _login(client, user.email)
    assert client.get("/").status_code == 200
    session = client.session
    session[IdleSessionTimeoutMiddleware.KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_an_active_session_is_kept(client: Any, org: Any, member_of: Any) -> None:
    user = member_of(org)
    _login(client, user.email)
    session = client.session
    session[IdleSessionTimeoutMiddleware.KEY] = (
        int(time.time()) - settings.SESSION_IDLE_TIMEOUT + 60
    )
    session.save()
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "password", ["court1234", "onze-carac", "123456789012345", "password12345"]
)
def test_passwords_must_be_long_and_not_common(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_passphrase_is_accepted() -> None:
    validate_password("le chat dort sur le radiateur")


def test_a_password_is_never_forced_to_expire(client: Any, org: Any, member_of: Any) -> None:
    """CNIL: no periodic renewal. A password set years ago still works."""
    user = member_of(org)
    type(user).objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=5 * 365),
        last_login=timezone.now() - datetime.timedelta(days=3 * 365),
    )
    assert _login(client, user.email).status_code == 302


def test_the_password_change_form_enforces_the_rules(client: Any, org: Any, member_of: Any) -> None:
    user = member_of(org)
    _login(client, user.email)
    response = client.post(
        "/compte/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": "trop-court", "new_password2": "trop-court"},
    )
    assert response.status_code == 200
    assert "12 caractères" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_inactive_account_cannot_log_in(client: Any, db: Any) -> None:
    user = UserFactory(is_active=False)
    response = _login(client, user.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
