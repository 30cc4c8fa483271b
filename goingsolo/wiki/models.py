"""Wiki pages of a group, their revisions, former titles, links, watchers, drafts and images.

A page shows its `current_revision`: the latest *approved* one. Edits by members the group
does not trust yet are kept as *pending* revisions until a moderator approves them; only
their author and the moderators see them meanwhile. Every revision is kept, rejected ones
included, so nothing a member wrote is ever lost and history can always be read back.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from goingsolo.core.models import NameField
from goingsolo.core.storage import private_storage
from goingsolo.groups.models import Group

TITLE_MAX_CHARS = 150
SUMMARY_MAX_CHARS = 300


def title_key(title):
    """What two titles must not share in a group: "Pricing" and "pricing " are one page."""
    return " ".join(title.split()).casefold()


class Page(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="wiki_pages")
    title = NameField(_("title"), max_length=TITLE_MAX_CHARS)
    # Case- and space-insensitive title: unique per group, and what [[links]] point to.
    key = models.CharField(max_length=TITLE_MAX_CHARS)
    # Made from the title; a rename makes a new one and keeps the old one as a Redirect, so
    # links from outside keep working.
    slug = models.SlugField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What everyone sees; None while the page's first revision waits for review.
    current_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Derived from the current revision, so lists show them without a join.
    language = models.CharField(max_length=8, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # The highest revision number given so far; numbers are never reused.
    last_number = models.PositiveIntegerField(default=0)
    is_locked = models.BooleanField(_("locked"), default=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("wiki page")
        verbose_name_plural = _("wiki pages")
        constraints = [
            models.UniqueConstraint(fields=["group", "key"], name="wiki_one_title_per_group"),
            models.UniqueConstraint(fields=["group", "slug"], name="wiki_one_slug_per_group"),
        ]
        indexes = [models.Index(fields=["group", "-updated_at"], name="wiki_page_group_updated")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("wiki:page", args=[self.group.slug, self.slug])

    @property
    def is_published(self):
        return self.current_revision_id is not None


class Revision(models.Model):
    class Status(models.TextChoices):
        APPROVED = "approved", pgettext_lazy("wiki revision", "Published")
        PENDING = "pending", pgettext_lazy("wiki revision", "Waiting for review")
        REJECTED = "rejected", pgettext_lazy("wiki revision", "Rejected")

    class Kind(models.TextChoices):
        CREATE = "create", pgettext_lazy("wiki revision", "Page created")
        EDIT = "edit", pgettext_lazy("wiki revision", "Edit")
        REVERT = "revert", pgettext_lazy("wiki revision", "Revert")
        MERGE = "merge", pgettext_lazy("wiki revision", "Approved edit merged")
        IMPORT = "import", pgettext_lazy("wiki revision", "Import")
        # Same text as its parent; the title changed (renamed_from → renamed_to).
        RENAME = "rename", pgettext_lazy("wiki revision", "Renamed")

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions")
    # Denormalised from the page: recent changes and the review queue filter by group.
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    # The revision the editor started from (None for the first one).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wiki_revisions",
    )
    body = models.TextField(_("text"), blank=True)
    summary = models.CharField(_("edit summary"), max_length=SUMMARY_MAX_CHARS, blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.EDIT)
    # For reverts: the revision whose text was restored. For merges: the approved edit.
    source = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Characters, and the change from the parent: shown in history and recent changes.
    size = models.PositiveIntegerField(default=0)
    size_change = models.IntegerField(default=0)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.APPROVED)
    # Why the revision was held for review: "untrusted", "too_fast", "honeypot", "timestamp".
    held_because = models.JSONField(default=list, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # When it became what everyone sees (None: never). Not created_at: a held edit is
    # published when approved, and one approved under a later edit never is.
    published_at = models.DateTimeField(null=True, blank=True)
    # For renames: the title before and after.
    renamed_from = models.CharField(max_length=TITLE_MAX_CHARS, blank=True)
    renamed_to = models.CharField(max_length=TITLE_MAX_CHARS, blank=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="wiki_revision_number")
        ]
        indexes = [
            models.Index(fields=["group", "-created_at"], name="wiki_revision_group_recent"),
            models.Index(fields=["group", "status"], name="wiki_revision_group_status"),
            models.Index(fields=["author", "-created_at"], name="wiki_revision_author_recent"),
            # Digests read what was published in a group over a day or a week.
            models.Index(fields=["group", "published_at"], name="wiki_revision_published"),
        ]

    def __str__(self):
        return f"{self.page_id} #{self.number}"

    def get_absolute_url(self):
        return reverse("wiki:revision", args=[self.group.slug, self.page.slug, self.number])

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def is_rename(self):
        return self.kind == self.Kind.RENAME

    @property
    def size_change_display(self):
        """ "+12", "−3" or "0": characters added or removed."""
        if self.size_change > 0:
            return f"+{self.size_change}"
        if self.size_change < 0:
            return f"−{-self.size_change}"
        return "0"

    @property
    def held_reasons(self):
        return [HELD_REASONS.get(reason, reason) for reason in self.held_because]


HELD_REASONS = {
    "untrusted": _("the author is new to the group"),
    "too_fast": _("the form was sent too fast for a person"),
    "honeypot": _("a field hidden from people was filled in"),
    "timestamp": _("the form’s timestamp was missing or altered"),
}


class Redirect(models.Model):
    """A former title of PAGE, and its former address when that changed too.

    `[[Former title]]` links and the former address still reach the page. Every row points
    at the page itself, never at another redirect: after any number of renames each former
    title leads straight to the current page, and a loop cannot be written down. A page's
    own title always wins over a redirect; a new page or a rename may take over a former
    title (services.renaming.claim_former_title), which ends its redirect.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="redirects")
    title = NameField(max_length=TITLE_MAX_CHARS)
    key = models.CharField(max_length=TITLE_MAX_CHARS)
    # None when the rename kept the address ("Café" → "Cafe" both give "cafe").
    slug = models.SlugField(max_length=80, null=True, blank=True)
    # The rename that made it: who, when and why.
    revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("former title")
        verbose_name_plural = _("former titles")
        constraints = [
            models.UniqueConstraint(fields=["group", "key"], name="wiki_redirect_one_key"),
            models.UniqueConstraint(fields=["group", "slug"], name="wiki_redirect_one_slug"),
        ]

    def __str__(self):
        return f"{self.title} → {self.page_id}"


class PageLink(models.Model):
    """A [[link]] in the current revision of SOURCE, to the page whose key is TARGET_KEY
    (which may not exist yet): "what links here" and red links read these rows."""

    source = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="links")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    target_key = models.CharField(max_length=TITLE_MAX_CHARS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target_key"], name="wiki_link_once")
        ]
        indexes = [models.Index(fields=["group", "target_key"], name="wiki_link_target")]


class Watch(models.Model):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wiki_watches"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "user"], name="wiki_watch_once")]


class Draft(models.Model):
    """An editor's text that could not be saved yet: kept after an edit conflict (or on a
    page locked meanwhile) until they save or discard it, so a closed tab loses nothing."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wiki_drafts"
    )
    body = models.TextField()
    summary = models.CharField(max_length=SUMMARY_MAX_CHARS, blank=True)
    # The revision the text was written from: the base of the next merge.
    base_revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "user"], name="wiki_draft_once")]


def attachment_path(attachment, filename):
    return f"wiki/{attachment.group_id}/{timezone.now():%Y/%m}/{filename}"


class Attachment(models.Model):
    """An image uploaded for a group's wiki; pages show it with ![…](url).

    Kept in private storage and served by a view that checks the reader may see the
    group's content: a closed group's images are not for whoever guesses their address.
    An image is held with the edit that brings it: others see it once a published revision
    by its uploader shows it, and a rejected edit takes its unpublished images with it
    (`services.images`).
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="wiki_attachments")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.ImageField(
        upload_to=attachment_path,
        width_field="width",
        height_field="height",
        max_length=300,
        storage=private_storage,
    )
    thumbnail = models.ImageField(
        upload_to=attachment_path, blank=True, max_length=300, storage=private_storage
    )
    name = models.CharField(max_length=100)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When a published revision by its uploader first showed it. Until then (an image sent
    # with the edit form, in an edit held for review or not saved yet) it is served to its
    # uploader and the group's moderators only: `rules.can_see_image`.
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("wiki:image", args=[self.group.slug, self.pk, self.name])

    def get_thumbnail_url(self):
        return reverse("wiki:image_thumbnail", args=[self.group.slug, self.pk])
