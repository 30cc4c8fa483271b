"""Confirming a message whose sender was not proven.

Anyone can write a member's address in From: such a message waits ("awaiting"), and the
member is asked by email whether they sent it, by a link (views.confirm) or a reply to
`<slug>+confirm-<token>@`. Confirming processes it as if its sender had been proven."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from goingsolo.core.emails import build_email
from goingsolo.core.uploads import (
    attachment_max_bytes,
)

from .. import reply_tokens
from ..addresses import routes_of
from ..loops import ORIGIN_HEADER
from ..models import InboundMessage
from .outcomes import Outcome, best_of, combined, record
from .parsing import parse_message
from .posting import bad_token, process_route, who_sent
from .refusals import refusal_context

Status = InboundMessage.Status
Kind = InboundMessage.Kind


# Anyone can write a member's address in From: a member is asked to confirm at most once
# an hour per group; further unproven messages wait silently, listed on the same page.
CONFIRMATION_EMAIL_INTERVAL_SECONDS = 3600


# How much of the text the confirmation email and page show.
PREVIEW_CHARS = 600


def confirmation_lifetime():
    return timedelta(days=settings.GOINGSOLO_MAIL_CONFIRM_DAYS)


def confirmation_key(user, group):
    return f"mail:inbound:confirm-asked:{user.pk}:{group.pk if group else 0}"


def ask_confirmation(message, outcome):
    """Emails the member named in From, unless they were asked within the hour about this
    group: a forger could otherwise flood them. The message waits either way."""
    key = confirmation_key(outcome.author, outcome.group)
    if not cache.add(key, message.pk, CONFIRMATION_EMAIL_INTERVAL_SECONDS):
        outcome.note += " (the member was asked less than an hour ago: not asked again)"
        return
    message.confirmation_sent_at = timezone.now()
    pk = message.pk

    def send():
        send_inbound_confirmation.enqueue(message_pk=pk)

    transaction.on_commit(send)
    outcome.note += " (confirmation asked)"


@task()
def send_inbound_confirmation(*, message_pk):
    """Asks the author of a message whose sender was not proven whether they sent it (see
    confirmation_email); nothing when it no longer waits."""
    email = confirmation_email(message_pk)
    if email is not None:
        email.send()


def confirmation_email(message_pk):
    """The email asking the author of a waiting message whether they sent it, or None
    when it no longer waits. Goes to the From address, in the member's language."""
    message = (
        InboundMessage.objects.select_related("group", "author", "thread")
        .filter(pk=message_pk, status=Status.AWAITING)
        .first()
    )
    if message is None or message.author is None or message.group is None:
        return None
    author = message.author
    parsed = parse_message(bytes(message.raw))
    context = {
        "recipient_name": author.name,
        "sender": message.sender,
        "subject": message.subject,
        "preview": preview(parsed.body_text),
        "attachments": attachment_names(parsed),
        "group_name": message.group.name,
        "address": (message.recipients or [""])[0],
        "thread_title": message.thread.title if message.thread else "",
        "received_at": message.received_at,
        "confirm_url": reply_tokens.confirmation_url(message.pk, author.pk),
        "days": settings.GOINGSOLO_MAIL_CONFIRM_DAYS,
    }
    headers = {ORIGIN_HEADER: settings.GOINGSOLO_MAIL_DOMAIN}
    original_id = parsed.raw_header("Message-ID")[:998]
    if original_id:
        headers["In-Reply-To"] = original_id
        headers["References"] = original_id
    return build_email(
        "inbound_confirm",
        context,
        to=message.sender,
        language=author.preferred_language,
        time_zone=author.time_zone,
        headers=headers,
        reply_to=[reply_tokens.confirmation_address(message.group.slug, message.pk, author.pk)],
        member=author,
        # One question per waiting message, however often its job runs.
        idempotency_key=f"inbound-confirm:{message.pk}",
    )


def attachment_names(parsed):
    return [attachment.name for attachment in parsed.attachments(max_bytes=attachment_max_bytes())]


def preview(text):
    text = (text or "").strip()
    if len(text) <= PREVIEW_CHARS:
        return text
    return text[: PREVIEW_CHARS - 1].rstrip() + "…"


def confirmation_state(message):
    """What a confirmation link finds: "waiting", "expired", "posted", "held" (for a
    moderator), "refused" (by the rules, or by its author) or "ignored" (a copy)."""
    if message.status == Status.AWAITING:
        if message.received_at < timezone.now() - confirmation_lifetime():
            return "expired"
        return "waiting"
    if message.status == Status.PROCESSED:
        return "posted"
    if message.status == Status.HELD:
        return "held"
    if message.status == Status.IGNORED:
        return "ignored"
    if message.confirmed_at is None and message.note.startswith("not confirmed"):
        return "expired"
    return "refused"


def waiting_messages(*, author, group, exclude=None):
    """The author's other messages to GROUP still waiting for them; one query."""
    since = timezone.now() - confirmation_lifetime()
    found = InboundMessage.objects.filter(
        author=author, group=group, status=Status.AWAITING, received_at__gte=since
    ).defer("raw")
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return list(found.order_by("received_at")[:20])


@transaction.atomic
def inbound_message_confirm(*, message, by, via):
    """BY confirms that they sent MESSAGE, which waits because its sender was not proven.

    It is processed now as if its sender had been proven, by the rules of the moment:
    posted (a new thread, or a reply to the post it answers), held for a moderator, or
    refused (not a member any more, over the rate limit, a closed thread…). VIA: "link" or
    "reply", for the note. Returns the Outcome (its `refusal` says why nothing was posted).
    Raises PermissionDenied when BY is not its author, ValidationError when it no longer
    waits (confirmed already, refused, or expired: code "expired").
    Side effects on commit: those of the discussions services that post; an explanation
    email when VIA is "reply" and nothing was posted.
    """
    message = (
        InboundMessage.objects.select_for_update(of=("self",))
        .select_related("group", "author")
        .get(pk=message.pk)
    )
    if message.author_id != by.pk:
        raise PermissionDenied(_("Only its author can confirm this message."))
    state = confirmation_state(message)
    if state == "expired":
        raise ValidationError(_("This confirmation has expired."), code="expired")
    if state != "waiting":
        raise ValidationError(_("This message was already confirmed or refused."), code="done")
    parsed = parse_message(bytes(message.raw))
    routes = [route for route in routes_of(message.recipients) if route.kind == "group"]
    outcomes = [process_route(message, parsed, route, proven=True) for route in routes]
    if not outcomes:
        outcomes = [Outcome(Status.REJECTED, "none of the recipients is ours any more")]
    if via == "reply":
        best = combined(message, parsed, outcomes)  # the refusal is explained by email
    else:
        best = best_of(outcomes)
        if best.refusal:  # the page says why
            best.refusal_context = refusal_context(message, parsed, best)
    best.note = f"confirmed by its sender ({via}); {best.note}"
    message.confirmed_at = timezone.now()
    record(message, best)
    # Their next unproven message asks them again at once: they are the one writing.
    cache.delete(confirmation_key(by, message.group))
    return best


@transaction.atomic
def inbound_message_disown(*, message, by):
    """BY says they did not send MESSAGE: it will never be posted. Returns the message.
    Raises PermissionDenied when BY is not its author. Side effects: none."""
    message = InboundMessage.objects.select_for_update(of=("self",)).get(pk=message.pk)
    if message.author_id != by.pk:
        raise PermissionDenied(_("Only its author can refuse this message."))
    if confirmation_state(message) == "waiting":
        message.status = Status.REJECTED
        message.note = "its sender says they did not send it"
        message.decided_by = by
        message.processed_at = timezone.now()
        message.save(update_fields=["status", "note", "decided_by", "processed_at"])
    return message


def confirmation_reply(message, parsed, route):
    """A reply to `<slug>+confirm-<token>@`: from the member the token names, it confirms
    the message the token names (what the reply says is not read)."""
    found = reply_tokens.resolve_confirmation_token(route.tag)
    held, token_user = found if found else (None, None)
    if held is None or held.group is None or held.group.slug != route.base:
        return bad_token(parsed, route, kind=Kind.CONFIRMATION, what="confirm")
    group = held.group
    user, refused = who_sent(parsed, group, Kind.CONFIRMATION)
    if refused:
        return refused
    if user != token_user:
        return Outcome(
            Status.REJECTED,
            f"confirmation address of member {token_user.pk} used by {parsed.from_address}",
            kind=Kind.CONFIRMATION,
            group=group,
            author=user,
            refusal="wrong_sender",
            language=user.preferred_language,
        )
    outcome = _confirmed_by_reply(held, user, group)
    outcome.sender_proven = True  # by the token, which only this member received
    return outcome


def _confirmed_by_reply(held, user, group):
    try:
        confirmed = inbound_message_confirm(message=held, by=user, via="reply")
    except ValidationError as error:
        if error.code == "expired":
            return Outcome(
                Status.REJECTED,
                f"confirmation of inbound message {held.pk} expired",
                kind=Kind.CONFIRMATION,
                group=group,
                author=user,
                refusal="confirmation_expired",
                refusal_context={
                    "subject": held.subject,
                    "days": settings.GOINGSOLO_MAIL_CONFIRM_DAYS,
                },
                language=user.preferred_language,
            )
        return Outcome(
            Status.IGNORED,
            f"inbound message {held.pk} was already confirmed or refused",
            kind=Kind.CONFIRMATION,
            group=group,
            author=user,
        )
    return Outcome(
        Status.PROCESSED,
        f"confirmed inbound message {held.pk}: {confirmed.status}",
        kind=Kind.CONFIRMATION,
        group=group,
        author=user,
        thread=confirmed.thread,
        post=confirmed.post,
    )
