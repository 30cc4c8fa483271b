from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundMessage(models.Model):
    """A message accepted by the mail listener, stored raw before the SMTP 250 reply.

    Processing (posting, bounces, refusals) happens in a job, so a crash after the reply
    loses nothing: the row is there to process again.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSED = "processed", _("Processed")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Failed")

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    mail_from = models.CharField(max_length=512, blank=True)
    recipients = models.JSONField(default=list)
    message_id = models.CharField(max_length=998, blank=True, db_index=True)
    raw = models.BinaryField()
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.message_id or self.pk} from {self.mail_from}"


from .models_outbound import *  # noqa: E402, F403
