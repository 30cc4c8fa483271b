"""A member's message to a group's address or to a reply address becomes a thread or a
reply, as the member, by the discussions services (or an RSVP to an event's thread).

Every refusal is an Outcome with a reason (`refusal`) the sender is told."""

import re
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.core.uploads import (
    attachment_max_bytes,
    check_upload,
    post_attachments_max_bytes,
)
from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import Post, Via
from goingsolo.events import services as events
from goingsolo.groups import rules
from goingsolo.groups.models import Group
from goingsolo.groups.selectors import membership_of

from .. import reply_tokens
from ..models import InboundMessage, ListSettings
from .outcomes import Outcome
from .trim import forwarded_subject

Status = InboundMessage.Status
Kind = InboundMessage.Kind


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


def posts_per_hour():
    return settings.GOINGSOLO_MAIL_POSTS_PER_HOUR


def process_route(message, parsed, route, *, proven):
    # The discussions services that refuse (PermissionDenied, ValidationError) are atomic:
    # their writes are already rolled back when the refusal reaches here.
    # Only a proven sender is told why nothing was posted (refusals.py): a message to the
    # group's address is as proven as its verdict; a reply by token is proven by its token
    # once the sender is the token's member (reply_by_token says so), else checked later.
    try:
        if route.kind == "reply":
            return reply_by_token(message, parsed, route)
        outcome = to_group(message, parsed, route, proven=proven)
        outcome.sender_proven = proven
        return outcome
    except PermissionDenied as error:
        # Raised by the services that post: the sender was proven to get this far.
        return Outcome(
            Status.REJECTED,
            f"not allowed: {error}",
            refusal="not_allowed",
            refusal_context={"error": str(error)},
            sender_proven=True,
        )
    except ValidationError as error:
        text = " ".join(error.messages)
        return Outcome(
            Status.REJECTED,
            f"not posted: {text}",
            refusal="not_posted",
            refusal_context={"error": text},
            sender_proven=True,
        )


def sender_member(address):
    """(member whose verified address is ADDRESS or None, member with it unverified or None)."""
    rows = list(EmailAddress.objects.filter(email__iexact=address).select_related("user")[:2])
    for row in rows:
        if row.verified and row.user.is_active:
            return row.user, None
    if rows:
        return None, rows[0].user
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


def who_sent(parsed, group, kind):
    """(member, refusal Outcome or None) for the sender of PARSED writing to GROUP."""
    user, unverified = sender_member(parsed.from_address)
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


def bad_token(parsed, route, *, kind, what):
    """The refusal of a message to a token address (WHAT: "reply", "confirm") whose token
    is invalid, revoked (private links reset, group left) or of the former kind, told in
    the sender's language when they are a member."""
    user, unverified = sender_member(parsed.from_address)
    member = user or unverified
    former = reply_tokens.former_token(what, route.tag)
    return Outcome(
        Status.REJECTED,
        f"{'former' if former else 'invalid'} {what} token {route.tag[:60]}",
        kind=kind,
        # The group the address names, if any: the explanation tells a sender who may not
        # know it exists what an unknown address would (refusals.as_seen_by_sender).
        group=Group.objects.filter(slug=route.base).first(),
        author=user,
        refusal="former_token" if former else "bad_token",
        language=member.preferred_language if member else None,
    )


def to_group(message, parsed, route, *, proven):
    group = Group.objects.filter(slug=route.base).first()
    if group is None:
        return Outcome(Status.REJECTED, f"no group {route.base}", refusal="no_group")
    user, refused = who_sent(parsed, group, Kind.THREAD)
    if refused:
        return refused
    membership = membership_of(user=user, group=group)
    silenced = _silenced(parsed, group, user, membership, Kind.THREAD, proven=proven)
    if silenced:
        return silenced
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
    title = thread_title(parsed.subject, group) or title_from_body(body)
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
        **attachments_argument(parsed),
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


def reply_by_token(message, parsed, route):
    resolved = reply_tokens.resolve_reply_token(route.tag)
    thread, token_user = resolved if resolved else (None, None)
    if thread is None or thread.group.slug != route.base:
        return bad_token(parsed, route, kind=Kind.REPLY, what="reply")
    group = thread.group
    user, refused = who_sent(parsed, group, Kind.REPLY)
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
        outcome = Outcome(
            Status.IGNORED, duplicate, kind=Kind.REPLY, group=group, author=user, thread=thread
        )
    else:
        outcome = _post_reply(message, parsed, thread, user)
    outcome.sender_proven = True  # by the token, which only this member received
    return outcome


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
            **attachments_argument(parsed),
        )
    except PermissionDenied:
        membership = membership_of(user=user, group=group)
        silenced = _silenced(parsed, group, user, membership, Kind.REPLY, thread=thread)
        if silenced:
            return silenced
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


def _silenced(parsed, group, user, membership, kind, *, thread=None, proven=True):
    """The refusal of a post by a member a moderator silenced or suspended (None when
    nothing stops them): not posted; the member is told until when, with their text quoted
    back, in their language; only when the sender is proven (a reply address is proof),
    as anyone can write a member's address in From."""
    until = membership.restricted_until if membership is not None else None
    if until is None:
        return None
    text = parsed.body_text
    return Outcome(
        Status.REJECTED,
        f"member {user.pk} silenced in {group.slug} until {until.isoformat()}",
        kind=kind,
        group=group,
        author=user,
        thread=thread,
        refusal="silenced" if proven else "",
        refusal_context={
            "until": until.isoformat(),
            "time_zone": user.time_zone,
            "suspended": membership.is_suspended,
            "text": text,
            "quoted_text": "\n".join(f"> {line}" for line in text.splitlines()),
        },
        language=user.preferred_language,
    )


def _rsvp(thread, user, body):
    """An Outcome when BODY answers an event's announcement THREAD with yes/oui or no/non
    (the member is registered or cancelled, as on the web, and nothing is posted), or an
    interest check's with yes/oui, maybe/peut-être or no/non (the member's answer); None
    for an ordinary reply."""
    try:
        answered = events.interest_answer_from_reply(thread=thread, user=user, text=body)
        if answered is not None:
            return Outcome(
                Status.PROCESSED,
                f"interest check answer: {answered.answer} (answer {answered.pk})",
                kind=Kind.REPLY,
                group=thread.group,
                author=user,
                thread=thread,
            )
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


def title_from_body(body):
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


def attachments_argument(parsed):
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
