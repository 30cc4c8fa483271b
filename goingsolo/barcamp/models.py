"""A barcamp: an event of kind "barcamp" with rooms and time slots, the sessions its
participants propose, who wants to attend which, and the grid that places sessions in
(room, slot) cells.

The grid is `Placement` rows: a session's cell, whether the organiser locked it there, and
whether it has been shown to everyone (published). `Barcamp` holds what the event's grid
as a whole needs (when it was published, the last re-plan's moves, the recap page).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from goingsolo.core.models import NameField
from goingsolo.events.models import Event, Talk
from goingsolo.wiki.models import Page

TITLE_MAX_CHARS = 120
DESCRIPTION_MAX_CHARS = 600


class Barcamp(models.Model):
    """The grid state of a barcamp event, made on first need (`services.barcamp_of`)."""

    event = models.OneToOneField(
        Event, primary_key=True, on_delete=models.CASCADE, related_name="barcamp"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    # How many published sessions the last re-plan moved: the organiser is told.
    last_moved = models.PositiveIntegerField(default=0)
    recap_page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"barcamp of {self.event_id}"

    @property
    def is_published(self):
        return self.published_at is not None


class Room(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="barcamp_rooms")
    name = NameField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"))

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        # Largest first: the grid's columns, and the order sessions fill a slot.
        ordering = ["-capacity", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="barcamp_one_room_name")
        ]

    def __str__(self):
        return self.name


class Slot(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="barcamp_slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="barcamp_one_slot_start")
        ]

    def __str__(self):
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def has_started(self, now=None):
        return self.starts_at <= (now or timezone.now())


class SessionKind(models.TextChoices):
    TALK = "talk", pgettext_lazy("barcamp session kind", "Talk")
    DISCUSSION = "discussion", pgettext_lazy("barcamp session kind", "Discussion")
    WORKSHOP = "workshop", pgettext_lazy("barcamp session kind", "Workshop")


class Session(models.Model):
    """A session proposed by participants, who facilitate it themselves."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="barcamp_sessions")
    title = NameField(_("title"), max_length=TITLE_MAX_CHARS)
    description = models.TextField(_("short description"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    kind = models.CharField(_("kind"), max_length=12, choices=SessionKind.choices)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="barcamp_sessions_facilitated"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Made when the grid is published: the session's notes in the group's wiki.
    notes_page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The session as the event's agenda shows it while it is in the published grid.
    talk = models.OneToOneField(
        Talk, null=True, blank=True, on_delete=models.SET_NULL, related_name="barcamp_session"
    )
    # Cheap derived state, kept by `wish_toggle`: lists sort and show it without counting.
    wish_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("barcamp:session", args=[self.event.group.slug, self.event_id, self.pk])


class Wish(models.Model):
    """A participant wants to attend a session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="wishes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="barcamp_wishes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="barcamp_one_wish")]

    def __str__(self):
        return f"{self.user_id} → {self.session_id}"


class Unavailability(models.Model):
    """A facilitator cannot make a slot: none of their sessions goes there."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="unavailabilities")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="barcamp_unavailable"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slot", "user"], name="barcamp_one_unavailability")
        ]

    def __str__(self):
        return f"{self.user_id} ✗ {self.slot_id}"


class Placement(models.Model):
    """A session's cell in the grid."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="placement")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="placements")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="placements")
    # The organiser fixed it there: generating and re-planning leave it.
    locked = models.BooleanField(_("locked"), default=False)
    # Everyone has seen it there (the grid was published with it).
    published = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "slot"], name="barcamp_one_session_per_cell")
        ]

    def __str__(self):
        return f"{self.session_id} @ {self.room_id}/{self.slot_id}"
