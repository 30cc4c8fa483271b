"""Account mail (verification, password reset, login code) goes through the outbound queue
as security mail: stored first, sent by the worker over SMTP with a return path naming the
queued email, ahead of everything else."""

import re

import pytest
from django.urls import reverse

from goingsolo.mail.models import OutboundEmail
from goingsolo.mail.reply_tokens import bounce_address
from tests.factories import UserFactory
from tests.support import deliver_after_outage, sink_fixture

pytestmark = pytest.mark.django_db
# The mail server is down until the test brings it up: what is sent must wait in the queue.
sink = sink_fixture(started=False)
PASSWORD = "a long and unusual passphrase"


def queued_security_mail(address):
    """The one account email queued for ADDRESS, checked to be waiting, never tried."""
    [row] = OutboundEmail.objects.filter(to_address=address)
    assert (row.kind, row.priority) == ("account", OutboundEmail.Priority.SECURITY)
    assert (row.status, row.attempts) == ("queued", 0)
    return row


def sent_over_smtp(sink, row):
    """The message ROW became at the SMTP server, checked to carry its return path."""
    deliver_after_outage(sink)
    row.refresh_from_db()
    assert row.status == "sent"
    message = sink.one_to(row.to_address)
    assert message.mail_from == bounce_address(row.pk)
    assert message.mail_from.startswith("bounces+")
    return message


def test_the_verification_email_of_a_sign_up_waits_in_the_queue_and_goes_out_by_smtp(
    client, sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "sam@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "display_name": "Sam",
            },
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    assert response.status_code == 302
    row = queued_security_mail("sam@example.org")
    assert row.recipient.email == "sam@example.org"
    assert sink.received == []

    message = sent_over_smtp(sink, row)
    assert re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.text())
    assert "Confirmez" in str(message["Subject"])  # the visitor's language


def test_a_password_reset_waits_in_the_queue_and_goes_out_in_the_members_language(
    client, sink, django_capture_on_commit_callbacks
):
    user = UserFactory(email="reset@example.org", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    row = queued_security_mail(user.email)
    assert row.recipient == user

    message = sent_over_smtp(sink, row)
    assert "mot de passe" in message.text().lower()
    assert "/accounts/password/reset/key/" in message.text()


def test_a_login_code_waits_in_the_queue_and_the_code_that_arrives_logs_in(
    client, sink, django_capture_on_commit_callbacks
):
    user = UserFactory(email="code@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": user.email})
    row = queued_security_mail(user.email)

    message = sent_over_smtp(sink, row)
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.text(), re.MULTILINE).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile_edit")).status_code == 200
