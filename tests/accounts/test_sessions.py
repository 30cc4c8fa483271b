"""The session engine (goingsolo/accounts/sessions.py): Django's database sessions read by a
query built once; each test runs on SQLite and on PostgreSQL with the suite."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from goingsolo.accounts.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_saved_session_loads_what_was_saved():
    session = SessionStore()
    session["answer"] = 42
    session.save()
    again = SessionStore(session.session_key)
    assert again["answer"] == 42
    assert again.session_key == session.session_key


def test_an_expired_or_unknown_session_loads_nothing_and_gets_a_new_key():
    session = SessionStore()
    session["answer"] = 42
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(session.session_key)
    assert "answer" not in expired
    assert expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert dict(unknown.items()) == {}
    assert unknown.session_key is None
    # A key of the wrong form (too short) never reaches the database.
    assert dict(SessionStore("short").items()) == {}


def test_a_member_signed_in_stays_signed_in_and_signing_out_ends_the_session(client):
    member = UserFactory()
    client.force_login(member)
    assert client.get(reverse("accounts:profile_edit")).status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    # The old cookie opens nothing any more.
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    response = client.get(reverse("accounts:profile_edit"))
    assert response.status_code == 302
