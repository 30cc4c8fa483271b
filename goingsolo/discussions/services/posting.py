"""Writing: starting a thread (with its poll and attachments), replying, editing, deleting and
restoring a post, correcting its language."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.core.language import detect_language
from goingsolo.core.markdown import render_markdown
from goingsolo.core.uploads import check_total, make_thumbnail
from goingsolo.groups.trust import record_contribution

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
from ..validators import clean_body, clean_language, clean_poll, clean_title
from .threads import mark_read


@dataclass
class PostResult:
    """A new post, with what the author should be told about it."""

    post: Post
    # @names in the text that are not members of the group: shown as text, nobody notified.
    unknown_mentions: list = field(default_factory=list)
    # (@name, [members it could be]) for names that match several: text, nobody notified.
    ambiguous_mentions: list = field(default_factory=list)


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
):
    """Adds a post at the end of THREAD (locked by the caller) and updates its counters."""
    found = mentions.resolve(group=thread.group, text=body, author=author)
    language, chosen = clean_language(body, language)
    created_at = created_at or timezone.now()
    position = thread.last_position + 1
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
    )
    post.mentions.bulk_create(
        [post.mentions.model(post=post, user=member) for member in found.users if member != author]
    )
    Thread.objects.filter(pk=thread.pk).update(
        last_position=position,
        post_count=F("post_count") + 1,
        last_activity_at=created_at,
        last_post_author=author,
    )
    thread.last_position = position
    thread.post_count += 1
    thread.last_activity_at = created_at
    if author is not None:
        mark_read(thread=thread, user=author, position=position)
        # A post that stands builds its author's trust, by email as on the web; an
        # imported archive is history, not a contribution to the group as it is now.
        if via != Via.IMPORT:
            record_contribution(group_id=thread.group_id, user_id=author.pk)
    return PostResult(post=post, unknown_mentions=found.unknown, ambiguous_mentions=found.ambiguous)


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
):
    """AUTHOR starts a thread in GROUP; returns a PostResult for the opening post.

    POLL, when given, is a dict: question, options (list of labels), allows_multiple,
    closes_at. ATTACHMENTS: a list of (CheckedUpload, uploaded file), all stored or none.
    Side effects on commit: notifications and search index (job), live update
    of the group page, `signals.post_created`.
    """
    if via != Via.IMPORT:
        require_post_rights(author, group)
    title = clean_title(title)
    body = clean_body(body)
    poll_data = clean_poll(poll) if poll else None
    thread = Thread.objects.create(
        group=group,
        author=author,
        title=title,
        created_at=created_at or timezone.now(),
        last_activity_at=created_at or timezone.now(),
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
    _after_post(result.post)
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
):
    """AUTHOR replies in THREAD; returns a PostResult. ATTACHMENTS: a list of
    (CheckedUpload, uploaded file), all stored or none.

    Side effects on commit: notifications (thread author, followers, mentions) and search
    index (job), live update of the thread page, `signals.post_created`.
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
    )
    _attach(result.post, attachments)
    _after_post(result.post)
    return result


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
