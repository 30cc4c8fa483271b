"""Writing: starting a thread (with its poll and attachments), replying, editing, deleting and
restoring a post, correcting its language; holding a post for a moderator and approving it.

A post is held (`Post.is_held`) when its author's trust level may not post without
approval in a group that holds new members' posts, and whenever a spam signal was seen
(`HoldReason`). Held, it is saved, seen by its author and the moderators, and nothing
else happens: no notification, email, search entry or live update until `post_approve`.
The web views and the inbound mail handler call the same services, so email is held as
web posts are (docs/moderation.md, "Held posts").
"""

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goingsolo.core.language import detect_language
from goingsolo.core.markdown import external_links, render_markdown
from goingsolo.core.text import clean_name
from goingsolo.core.uploads import check_total, make_thumbnail
from goingsolo.groups.models import Membership
from goingsolo.groups.trust import TrustLevel, allowed, record_contribution, trust_level

from .. import live, mentions, rules, signals, tasks
from ..models import (
    Attachment,
    Poll,
    PollOption,
    Post,
    PostRevision,
    Thread,
    ThreadSubscription,
    Via,
)
from ..validators import (
    GUEST_NAME_MAX_CHARS,
    clean_body,
    clean_language,
    clean_poll,
    clean_title,
)
from .threads import mark_read


class HoldReason(StrEnum):
    """Why a post waits for a moderator (`Post.held_because`, shown by `HELD_REASONS`)."""

    NEW_MEMBER = "new_member"  # the group holds new members' posts
    BY_EMAIL = "by_email"  # the author's level may not post by email
    # Spam signals, from the form (or the mail handler) that received the post.
    TOO_FAST = "too_fast"
    HONEYPOT = "honeypot"
    TIMESTAMP = "timestamp"
    # Spam signals the service sees itself.
    LINKS = "links"  # more external links than the author's trust level allows
    REPEATED = "repeated"  # the same text posted in another group lately


# The same text by the same author in another group within this time is a spam signal.
REPEATED_WITHIN = timedelta(days=1)


HELD_REASONS = {
    HoldReason.NEW_MEMBER: gettext_lazy("The author joined the group recently."),
    HoldReason.BY_EMAIL: gettext_lazy("The author may not post by email yet."),
    HoldReason.TOO_FAST: gettext_lazy("The form was sent faster than a person types."),
    HoldReason.HONEYPOT: gettext_lazy("A field that people leave empty was filled."),
    HoldReason.TIMESTAMP: gettext_lazy("The form’s timestamp was missing or altered."),
    HoldReason.LINKS: gettext_lazy("More links than a new member may post."),
    HoldReason.REPEATED: gettext_lazy("The same text was posted in another group."),
}


def hold_reasons(*, group, author, via, body, signals=()):
    """Why a post of BODY by AUTHOR in GROUP, received VIA the web or email with spam
    SIGNALS (HoldReason values), is held: a list of HoldReason values, empty when it shows
    at once. Imports are history: never held."""
    if via == Via.IMPORT or author is None:
        return []
    membership = Membership.objects.filter(group=group, user=author).first()
    can = allowed(membership)
    reasons = []
    if group.holds_new_members_posts and not can.posts_without_approval:
        reasons.append(HoldReason.NEW_MEMBER)
    if via == Via.EMAIL and not can.post_by_email:
        reasons.append(HoldReason.BY_EMAIL)
    if can.links_per_post is not None and len(external_links(body)) > can.links_per_post:
        reasons.append(HoldReason.LINKS)
    if _posted_elsewhere_lately(group=group, author=author, body=body):
        reasons.append(HoldReason.REPEATED)
    # A form sent back faster than a person types says "robot" only of an account the group
    # does not trust yet: a trusted member's quick "Thanks!" shows at once. A filled
    # honeypot, which no person sees, holds whoever the author (a stolen account).
    trusted = trust_level(membership) >= TrustLevel.TRUSTED
    for signal in map(HoldReason, signals):
        if signal not in reasons and (signal == HoldReason.HONEYPOT or not trusted):
            reasons.append(signal)
    return [str(reason) for reason in reasons]


def _posted_elsewhere_lately(*, group, author, body):
    """True when AUTHOR posted BODY (spaces aside) in another group lately: a robot
    posts its text in every group it joined."""
    recent = Post.objects.filter(
        author=author, created_at__gte=timezone.now() - REPEATED_WITHIN
    ).exclude(group=group)
    # The candidates are few (one author, one day); compare their texts here rather than
    # in SQL, so that spaces and line ends do not tell them apart.
    words = body.split()
    return any(text.split() == words for text in recent.values_list("body", flat=True)[:200])


@dataclass
class PostResult:
    """A new post, with what the author should be told about it."""

    post: Post
    # @names in the text that are not members of the group: shown as text, nobody notified.
    unknown_mentions: list = field(default_factory=list)
    # (@name, [members it could be]) for names that match several: text, nobody notified.
    ambiguous_mentions: list = field(default_factory=list)

    @property
    def held(self):
        """True when the post waits for a moderator's approval before others see it."""
        return self.post.is_held


def require_post_rights(user, group):
    if user is None or not rules.can_post(user, group):
        raise PermissionDenied(_("Only members of this group can post in it."))


def render_post_body(group, body, author=None):
    """The post's HTML, with @mentions of the group's members linked to their profiles
    (the rule: goingsolo/discussions/mentions.py)."""
    found = mentions.resolve(group=group, text=body, author=author)
    return render_markdown(body, mention_url=found.url_of, mention_names=found.full_names)


def _create_post(
    *,
    thread,
    author,
    body,
    via,
    quoted_post=None,
    language=None,
    message_id="",
    created_at=None,
    guest_author_name="",
    held_because=(),
):
    """Adds a post at the end of THREAD (locked by the caller) and updates its counters.
    A post HELD_BECAUSE of something takes its position, and counts once approved."""
    found = mentions.resolve(group=thread.group, text=body, author=author)
    language, chosen = clean_language(body, language)
    created_at = created_at or timezone.now()
    position = thread.last_position + 1
    # A guest's name comes from an email's From header or an imported archive, not from a
    # form: cut to its column rather than refuse, so that the message is not lost.
    guest_author_name = clean_name(guest_author_name)[:GUEST_NAME_MAX_CHARS]
    post = Post.objects.create(
        thread=thread,
        group=thread.group,
        author=author,
        guest_author_name=guest_author_name,
        position=position,
        body=body,
        body_html=render_markdown(body, mention_url=found.url_of, mention_names=found.full_names),
        language=language,
        language_set_by_author=chosen,
        quoted_post=quoted_post,
        via=via,
        message_id=message_id,
        created_at=created_at,
        is_held=bool(held_because),
        held_because=list(held_because),
    )
    post.mentions.bulk_create(
        [post.mentions.model(post=post, user=member) for member in found.users if member != author]
    )
    Thread.objects.filter(pk=thread.pk).update(last_position=position)
    thread.last_position = position
    if author is not None:
        mark_read(thread=thread, user=author, position=position)
    if not post.is_held:
        _count_post(post, thread=thread)
    return PostResult(post=post, unknown_mentions=found.unknown, ambiguous_mentions=found.ambiguous)


def _count_post(post, *, thread, approved=False):
    """POST now stands: the thread's counters and its author's trust follow (APPROVED: by a
    moderator, from the review queue)."""
    Thread.objects.filter(pk=thread.pk).update(
        post_count=F("post_count") + 1,
        last_activity_at=Greatest("last_activity_at", Value(post.created_at)),
        last_post_author=post.author,
    )
    thread.post_count += 1
    thread.last_activity_at = max(thread.last_activity_at, post.created_at)
    # A post that stands builds its author's trust, by email as on the web; an imported
    # archive is history, not a contribution to the group as it is now.
    if post.author_id is not None and post.via != Via.IMPORT:
        record_contribution(group_id=thread.group_id, user_id=post.author_id, approved=approved)


def _after_post(post):
    # Announced here rather than by the job: open pages hear of the post as soon as it is
    # committed, not once the worker has reached the job behind whatever else is queued.
    # Robust: the post is saved; a failed announcement is logged, and pages show the post
    # on their next load.
    transaction.on_commit(lambda: live.announce_post(post), robust=True)
    transaction.on_commit(lambda: tasks.post_created.enqueue(post_id=post.pk))
    transaction.on_commit(
        lambda: signals.post_created.send(sender=Post, post=post, thread=post.thread)
    )


def _after_held(post):
    # The moderators hear of it (the moderation app listens): nobody else does.
    transaction.on_commit(lambda: signals.post_held.send(sender=Post, post=post))


def _attach(post, attachments):
    """Stores ATTACHMENTS, a list of (CheckedUpload, uploaded file), on POST.

    Each file was checked by goingsolo.core.uploads.check_upload; their total is checked
    here. Images get a thumbnail made from their pixels alone. Should anything fail, the
    files already written are removed and the caller's transaction rolls back.
    """
    if not attachments:
        return []
    check_total([checked.size for checked, _upload in attachments])
    rows = []
    try:
        for checked, upload in attachments:
            attachment = Attachment(
                post=post,
                kind=checked.kind,
                name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                width=checked.width,
                height=checked.height,
            )
            rows.append(attachment)
            attachment.file.save(checked.name, upload, save=False)
            if checked.kind == Attachment.Kind.IMAGE:
                thumbnail = make_thumbnail(upload)
                attachment.thumbnail.save(thumbnail.name, thumbnail, save=False)
        Attachment.objects.bulk_create(rows)
    except Exception:
        for attachment in rows:
            for stored in (attachment.file, attachment.thumbnail):
                if stored:
                    stored.storage.delete(stored.name)
        raise
    return rows


def create_poll(thread, data):
    poll = Poll.objects.create(
        thread=thread,
        question=data["question"],
        allows_multiple=data["allows_multiple"],
        closes_at=data["closes_at"],
    )
    PollOption.objects.bulk_create(
        [
            PollOption(poll=poll, label=label, position=index)
            for index, label in enumerate(data["options"])
        ]
    )
    return poll


@transaction.atomic
def thread_start(
    *,
    group,
    author,
    title,
    body,
    via=Via.WEB,
    language=None,
    poll=None,
    message_id="",
    created_at=None,
    guest_author_name="",
    attachments=None,
    spam_signals=(),
):
    """AUTHOR starts a thread in GROUP; returns a PostResult for the opening post.

    POLL, when given, is a dict: question, options (list of labels), allows_multiple,
    closes_at. ATTACHMENTS: a list of (CheckedUpload, uploaded file), all stored or none.
    SPAM_SIGNALS: HoldReason values the caller saw; with them, or when the author's trust
    level may not post without approval, the thread is held (`hold_reasons`).
    Side effects on commit, unless held: notifications and search index (job), live update
    of the group page, `signals.post_created`; when held, `signals.post_held`.
    """
    if via != Via.IMPORT:
        require_post_rights(author, group)
    title = clean_title(title)
    body = clean_body(body)
    poll_data = clean_poll(poll) if poll else None
    held_because = hold_reasons(
        group=group, author=author, via=via, body=body, signals=spam_signals
    )
    thread = Thread.objects.create(
        group=group,
        author=author,
        title=title,
        created_at=created_at or timezone.now(),
        last_activity_at=created_at or timezone.now(),
        is_held=bool(held_because),
    )
    result = _create_post(
        thread=thread,
        author=author,
        body=body,
        via=via,
        language=language,
        message_id=message_id,
        created_at=created_at,
        guest_author_name=guest_author_name,
        held_because=held_because,
    )
    thread.language = result.post.language
    thread.save(update_fields=["language"])
    _attach(result.post, attachments)
    if poll_data:
        create_poll(thread, poll_data)
    if author is not None and via != Via.IMPORT:
        ThreadSubscription.objects.create(
            thread=thread, user=author, state=ThreadSubscription.State.FOLLOWING
        )
    if not result.held:
        _after_post(result.post)
    else:
        _after_held(result.post)
    return result


@transaction.atomic
def post_reply(
    *,
    thread,
    author,
    body,
    via=Via.WEB,
    quoted_post=None,
    language=None,
    message_id="",
    created_at=None,
    guest_author_name="",
    attachments=None,
    spam_signals=(),
):
    """AUTHOR replies in THREAD; returns a PostResult. ATTACHMENTS: a list of
    (CheckedUpload, uploaded file), all stored or none. SPAM_SIGNALS: as for
    `thread_start`; a held reply waits for a moderator.

    Side effects on commit, unless held: notifications (thread author, followers,
    mentions) and search index (job), live update of the thread page,
    `signals.post_created`; when held, `signals.post_held`.
    """
    thread = Thread.objects.select_for_update().select_related("group").get(pk=thread.pk)
    if via != Via.IMPORT:
        require_post_rights(author, thread.group)
    if thread.deleted_at is not None:
        raise ValidationError(_("This thread was deleted."))
    if thread.is_locked and not rules.can_moderate(author, thread.group):
        raise ValidationError(_("This thread is closed to new replies."))
    if quoted_post is not None and quoted_post.thread_id != thread.pk:
        raise ValidationError(_("You can only quote a post of the same thread."))
    body = clean_body(body)
    result = _create_post(
        thread=thread,
        author=author,
        body=body,
        via=via,
        quoted_post=quoted_post,
        language=language,
        message_id=message_id,
        created_at=created_at,
        guest_author_name=guest_author_name,
        held_because=hold_reasons(
            group=thread.group, author=author, via=via, body=body, signals=spam_signals
        ),
    )
    _attach(result.post, attachments)
    if not result.held:
        _after_post(result.post)
    else:
        _after_held(result.post)
    return result


@transaction.atomic
def post_approve(*, post, by):
    """A moderator BY approves the held POST (and its thread, for an opening post): it
    shows to everyone as if posted now, and counts for its author's trust as an approval.

    Side effects: the thread's counters, the author's accepted contributions and
    approvals; on commit, what a new post does (notifications and search index (job),
    live update, `signals.post_created`: the mailing list sends it).
    """
    post = _locked_post(post)
    if not rules.can_moderate(by, post.group):
        raise PermissionDenied(_("Only moderators can approve posts."))
    if not post.is_held:
        return post
    post.is_held = False
    post.save(update_fields=["is_held"])
    if post.is_opening:
        Thread.objects.filter(pk=post.thread_id).update(is_held=False)
        post.thread.is_held = False
    if post.deleted_at is None:
        _count_post(post, thread=post.thread, approved=True)
        _after_post(post)
    return post


@transaction.atomic
def post_edit(*, post, by, body, title=None):
    """Changes a post's text (and the thread's title, for the opening post).

    The previous text is kept as a PostRevision that moderators can read.
    Side effects on commit: search index (job), `signals.post_edited`.
    """
    post = _locked_post(post)
    if not rules.can_edit_post(by, post):
        raise PermissionDenied(_("You can only edit your own posts."))
    body = clean_body(body)
    new_title = clean_title(title) if title is not None and post.is_opening else None
    if body == post.body and (new_title is None or new_title == post.thread.title):
        return post
    PostRevision.objects.create(
        post=post, body=post.body, title=post.thread.title if post.is_opening else "", edited_by=by
    )
    post.body = body
    post.body_html = render_post_body(post.group, body, author=post.author)
    if not post.language_set_by_author:
        post.language = detect_language(body)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "language", "edited_at"])
    if new_title is not None and new_title != post.thread.title:
        post.thread.title = new_title
        post.thread.save(update_fields=["title"])
    transaction.on_commit(lambda: tasks.post_indexed.enqueue(post_id=post.pk))
    transaction.on_commit(lambda: signals.post_edited.send(sender=Post, post=post))
    return post


@transaction.atomic
def post_delete(*, post, by):
    """Hides a post (soft: moderators can restore it). Deleting the opening post hides
    the thread. Side effects on commit: removed from the search index (job)."""
    post = _locked_post(post)
    if not rules.can_delete_post(by, post):
        raise PermissionDenied(_("You can only delete your own posts."))
    if post.deleted_at is not None:
        return post
    return _post_set_deleted(post, at=timezone.now(), by=by)


@transaction.atomic
def post_restore(*, post, by):
    """A moderator brings a deleted post (and its thread) back."""
    post = _locked_post(post)
    if not rules.can_restore_post(by, post):
        raise PermissionDenied(_("Only moderators can restore posts."))
    if post.deleted_at is None:
        return post
    return _post_set_deleted(post, at=None, by=None)


def _locked_post(post):
    """POST read again, locked until the transaction ends, with its thread and group."""
    return Post.objects.select_for_update().select_related("thread", "group").get(pk=post.pk)


def _post_set_deleted(post, *, at, by):
    """Marks POST deleted AT a time BY someone, or restored (AT None); the thread's count
    follows, and the thread itself for its opening post. Side effect on commit: the search
    index (job)."""
    post.deleted_at, post.deleted_by = at, by
    post.save(update_fields=["deleted_at", "deleted_by"])
    if not post.is_held:  # a held post never counted
        Thread.objects.filter(pk=post.thread_id).update(
            post_count=F("post_count") + (-1 if at is not None else 1)
        )
    if post.is_opening:
        Thread.objects.filter(pk=post.thread_id).update(deleted_at=at)
    transaction.on_commit(lambda: tasks.post_indexed.enqueue(post_id=post.pk))
    return post


@transaction.atomic
def post_set_language(*, post, by, language):
    """The author (or a moderator) corrects the language detected for a post."""
    if not rules.can_edit_post(by, post):
        raise PermissionDenied(_("You can only edit your own posts."))
    language, _chosen = clean_language(post.body, language)
    Post.objects.filter(pk=post.pk).update(language=language, language_set_by_author=True)
    if post.is_opening:
        Thread.objects.filter(pk=post.thread_id).update(language=language)
    post.language, post.language_set_by_author = language, True
    transaction.on_commit(lambda: tasks.post_indexed.enqueue(post_id=post.pk))
    return post
