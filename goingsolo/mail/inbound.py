"""Inbound mail: storing what the listener accepts, and what becomes of it.

`inbound_store` is called by the SMTP/LMTP listener and by `goingsolo mail receive`, before
they answer; `inbound_process` is the job that follows. Processing decides, for each of
our addresses the message was sent to (see addresses.Route):

- the return path, or a delivery report (DSN) sent anywhere → bounces;
- a machine-made message (auto-reply, bulk, our own; see loops) → ignored;
- `<slug>@` from a member's verified address → a new thread, held for a moderator when
  the group's ListSettings say so; a reply when it answers one of the group's posts
  (In-Reply-To/References), as a "reply to list" does. Only when the From address is
  proven (goingsolo.mail.authentication); otherwise the message waits ("awaiting") and the
  member is asked by email to confirm it, by a link or a reply to
  `<slug>+confirm-<token>@`; confirming processes it as if proven;
- `<slug>+<token>@` → a reply in the token's thread, as the token's member, when the
  sender is one of that member's verified addresses (the token, which only that member
  received, proves the sender).

Anything else is refused, and the sender told why by email when they look like a person
(loops.may_answer). The message row keeps the outcome (status, note, post) for the admin.
The same message delivered twice posts once: its Message-ID is looked for among the
group's posts and held messages.
"""

import logging
import re
import traceback
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.core.uploads import (
    attachment_max_bytes,
    check_upload,
    post_attachments_max_bytes,
)
from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import Post, Thread, Via
from goingsolo.events import services as events
from goingsolo.groups import rules
from goingsolo.groups.models import Group
from goingsolo.groups.selectors import membership_of

from . import bounces, loops, reply_tokens
from .addresses import route_for
from .authentication import Envelope, Verdict, sender_verdict
from .models import InboundMessage, ListSettings
from .outbound.services import subscription_unsubscribe
from .parsing import message_id_header, parse_message, without_nul
from .trim import forwarded_subject

logger = logging.getLogger(__name__)

Status = InboundMessage.Status
Kind = InboundMessage.Kind

# Posting by email, per member: at most this many messages an hour (new threads, replies
# and held messages together). Web posting has its own limits.

# Subject prefixes mail clients add when replying or forwarding, in many languages (the
# forward prefixes are those of trim.FORWARD_SUBJECT).
SUBJECT_PREFIX = re.compile(
    r"^\s*(?:(?:re|aw|fwd?|tr|wg|rv|enc|doorst|vb|vl|sv|vs|antw|rif|r|réf|ref)"
    r"\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+",
    re.I,
)
# Older Thunderbirds forwarded "Subject" as "[Fwd: Subject]".
BRACKETED_FORWARD = re.compile(r"^\[\s*fwd?\s*:\s*(.*)\]$", re.I)
TITLE_MAX_CHARS = 200

# Anyone can write a member's address in From: a member is asked to confirm at most once
# an hour per group; further unproven messages wait silently, listed on the same page.
CONFIRMATION_EMAIL_INTERVAL_SECONDS = 3600
# How much of the text the confirmation email and page show.
PREVIEW_CHARS = 600


def posts_per_hour():
    return settings.GOINGSOLO_MAIL_POSTS_PER_HOUR


# --- Storing ------------------------------------------------------------------------------


def inbound_store(*, raw, mail_from, recipients, client_address="", helo=""):
    """Stores a message as the listener received it; returns the InboundMessage.

    CLIENT_ADDRESS and HELO: the SMTP client's IP address and HELO name, when known (SPF
    checks them).

    Side effects: the processing job is enqueued. With the database job backend the job's
    row is written in the same transaction as the message: both or neither (the listener
    then answers 451 and the sending server retries), and one commit less. With any other
    backend, on commit; should that fail, the message stays "received" and
    `goingsolo mail process` picks it up.
    """
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    with transaction.atomic():
        message = InboundMessage.objects.create(
            mail_from=without_nul(mail_from or "")[:512],
            recipients=[without_nul(str(recipient))[:512] for recipient in recipients],
            client_address=without_nul(client_address or "")[:64],
            helo=without_nul(helo or "")[:255],
            message_id=message_id_header(raw),
            raw=raw,
            size=len(raw),
        )
        if _jobs_are_rows():
            _enqueue(message.pk)
        else:
            transaction.on_commit(lambda: _enqueue_or_log(message.pk))
    return message


def _jobs_are_rows():
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def _enqueue(message_pk):
    from .tasks_inbound import process_inbound_message

    process_inbound_message.enqueue(message_pk=message_pk)


def _enqueue_or_log(message_pk):
    try:
        _enqueue(message_pk)
    except Exception:
        logger.exception("Could not enqueue the processing of inbound message %s", message_pk)


# --- Processing ---------------------------------------------------------------------------


@dataclass
class Outcome:
    status: str
    note: str = ""
    kind: str = Kind.UNKNOWN
    group: Group | None = None
    author: object = None
    thread: Thread | None = None
    post: Post | None = None
    # Why the sender is told it was not posted: a reason of emails/inbound_refused_why.txt.
    refusal: str = ""
    refusal_context: dict = field(default_factory=dict)
    language: str | None = None  # the explanation's language; None: all the site's

    # Which outcome of a message sent to several of our addresses the row shows: one that
    # waits for its sender first, as it asks for an action.
    RANK = {
        Status.AWAITING: 6,
        Status.PROCESSED: 5,
        Status.HELD: 4,
        Status.REJECTED: 3,
        Status.IGNORED: 2,
        Status.FAILED: 1,
    }


def inbound_process(message_pk):
    """Processes the stored message MESSAGE_PK once; returns the InboundMessage.

    Idempotent: a message that is no longer "received" is left alone, and two workers
    on the same message take turns on its row lock. Never raises for a message, whatever
    its content: an unexpected error marks it "failed", with the error in its note.
    Side effects on commit: those of the discussions services that post; an explanation
    email to the sender of a refused message (loops.may_answer); the email asking a member
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
            _record(message, outcome)
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


def confirmation_lifetime():
    return timedelta(days=settings.GOINGSOLO_MAIL_CONFIRM_DAYS)


def _record(message, outcome):
    message.status = outcome.status
    message.note = without_nul(outcome.note)[:5000]
    message.kind = outcome.kind
    message.group = outcome.group
    message.author = outcome.author
    message.thread = outcome.thread
    message.post = outcome.post
    message.processed_at = timezone.now()
    # The raw message is not written again: it may be megabytes.
    message.save(update_fields=RECORDED_FIELDS)


RECORDED_FIELDS = [
    "status",
    "note",
    "kind",
    "sender",
    "subject",
    "group",
    "author",
    "thread",
    "post",
    "processed_at",
    "authentication",
    "confirmation_sent_at",
    "confirmed_at",
]


def _routes(recipients):
    routes = []
    for recipient in recipients or []:
        route = route_for(recipient)
        if route is not None and route not in routes:
            routes.append(route)
    # "Reply all" may send to the token address and to the group's own: one reply only.
    replied = {route.base for route in routes if route.kind in ("reply", "confirm")}
    return [r for r in routes if not (r.kind == "group" and r.base in replied)]


def _verdict_if_needed(stored, parsed):
    """The Verdict on the sender of a message to a group's own address, whose From only
    DNS can prove; None for the rest (a reply by token is proven by its token; bounces,
    unsubscribing and machine-made mail post nothing)."""
    if not any(route.kind == "group" for route in _routes(stored.recipients)):
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
    routes = _routes(message.recipients)
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
        outcome = _confirmation_reply(message, parsed, confirm_routes[0])
        if outcome.refusal:
            _explain(message, parsed, outcome)
        return outcome

    proven = verdict is not None and verdict.proven
    outcomes = [_process_route(message, parsed, route, proven=proven) for route in routes]
    best = _combined(message, parsed, outcomes)
    if best.status == Status.AWAITING:
        _ask_confirmation(message, best)
    return best


def _combined(message, parsed, outcomes):
    """The outcome the row shows; the sender is told of one refusal at most."""
    refused = next((outcome for outcome in outcomes if outcome.refusal), None)
    if refused is not None:
        _explain(message, parsed, refused)  # one explanation per message
    best = max(outcomes, key=lambda outcome: Outcome.RANK.get(outcome.status, 0))
    if len(outcomes) > 1:
        best.note = "; ".join(f"{o.status}: {o.note}" for o in outcomes)
    return best


def _process_route(message, parsed, route, *, proven):
    # The discussions services that refuse (PermissionDenied, ValidationError) are atomic:
    # their writes are already rolled back when the refusal reaches here.
    try:
        if route.kind == "reply":
            return _reply_by_token(message, parsed, route)
        return _to_group(message, parsed, route, proven=proven)
    except PermissionDenied as error:
        return Outcome(
            Status.REJECTED,
            f"not allowed: {error}",
            refusal="not_allowed",
            refusal_context={"error": str(error)},
        )
    except ValidationError as error:
        text = " ".join(error.messages)
        return Outcome(
            Status.REJECTED,
            f"not posted: {text}",
            refusal="not_posted",
            refusal_context={"error": text},
        )


# --- Unsubscribing by mail ---------------------------------------------------------------


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


# --- Bounces ------------------------------------------------------------------------------


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


# --- Posting ------------------------------------------------------------------------------


def _sender_member(address):
    """(member whose verified address is ADDRESS or None, member with it unverified or None)."""
    rows = list(EmailAddress.objects.filter(email__iexact=address).select_related("user")[:2])
    for row in rows:
        if row.verified and row.user.is_active:
            return row.user, None
    if rows:
        return None, rows[0].user
    from django.contrib.auth import get_user_model

    unverified = get_user_model().objects.filter(email__iexact=address).first()
    return None, unverified


def _duplicate(group, parsed, message, *, held_too, awaiting_too=False):
    """Why the message is a copy of one already taken, or None. HELD_TOO: look among
    held messages too (only new threads are ever held); AWAITING_TOO: and among those
    waiting for their sender (a proven copy does not wait for an unproven one)."""
    message_id = parsed.message_id
    post = Post.objects.filter(group=group, message_id=message_id).values_list("pk").first()
    if post is not None:
        return f"already posted as post {post[0]}"
    if not held_too:
        return None
    statuses = [Status.HELD, Status.AWAITING] if awaiting_too else [Status.HELD]
    held = (
        InboundMessage.objects.filter(
            group=group, status__in=statuses, message_id__in=[message_id, message.message_id]
        )
        .exclude(pk=message.pk)
        .exclude(message_id="")
        .values_list("pk", flat=True)
        .first()
    )
    if held is not None:
        return f"already held as inbound message {held}"
    return None


def _over_rate_limit(user):
    since = timezone.now() - timedelta(hours=1)
    recent = InboundMessage.objects.filter(
        author=user,
        processed_at__gte=since,
        status__in=[Status.PROCESSED, Status.HELD],
        kind__in=[Kind.THREAD, Kind.REPLY],
    ).count()
    return recent >= posts_per_hour()


def _who(parsed, group, kind):
    """(member, refusal Outcome or None) for the sender of PARSED writing to GROUP."""
    user, unverified = _sender_member(parsed.from_address)
    if user is None:
        language = unverified.preferred_language if unverified else None
        reason = "unverified_sender" if unverified else "unknown_sender"
        return None, Outcome(
            Status.REJECTED,
            f"{reason}: {parsed.from_address}",
            kind=kind,
            group=group,
            author=unverified,
            refusal=reason,
            language=language,
        )
    return user, None


def _to_group(message, parsed, route, *, proven):
    group = Group.objects.filter(slug=route.base).first()
    if group is None:
        return Outcome(Status.REJECTED, f"no group {route.base}", refusal="no_group")
    user, refused = _who(parsed, group, Kind.THREAD)
    if refused:
        return refused
    membership = membership_of(user=user, group=group)
    if not rules.can(user, rules.Action.POST, group, membership):
        return Outcome(
            Status.REJECTED,
            f"member {user.pk} may not post in {group.slug}",
            kind=Kind.THREAD,
            group=group,
            author=user,
            refusal="not_member",
            language=user.preferred_language,
        )
    duplicate = _duplicate(group, parsed, message, held_too=True, awaiting_too=not proven)
    if duplicate:
        return Outcome(Status.IGNORED, duplicate, kind=Kind.THREAD, group=group, author=user)
    thread = _answered_thread(group, parsed)
    if not proven:
        # Anyone can write a member's address in From, and In-Reply-To names posts that
        # every reader of the list knows: the member is asked whether they wrote it.
        return Outcome(
            Status.AWAITING,
            "sender not proven: waits for the member to confirm it",
            kind=Kind.REPLY if thread is not None else Kind.THREAD,
            group=group,
            author=user,
            thread=thread,
        )
    if thread is not None:
        return _post_reply(message, parsed, thread, user)
    if _over_rate_limit(user):
        return _rate_limited(group, user, Kind.THREAD)
    body = parsed.body_text
    if not body:
        return _empty(group, user, Kind.THREAD)
    title = thread_title(parsed.subject, group) or _title_from_body(body)
    held = not rules.can(user, rules.Action.MODERATE, group, membership) and (
        ListSettings.objects.filter(group=group, hold_new_threads=True).exists()
    )
    if held:
        return Outcome(
            Status.HELD,
            "held for a moderator's approval",
            kind=Kind.THREAD,
            group=group,
            author=user,
        )
    result = discussions.thread_start(
        group=group,
        author=user,
        title=title,
        body=body,
        via=Via.EMAIL,
        message_id=parsed.message_id,
        **_attachments_argument(parsed),
    )
    post = result.post
    return Outcome(
        Status.PROCESSED,
        f"new thread {post.thread_id}",
        kind=Kind.THREAD,
        group=group,
        author=user,
        thread=post.thread,
        post=post,
    )


def _answered_thread(group, parsed):
    """The group's thread a message to the list's address answers, by its references."""
    if not parsed.parent_ids:
        return None
    post = (
        Post.objects.filter(group=group, message_id__in=parsed.parent_ids[:50])
        .select_related("thread")
        .first()
    )
    if post is None or post.thread.deleted_at is not None:
        return None
    return post.thread


def _reply_by_token(message, parsed, route):
    resolved = reply_tokens.resolve_reply_token(route.tag)
    thread, token_user = resolved if resolved else (None, None)
    if thread is None or thread.group.slug != route.base:
        user, unverified = _sender_member(parsed.from_address)
        member = user or unverified
        return Outcome(
            Status.REJECTED,
            f"invalid reply token {route.tag[:60]}",
            kind=Kind.REPLY,
            author=user,
            refusal="bad_token",
            language=member.preferred_language if member else None,
        )
    group = thread.group
    user, refused = _who(parsed, group, Kind.REPLY)
    if refused:
        refused.thread = thread
        return refused
    if user != token_user:
        return Outcome(
            Status.REJECTED,
            f"reply address of member {token_user.pk} used by {parsed.from_address}",
            kind=Kind.REPLY,
            group=group,
            author=user,
            thread=thread,
            refusal="wrong_sender",
            language=user.preferred_language,
        )
    duplicate = _duplicate(group, parsed, message, held_too=False)
    if duplicate:
        return Outcome(
            Status.IGNORED, duplicate, kind=Kind.REPLY, group=group, author=user, thread=thread
        )
    return _post_reply(message, parsed, thread, user)


def _post_reply(message, parsed, thread, user):
    group = thread.group
    body = parsed.body_text
    if not body:
        return _empty(group, user, Kind.REPLY, thread=thread)
    rsvp = _rsvp(thread, user, body)
    if rsvp is not None:
        return rsvp
    if _over_rate_limit(user):
        return _rate_limited(group, user, Kind.REPLY, thread=thread)
    try:
        # post_reply checks that the member may post in the group (one query less here).
        result = discussions.post_reply(
            thread=thread,
            author=user,
            body=body,
            via=Via.EMAIL,
            message_id=parsed.message_id,
            **_attachments_argument(parsed),
        )
    except PermissionDenied:
        return Outcome(
            Status.REJECTED,
            f"member {user.pk} may not post in {group.slug}",
            kind=Kind.REPLY,
            group=group,
            author=user,
            thread=thread,
            refusal="not_member",
            language=user.preferred_language,
        )
    return Outcome(
        Status.PROCESSED,
        f"reply {result.post.pk} in thread {thread.pk}",
        kind=Kind.REPLY,
        group=group,
        author=user,
        thread=thread,
        post=result.post,
    )


def _rsvp(thread, user, body):
    """An Outcome when BODY answers an event's announcement THREAD with yes/oui or no/non
    (the member is registered or cancelled, as on the web, and nothing is posted); None
    for an ordinary reply."""
    try:
        registration = events.rsvp_from_reply(thread=thread, user=user, text=body)
    except (PermissionDenied, ValidationError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        return Outcome(
            Status.REJECTED,
            f"RSVP refused: {text}",
            kind=Kind.REPLY,
            group=thread.group,
            author=user,
            thread=thread,
            refusal="rsvp_refused",
            refusal_context={"error": text},
            language=user.preferred_language,
        )
    if registration is None:
        return None
    return Outcome(
        Status.PROCESSED,
        f"RSVP: {registration.status} (registration {registration.pk})",
        kind=Kind.REPLY,
        group=thread.group,
        author=user,
        thread=thread,
    )


def _rate_limited(group, user, kind, thread=None):
    return Outcome(
        Status.REJECTED,
        f"over {posts_per_hour()} posts an hour",
        kind=kind,
        group=group,
        author=user,
        thread=thread,
        refusal="rate_limited",
        language=user.preferred_language,
        refusal_context={"limit": posts_per_hour()},
    )


def _empty(group, user, kind, thread=None):
    return Outcome(
        Status.REJECTED,
        "no text of its own",
        kind=kind,
        group=group,
        author=user,
        thread=thread,
        refusal="empty",
        language=user.preferred_language,
    )


def thread_title(subject, group=None):
    """A thread's title from a subject: without Re:/Fwd: and the group's [tag]."""
    title = " ".join((subject or "").split())
    tags = set()
    if group is not None:
        tags = {f"[{group.name}]".lower(), f"[{group.slug}]".lower()}
    while True:
        before = title
        title = SUBJECT_PREFIX.sub("", title).strip()
        title = BRACKETED_FORWARD.sub(r"\1", title).strip()
        for tag in tags:
            if title.lower().startswith(tag):
                title = title[len(tag) :].strip()
        if title == before:
            break
    return _shorten(title)


def _title_from_body(body):
    """A title for a message without subject: the forwarded message's, else a first line."""
    forwarded = thread_title(forwarded_subject(body))
    if forwarded:
        return forwarded
    for line in body.splitlines():
        line = line.strip(" #>*-\t")
        if line:
            return _shorten(line)
    return _("(no subject)")


def _shorten(text):
    if len(text) <= TITLE_MAX_CHARS:
        return text
    return text[: TITLE_MAX_CHARS - 1].rstrip() + "…"


# --- Attachments --------------------------------------------------------------------------


def _attachments_argument(parsed):
    """{"attachments": [...]} for thread_start or post_reply, from the message's files.

    Each is checked like an upload on the web; those that may not be attached (an
    executable, a file too large) are left out, and the post is made without them.
    """
    checked, total = [], 0
    for attachment in parsed.attachments(max_bytes=attachment_max_bytes()):
        if total + len(attachment.data) > post_attachments_max_bytes():
            continue
        upload = SimpleUploadedFile(attachment.name, attachment.data, attachment.content_type)
        try:
            checked.append((check_upload(upload), upload))
        except ValidationError:
            continue
        total += len(attachment.data)
    return {"attachments": checked} if checked else {}


# --- Explanations -------------------------------------------------------------------------


def _explain(message, parsed, outcome):
    """Tells the sender why their message was not posted, when they may be told."""
    if not loops.may_answer(parsed, message.mail_from):
        outcome.note += " (sender not told)"
        return
    context = refusal_context(message, parsed, outcome)
    # A stranger's language is unknown: the explanation is in each of the site's languages.
    languages = [outcome.language] if outcome.language else list(settings.GOINGSOLO_LANGUAGES)
    to = parsed.from_address
    in_reply_to = parsed.raw_header("Message-ID")[:998]

    def send():
        from .tasks_inbound import send_inbound_refusal

        send_inbound_refusal.enqueue(
            address=to, languages=languages, context=context, in_reply_to=in_reply_to
        )

    transaction.on_commit(send)
    outcome.note += " (sender told)"


def refusal_context(message, parsed, outcome):
    """What emails/inbound_refused_why.txt needs to say why OUTCOME posted nothing."""
    group = outcome.group
    thread = outcome.thread
    return {
        "reason": outcome.refusal,
        "subject": parsed.subject,
        "address": (message.recipients or [""])[0],
        "sender": parsed.from_address,
        "group_name": group.name if group else "",
        "group_url": settings.SITE_URL.rstrip("/") + group.get_absolute_url() if group else "",
        "thread_url": settings.SITE_URL.rstrip("/") + thread.get_absolute_url() if thread else "",
        "signup_url": settings.SITE_URL.rstrip("/") + reverse("account_signup"),
        "email_settings_url": settings.SITE_URL.rstrip("/") + reverse("account_email"),
        **outcome.refusal_context,
    }


# --- Confirming a message whose sender was not proven -------------------------------------


def _confirmation_key(user, group):
    return f"mail:inbound:confirm-asked:{user.pk}:{group.pk if group else 0}"


def _ask_confirmation(message, outcome):
    """Emails the member named in From, unless they were asked within the hour about this
    group: a forger could otherwise flood them. The message waits either way."""
    key = _confirmation_key(outcome.author, outcome.group)
    if not cache.add(key, message.pk, CONFIRMATION_EMAIL_INTERVAL_SECONDS):
        outcome.note += " (the member was asked less than an hour ago: not asked again)"
        return
    message.confirmation_sent_at = timezone.now()
    pk = message.pk

    def send():
        from .tasks_inbound import send_inbound_confirmation

        send_inbound_confirmation.enqueue(message_pk=pk)

    transaction.on_commit(send)
    outcome.note += " (confirmation asked)"


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
    from goingsolo.core.emails import build_email

    from .loops import ORIGIN_HEADER

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
    routes = [route for route in _routes(message.recipients) if route.kind == "group"]
    outcomes = [_process_route(message, parsed, route, proven=True) for route in routes]
    if not outcomes:
        outcomes = [Outcome(Status.REJECTED, "none of the recipients is ours any more")]
    if via == "reply":
        best = _combined(message, parsed, outcomes)  # the refusal is explained by email
    else:
        best = max(outcomes, key=lambda outcome: Outcome.RANK.get(outcome.status, 0))
        if len(outcomes) > 1:
            best.note = "; ".join(f"{o.status}: {o.note}" for o in outcomes)
        if best.refusal:  # the page says why
            best.refusal_context = refusal_context(message, parsed, best)
    best.note = f"confirmed by its sender ({via}); {best.note}"
    message.confirmed_at = timezone.now()
    _record(message, best)
    # Their next unproven message asks them again at once: they are the one writing.
    cache.delete(_confirmation_key(by, message.group))
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


def _confirmation_reply(message, parsed, route):
    """A reply to `<slug>+confirm-<token>@`: from the member the token names, it confirms
    the message the token names (what the reply says is not read)."""
    found = reply_tokens.resolve_confirmation_token(route.tag)
    held, token_user = found if found else (None, None)
    if held is None or held.group is None or held.group.slug != route.base:
        user, unverified = _sender_member(parsed.from_address)
        member = user or unverified
        return Outcome(
            Status.REJECTED,
            f"invalid confirmation token {route.tag[:60]}",
            kind=Kind.CONFIRMATION,
            author=user,
            refusal="bad_token",
            language=member.preferred_language if member else None,
        )
    group = held.group
    user, refused = _who(parsed, group, Kind.CONFIRMATION)
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


# --- Held messages ------------------------------------------------------------------------


@transaction.atomic
def held_message_approve(*, message, by):
    """A moderator approves a held new thread: it is posted as its author, now.

    Returns the InboundMessage. Raises PermissionDenied for someone who may not moderate
    the group, ValidationError when the author may no longer post (the message is then
    rejected, with the reason in its note). Side effects: those of thread_start.
    """
    message = (
        InboundMessage.objects.select_for_update(of=("self",))
        .select_related("group", "author")
        .get(pk=message.pk)
    )
    if message.group is None or not rules.can(by, rules.Action.MODERATE, message.group):
        raise PermissionDenied(_("Only the group’s moderators can approve messages."))
    if message.status != Status.HELD:
        return message
    parsed = parse_message(bytes(message.raw))
    group = message.group
    message.decided_by = by
    message.processed_at = timezone.now()
    try:
        with transaction.atomic():
            if message.author is None or not rules.can(message.author, rules.Action.POST, group):
                raise ValidationError(_("The author is no longer a member of the group."))
            result = discussions.thread_start(
                group=group,
                author=message.author,
                title=thread_title(parsed.subject, group) or _title_from_body(parsed.body_text),
                body=parsed.body_text,
                via=Via.EMAIL,
                message_id=parsed.message_id,
                **_attachments_argument(parsed),
            )
    except ValidationError as error:
        message.status = Status.REJECTED
        message.note = "approved, but not posted: " + " ".join(error.messages)
        message.save(update_fields=[*RECORDED_FIELDS, "decided_by"])
        raise
    message.status = Status.PROCESSED
    message.note = f"approved by {by.pk}; new thread {result.post.thread_id}"
    message.thread = result.post.thread
    message.post = result.post
    message.save(update_fields=[*RECORDED_FIELDS, "decided_by"])
    return message


@transaction.atomic
def held_message_reject(*, message, by):
    """A moderator rejects a held new thread: nothing is posted, the message is kept.

    Side effects: none (the author is not told; the moderator may answer them directly).
    """
    message = (
        InboundMessage.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=message.pk)
    )
    if message.group is None or not rules.can(by, rules.Action.MODERATE, message.group):
        raise PermissionDenied(_("Only the group’s moderators can reject messages."))
    if message.status == Status.HELD:
        message.status = Status.REJECTED
        message.note = f"rejected by moderator {by.pk}"
        message.decided_by = by
        message.processed_at = timezone.now()
        message.save(update_fields=[*RECORDED_FIELDS, "decided_by"])
    return message


@transaction.atomic
def list_settings_update(*, group, by, hold_new_threads):
    """A group admin changes how the group's address behaves. Side effects: none."""
    if not rules.can(by, rules.Action.ADMINISTER, group):
        raise PermissionDenied(_("Only the group’s admins can change its email settings."))
    list_settings, _created = ListSettings.objects.get_or_create(group=group)
    list_settings.hold_new_threads = hold_new_threads
    list_settings.save()
    return list_settings
