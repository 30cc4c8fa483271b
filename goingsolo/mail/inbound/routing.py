"""Inbound mail: storing what the listener accepts, and what becomes of it.

`inbound_store` is called by the SMTP/LMTP listener and by `goingsolo mail receive`, before
they answer; `inbound_process` is the job that follows. Processing decides, for each of
our addresses the message was sent to (see addresses.Route):

- the return path, or a delivery report (DSN) sent anywhere → bounces;
- a machine-made message (auto-reply, bulk, our own; see loops) → ignored;
- `<slug>@` from a member's verified address → a new thread, held for a moderator when
  the group's ListSettings say so; a reply when it answers one of the group's posts
  (In-Reply-To/References), as a "reply to list" does. Only when the From address is
  proven (authentication.py); otherwise the message waits ("awaiting") and the
  member is asked by email to confirm it, by a link or a reply to
  `<slug>+confirm-<token>@`; confirming processes it as if proven;
- `<slug>+<token>@` → a reply in the token's thread, as the token's member, when the
  sender is one of that member's verified addresses (the token, which only that member
  received, proves the sender).

Anything else is refused, and the sender told why by email when they look like a person
(refusals.py). The message row keeps the outcome (status, note, post) for the admin.
The same message delivered twice posts once: its Message-ID is looked for among the
group's posts and held messages.
"""

import logging
import re
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import loops, reply_tokens
from ..addresses import routes_of
from ..models import InboundMessage
from ..outbound.services import subscription_unsubscribe
from . import bounces
from .authentication import Envelope, Verdict, sender_verdict
from .confirmations import ask_confirmation, confirmation_lifetime, confirmation_reply
from .outcomes import Outcome, combined, record
from .parsing import parse_message, without_nul
from .posting import process_route
from .refusals import explain

logger = logging.getLogger(__name__)

Status = InboundMessage.Status
Kind = InboundMessage.Kind


def inbound_process(message_pk):
    """Processes the stored message MESSAGE_PK once; returns the InboundMessage.

    Idempotent: a message that is no longer "received" is left alone, and two workers
    on the same message take turns on its row lock. Never raises for a message, whatever
    its content: an unexpected error marks it "failed", with the error in its note.
    Side effects on commit: those of the discussions services that post; an explanation
    email to the sender of a refused message (refusals.py); the email asking a member
    to confirm a message whose sender was not proven; none for the rest.
    """
    try:
        stored = (
            InboundMessage.objects.filter(pk=message_pk)
            .only("status", "raw", "recipients", "mail_from", "client_address", "helo")
            .first()
        )
        if stored is None or stored.status != Status.RECEIVED:
            return stored
        # Reading the message and asking DNS who sent it are most of the work: both are
        # done before the transaction, so that other workers write meanwhile (SQLite has
        # one writer at a time).
        parsed = parse_message(bytes(stored.raw))
        parsed.body_text  # noqa: B018  (computed once, now)
        verdict = _verdict_if_needed(stored, parsed)
        with transaction.atomic():
            message = (
                InboundMessage.objects.select_for_update()
                .defer("raw")
                .filter(pk=message_pk)
                .first()
            )
            if message is None or message.status != Status.RECEIVED:
                return message
            outcome = _process(message, parsed, verdict)
            record(message, outcome)
            return message
    except Exception as error:
        logger.exception("Inbound message %s failed", message_pk)
        note = without_nul("".join(traceback.format_exception_only(error)).strip()[:2000])
        InboundMessage.objects.filter(pk=message_pk, status=Status.RECEIVED).update(
            status=Status.FAILED, note=note, processed_at=timezone.now()
        )
        return InboundMessage.objects.filter(pk=message_pk).first()


def inbound_process_pending(*, older_than=timedelta(minutes=5)):
    """Processes messages left "received" (a job lost before it ran); returns how many.

    Side effects: those of inbound_process, for each.
    """
    pending = InboundMessage.objects.filter(
        status=Status.RECEIVED, received_at__lt=timezone.now() - older_than
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(pending):
        inbound_process(pk)
        count += 1
    return count


def inbound_expire_unconfirmed():
    """Rejects the messages whose sender did not confirm them in time; returns how many.

    Their links already say "expired" (see confirmation_state): this tidies the rows for
    the admin. Side effects: none.
    """
    return InboundMessage.objects.filter(
        status=Status.AWAITING, received_at__lt=timezone.now() - confirmation_lifetime()
    ).update(
        status=Status.REJECTED,
        note=f"not confirmed by its sender within {settings.GOINGSOLO_MAIL_CONFIRM_DAYS} days",
        processed_at=timezone.now(),
    )


def _verdict_if_needed(stored, parsed):
    """The Verdict on the sender of a message to a group's own address, whose From only
    DNS can prove; None for the rest (a reply by token is proven by its token; bounces,
    unsubscribing and machine-made mail post nothing)."""
    if not any(route.kind == "group" for route in routes_of(stored.recipients)):
        return None
    if parsed.is_delivery_report or not parsed.from_address:
        return None
    if loops.loop_reason(parsed, stored.mail_from):
        return None
    if not settings.GOINGSOLO_MAIL_AUTHENTICATE:
        return Verdict(proven=True, by="nothing: GOINGSOLO_MAIL_AUTHENTICATE is off")
    envelope = Envelope(
        client_address=stored.client_address,
        helo=stored.helo,
        mail_from="" if stored.mail_from == "<>" else stored.mail_from,
    )
    return sender_verdict(raw=bytes(stored.raw), parsed=parsed, envelope=envelope)


def _process(message, parsed, verdict):
    message.sender = parsed.from_address[:320]
    message.subject = parsed.subject[:300]
    message.authentication = verdict.summary if verdict is not None else ""
    routes = routes_of(message.recipients)
    if not routes:
        return Outcome(Status.REJECTED, "none of the recipients is ours")

    bounce_routes = [route for route in routes if route.kind == "bounce"]
    if bounce_routes or parsed.is_delivery_report:
        return _process_bounce(message, parsed, bounce_routes)
    unsubscribe_routes = [route for route in routes if route.kind == "unsubscribe"]
    if unsubscribe_routes:
        return _process_unsubscribe(unsubscribe_routes)

    reason = loops.loop_reason(parsed, message.mail_from)
    if reason:
        return Outcome(Status.IGNORED, reason)
    if not parsed.from_address:
        return Outcome(Status.REJECTED, "no single, valid From address")
    confirm_routes = [route for route in routes if route.kind == "confirm"]
    if confirm_routes:
        outcome = confirmation_reply(message, parsed, confirm_routes[0])
        if outcome.refusal:
            explain(message, parsed, outcome)
        return outcome

    proven = verdict is not None and verdict.proven
    outcomes = [process_route(message, parsed, route, proven=proven) for route in routes]
    best = combined(message, parsed, outcomes)
    if best.status == Status.AWAITING:
        ask_confirmation(message, best)
    return best


def _process_unsubscribe(routes):
    """List-Unsubscribe by mail (RFC 2369): the token names the member and the group, so
    whoever sends it (a mail client's unsubscribe button sends an empty message) is
    believed, as for the one-click link."""
    done = []
    for route in routes:
        found = reply_tokens.resolve_unsubscribe_token(route.tag)
        if found is None:
            continue
        user, group = found
        if group.slug != route.base:
            continue
        subscription_unsubscribe(user=user, group=group)
        done.append((user, group))
    if not done:
        return Outcome(Status.REJECTED, "invalid unsubscribe token")
    user, group = done[0]
    return Outcome(
        Status.PROCESSED,
        f"member {user.pk} unsubscribed from {group.slug}",
        group=group,
        author=user,
    )


def _process_bounce(message, parsed, bounce_routes):
    user, address = None, ""
    for route in bounce_routes:
        user, address = _bounced_member(route.tag)
        if user is not None:
            break
    if not parsed.is_delivery_report:
        # A message to the return path that is not a DSN: an auto-reply, or a person
        # answering a notification's envelope. Old servers send bounces as plain text.
        if not bounce_routes or not _looks_like_bounce(parsed):
            reason = loops.loop_reason(parsed, message.mail_from) or "not a delivery report"
            return Outcome(Status.IGNORED, reason, kind=Kind.BOUNCE)
    failures = bounces.failures_in_report(parsed)
    if not failures:
        return Outcome(Status.IGNORED, "a delivery report with no failure", kind=Kind.BOUNCE)
    events = bounces.bounce_record(
        failures=failures, user=user, sent_to=address, counted=user is not None, inbound=message
    )
    summary = ", ".join(f"{event.kind} {event.status} {event.address}" for event in events)
    if user is None:
        note = f"bounce without a valid return-path token, not counted: {summary}"
    else:
        note = f"bounce for member {user.pk}: {summary}"
    return Outcome(Status.PROCESSED, note, kind=Kind.BOUNCE, author=user)


def _bounced_member(token):
    """(member, address mailed) a VERP token names, else (None, "").

    `resolve_bounce_token` returns a member, or the email that was sent (its `recipient`
    or `user` is the member, its `to_address` the address), or a (member, address) pair.
    """
    if not token:
        return None, ""
    try:
        found = reply_tokens.resolve_bounce_token(token)
    except Exception:
        logger.info("Unreadable bounce token %r", token)
        return None, ""
    if isinstance(found, tuple):
        return (found[0], found[1] if len(found) > 1 else "") if found else (None, "")
    for name in ("recipient", "user"):
        member = getattr(found, name, None)
        if getattr(member, "pk", None):
            return member, getattr(found, "to_address", "") or ""
    if getattr(found, "pk", None) and hasattr(found, "email"):
        return found, found.email
    return None, ""


BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery (?:status notification|failure|has failed)"
    r"|returned mail|mail delivery failed|failure notice|non remis|non distribu"
    r"|unzustellbar|nicht zugestellt|no se pudo entregar",
    re.I,
)


def _looks_like_bounce(parsed):
    sender = parsed.from_address.split("@")[0]
    return bool(
        sender in ("mailer-daemon", "postmaster")
        or loops.ROBOT_NAMES.search(parsed.from_name or "")
        or BOUNCE_SUBJECT.search(parsed.subject)
        or not parsed.from_address
    )
