"""The Django admin is entered through the site's login (allauth): its rate limits and the
second factor hold for the admin too."""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core.cache import cache
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factory's


@pytest.fixture
def admin_user():
    return UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def rate_limits(settings):
    """allauth's own limits, which the suite otherwise turns off."""
    settings.ACCOUNT_RATE_LIMITS = {}
    cache.clear()
    yield
    cache.clear()


def current_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def in_the_admin(client):
    return client.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_page_is_the_sites(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2Flogin%2F"


def test_a_password_posted_to_the_admins_own_form_opens_no_session(client, admin_user):
    response = client.post(
        reverse("admin:login"), {"username": admin_user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not in_the_admin(client)


def test_the_sites_login_leads_into_the_admin(client, admin_user):
    response = client.post(
        f"{reverse('account_login')}?next={reverse('admin:index')}",
        {"login": admin_user.email, "password": PASSWORD},
    )
    assert response["Location"] == reverse("admin:index")
    assert in_the_admin(client)


def test_thirty_wrong_passwords_are_throttled(client, admin_user, rate_limits):
    login = f"{reverse('account_login')}?next={reverse('admin:index')}"
    pages = [
        client.post(login, {"login": admin_user.email, "password": f"guess {n}"}) for n in range(30)
    ]
    assert {page.status_code for page in pages} == {200}
    # Five tries per address, then the address is locked for a while…
    assert not any("Too many failed login attempts" in page.content.decode() for page in pages[:5])
    assert all("Too many failed login attempts" in page.content.decode() for page in pages[5:])
    # …and thirty a minute from one address: the right password now gets the 429 page.
    response = client.post(login, {"login": admin_user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert not in_the_admin(client)


def test_a_staff_member_with_an_authenticator_needs_the_code_for_the_admin(client, admin_user):
    secret = generate_totp_secret()
    TOTP.activate(admin_user, secret)
    response = client.post(
        f"{reverse('account_login')}?next={reverse('admin:index')}",
        {"login": admin_user.email, "password": PASSWORD},
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert not in_the_admin(client), "the password alone opens no session"

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response["Location"] == reverse("admin:index")
    assert in_the_admin(client)
