"""Queueing what the mailing list sends right away: post mails and announcements.

Nothing here talks to a mail server. Each function stores OutboundEmail rows (one per
recipient, idempotent) and asks for delivery once the transaction commits; the worker sends
them (`delivery.py`). Content is rendered once per language (`MailPart`) and shared.
"""

import re
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from goingsolo.accounts.models import User
from goingsolo.core.emails import render_email
from goingsolo.core.markdown import render_plain
from goingsolo.discussions.models import Mention, Post, Thread, ThreadSubscription, Via
from goingsolo.discussions.selectors import post_anchor_url
from goingsolo.events.models import InterestAnswer, InterestCheck
from goingsolo.groups.models import not_suspended_q

from ..models import DEFAULT_DELIVERY, Delivery, MailPart, OutboundEmail
from .delivery import request_delivery
from .keys import post_key
from .list_headers import (
    absolute_url,
    ensure_message_id,
    list_address,
    message_id_of,
    threading_headers,
)
from .pauses import paused_user_ids

INSERT_BATCH = 1000


_RELATIVE_LINK = re.compile(r'(\s(?:href|src)=")/(?!/)')


def absolute_links(html):
    """Links in a post's HTML are relative to the site; in an email they must be whole."""
    return mark_safe(_RELATIVE_LINK.sub(lambda m: f"{m.group(1)}{settings.SITE_URL}/", html))


def marker(nonce, name):
    """Where a per-recipient value goes in a shared part (see compose.fill)."""
    return f"gs{nonce}x{name}"


def new_nonce():
    return secrets.token_hex(8)


def email_language(language):
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


# --- Who gets email ---------------------------------------------------------------------------


def list_members(*, group_id, deliveries=None, user_ids=None, time_zones=None):
    """Members of the group who may get its email, with their choice, as dicts.

    Active members with a verified primary address whose delivery is not paused (after
    bounces); DELIVERIES limits the choices, USER_IDS the members, TIME_ZONES the zones
    they live in (digests go out in each zone's morning). Two queries, whatever the number
    of members.
    """
    members = (
        # A suspended member gets none of the group's email until the suspension ends.
        User.objects.filter(
            not_suspended_q("memberships__"), memberships__group_id=group_id, is_active=True
        )
        .annotate(
            subscription=FilteredRelation(
                "list_subscriptions", condition=Q(list_subscriptions__group_id=group_id)
            )
        )
        .annotate(
            delivery=Coalesce(F("subscription__delivery"), Value(DEFAULT_DELIVERY)),
            last_digest_at=F("subscription__last_digest_at"),
            changed_at=F("subscription__changed_at"),
            joined_at=F("memberships__joined_at"),
        )
        .filter(
            Exists(EmailAddress.objects.filter(user_id=OuterRef("pk"), verified=True, primary=True))
        )
    )
    if deliveries is not None:
        members = members.filter(delivery__in=list(deliveries))
    if user_ids is not None:
        members = members.filter(pk__in=list(user_ids))
    if time_zones is not None:
        members = members.filter(time_zone__in=list(time_zones))
    rows = members.order_by("pk").values(
        "pk",
        "email",
        "language",
        "time_zone",
        "delivery",
        "last_digest_at",
        "changed_at",
        "joined_at",
    )
    rows = list(rows)
    paused = paused_user_ids(row["pk"] for row in rows)
    return [
        {**row, "language": email_language(row["language"])}
        for row in rows
        if row["pk"] not in paused
    ]


def post_recipients(post):
    """Members to mail POST to right away: {user_id: language}.

    Mailing-list mode: every post but their own. "My threads and mentions": replies in
    threads they started or follow, and posts that mention them. A muted thread sends
    nothing to whoever muted it. Digest and "nothing" members get nothing now.
    """
    thread = post.thread
    states = dict(ThreadSubscription.objects.filter(thread=thread).values_list("user_id", "state"))
    muted = {uid for uid, state in states.items() if state == ThreadSubscription.State.MUTED}
    mine = {uid for uid, state in states.items() if state == ThreadSubscription.State.FOLLOWING}
    mine |= set(Mention.objects.filter(post=post).values_list("user_id", flat=True))
    if not post.is_opening and thread.author_id:
        mine.add(thread.author_id)
    chosen = {}
    for member in list_members(group_id=post.group_id, deliveries=[Delivery.EVERY, Delivery.MINE]):
        uid = member["pk"]
        if uid == post.author_id or uid in muted:
            continue
        if member["delivery"] == Delivery.EVERY or uid in mine:
            chosen[uid] = member["language"]
    return chosen


# --- Rendering --------------------------------------------------------------------------------


def get_or_create_part(key, build):
    part = MailPart.objects.filter(key=key).first()
    if part is not None:
        return part
    try:
        with transaction.atomic():
            return MailPart.objects.create(key=key, **build())
    except IntegrityError:  # another job rendered it at the same moment
        return MailPart.objects.get(key=key)


def post_part(post, language, *, announcement=False):
    """The mail of POST in LANGUAGE, shared by every recipient who reads that language."""
    kind = "announcement" if announcement else "post"
    key = f"{kind}:{post.pk}:{language}"

    def build():
        thread, group = post.thread, post.group
        nonce = new_nonce()
        in_reply_to, references = ("", "") if announcement else threading_headers(post)
        context = {
            "group_name": group.name,
            "group_address": list_address(group),
            "thread_title": thread.title,
            "is_reply": not post.is_opening and not announcement,
            "is_announcement": announcement,
            "author_name": post.author_name,
            "body_text": render_plain(post.body),
            "body_html": absolute_links(post.body_html),
            "attachment_names": [a.name for a in post.attachments.all()],
            "post_url": absolute_url(post_anchor_url(thread.get_absolute_url(), post.position)),
            "thread_url": absolute_url(thread.get_absolute_url()),
            "group_url": absolute_url(group.get_absolute_url()),
            "reply_address": marker(nonce, f"reply-{thread.pk}"),
            "delivery_url": marker(nonce, "delivery"),
            "unsubscribe_url": marker(nonce, "unsubscribe"),
            "answer_urls": _answer_markers(post, nonce),
        }
        subject, text, html = render_email("post", context, language=language)
        with translation.override(language):
            from_name = _("%(name)s via %(group)s") % {
                "name": post.author_name or _("Someone"),
                "group": group.name,
            }
        return {
            "language": language,
            "from_name": from_name,
            "subject": subject,
            "text": text,
            "html": html,
            "nonce": nonce,
            "headers": {
                "Date": post.created_at.isoformat(),
                "In-Reply-To": in_reply_to,
                "References": references,
            },
        }

    return get_or_create_part(key, build)


def _answer_markers(post, nonce):
    """The one-click answers of an interest check, in the mail of the opening post of the
    thread that asks it (each recipient gets their own signed links, filled at sending:
    `compose.fill`); {} for any other post."""
    if not post.is_opening:
        return {}
    check_id = (
        InterestCheck.objects.filter(announcement_thread_id=post.thread_id)
        .values_list("pk", flat=True)
        .first()
    )
    if check_id is None:
        return {}
    return {
        answer: marker(nonce, f"answer-{check_id}-{answer}")
        for answer in InterestAnswer.Answer.values
    }


def _insert(rows):
    OutboundEmail.objects.bulk_create(rows, batch_size=INSERT_BATCH, ignore_conflicts=True)


@transaction.atomic
def queue_post_emails(post):
    """Queues the mails of a new POST to the members who get every post or this one.

    Imported posts and deleted posts send nothing. Returns how many were queued. Side
    effects on commit: the delivery job.
    """
    if post.via == Via.IMPORT or post.deleted_at is not None:
        return 0
    recipients = post_recipients(post)
    if not recipients:
        return 0
    ensure_message_id(post)
    parts = {language: post_part(post, language) for language in set(recipients.values())}
    _insert(
        [
            OutboundEmail(
                kind=OutboundEmail.Kind.POST,
                idempotency_key=post_key(post.pk, user_id),
                recipient_id=user_id,
                group_id=post.group_id,
                thread_id=post.thread_id,
                post_id=post.pk,
                part=parts[language],
                message_id=message_id_of(post),
            )
            for user_id, language in recipients.items()
        ]
    )
    request_delivery()
    return len(recipients)


@transaction.atomic
def queue_announcement(thread):
    """Emails an announced THREAD's opening post to every member whose delivery is not
    "nothing" (and not paused), once per member: those who already got the opening post
    in mailing-list mode get nothing more. Side effects on commit: the delivery job."""
    post = (
        Post.objects.select_related("thread", "group", "author")
        .filter(thread=thread, position=1, deleted_at__isnull=True)
        .first()
    )
    if post is None or post.thread.deleted_at is not None:
        return 0
    members = [
        member
        for member in list_members(
            group_id=post.group_id, deliveries=[d for d in Delivery.values if d != Delivery.NONE]
        )
        if member["pk"] != post.author_id
    ]
    if not members:
        return 0
    ensure_message_id(post)
    languages = {member["language"] for member in members}
    parts = {language: post_part(post, language, announcement=True) for language in languages}
    _insert(
        [
            OutboundEmail(
                kind=OutboundEmail.Kind.ANNOUNCEMENT,
                idempotency_key=post_key(post.pk, member["pk"]),
                recipient_id=member["pk"],
                group_id=post.group_id,
                thread_id=post.thread_id,
                post_id=post.pk,
                part=parts[member["language"]],
                message_id=message_id_of(post),
            )
            for member in members
        ]
    )
    request_delivery()
    return len(members)


def load_thread(thread_id):
    return Thread.objects.select_related("group").filter(pk=thread_id).first()
