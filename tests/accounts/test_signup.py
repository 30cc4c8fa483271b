import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from goingsolo.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"


def signup(client, email, language="en", **extra):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Sam",
            **extra,
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_sign_up_sends_a_verification_email_in_the_visitors_language(
    client, django_capture_on_commit_callbacks
):
    # The email is queued with the account; the queue sends it once that commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, "sam@example.org", language="fr")
    assert response.status_code == 302
    user = User.objects.get(email="sam@example.org")
    assert user.language == "fr" and user.display_name == "Sam"
    assert not EmailAddress.objects.get(user=user).verified
    [message] = mail.outbox
    assert message.to == ["sam@example.org"]
    assert (
        "Confirm" in message.subject
        or "Confirmez" in message.subject
        or "confirm" in message.body.lower()
    )


def test_an_invalid_email_is_refused_with_a_translated_error(client):
    response = signup(client, "not-an-email", language="fr")
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide" in response.content.decode()
    assert not User.objects.exists()


def test_a_duplicate_account_is_refused_by_email_to_the_address(
    client, django_capture_on_commit_callbacks
):
    """The page answers as for a new address (no account enumeration, docs/security.md);
    the address's owner is told by email that it already has an account."""
    UserFactory(email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, "Taken@Example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    [message] = mail.outbox
    assert message.to == ["taken@example.org"]
    assert "already" in message.body


def test_login_by_code_is_offered(client):
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("account_request_login_code") in page


def test_login_by_emailed_code(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="code@example.org", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_request_login_code"), {"email": user.email})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [user.email]
    assert "goingsolo" in message.body and "testserver" not in message.body
    assert "code" in message.body.lower()
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile_edit")).status_code == 200


def test_password_reset_email_is_in_the_members_language(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="reset@example.org", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": user.email}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [user.email]
    assert "mot de passe" in message.body.lower()


@pytest.mark.parametrize(
    ("guessed", "stored"),
    [
        ("Europe/Zurich", "Europe/Zurich"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("", "UTC"),  # no JavaScript: the default
        ("Not/A_Zone", "UTC"),  # a guess is no reason to refuse a sign-up
    ],
)
def test_sign_up_keeps_the_time_zone_guessed_by_the_browser(client, guessed, stored):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'name="time_zone"' in page and 'data-guess-time-zone="always"' in page
    assert "goingsolo/accounts.js" in page
    response = signup(client, "zone@example.org", time_zone=guessed)
    assert response.status_code == 302
    assert User.objects.get(email="zone@example.org").time_zone == stored


def test_the_signed_in_message_is_in_the_members_language(client):
    """The request that signs a member in is read in the browser's language; the page
    after it, and its "signed in" message, in the member's (accounts/adapter.py)."""
    user = UserFactory(email="claire@example.org", language="fr", display_name="Claire")
    user.set_password(PASSWORD)
    user.save()
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["Connexion avec Claire réussie."], shown
    assert response.headers["Content-Language"] == "fr"
