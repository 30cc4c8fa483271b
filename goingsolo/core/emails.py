"""The one way to send an email: a named message rendered in the recipient's language.

Each message NAME has three templates under templates/emails/: NAME_subject.txt,
NAME_body.txt and NAME_body.html. The message is rendered inside the recipient's language
and time zone, so dates and words match what they see on the web.
"""

import zoneinfo
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation


def render_email(name, context, *, language, time_zone="UTC"):
    """Returns (subject, text, html) for message NAME in LANGUAGE."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(time_zone)):
        subject = _render_plain(f"emails/{name}_subject.txt", context)
        text = _render_plain(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    # A subject is one line, whatever the template's trailing newline says.
    subject = " ".join(subject.split())
    return subject, text, html


def _render_plain(template_name, context):
    """Plain-text templates: no HTML escaping, an apostrophe stays an apostrophe."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def build_email(
    name, context, *, to, language, time_zone="UTC", from_name=None, headers=None, reply_to=None
):
    subject, text, html = render_email(name, context, language=language, time_zone=time_zone)
    from_email = settings.DEFAULT_FROM_EMAIL
    if from_name:
        from_email = formataddr((from_name, f"noreply@{settings.GOINGSOLO_MAIL_DOMAIN}"))
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email,
        to=[to],
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
        reply_to=reply_to,
    )
    message.attach_alternative(html, "text/html")
    return message
