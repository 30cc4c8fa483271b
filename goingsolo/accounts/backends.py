"""The authentication backends (settings.AUTHENTICATION_BACKENDS): Django's and allauth's,
unchanged but for one thing: the signed-in member, read on every request of theirs, is read
by a query built once per process (core/prepared.py). Django builds `User.objects.get(pk=…)`
again for every request, which cost more than running it (docs/decisions/0002-read-path.md).

A session names the backend that signed its member in; the sessions made when these were
Django's and allauth's own classes were renamed by the migration
`accounts/0006_sessions_name_the_project_backends` (nobody is signed out)."""

from allauth.account import auth_backends
from django.contrib.auth import backends

from goingsolo.core.prepared import PreparedQuery

from .models import User

_member = PreparedQuery(lambda user_id: User.objects.filter(pk=user_id).order_by("pk")[:1])


class _PreparedMember:
    def get_user(self, user_id):
        # As Django's ModelBackend.get_user: None for an unknown or inactive member. The
        # session keeps the id as text.
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        user = _member.first(user_id=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_PreparedMember, backends.ModelBackend):
    """Django's backend: a member signs in with their email address and password."""


class AllauthBackend(_PreparedMember, auth_backends.AuthenticationBackend):
    """allauth's backend (its flows: sign-in by email, login codes)."""
