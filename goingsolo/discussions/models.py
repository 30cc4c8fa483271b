"""Threads, posts and what members do with them.

A thread is a title and its posts; the opening post (position 1) holds the thread's body, so
edits, reactions, attachments and search treat every post alike. Counters and the
rendered HTML are kept on the rows (cheap derived state) so list pages never count or render.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from goingsolo.core import fragments
from goingsolo.core.models import NameField
from goingsolo.core.storage import private_storage
from goingsolo.groups.models import Group


class Via(models.TextChoices):
    WEB = "web", pgettext_lazy("posted via", "Web")
    EMAIL = "email", pgettext_lazy("posted via", "Email")
    API = "api", pgettext_lazy("posted via", "API")
    IMPORT = "import", pgettext_lazy("posted via", "Import")


class Thread(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
    )
    title = NameField(_("title"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    last_post_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Posts that are not deleted, the opening one included.
    post_count = models.PositiveIntegerField(default=0)
    # The highest position given to a post so far; positions are never reused.
    last_position = models.PositiveIntegerField(default=0)
    language = models.CharField(max_length=8, blank=True, db_index=True)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_announcement = models.BooleanField(_("announcement"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    # Its opening post waits for a moderator's approval: only its author and the
    # moderators see the thread (docs/moderation.md, "Held posts").
    is_held = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        # In the lists' order to the last column (the id breaks ties), and only for threads
        # that are not deleted, which are the ones lists show: a page is read from the
        # index in order, with no sort, however deep. The third holds what the home page
        # counts (visible threads of the member's groups, perhaps in their languages), so
        # the count reads it alone: with is_held in no index, it read every thread row
        # (27 ms for 25,000 threads). docs/discussions.md, "Speed".
        indexes = [
            models.Index(
                fields=["group", "-is_pinned", "-last_activity_at", "-id"],
                condition=models.Q(deleted_at__isnull=True),
                name="thread_group_activity",
            ),
            models.Index(
                fields=["-last_activity_at", "-id", "group", "deleted_at"],
                condition=models.Q(deleted_at__isnull=True),
                name="thread_activity",
            ),
            models.Index(
                # deleted_at and is_held as columns too, though the condition fixes them:
                # SQLite then sees the count as covered by this index and picks it over
                # the group's own index (1 ms, against 28 ms reading the rows).
                fields=["group", "deleted_at", "is_held", "language"],
                condition=models.Q(deleted_at__isnull=True, is_held=False),
                name="thread_visible_group_language",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("discussions:thread", args=[self.group.slug, self.pk])

    @property
    def reply_count(self):
        return max(self.post_count - 1, 0)

    @cached_property
    def row_key(self):
        """Everything a row of a thread list shows but its read state: the key of the row's
        fragment around `discussions/_thread_row.html` in the lists that include it (core/fragments.py). A field shown there
        and missing here would be served stale: tests/discussions/test_row_fragments.py
        changes each one. Reads only the fields the lists load."""
        author = self.last_post_author
        return (
            self.pk,
            self.title,
            self.group.slug,
            self.group.name,
            self.is_announcement,
            self.is_pinned,
            self.is_locked,
            self.deleted_at,
            self.language,
            self.post_count,
            self.last_activity_at,
            fragments.relative_time_key(self.last_activity_at),
            author.name if author is not None else None,
        )


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    # Denormalised from the thread: lists and search filter visibility by group.
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    # For imported archives: the name of an author who is not a member.
    guest_author_name = NameField(max_length=200, blank=True)
    position = models.PositiveIntegerField()
    body = models.TextField(_("message"))
    body_html = models.TextField(blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    language_set_by_author = models.BooleanField(default=False)
    quoted_post = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.WEB)
    # The email Message-ID this post was sent as or received with (mail threading, dedup).
    message_id = models.CharField(max_length=998, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Waiting for a moderator's approval: seen by its author and the moderators only, and
    # nobody is told of it (notifications, emails, search, live updates) until approved.
    is_held = models.BooleanField(default=False)
    # Why it is held: `HoldReason` values (posting.py), shown in the review queue.
    held_because = models.JSONField(default=list, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {"👍": 3, "🎉": 1}: shown on every post without counting reactions.
    reaction_counts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "position"], name="one_post_per_position"),
        ]

    def __str__(self):
        return f"{self.thread} #{self.position}"

    def get_absolute_url(self):
        return f"{self.thread.get_absolute_url()}#post-{self.position}"

    @cached_property
    def header_key(self):
        """Everything the post's header shows but its links, which depend on the reader
        (author's profile, anchor): the key of its fragment in `discussions/_post.html`
        (core/fragments.py); tests/discussions/test_row_fragments.py changes each field."""
        author = self.author
        return (
            self.pk,
            self.position,
            self.author_id,
            author.name if author is not None else None,
            author.avatar.name if author is not None else None,
            self.guest_author_name,
            self.created_at,
            self.edited_at,
            self.language,
            self.via,
        )

    @property
    def is_opening(self):
        return self.position == 1

    @property
    def author_name(self):
        return self.author.name if self.author else self.guest_author_name


class PostRevision(models.Model):
    """A post as it was before an edit; moderators see the history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = NameField(max_length=200, blank=True)
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]


class Reaction(models.Model):
    class Emoji(models.TextChoices):
        THUMBS_UP = "👍", _("Thumbs up")
        HEART = "❤️", _("Heart")
        LAUGH = "😂", _("Laugh")
        PARTY = "🎉", _("Party")
        THINKING = "🤔", _("Thinking")
        THANKS = "🙏", _("Thanks")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=8, choices=Emoji.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user", "emoji"], name="one_reaction_per_emoji"
            ),
        ]


class Mention(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="one_mention_per_post")
        ]


def attachment_path(attachment, filename):
    return f"attachments/{attachment.post.group_id}/{attachment.post.thread_id}/{filename}"


def thumbnail_path(attachment, filename):
    return f"attachments/{attachment.post.group_id}/{attachment.post.thread_id}/thumbs/{filename}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        DOCUMENT = "document", _("Document")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    # Kept out of MEDIA_ROOT: files of closed and secret groups are served only through
    # a view that checks the reader may see the group.
    file = models.FileField(upload_to=attachment_path, max_length=300, storage=private_storage)
    thumbnail = models.FileField(
        upload_to=thumbnail_path, max_length=300, blank=True, storage=private_storage
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self):
        return self.name

    @property
    def is_image(self):
        return self.kind == self.Kind.IMAGE


class Poll(models.Model):
    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="poll")
    question = models.CharField(_("question"), max_length=300)
    allows_multiple = models.BooleanField(_("several answers allowed"), default=False)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    voter_count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.question

    @property
    def is_closed(self):
        return self.closes_at is not None and timezone.now() >= self.closes_at


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    vote_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.label


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "user", "option"], name="one_vote_per_option"),
        ]


class ThreadSubscription(models.Model):
    """Following or muting a thread, whatever the group's notification level says."""

    class State(models.TextChoices):
        FOLLOWING = "following", _("Following")
        MUTED = "muted", _("Muted")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_subscription_per_thread")
        ]


class ReadState(models.Model):
    """How far a member has read a thread: positions up to last_read_position are read."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_position = models.PositiveIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_read_state_per_thread")
        ]
