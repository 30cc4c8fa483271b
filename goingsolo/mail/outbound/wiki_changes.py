"""Emails to the members watching a wiki page, when a change to it is published.

Who (`watcher_recipients`): the page's watchers whose delivery choice for the group is
"every post" or "only my threads and mentions" (watching a page is following it, as one
follows a thread). Those on a daily or weekly digest find the change in their digest
(`digests.py`); "nothing" gets nothing. Never the change's author. Never a held edit: the
wiki publishes it, and signals it, only once a moderator approves it. Never a member who
left the group or lost access to it: recipients come from memberships (`list_members`),
and the sender checks again when the email goes (`delivery.py`), with the watch itself.

How often: at most one email per page and watcher an hour. The first change of a quiet
page is mailed at once. A change within the hour after that email waits in a row queued
for the end of the hour, and further changes redraw that row's content, so a burst of ten
saves is two emails, not ten, and no change goes unmentioned.

Each email lists the changes it covers (who, which kind, their summary), links to the diff
from the page as it was before them to the newest, and carries a login-free link that
stops watching the page (`reply_tokens.unwatch_url`), filled in per recipient like the
other links (`compose.fill`).
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from goingsolo.core.emails import render_email
from goingsolo.wiki.models import Page, Revision, Watch

from ..models import Delivery, OutboundEmail
from .delivery import request_delivery
from .keys import wiki_email_key, wiki_key_prefix
from .list_headers import absolute_url
from .queue import get_or_create_part, list_members, marker, new_nonce

INTERVAL = timedelta(hours=1)
# An email lists this many changes at most; the diff and the history have the rest.
CHANGES_SHOWN = 10
# An email in these states reached the watcher, or is reaching them: the next waits.
MAILED = {OutboundEmail.Status.SENT, OutboundEmail.Status.SENDING}


def watcher_recipients(revision):
    """Members to email about REVISION now: {user_id: language}."""
    watching = (
        Watch.objects.filter(page_id=revision.page_id)
        .exclude(user_id=revision.author_id)
        .values_list("user_id", flat=True)
    )
    members = list_members(
        group_id=revision.group_id,
        deliveries=[Delivery.EVERY, Delivery.MINE],
        user_ids=list(watching),
    )
    return {member["pk"]: member["language"] for member in members}


def _part_key(page_id, first, last, language):
    return f"wiki:{page_id}:{first}-{last}:{language}"


def _range_of(part_key):
    """(first, last) revision numbers an email's part covers."""
    first, last = part_key.split(":")[2].split("-")
    return int(first), int(last)


def change_part(page, first, last, language):
    """The email about PAGE's changes published from revision number FIRST to LAST, in
    LANGUAGE, shared by every watcher who gets that range in that language."""

    def build():
        group = page.group
        changes = list(
            Revision.objects.filter(
                page=page, published_at__isnull=False, number__gte=first, number__lte=last
            )
            .select_related("author")
            .order_by("number")
        )
        newest = changes[-1]
        # The page as readers last saw it before these changes: the diff starts there.
        before = (
            Revision.objects.filter(page=page, published_at__isnull=False, number__lt=first)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        query = {"to": newest.number} if before is None else {"from": before, "to": newest.number}
        diff_path = reverse("wiki:diff", args=[group.slug, page.slug]) + "?" + urlencode(query)
        nonce = new_nonce()
        shown = changes[-CHANGES_SHOWN:]
        context = {
            "group_name": group.name,
            "page_title": page.title,
            "page_url": absolute_url(page.get_absolute_url()),
            "diff_url": absolute_url(diff_path),
            "history_url": absolute_url(reverse("wiki:history", args=[group.slug, page.slug])),
            "changes": shown,
            "change_count": len(changes),
            "hidden_count": len(changes) - len(shown),
            "newest": newest,
            "unwatch_url": marker(nonce, f"unwatch-{page.pk}"),
            "delivery_url": marker(nonce, "delivery"),
            "unsubscribe_url": marker(nonce, "unsubscribe"),
        }
        subject, text, html = render_email("wiki_change", context, language=language)
        return {
            "language": language,
            "from_name": group.name,
            "subject": subject,
            "text": text,
            "html": html,
            "nonce": nonce,
            "headers": {
                "Date": newest.published_at.isoformat(),
                # Mail clients thread every email about the page together.
                "References": f"<wiki-page-{page.pk}@{settings.GOINGSOLO_MAIL_DOMAIN}>",
            },
        }

    return get_or_create_part(_part_key(page.pk, first, last, language), build)


@transaction.atomic
def queue_change_emails(revision):
    """Queues the emails about REVISION, just published, to its page's watchers.

    A watcher whose previous email about the page went out less than INTERVAL ago gets
    one at the end of the interval, covering every change since; one who already has such
    an email waiting gets it redrawn to cover REVISION too. Returns how many watchers
    were mailed or will be. Side effects: OutboundEmail rows and MailParts; on commit, the
    delivery job.
    """
    if revision.published_at is None:
        return 0
    # The page's row lock makes the jobs of one page take turns: two changes published
    # together never both start a new email for the same watcher.
    page = Page.objects.select_for_update().select_related("group").get(pk=revision.page_id)
    recipients = watcher_recipients(revision)
    if not recipients:
        return 0
    latest = {}
    for email in (
        OutboundEmail.objects.filter(
            kind=OutboundEmail.Kind.NOTICE,
            group_id=page.group_id,
            recipient_id__in=list(recipients),
            idempotency_key__startswith=wiki_key_prefix(page.pk),
        )
        .select_related("part")
        .order_by("created_at", "pk")
    ):
        latest[email.recipient_id] = email
    now = timezone.now()
    domain = settings.GOINGSOLO_MAIL_DOMAIN
    parts = {}

    def part_for(first, last, language):
        # Watchers of one range and language share a part: look it up once.
        if (first, last, language) not in parts:
            parts[first, last, language] = change_part(page, first, last, language)
        return parts[first, last, language]

    new = []
    for user_id, language in recipients.items():
        email = latest.get(user_id)
        if email is not None and email.status == OutboundEmail.Status.QUEUED:
            first, last = _range_of(email.part.key)
            part = part_for(min(first, revision.number), max(last, revision.number), language)
            # Only while no worker has claimed it: otherwise a new email follows.
            if OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.QUEUED).update(
                part=part
            ):
                continue
        send_at = now
        if email is not None and email.status in MAILED:
            send_at = max(now, (email.sent_at or email.last_attempt_at or now) + INTERVAL)
        new.append(
            OutboundEmail(
                kind=OutboundEmail.Kind.NOTICE,
                idempotency_key=wiki_email_key(page.pk, user_id, revision.pk),
                recipient_id=user_id,
                group_id=page.group_id,
                part=part_for(revision.number, revision.number, language),
                message_id=f"<wiki-{page.pk}.{revision.pk}.{user_id}@{domain}>",
                next_attempt_at=send_at,
            )
        )
    OutboundEmail.objects.bulk_create(new, ignore_conflicts=True)
    request_delivery()
    return len(recipients)
