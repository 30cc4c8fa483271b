"""Flags members raise on what they read, and the audit log of what moderators did.

A flag and a log entry name their target by kind and id (`targets.KINDS`: a post, a wiki
revision, an event, a member's profile) rather than by a generic foreign key: the kinds
are few and fixed, and each row keeps the group it belongs to, so a group's queue and log
are one indexed query.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from goingsolo.groups.models import Group


class TargetKind(models.TextChoices):
    POST = "post", pgettext_lazy("flagged", "Post")
    REVISION = "revision", pgettext_lazy("flagged", "Wiki edit")
    EVENT = "event", pgettext_lazy("flagged", "Event")
    PROFILE = "profile", pgettext_lazy("flagged", "Profile")
    # Decided from the queue and written in the log, never flagged (targets.find has none).
    EMAIL = "email", pgettext_lazy("moderated", "Held email")
    JOIN_REQUEST = "request", pgettext_lazy("moderated", "Request to join")


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", pgettext_lazy("flag reason", "Spam")
        OFF_TOPIC = "off_topic", pgettext_lazy("flag reason", "Off-topic")
        HARASSMENT = "harassment", pgettext_lazy("flag reason", "Harassment")
        OTHER = "other", pgettext_lazy("flag reason", "Other")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("flag", "Open")
        DISMISSED = "dismissed", pgettext_lazy("flag", "Dismissed")
        ACTED_ON = "acted_on", pgettext_lazy("flag", "Acted on")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=TargetKind.choices)
    object_id = models.PositiveBigIntegerField()
    # What the target looked like when flagged (a title, a name), for the queue and the log.
    target_label = models.CharField(max_length=200)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_raised"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "kind", "object_id"], name="one_flag_per_member_and_target"
            )
        ]
        indexes = [models.Index(fields=["group", "status", "created_at"])]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.reason}"


class LogEntry(models.Model):
    """One moderation action: who did what to which target, why and when."""

    class Action(models.TextChoices):
        APPROVE = "approve", pgettext_lazy("moderation action", "Approved")
        REJECT = "reject", pgettext_lazy("moderation action", "Rejected")
        HIDE = "hide", pgettext_lazy("moderation action", "Hidden")
        DISMISS = "dismiss", pgettext_lazy("moderation action", "Flag dismissed")
        WARN = "warn", pgettext_lazy("moderation action", "Warned")
        SILENCE = "silence", pgettext_lazy("moderation action", "Silenced")
        SUSPEND = "suspend", pgettext_lazy("moderation action", "Suspended")
        BAN = "ban", pgettext_lazy("moderation action", "Banned")
        LIFT = "lift", pgettext_lazy("moderation action", "Lifted")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    kind = models.CharField(max_length=10, choices=TargetKind.choices)
    object_id = models.PositiveBigIntegerField()
    target_label = models.CharField(max_length=200)
    # The member the action concerns (the author of what was hidden, the member warned).
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("why"), blank=True, max_length=1000)
    # A silence or a suspension: when it ends. A lift: which sanction it lifted.
    until = models.DateTimeField(null=True, blank=True)
    lifted = models.CharField(max_length=10, blank=True, choices=Action.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        indexes = [models.Index(fields=["group", "-created_at"])]

    def __str__(self):
        return f"{self.action} {self.kind} {self.object_id}"


class QueueAlert(models.Model):
    """When a moderator of a group was last emailed that something waits in its queue, and
    since when something new waits that they were not emailed about.

    At most one such email per group and moderator an hour (`alerts.py`): the first item
    is told at once, what lands within the hour is told by one email when the hour is over.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Set when an item lands within the hour after an email; cleared by the next email.
    pending_since = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_queue_alert_per_moderator")
        ]

    def __str__(self):
        return f"{self.user_id} in {self.group_id}: {self.emailed_at}"
