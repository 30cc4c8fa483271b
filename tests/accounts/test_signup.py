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


def test_sign_up_sends_a_verification_email_in_the_visitors_language(client):
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
    assert "Saisissez une adresse de courriel valide" in response.content.decode()
    assert not User.objects.exists()


def test_a_duplicate_account_is_refused(client):
    UserFactory(email="taken@example.org")
    response = signup(client, "Taken@Example.org")
    assert response.status_code == 200
    assert (
        "already registered" in response.content.decode() or "already" in response.content.decode()
    )
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


def test_login_by_code_is_offered(client):
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("account_request_login_code") in page
