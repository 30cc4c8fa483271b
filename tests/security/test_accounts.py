"""Accounts: nothing tells whether an address has an account, and the links of account
emails lead to SITE_URL whatever Host the request named."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"
KNOWN = "known@example.org"
UNKNOWN = "nobody@example.org"


@pytest.fixture
def known():
    return UserFactory(email=KNOWN)


def sign_up(client, email, **extra):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": "Sam"},
        **extra,
    )


def errors(response):
    form = response.context["form"]
    return sorted(str(e) for field in form.errors.values() for e in field)


def answer(response):
    return response.status_code, response.get("Location")


def test_sign_up_answers_alike_for_a_taken_address(client, known):
    assert answer(sign_up(client, KNOWN)) == answer(sign_up(client, "new@example.org"))


def test_a_wrong_password_reads_alike_for_known_and_unknown_addresses(client, known):
    url = reverse("account_login")
    for_known = client.post(url, {"login": KNOWN, "password": "wrong"})
    for_unknown = client.post(url, {"login": UNKNOWN, "password": "wrong"})
    assert for_known.status_code == for_unknown.status_code == 200
    assert errors(for_known) == errors(for_unknown) != []


@pytest.mark.parametrize("url_name", ["account_reset_password", "account_request_login_code"])
def test_asking_for_a_reset_or_a_code_answers_alike(client, known, url_name):
    for_known = client.post(reverse(url_name), {"email": KNOWN})
    for_unknown = client.post(reverse(url_name), {"email": UNKNOWN})
    assert answer(for_known) == answer(for_unknown)
    assert for_known.status_code == 302


# --- Links in account emails ----------------------------------------------------------------

FORGED = "attacker.example"


def sign_up_new(client):
    sign_up(client, "new@example.org", HTTP_HOST=FORGED)


def sign_up_taken(client):
    sign_up(client, KNOWN, HTTP_HOST=FORGED)


def reset_known(client):
    client.post(reverse("account_reset_password"), {"email": KNOWN}, HTTP_HOST=FORGED)


def reset_unknown(client):
    client.post(reverse("account_reset_password"), {"email": UNKNOWN}, HTTP_HOST=FORGED)


@pytest.mark.parametrize(
    ("action", "path"),
    [
        (sign_up_new, "/accounts/confirm-email/"),
        (sign_up_taken, "/accounts/password/reset/"),
        (reset_known, "/accounts/password/reset/key/"),
        (reset_unknown, "/accounts/signup/"),
    ],
    ids=["confirmation", "account-exists", "password-reset", "unknown-account"],
)
def test_links_in_account_emails_name_the_site_not_the_requests_host(
    client, settings, known, django_capture_on_commit_callbacks, action, path
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, FORGED]
    with django_capture_on_commit_callbacks(execute=True):
        action(client)
    [message] = mail.outbox
    text = message.body + "".join(body for body, _type in getattr(message, "alternatives", []))
    assert FORGED not in text
    assert settings.SITE_URL + path in text
