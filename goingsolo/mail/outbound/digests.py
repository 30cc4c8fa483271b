"""Daily and weekly digests: what is new in a group since each member's last digest.

A digest goes out in the member's own morning: the worker's schedule (mail/schedule.py)
asks `due_slots` which time zones have reached GOINGSOLO_DIGEST_HOUR today (on Monday for
the weekly one) and calls `queue_digests` for the members living in them, once per zone
and day (week); `goingsolo mail send-digests` runs the same entry from cron. A digest is
one per member, group and local date (ISO week for the weekly one): its idempotency key
says so, whatever runs it again (a retry, a second worker, a clock set back).

For each group `queue_digests` finds the members who chose that digest, the posts new to
each of them (since their last digest, never before their choice or their joining, never
more than one period back), and the changes published over the same span to the wiki
pages they watch, and queues one email per member with something new; nobody gets an
empty digest. Members only ever see groups they are members of: the list comes from
memberships.

Rendering is shared: each thread's block is rendered once per language and window start,
and members who have the same threads new in the same language share one MailPart. A
digest run for 10,000 members renders a handful of parts, not 10,000 emails; the
per-member reply addresses and links are filled in when each email is sent.
"""

import hashlib
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from goingsolo.core.emails import render_email
from goingsolo.core.markdown import render_plain
from goingsolo.discussions.models import Post, ThreadSubscription, Via
from goingsolo.discussions.selectors import post_anchor_url
from goingsolo.groups.models import Group, Membership
from goingsolo.wiki.models import Revision, Watch

from ..models import Delivery, ListSubscription, OutboundEmail
from .delivery import request_delivery
from .list_headers import absolute_url
from .queue import get_or_create_part, list_members, marker, new_nonce
from .services import ensure_subscriptions

# A digest shows at most this many threads, each with at most this many of its new posts,
# shortened; the rest are a link away. A busy day stays an email of tens of kilobytes.
THREADS_PER_DIGEST = 20
POSTS_PER_THREAD = 3
# Watched wiki pages: at most this many, each with its latest changes.
PAGES_PER_DIGEST = 20
CHANGES_PER_PAGE = 5
EXCERPT_CHARS = 300
BATCH = 2000
# A window ends this long before the run: a post whose transaction is still open when the
# run starts is then in this window or the next, never skipped.
SETTLE = timedelta(minutes=1)


@dataclass(frozen=True)
class Frequency:
    name: str
    delivery: str
    period: timedelta
    kind: str


FREQUENCIES = {
    "daily": Frequency("daily", Delivery.DAILY, timedelta(days=1), OutboundEmail.Kind.DIGEST_DAILY),
    "weekly": Frequency(
        "weekly", Delivery.WEEKLY, timedelta(days=7), OutboundEmail.Kind.DIGEST_WEEKLY
    ),
}


@dataclass
class DigestReport:
    groups: int = 0
    members: int = 0
    queued: int = 0
    nothing_new: int = 0
    parts: int = 0

    def __str__(self):
        return (
            f"{self.queued} digests queued for {self.members} members in {self.groups} groups "
            f"({self.nothing_new} had nothing new; {self.parts} distinct contents rendered)"
        )


def period_label(frequency, local_now):
    """The period a digest covers, in its idempotency key: one digest per member per period.
    LOCAL_NOW is the time of the run in the member's time zone: the local date, or the
    local ISO week for the weekly digest."""
    if frequency.name == "weekly":
        year, week, _day = local_now.isocalendar()
        return f"{year}-W{week:02d}"
    return local_now.date().isoformat()


def time_zone(name):
    """The zone a member's `time_zone` names; UTC for a name the tz database does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def is_due(frequency, local_now):
    """Whether the FREQUENCY digest of the period holding LOCAL_NOW is due: from
    GOINGSOLO_DIGEST_HOUR on each day, or from that hour on Monday for the weekly digest (a
    week whose Monday passed without a run, the worker being down, gets it later that week)."""
    morning = local_now.hour >= settings.GOINGSOLO_DIGEST_HOUR
    if frequency == "weekly":
        return local_now.weekday() > 0 or morning
    return morning


def due_slots(*, frequency, now):
    """The schedule's slots of the FREQUENCY digest due at NOW: "<period> <zone>" for each
    time zone members live in whose morning has come (one query)."""
    names = (
        get_user_model()
        .objects.filter(is_active=True, memberships__isnull=False)
        .values_list("time_zone", flat=True)
        .distinct()
    )
    slots = []
    for name in sorted(set(names)):
        local_now = now.astimezone(time_zone(name))
        if is_due(frequency, local_now):
            slots.append(f"{period_label(FREQUENCIES[frequency], local_now)} {name}")
    return slots


def zones_of(slots):
    """The time zones named by schedule slots ("2026-12-03 Europe/Zurich")."""
    return sorted({slot.split(" ", 1)[1] for slot in slots})


def queue_digests(*, frequency, now=None, time_zones=None, progress=None):
    """Queues the FREQUENCY ("daily" or "weekly") digests of every group, for the members
    living in TIME_ZONES (every member when None). Returns a DigestReport. Running it
    twice in a member's local day (week) queues nothing more for them. PROGRESS, if given,
    is called with (members done, members in the group, group). Side effects: each
    member's `last_digest_at` moves to the end of this window; the delivery job is
    enqueued."""
    frequency = FREQUENCIES[frequency]
    now = now or timezone.now()
    report = DigestReport()
    memberships = Membership.objects.all()
    if time_zones is not None:
        memberships = memberships.filter(user__time_zone__in=list(time_zones))
    groups = Group.objects.filter(pk__in=memberships.values("group_id").distinct()).order_by("pk")
    for group in groups:
        queue_group_digests(group, frequency, now, report, progress, time_zones=time_zones)
    if report.queued:
        request_delivery()
    return report


def _grouped(rows, *, key, when):
    """(ROWS by KEY, in their order; each group's times, by WHEN; the keys, the most
    recently active first)."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    times = {k: [when(row) for row in items] for k, items in grouped.items()}
    order = sorted(grouped, key=lambda k: times[k][-1], reverse=True)
    return grouped, times, order


class _Window:
    """The group's new posts, by thread, with what each block renders to."""

    def __init__(self, group, since, until, nonce):
        self.group, self.nonce = group, nonce
        posts = (
            Post.objects.filter(
                group=group,
                created_at__gt=since,
                created_at__lte=until,
                deleted_at__isnull=True,
                thread__deleted_at__isnull=True,
                # Waiting for a moderator: no one but its author and moderators sees it.
                is_held=False,
                thread__is_held=False,
            )
            .exclude(via=Via.IMPORT)
            .select_related("thread", "author")
            .only(
                "pk",
                "thread_id",
                "author_id",
                "guest_author_name",
                "body",
                "position",
                "created_at",
                "thread__title",
                "author__display_name",
                "author__email",
            )
            .order_by("thread_id", "created_at", "pk")
        )
        self.posts, self.times, self.order = _grouped(
            posts, key=lambda post: post.thread_id, when=lambda post: post.created_at
        )
        self._excerpts = {}
        self._blocks = {}

    def blocks_for(self, user_id, since, muted):
        blocks = []
        for tid in self.order:
            start = bisect_right(self.times[tid], since)
            new = self.posts[tid][start:]
            if not new or tid in muted or all(p.author_id == user_id for p in new):
                continue
            blocks.append((tid, start))
        return tuple(blocks)

    def _excerpt(self, post):
        if post.pk not in self._excerpts:
            text = render_plain(post.body)
            self._excerpts[post.pk] = Truncator(text).chars(EXCERPT_CHARS)
        return self._excerpts[post.pk]

    def block(self, tid, start, language):
        """(text, html) of one thread's new posts from START, in LANGUAGE."""
        key = (tid, start, language)
        if key not in self._blocks:
            new = self.posts[tid][start:]
            thread = new[0].thread
            thread_url = absolute_url(reverse("discussions:thread", args=[self.group.slug, tid]))
            shown = new[-POSTS_PER_THREAD:]
            context = {
                "thread_title": thread.title,
                "thread_url": thread_url,
                "is_new_thread": new[0].position == 1,
                "new_count": len(new),
                "hidden_count": len(new) - len(shown),
                "first_new_url": post_anchor_url(thread_url, new[0].position),
                "posts": [
                    {
                        "author_name": post.author.name if post.author else post.guest_author_name,
                        "excerpt": self._excerpt(post),
                        "url": post_anchor_url(thread_url, post.position),
                    }
                    for post in shown
                ],
                "reply_address": marker(self.nonce, f"reply-{tid}"),
            }
            with translation.override(language):
                text = get_template("emails/digest_thread.txt").template.render(
                    Context(context, autoescape=False)
                )
                html = get_template("emails/digest_thread.html").render(context)
            self._blocks[key] = (text.strip(), html)
        return self._blocks[key]

    def post_count(self, blocks):
        return sum(len(self.posts[tid]) - start for tid, start in blocks)


class _WikiWindow:
    """Changes published to the group's wiki pages in the window, by page, and who watches
    those pages: each digest member gets the pages they watch that others changed."""

    def __init__(self, group, since, until, nonce):
        self.group, self.nonce = group, nonce
        revisions = (
            Revision.objects.filter(group=group, published_at__gt=since, published_at__lte=until)
            .select_related("page", "author")
            .only(
                "pk",
                "page_id",
                "number",
                "author_id",
                "kind",
                "summary",
                "renamed_from",
                "renamed_to",
                "published_at",
                "page__title",
                "page__slug",
                "author__display_name",
                "author__email",
            )
            .order_by("page_id", "published_at", "pk")
        )
        self.changes, self.times, self.order = _grouped(
            revisions, key=lambda revision: revision.page_id, when=lambda r: r.published_at
        )
        # {member: {page: when they started watching it}}: changes before that are not news.
        self.watching = defaultdict(dict)
        self.before = {}
        if self.changes:
            # Watchers of the few pages that changed, rather than the pages of every member.
            for user_id, page_id, since_at in Watch.objects.filter(
                page_id__in=list(self.changes)
            ).values_list("user_id", "page_id", "created_at"):
                self.watching[user_id][page_id] = since_at
            # Where each page's diff starts when a member's window starts with the window.
            self.before = dict(
                Revision.objects.filter(
                    page_id__in=list(self.changes),
                    published_at__isnull=False,
                    published_at__lte=since,
                )
                .values("page_id")
                .annotate(number=Max("number"))
                .values_list("page_id", "number")
            )
        self._blocks = {}

    def blocks_for(self, user_id, since):
        blocks = []
        watched = self.watching.get(user_id, {})
        for pid in self.order:
            if pid not in watched:
                continue
            start = bisect_right(self.times[pid], max(since, watched[pid]))
            new = self.changes[pid][start:]
            if not new or all(r.author_id == user_id for r in new):
                continue
            blocks.append((pid, start))
        return tuple(blocks)

    def block(self, pid, start, language):
        """(text, html) of one page's changes from START, in LANGUAGE."""
        key = (pid, start, language)
        if key not in self._blocks:
            changes = self.changes[pid][start:]
            page = changes[-1].page
            slug = self.group.slug
            before = self.changes[pid][start - 1].number if start else self.before.get(pid)
            query = {"to": changes[-1].number}
            if before is not None:
                query = {"from": before, **query}
            shown = changes[-CHANGES_PER_PAGE:]
            context = {
                "page_title": page.title,
                "page_url": absolute_url(reverse("wiki:page", args=[slug, page.slug])),
                "diff_url": absolute_url(
                    reverse("wiki:diff", args=[slug, page.slug]) + "?" + urlencode(query)
                ),
                "changes": shown,
                "change_count": len(changes),
                "hidden_count": len(changes) - len(shown),
                "unwatch_url": marker(self.nonce, f"unwatch-{pid}"),
            }
            with translation.override(language):
                text = get_template("emails/digest_wiki_page.txt").template.render(
                    Context(context, autoescape=False)
                )
                html = get_template("emails/digest_wiki_page.html").render(context)
            self._blocks[key] = (text.strip(), html)
        return self._blocks[key]


def _digest_part(window, wiki, frequency, until, language, blocks, page_blocks):
    digest = hashlib.sha1(repr((blocks, page_blocks)).encode()).hexdigest()[:16]
    group = window.group
    key = f"digest:{frequency.name}:{group.pk}:{until.timestamp():.0f}:{language}:{digest}"

    def build():
        shown = blocks[:THREADS_PER_DIGEST]
        rendered = [window.block(tid, start, language) for tid, start in shown]
        pages = [wiki.block(pid, start, language) for pid, start in page_blocks[:PAGES_PER_DIGEST]]
        context = {
            "group_name": group.name,
            "weekly": frequency.name == "weekly",
            "post_count": window.post_count(blocks),
            "thread_count": len(blocks),
            "more_threads": len(blocks) - len(shown),
            "blocks_text": "\n\n".join(text for text, _html in rendered),
            "blocks_html": mark_safe("".join(html for _text, html in rendered)),
            "page_count": len(page_blocks),
            "more_pages": len(page_blocks) - len(pages),
            "pages_text": "\n\n".join(text for text, _html in pages),
            "pages_html": mark_safe("".join(html for _text, html in pages)),
            "group_url": absolute_url(group.get_absolute_url()),
            "group_address": f"{group.slug}@{settings.GOINGSOLO_MAIL_DOMAIN}",
            "delivery_url": marker(window.nonce, "delivery"),
            "unsubscribe_url": marker(window.nonce, "unsubscribe"),
        }
        subject, text, html = render_email("digest", context, language=language)
        return {
            "language": language,
            "from_name": group.name,
            "subject": subject,
            "text": text,
            "html": html,
            "nonce": window.nonce,
            "headers": {"Date": until.isoformat()},
        }

    return get_or_create_part(key, build)


def _since(member, frequency, until):
    starts = [until - frequency.period, member["last_digest_at"], member["changed_at"]]
    starts.append(member["joined_at"])
    return max(start for start in starts if start is not None)


def queue_group_digests(group, frequency, now, report, progress=None, time_zones=None):
    until = now - SETTLE
    memberships = Membership.objects.filter(group=group)
    if time_zones is not None:
        memberships = memberships.filter(user__time_zone__in=list(time_zones))
    ensure_subscriptions(memberships)
    candidates = list_members(
        group_id=group.pk, deliveries=[frequency.delivery], time_zones=time_zones
    )
    # Each member's period is their local date (week) at NOW: a member in Tokyo and one in
    # Los Angeles may be on different dates.
    labels = {}
    for member in candidates:
        local_now = now.astimezone(time_zone(member["time_zone"]))
        labels[member["pk"]] = period_label(frequency, local_now)
    done = set()
    for label in set(labels.values()):
        prefix = f"digest-{frequency.name}:{label}:{group.pk}:"
        done |= {
            (label, int(key.rsplit(":", 1)[1]))
            for key in OutboundEmail.objects.filter(idempotency_key__startswith=prefix).values_list(
                "idempotency_key", flat=True
            )
        }
    members = [member for member in candidates if (labels[member["pk"]], member["pk"]) not in done]
    if not members:
        return
    report.groups += 1
    report.members += len(members)
    since = {member["pk"]: _since(member, frequency, until) for member in members}
    nonce = new_nonce()
    window = _Window(group, min(since.values()), until, nonce)
    wiki = _WikiWindow(group, min(since.values()), until, nonce)
    muted = defaultdict(set)
    for user_id, thread_id in ThreadSubscription.objects.filter(
        thread_id__in=list(window.posts), state=ThreadSubscription.State.MUTED
    ).values_list("user_id", "thread_id"):
        muted[user_id].add(thread_id)
    parts = {}
    domain = settings.GOINGSOLO_MAIL_DOMAIN
    for offset in range(0, len(members), BATCH):
        batch = members[offset : offset + BATCH]
        rows = []
        with transaction.atomic():
            for member in batch:
                uid = member["pk"]
                blocks = window.blocks_for(uid, since[uid], muted.get(uid, ()))
                page_blocks = wiki.blocks_for(uid, since[uid])
                if not blocks and not page_blocks:
                    report.nothing_new += 1
                    continue
                content = (member["language"], blocks, page_blocks)
                if content not in parts:
                    parts[content] = _digest_part(window, wiki, frequency, until, *content)
                label = labels[uid]
                rows.append(
                    OutboundEmail(
                        kind=frequency.kind,
                        idempotency_key=f"digest-{frequency.name}:{label}:{group.pk}:{uid}",
                        recipient_id=uid,
                        group_id=group.pk,
                        part=parts[content],
                        message_id=f"<digest-{frequency.name}.{label}.{group.pk}.{uid}@{domain}>",
                    )
                )
            OutboundEmail.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
            # Forward only: after a clock set back, a window must not reopen on posts a
            # digest already carried.
            ListSubscription.objects.filter(
                Q(last_digest_at__isnull=True) | Q(last_digest_at__lt=until),
                group=group,
                user_id__in=[member["pk"] for member in batch],
            ).update(last_digest_at=until)
        report.queued += len(rows)
        if progress is not None:
            progress(offset + len(batch), len(members), group)
    report.parts += len(parts)
