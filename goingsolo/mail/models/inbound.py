"""The inbound side's rows: messages received, a group's list settings, bounces and
delivery paused after them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from goingsolo.groups.models import Group


class InboundMessage(models.Model):
    """A message accepted by the mail listener, stored raw before the SMTP 250 reply.

    Processing (posting, bounces, refusals) happens in a job, so a crash after the reply
    loses nothing: the row is there to process again. The row stays after processing, with
    what became of it (status, note, the post it made), for the admin. A message whose
    sender was not proven waits ("awaiting") until its author confirms it, by the link or
    by a reply, and is then processed as if proven (docs/mail-inbound.md).
    """

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("inbound message", "Received")
        PROCESSED = "processed", pgettext_lazy("inbound message", "Processed")
        HELD = "held", pgettext_lazy("inbound message", "Held for approval")
        AWAITING = (
            "awaiting",
            pgettext_lazy("inbound message", "Waiting for the sender’s confirmation"),
        )
        IGNORED = "ignored", pgettext_lazy("inbound message", "Ignored")
        REJECTED = "rejected", pgettext_lazy("inbound message", "Rejected")
        FAILED = "failed", pgettext_lazy("inbound message", "Failed")

    class Kind(models.TextChoices):
        UNKNOWN = "", pgettext_lazy("inbound message", "Unknown")
        THREAD = "thread", pgettext_lazy("inbound message", "New thread")
        REPLY = "reply", pgettext_lazy("inbound message", "Reply")
        BOUNCE = "bounce", pgettext_lazy("inbound message", "Bounce")
        CONFIRMATION = "confirm", pgettext_lazy("inbound message", "Confirmation")

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    mail_from = models.CharField(max_length=512, blank=True)
    # The SMTP client, as the listener or the MTA's pipe saw it: what SPF checks.
    client_address = models.CharField(max_length=64, blank=True)
    helo = models.CharField(max_length=255, blank=True)
    recipients = models.JSONField(default=list)
    message_id = models.CharField(max_length=998, blank=True, db_index=True)
    raw = models.BinaryField()
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    note = models.TextField(blank=True)
    # What processing found: filled in by the job.
    kind = models.CharField(max_length=10, choices=Kind.choices, blank=True, default="")
    sender = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    thread = models.ForeignKey(
        "discussions.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        "discussions.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    processed_at = models.DateTimeField(null=True, blank=True)
    # What proved the From address, or why nothing did (goingsolo.mail.inbound.authentication).
    authentication = models.CharField(max_length=1000, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        ordering = ["-received_at"]
        indexes = [
            # The posting rate limit counts a member's recent messages.
            models.Index(fields=["author", "processed_at"], name="inbound_author_recent"),
            # The moderators' page lists a group's held messages.
            models.Index(fields=["group", "status"], name="inbound_group_status"),
        ]

    def __str__(self):
        return f"{self.message_id or self.pk} from {self.mail_from}"


class ListSettings(models.Model):
    """How a group's address behaves; a group without a row has the defaults."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="list_settings")
    hold_new_threads = models.BooleanField(
        _("hold new threads sent by email for approval"),
        default=False,
        help_text=_("A moderator approves each new thread started by email before it appears."),
    )

    class Meta:
        verbose_name = _("mailing list settings")
        verbose_name_plural = _("mailing list settings")

    def __str__(self):
        return str(self.group)


class BounceEvent(models.Model):
    """A delivery failure reported for one of a member's addresses.

    The address's bounce score is computed from these (see goingsolo/mail/bounces.py); a
    resume of delivery sets `counted` to False on the member's events.
    """

    class Kind(models.TextChoices):
        HARD = "hard", pgettext_lazy("bounce", "Permanent failure")
        SOFT = "soft", pgettext_lazy("bounce", "Temporary failure")

    address = models.CharField(max_length=320, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bounce_events",
    )
    kind = models.CharField(max_length=4, choices=Kind.choices)
    status = models.CharField(max_length=16, blank=True)
    diagnostic = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    counted = models.BooleanField(default=True)
    inbound = models.ForeignKey(
        InboundMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bounce")
        verbose_name_plural = _("bounces")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"], name="bounce_user_recent")]

    def __str__(self):
        return f"{self.kind} {self.status} {self.address}"


class DeliveryPause(models.Model):
    """While this row exists, no email is sent to the member (except account emails that
    allauth sends). Created when their bounce score crosses the threshold; removed when
    they resume delivery on the web."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delivery_pause"
    )
    address = models.CharField(max_length=320)
    score = models.FloatField(default=0)
    paused_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("paused email delivery")
        verbose_name_plural = _("paused email deliveries")

    def __str__(self):
        return str(self.user_id)
