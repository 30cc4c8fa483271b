"""The one way to send an email: a named message rendered in the recipient's language.

Each message NAME has three templates in its app's templates/emails/: NAME_subject.txt,
NAME_body.txt and NAME_body.html (event_* in events, digest and inbound_* in mail …). The message is rendered inside the recipient's language
and time zone, so dates and words match what they see on the web.

Sending stores the message in the outbound queue: `build_email(...).send()` hands it to
the email backend named by settings.GOINGSOLO_OUTBOX_BACKEND (the mail app's queue), and
the queue's worker sends it over SMTP with retries, a per-recipient return path and the
bounce rules (docs/mailing-list.md, "One way out"). Core names the backend by a setting,
so it imports no feature. A message built by a library (allauth's account mail) goes the
same way through `queued(message, ...)`.
"""

import re
import zoneinfo
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from goingsolo.core.text import clean_name


class Kind:
    """What an email is, for the queue: it decides the order of sending and whether a
    member's bounce pause holds it back (the values are OutboundEmail.Kind's)."""

    # Verification, password reset, login code: sent first, even to a paused member.
    SECURITY = "account"
    NOTICE = "notice"
    EVENT = "event"
    # An automatic answer to a message received by email.
    REFUSAL = "refusal"


def render_email(name, context, *, language, time_zone="UTC"):
    """Returns (subject, text, html) for message NAME in LANGUAGE."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(time_zone)):
        subject = _render_plain(f"emails/{name}_subject.txt", context)
        text = _render_plain(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    # A subject is one line, whatever the template's trailing newline says; a non-breaking
    # space stays (French puts one before "?" and inside « », docs/voice.md).
    subject = re.sub(r"[ \t\r\n]+", " ", subject).strip()
    return subject, text, html


def _render_plain(template_name, context):
    """Plain-text templates: no HTML escaping, an apostrophe stays an apostrophe."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def build_email(
    name,
    context,
    *,
    to,
    language,
    time_zone="UTC",
    from_name=None,
    headers=None,
    reply_to=None,
    kind=Kind.NOTICE,
    member=None,
    idempotency_key="",
):
    """Message NAME to TO, rendered in LANGUAGE and TIME_ZONE; `.send()` queues it.

    KIND: a `Kind`. MEMBER: the member TO belongs to, when the caller knows (otherwise the
    queue looks the address up). IDEMPOTENCY_KEY: the same key queues one email only, so a
    job that runs again (a retry after a crash) adds nothing; see `job_key`.
    """
    subject, text, html = render_email(name, context, language=language, time_zone=time_zone)
    from_email = settings.DEFAULT_FROM_EMAIL
    if from_name:
        from_email = formataddr(
            (clean_name(from_name), f"noreply@{settings.GOINGSOLO_MAIL_DOMAIN}")
        )
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email,
        to=[to],
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
        reply_to=reply_to,
    )
    message.attach_alternative(html, "text/html")
    return queued(message, kind=kind, member=member, idempotency_key=idempotency_key)


def queued(message, *, kind, member=None, idempotency_key=""):
    """MESSAGE (any Django EmailMessage) bound for the outbound queue: its `.send()` stores
    it there, one row per recipient, and asks for delivery once the transaction commits.
    Returns MESSAGE."""
    message.queue_kind = kind
    message.queue_member_id = getattr(member, "pk", member)
    message.queue_key = idempotency_key
    message.connection = get_connection(settings.GOINGSOLO_OUTBOX_BACKEND)
    return message


def job_key(context):
    """An idempotency key for the one email the running job sends, from its django-tasks
    TaskContext: a job run again after a crash has the same id, so it queues nothing more."""
    return f"job:{context.task_result.id}"
