"""The authentication backends (goingsolo/accounts/backends.py): Django's and allauth's,
reading the signed-in member by a prepared query, and the migration that renames the
sessions made before them."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse

from goingsolo.accounts.backends import AllauthBackend, ModelBackend
from goingsolo.accounts.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

renaming = importlib.import_module(
    "goingsolo.accounts.migrations.0006_sessions_name_the_project_backends"
)


def signed_in_session(member, backend):
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    return session.session_key


def is_signed_in(client, session_key):
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client.get(reverse("accounts:profile_edit")).status_code == 200


@pytest.mark.parametrize("backend", [ModelBackend, AllauthBackend])
def test_each_backend_reads_the_member_as_django_does(backend):
    member = UserFactory()
    assert backend().get_user(str(member.pk)) == member
    assert backend().get_user(member.pk).email == member.email
    assert backend().get_user(str(member.pk + 1000)) is None
    assert backend().get_user("not a number") is None
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert backend().get_user(str(member.pk)) is None


def test_a_session_is_signed_out_by_a_new_password_and_by_deactivation(client):
    member = UserFactory()
    key = signed_in_session(member, settings.AUTHENTICATION_BACKENDS[0])
    assert is_signed_in(client, key)
    member.set_password("another long passphrase")
    member.save()
    assert not is_signed_in(client, key)
    member.refresh_from_db()
    key = signed_in_session(member, settings.AUTHENTICATION_BACKENDS[1])
    assert is_signed_in(client, key)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert not is_signed_in(client, key)


def test_sessions_made_with_djangos_and_allauths_backends_stay_signed_in(client):
    django_member, allauth_member, other = UserFactory(), UserFactory(), UserFactory()
    old_django = signed_in_session(django_member, "django.contrib.auth.backends.ModelBackend")
    old_allauth = signed_in_session(
        allauth_member, "allauth.account.auth_backends.AuthenticationBackend"
    )
    unknown = signed_in_session(other, "somewhere.else.Backend")
    unreadable = Session.objects.create(
        session_key="u" * 32, session_data="not signed", expire_date="2099-01-01T00:00Z"
    )
    # Before the migration, a path that is not in the settings signs its member out.
    assert not is_signed_in(client, old_django)

    editor = type("SchemaEditor", (), {"connection": connection})()
    renaming.rename(renaming.REPLACED)(apps, editor)

    assert is_signed_in(client, old_django)
    assert is_signed_in(client, old_allauth)
    assert (
        SessionStore(old_django)[BACKEND_SESSION_KEY] == "goingsolo.accounts.backends.ModelBackend"
    )
    assert (
        SessionStore(old_allauth)[BACKEND_SESSION_KEY]
        == "goingsolo.accounts.backends.AllauthBackend"
    )
    assert SessionStore(unknown)[BACKEND_SESSION_KEY] == "somewhere.else.Backend"
    unreadable.refresh_from_db()
    assert unreadable.session_data == "not signed"

    # And back, when the migration is reversed.
    renaming.rename({new: old for old, new in renaming.REPLACED.items()})(apps, editor)
    assert SessionStore(old_django)[BACKEND_SESSION_KEY] == (
        "django.contrib.auth.backends.ModelBackend"
    )
