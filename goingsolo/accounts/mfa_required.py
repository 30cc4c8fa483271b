"""A second factor for the instance's administrators, when the instance asks for one.

With GOINGSOLO_REQUIRE_MFA_FOR_ADMINS on, a staff member or superuser who has no
authenticator app (TOTP) is sent to set one up before any other page: the admin, a
group's settings, a post. Only the pages that lead there stay open (allauth's
two-factor pages and the reauthentication they may ask for), with logging out, choosing
the language and the uploads the application serves (avatars). Recovery codes alone do
not count: they back up a factor.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

# Views a staff member without a second factor may still open: where they set one up.
OPEN_VIEWS = {
    "account_logout",
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "accounts:set_language",
}


def needs_second_factor(user):
    """Whether USER is an administrator this instance asks for a second factor."""
    return (
        settings.GOINGSOLO_REQUIRE_MFA_FOR_ADMINS
        and user.is_authenticated
        and (user.is_staff or user.is_superuser)
        and not Authenticator.objects.filter(user=user)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .exists()
    )


class AdminSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in OPEN_VIEWS or name.startswith("mfa_"):
            return None
        if request.path.startswith(settings.MEDIA_URL):
            return None  # avatars on the set-up page
        if not needs_second_factor(request.user):
            return None
        _tell_once(
            request,
            _(
                "This site asks its admins for a second factor. Set up an authenticator "
                "app to go on."
            ),
        )
        setup = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(setup)
        return redirect(setup)


def _tell_once(request, text):
    """Adds TEXT to the messages the next page shows, unless it is there already (each
    page the administrator tries before reaching the set-up page would add one)."""
    storage = messages.get_messages(request)
    already = any(message.message == text for message in storage)
    storage.used = False  # looked at, not shown: keep them for the next page
    if not already:
        messages.warning(request, text)
