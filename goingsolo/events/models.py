"""Events of a group, who registers, the conference agenda and the interest checks.

Times are stored in UTC with the event's own time zone beside them, so an event is shown
in its zone and in each viewer's. Counters of registrations are kept on the event row
(cheap derived state, written under the event's lock by the services) so lists never count.

One module, longer than one sitting: Django looks for an app's models here and the
migrations name them here; each model reads on its own (fields, then the derived state
templates use, such as `Event.place_line` and `Registration.holds_place`).
"""

import secrets
import zoneinfo
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from goingsolo.core.models import NameField
from goingsolo.core.storage import private_storage
from goingsolo.core.time_zones import validate_time_zone
from goingsolo.discussions.models import Thread
from goingsolo.groups.models import Group

from . import recordings


def _in_language(english, french):
    """The text in the active language, else the other one."""
    if translation.get_language() == "fr":
        return french or english
    return english or french


def _nth(items, index):
    return items[index] if index < len(items) else ""


class EventKind(models.TextChoices):
    CONFERENCE = "conference", pgettext_lazy("event kind", "Conference")
    MEETUP = "meetup", pgettext_lazy("event kind", "Meetup")
    BARCAMP = "barcamp", pgettext_lazy("event kind", "Barcamp")
    ONLINE = "online", pgettext_lazy("event kind", "Online event")


# What an organiser writes: the event form's fields, what `services.event_create` takes and
# `services.event_update` compares.
EVENT_FIELDS = (
    "kind",
    "title_en",
    "title_fr",
    "description_en",
    "description_fr",
    "starts_at",
    "ends_at",
    "time_zone",
    "venue_name",
    "address",
    "city",
    "country",
    "map_url",
    "online_url",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "questions_en",
    "questions_fr",
)


class LiveEventManager(models.Manager):
    """Events that are not deleted: what every page, list, feed and search sees."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Event(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="events")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    title_en = NameField(_("title in English"), max_length=200, blank=True)
    title_fr = NameField(_("title in French"), max_length=200, blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"), db_index=True)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    venue_name = NameField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # The city and country of the venue: the reach view compares them with members' cities.
    city = models.CharField(_("city"), max_length=100, blank=True, db_index=True)
    country = CountryField(_("country"), blank=True)
    map_url = models.URLField(_("map link"), blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    # Like the title: in English and/or French, paired line by line (question 2 in English
    # is question 2 in French); a list left empty takes the other's questions.
    questions_en = models.JSONField(
        _("questions asked at registration, in English"), default=list, blank=True
    )
    questions_fr = models.JSONField(
        _("questions asked at registration, in French"), default=list, blank=True
    )
    announcement_thread = models.OneToOneField(
        Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="event"
    )
    going_count = models.PositiveIntegerField(default=0)
    waitlist_count = models.PositiveIntegerField(default=0)
    interested_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Bumped at each change of the times or place, for calendar applications (SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    # A cancelled event stays visible, closed to registration, its registrations kept as
    # they were so that reinstating it finds them again.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancellation_message = models.TextField(_("message to the people registered"), blank=True)
    # Deleting is soft, as for discussions: the row, its registrations and messages stay,
    # and nothing shows it (`objects` leaves it out).
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LiveEventManager()
    # Deleted events too: for the services that delete and for what refers to an event
    # by id (a cancel link, an interest check) and must say it is gone.
    all_objects = models.Manager()  # noqa: DJ012 (ruff takes a plain Manager for a field)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["group", "starts_at"], name="event_group_start")]

    def __str__(self):
        return self.title_en or self.title_fr

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.group.slug, self.pk])

    @property
    def title(self):
        return _in_language(self.title_en, self.title_fr)

    @property
    def description(self):
        return _in_language(self.description_en, self.description_fr)

    @property
    def questions(self):
        """The questions asked at registration, each in the reader's language, else in
        the other one."""
        count = max(len(self.questions_en), len(self.questions_fr))
        return [
            _in_language(_nth(self.questions_en, index), _nth(self.questions_fr, index))
            for index in range(count)
        ]

    def answers_by_position(self, answers):
        """{question's position: answer} of a registration's ANSWERS. An answer names its
        question as it was asked, in the language of the person who answered; a question
        changed since then has lost its answers."""
        positions = {}
        for questions in (self.questions_en, self.questions_fr):
            for index, question in enumerate(questions):
                positions.setdefault(question, index)
        return {
            positions[item["question"]]: item.get("answer", "")
            for item in answers
            if item.get("question") in positions
        }

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def place_line(self):
        """The venue, address and city in one line ("La Forge, Rue de Genève 17,
        Lausanne"), "" for none: what the page, the emails, the announcement thread and
        calendars say of where it happens."""
        return ", ".join(part for part in (self.venue_name, self.address, self.city) if part)

    @property
    def is_online(self):
        return self.kind == EventKind.ONLINE

    @property
    def has_agenda(self):
        """Conferences and barcamps have talks: everyone sees their agenda."""
        return self.kind in (EventKind.CONFERENCE, EventKind.BARCAMP)

    @property
    def is_past(self):
        return self.ends_at <= timezone.now()

    @property
    def has_started(self):
        return self.starts_at <= timezone.now()

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def registration_closes(self):
        """When registration closes: the given time, else the start of the event."""
        return self.registration_closes_at or self.starts_at

    @property
    def registration_is_open(self):
        if self.is_cancelled:
            return False
        now = timezone.now()
        opened = self.registration_opens_at is None or self.registration_opens_at <= now
        return opened and now < self.registration_closes

    @property
    def registration_not_open_yet(self):
        return (
            self.registration_opens_at is not None and timezone.now() < self.registration_opens_at
        )

    @property
    def seats_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.going_count, 0)

    @property
    def is_full(self):
        return self.capacity is not None and self.going_count >= self.capacity

    @property
    def osm_url(self):
        """An OpenStreetMap link for the venue: the one given, else a search for the address."""
        if self.map_url:
            return self.map_url
        query = ", ".join(part for part in (self.address, self.city) if part)
        if not query:
            return ""
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})


class RegistrationStatus(models.TextChoices):
    GOING = "going", pgettext_lazy("registration", "Going")
    WAITLISTED = "waitlisted", pgettext_lazy("registration", "On the waiting list")
    INTERESTED = "interested", pgettext_lazy("registration", "Interested")
    NOT_GOING = "not_going", pgettext_lazy("registration", "Not going")


class Registration(models.Model):
    class Source(models.TextChoices):
        WEB = "web", pgettext_lazy("registered via", "Web")
        EMAIL = "email", pgettext_lazy("registered via", "Email")
        INTEREST_CHECK = "check", pgettext_lazy("registered via", "Interest check")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(max_length=12, choices=RegistrationStatus.choices)
    # [{"question": "...", "answer": "..."}], the questions as they were asked, in the
    # language of the person who answered (`Event.answers_by_position` lines them up).
    answers = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.WEB)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Order of the waiting list: first waitlisted, first to get a freed seat.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_event")
        ]
        indexes = [
            models.Index(fields=["event", "status", "waitlisted_at"], name="registration_queue"),
            models.Index(fields=["user", "status"], name="registration_user"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.event_id} ({self.status})"

    @property
    def has_seat(self):
        return self.status == RegistrationStatus.GOING

    @property
    def is_waiting(self):
        return self.status == RegistrationStatus.WAITLISTED

    @property
    def holds_place(self):
        """A seat or a place on the waiting list: what the member can give up."""
        return self.status in (RegistrationStatus.GOING, RegistrationStatus.WAITLISTED)

    @property
    def is_interested(self):
        return self.status == RegistrationStatus.INTERESTED

    @property
    def is_not_going(self):
        return self.status == RegistrationStatus.NOT_GOING

    @property
    def is_from_web(self):
        return self.source == self.Source.WEB


def calendar_token():
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret address of a member's personal calendar; a new token revokes the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_calendar"
    )
    token = models.CharField(max_length=64, unique=True, default=calendar_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"calendar of {self.user_id}"

    def get_absolute_url(self):
        return reverse("events:personal_feed", args=[self.token])


class EventMessage(models.Model):
    """A message an organiser sent to the attendees: kept, so nothing sent is lost."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="messages")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    recipient_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return self.subject


class Speaker(models.Model):
    """Someone who speaks at an event: a member, or a guest with a name and a bio."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speaker_roles",
    )
    name = NameField(_("name"), max_length=120)
    bio = models.TextField(_("bio"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:speaker", args=[self.event.group.slug, self.event_id, self.pk])


def slides_path(talk, filename):
    # Kept in the private storage (no public address) and served through a view that
    # checks the group's rules; a random folder keeps names of different talks apart.
    return f"events/slides/{secrets.token_urlsafe(12)}/{filename}"


class Talk(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="talks")
    title = NameField(_("title"), max_length=200)
    abstract = models.TextField(_("abstract"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="talks")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    recording_url = models.URLField(_("recording"), blank=True)
    # Derived from recording_url by the services (recordings.parse_recording).
    recording_provider = models.CharField(max_length=10, blank=True)
    recording_embed_url = models.URLField(blank=True)
    slides_url = models.URLField(_("slides link"), blank=True)
    slides_file = models.FileField(
        _("slides file"), upload_to=slides_path, blank=True, max_length=300, storage=private_storage
    )

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["starts_at", "room", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:agenda", args=[self.event.group.slug, self.event_id]) + (
            f"#talk-{self.pk}"
        )

    @property
    def recording_provider_name(self):
        return recordings.PROVIDER_NAMES.get(self.recording_provider, "")

    @property
    def has_slides(self):
        return bool(self.slides_url or self.slides_file)


class InterestCheck(models.Model):
    """ "Would you come?": members say whether they would come to an event before it is set."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("interest check", "Open")
        CLOSED = "closed", pgettext_lazy("interest check", "Closed")
        CONVERTED = "converted", pgettext_lazy("interest check", "Became an event")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="interest_checks")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind of event"), max_length=12, choices=EventKind.choices)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"), blank=True)
    window_start = models.DateField(_("from"))
    window_end = models.DateField(_("until"))
    threshold = models.PositiveIntegerField(_("we go ahead at"))
    note = models.TextField(_("what you have in mind"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    yes_count = models.PositiveIntegerField(default=0)
    maybe_count = models.PositiveIntegerField(default=0)
    no_count = models.PositiveIntegerField(default=0)
    # Set once, when the yes answers first reach the threshold: people are told once.
    threshold_reached_at = models.DateTimeField(null=True, blank=True)
    event = models.OneToOneField(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="interest_check"
    )
    # How many had said yes when the check became the event (they were pre-registered).
    converted_yes_count = models.PositiveIntegerField(default=0)
    # The thread that asks the group, as an event's announcement does: it reaches members
    # by their delivery choices (mailing list, digests), and a reply "oui" answers.
    announcement_thread = models.OneToOneField(
        Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="interest_check"
    )
    # Answers are taken until then (empty: until the organiser closes the check); those
    # who have not answered are reminded once before (`reminded_at`, claimed once).
    closes_at = models.DateTimeField(_("answers until"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("interest check")
        verbose_name_plural = _("interest checks")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} in {self.city}"

    def get_absolute_url(self):
        return reverse("events:check", args=[self.group.slug, self.pk])

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_converted(self):
        return self.status == self.Status.CONVERTED

    @property
    def threshold_reached(self):
        return self.yes_count >= self.threshold

    @property
    def progress_percent(self):
        return min(100, round(100 * self.yes_count / self.threshold)) if self.threshold else 100


class InterestAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", pgettext_lazy("would you come", "Yes, I would come")
        MAYBE = "maybe", pgettext_lazy("would you come", "Maybe")
        NO = "no", pgettext_lazy("would you come", "No")

    class Source(models.TextChoices):
        WEB = "web", pgettext_lazy("answered via", "Web")
        EMAIL = "email", pgettext_lazy("answered via", "Email reply")
        LINK = "link", pgettext_lazy("answered via", "Link in an email")

    interest_check = models.ForeignKey(
        InterestCheck, on_delete=models.CASCADE, related_name="answers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interest_answers"
    )
    answer = models.CharField(max_length=8, choices=Answer.choices)
    # Where they would come from; their profile's city when they leave it empty.
    from_city = models.CharField(_("coming from (city)"), max_length=100, blank=True)
    from_country = CountryField(_("country"), blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.WEB)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interest_check", "user"], name="one_answer_per_check")
        ]

    def __str__(self):
        return f"{self.user_id}: {self.answer}"


class MemberPlace(models.Model):
    """Which place a member meant by the city on their profile, when the gazetteer knows
    several of that name (events/reach/gazetteer.py): their profile asked them. It holds
    while the profile says the same city (compared as the gazetteer compares names)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_place"
    )
    city = models.CharField(max_length=100)
    geonameid = models.PositiveIntegerField()
    chosen_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user_id}: {self.city} → {self.geonameid}"
