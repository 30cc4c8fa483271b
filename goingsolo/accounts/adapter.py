import zoneinfo
from types import SimpleNamespace
from urllib.parse import urlparse, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from goingsolo.core.emails import Kind, queued


def on_site_url(url):
    """URL with its scheme and host replaced by SITE_URL's. allauth builds the links of its
    emails from the request, whose Host header the sender chose (docs/security.md)."""
    parts = urlsplit(url)
    if not (parts.scheme and parts.netloc):
        return url
    return settings.SITE_URL + parts._replace(scheme="", netloc="").geturl()


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """New members start with the language they signed up in."""
        user = super().save_user(request, user, form, commit=False)
        if not user.language:
            language = translation.get_language() or "en"
            user.language = "fr" if language.startswith("fr") else "en"
        if commit:
            user.save()
        return user

    def add_message(self, request, level, message_template=None, message_context=None, **kwargs):
        """allauth's messages in the language the next page shows: once a member is signed
        in, theirs (accounts/middleware.py), although the request that signed them in was
        read in the browser's ("Connexion réussie", not "Successfully signed in", for a
        member who chose French)."""
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None else ""
        with translation.override(language or translation.get_language()):
            super().add_message(request, level, message_template, message_context, **kwargs)

    def send_mail(self, template_prefix, email, context):
        """Account emails go out in the member's language when they chose one, signed
        with the site's name rather than the host name, through the outbound queue as
        security mail: sent before any other, even while the member's delivery is paused
        after bounces (docs/mailing-list.md, "One way out"). Its links (`activate_url`,
        `password_reset_url`, `signup_url`…) lead to SITE_URL, whatever the request's Host."""
        context = {
            key: on_site_url(value) if key.endswith("_url") and isinstance(value, str) else value
            for key, value in context.items()
        }
        user = context.get("user") or get_user_model().objects.filter(email__iexact=email).first()
        language = getattr(user, "language", "") or translation.get_language()
        zone = getattr(user, "time_zone", "") or settings.TIME_ZONE
        site = SimpleNamespace(name=settings.SITE_NAME, domain=urlparse(settings.SITE_URL).netloc)
        # In the member's language and time zone, greeted and signed as every other email
        # (templates/account/email/base_message.txt, docs/voice.md).
        with translation.override(language), timezone.override(zoneinfo.ZoneInfo(zone)):
            message = self.render_mail(
                template_prefix,
                email,
                {
                    "request": allauth_context.request,
                    "email": email,
                    **context,
                    "current_site": site,
                    "SITE_NAME": settings.SITE_NAME,
                    "SITE_URL": settings.SITE_URL,
                },
            )
        member = user if getattr(user, "pk", None) else None
        queued(message, kind=Kind.SECURITY, member=member).send()
