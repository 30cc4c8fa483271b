"""The mailing list, outbound: who gets what by email, and every email waiting to be sent.

- `ListSubscription`: a member's delivery choice for one group (every post, daily or weekly
  digest, only their threads and mentions, nothing). No row means the default, a daily
  digest; rows are made when a member chooses, and for every member at digest time.
- `MailPart`: content rendered once and shared by many emails (a post in one language, a
  digest for every member who has the same threads new). Per-recipient values (reply
  address, links) are markers in it, filled in when the email is sent.
- `OutboundEmail`: one email to one recipient, stored before anything is sent, sent by the
  worker with retries. List mail (posts, digests, wiki notices) is built at sending from a
  shared part; every other email the instance sends (account mail, notices, event mail,
  refusals) arrives through the queue backend (`outbound/outbox.py`) as a message already built.
  See docs/mailing-list.md for the delivery guarantee.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from goingsolo.discussions.models import Post, Thread
from goingsolo.groups.models import Group


class Delivery(models.TextChoices):
    EVERY = "every", _("Every post (mailing-list mode)")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest")
    MINE = "mine", _("Only my threads and mentions")
    NONE = "none", pgettext_lazy("email delivery", "Nothing")


DEFAULT_DELIVERY = Delivery.DAILY


class ListSubscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="list_subscriptions"
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    delivery = models.CharField(
        _("email delivery"), max_length=8, choices=Delivery.choices, default=DEFAULT_DELIVERY
    )
    # When the choice last changed: a digest never reaches back past it, so a member who
    # leaves mailing-list mode for digests does not get again what was already mailed.
    changed_at = models.DateTimeField(default=timezone.now)
    # The end of the window of the last digest queued; the next starts there.
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("email delivery choice")
        verbose_name_plural = _("email delivery choices")
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="one_list_subscription")
        ]
        indexes = [models.Index(fields=["group", "delivery"], name="list_subscription_delivery")]

    def __str__(self):
        return f"{self.user_id} in {self.group_id}: {self.delivery}"


class MailPart(models.Model):
    """Subject, text and HTML rendered once in one language, shared by many emails."""

    key = models.CharField(max_length=200, unique=True)
    language = models.CharField(max_length=8)
    from_name = models.CharField(max_length=300)
    subject = models.TextField()
    text = models.TextField()
    html = models.TextField()
    # Message headers the part fixes for all its emails: Date, In-Reply-To, References.
    headers = models.JSONField(default=dict)
    # Per-recipient values appear as "gs<nonce>x<name>"; the nonce is unguessable, so text
    # written in a post can never be mistaken for one.
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.key


class OutboundEmail(models.Model):
    class Kind(models.TextChoices):
        POST = "post", pgettext_lazy("email kind", "Post")
        ANNOUNCEMENT = "announcement", pgettext_lazy("email kind", "Announcement")
        DIGEST_DAILY = "digest_daily", pgettext_lazy("email kind", "Daily digest")
        DIGEST_WEEKLY = "digest_weekly", pgettext_lazy("email kind", "Weekly digest")
        NOTICE = "notice", pgettext_lazy("email kind", "Notice")
        ACCOUNT = "account", pgettext_lazy("email kind", "Account and security")
        EVENT = "event", pgettext_lazy("email kind", "Event")
        REFUSAL = "refusal", pgettext_lazy("email kind", "Refusal of a received message")

    class Priority(models.IntegerChoices):
        """Higher goes first. Security mail (a login code, a password reset) is waited for by
        someone at a screen; one-to-one mail comes before the list's bulk."""

        LIST = 0, pgettext_lazy("email priority", "List")
        PERSONAL = 1, pgettext_lazy("email priority", "Personal")
        SECURITY = 2, pgettext_lazy("email priority", "Security")

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("email status", "Queued")
        SENDING = "sending", pgettext_lazy("email status", "Sending")
        SENT = "sent", pgettext_lazy("email status", "Sent")
        FAILED = "failed", pgettext_lazy("email status", "Failed")
        CANCELLED = "cancelled", pgettext_lazy("email status", "Cancelled")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    priority = models.SmallIntegerField(choices=Priority.choices, default=Priority.LIST)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # One email per (kind, recipient, object): queueing the same thing twice adds nothing.
    # A message built elsewhere is keyed by what queued it (its job, see outbox.py).
    idempotency_key = models.CharField(max_length=200, unique=True)
    # The member it is for: always for list mail; for a message built elsewhere, the member
    # whose address it goes to, if any (an invitation goes to an address with no account).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The envelope recipient. List mail: filled in at sending (the member's address of the
    # moment); a message built elsewhere: the address it was built for, from the start.
    to_address = models.CharField(max_length=320, blank=True)
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # List mail: the shared content, built into a message at sending (compose.py).
    part = models.ForeignKey(
        MailPart, null=True, blank=True, on_delete=models.PROTECT, related_name="emails"
    )
    # Any other email: the message itself, CRLF line endings, unsigned (DKIM signs at
    # sending). The same bytes go out on every attempt, so a retry is the same message.
    raw_message = models.BinaryField(null=True, blank=True)
    message_id = models.CharField(max_length=998)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # The lease: a worker owns a row in "sending" while claim is its token and claimed_at is
    # recent; a row whose lease expired is queued again (docs/mailing-list.md).
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # True from just before the SMTP transaction until its outcome is recorded: after a
    # crash, only such a row may have reached the server.
    in_flight = models.BooleanField(default=False)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbound_due"),
            models.Index(
                fields=["status", "-priority", "next_attempt_at"], name="outbound_due_priority"
            ),
            models.Index(fields=["status", "claimed_at"], name="outbound_lease"),
        ]
        constraints = [
            # A list email is built from its part for its member; any other email is stored
            # whole, with the address it goes to.
            models.CheckConstraint(
                condition=models.Q(part__isnull=False, recipient__isnull=False)
                | (
                    models.Q(part__isnull=True, raw_message__isnull=False)
                    & ~models.Q(to_address="")
                ),
                name="outbound_has_content",
            )
        ]

    def __str__(self):
        return f"{self.kind} to {self.recipient_id or self.to_address} ({self.status})"

    @property
    def user(self):
        """The member it was for (what bounce handling reads), or None."""
        return self.recipient

    @property
    def is_prebuilt(self):
        """A message built elsewhere and stored whole, rather than list mail built here."""
        return self.part_id is None
