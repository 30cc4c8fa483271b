"""Members and their profiles.

The profile lives on the user row: every page that shows a member needs it, so one row
saves a join on every list.
"""

import re
import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from goingsolo.core import time_zones
from goingsolo.core.models import NameField
from goingsolo.core.voice import language_name

# Languages a member may say they speak, by ISO code. Names: `language_name` (core.voice),
# translated by Django's catalogues (`get_language_info` leaves "Norwegian Bokmal" in English).
SPOKEN_LANGUAGE_CODES = [
    "en",
    "fr",
    "de",
    "it",
    "es",
    "pt",
    "nl",
    "ca",
    "pl",
    "sv",
    "da",
    "nb",
    "fi",
    "cs",
    "ro",
    "el",
    "tr",
    "ru",
    "uk",
    "ar",
    "he",
    "hi",
    "ja",
    "ko",
    "zh-hans",
    "vi",
    "id",
]


def validate_spoken_languages(value):
    if not isinstance(value, list) or any(code not in SPOKEN_LANGUAGE_CODES for code in value):
        raise ValidationError(_("Choose languages from the list."))


HANDLE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{1,38}[A-Za-z0-9_]$"


def validate_handle(value):
    if not re.match(HANDLE_PATTERN, value):
        raise ValidationError(
            _(
                "A handle has 3 to 40 letters, digits, dots, hyphens or underscores, and starts with a letter or digit."
            )
        )


def handle_from(text):
    """A handle made from a name: "Marie-Ève Dupont" gives "marie-eve.dupont"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    handle = re.sub(r"[^A-Za-z0-9._-]+", ".", ascii_text.strip().lower()).strip(".-_")
    return (handle or "member")[:36].rstrip(".-")


# The address a deleted account keeps ("former-<id>@deleted.invalid"): .invalid is
# reserved (RFC 2606), so nothing is ever sent there, and it frees the member's own.
FORMER_MEMBER_DOMAIN = "@deleted.invalid"


def avatar_path(user, filename):
    return f"avatars/{user.pk}/{filename}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)

    display_name = NameField(_("display name"), max_length=80, blank=True)
    # What others type after @ to mention this member; made from the name when empty.
    handle = models.CharField(
        _("handle"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_handle],
        help_text=_(
            "Others mention you with @handle. Letters, digits, dots, hyphens and underscores."
        ),
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True, db_index=True)
    country = CountryField(_("country"), blank=True, db_index=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[time_zones.validate_time_zone]
    )
    spoken_languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, validators=[validate_spoken_languages]
    )
    # Languages of posts the member reads; empty means all. The home feed shows these by
    # default, and posts in others offer a translation where the site has a service.
    read_languages = models.JSONField(_("languages I read"), default=list, blank=True)
    language = models.CharField(
        _("interface language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty to follow your browser."),
    )
    website = models.URLField(_("website"), blank=True)
    skills = models.CharField(
        _("skills and services"),
        max_length=300,
        blank=True,
        help_text=_("Separate them with commas, for example: design, copywriting, accounting."),
    )
    open_to_work = models.BooleanField(_("open to work"), default=False)
    avatar = models.ImageField(_("avatar"), upload_to=avatar_path, blank=True)
    # Part of every signed link emailed to the member that is not a session (cancel a
    # seat, reply, unsubscribe): "reset my private links" draws a new one and every link
    # signed with the old one stops working. Empty until the first reset, so links signed
    # before it existed keep working until then.
    private_links_key = models.CharField(max_length=32, blank=True, default="")
    # When the member deleted their account: the row stays, emptied, as "former member"
    # (the author of the posts they chose to keep); nobody can sign in to it.
    deleted_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        if not self.handle:
            self.handle = self._free_handle(
                handle_from(self.display_name or self.email.split("@")[0])
            )
        super().save(*args, **kwargs)

    def _free_handle(self, base):
        if len(base) < 3:
            base = f"{base}-member"
        taken = set(
            User.objects.filter(handle__istartswith=base)
            .exclude(pk=self.pk)
            .values_list("handle", flat=True)
        )
        taken = {handle.lower() for handle in taken}
        candidate, number = base, 1
        while candidate.lower() in taken:
            number += 1
            candidate = f"{base}{number}"
        return candidate

    def get_absolute_url(self):
        return reverse("groups:member_profile", args=[self.pk])

    @property
    def name(self):
        """What other members see: the display name, else the part of the email before @;
        "Former member", in the reader's language, once the account is deleted."""
        if self.is_former_member:
            return gettext("Former member")
        return self.display_name or self.email.split("@")[0]

    @property
    def is_former_member(self):
        """Whether the account was deleted. Told by the address it was given then, not by
        `deleted_at`: lists load members with only their name's fields (`.only()`), and
        reading a field left out would cost a query per member."""
        return self.email.endswith(FORMER_MEMBER_DOMAIN)

    @property
    def time_zone_name(self):
        """The member's zone as the site offers it: an old name shows as the zone it
        stands for ("US/Pacific" as "America/Los_Angeles")."""
        return time_zones.canonical_name(self.time_zone) or self.time_zone

    @property
    def spoken_language_names(self):
        return [language_name(code) for code in self.spoken_languages]

    @property
    def skill_list(self):
        return [skill.strip() for skill in self.skills.split(",") if skill.strip()]

    @property
    def preferred_language(self):
        """The language emails to this member are written in."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def initials(self):
        parts = self.name.split()
        return "".join(part[0] for part in parts[:2]).upper() or "?"


class Notification(models.Model):
    """An in-app notification. Feature-agnostic: what happened, who did it, where to look.

    Notifications with the same `key` (say, reactions to one post) are grouped: a new one
    updates the unread row, adding its actor, instead of adding a row.
    """

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply in your thread")
        MENTION = "mention", _("Mention")
        FOLLOWED = "followed", _("Reply in a thread you follow")
        REACTION = "reaction", _("Reaction")
        ANNOUNCEMENT = "announcement", _("Announcement")
        EVENT_CHANGED = "event_changed", _("New time or place of an event")
        EVENT_CANCELLED = "event_cancelled", _("Event cancelled")
        EVENT_REINSTATED = "event_reinstated", _("Event back on")
        OTHER = "other", _("Other")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=100, db_index=True)
    # The group the content lives in, so a member who leaves it stops seeing its notifications.
    group_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_names = models.JSONField(default=list)
    actor_count = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=300)
    excerpt = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}: {self.title}"


class PushSubscription(models.Model):
    """A device (a browser's service worker) that receives the member's notifications by
    Web Push: where to post them and the keys to encrypt them with, as the browser gave
    them (`PushSubscription.toJSON()`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    # The push service's address for this device; it is the device's identity, so the same
    # browser subscribing again (or for another account) takes the row over.
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=50)
    # Browser and system, from the User-Agent: names that read the same in every language.
    label = models.CharField(_("device"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    last_success_at = models.DateTimeField(_("last delivered"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)

    class Meta:
        verbose_name = _("device for notifications")
        verbose_name_plural = _("devices for notifications")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.label or 'device'} of {self.user_id}"

    def as_subscription_info(self):
        """What pywebpush takes: the subscription as the browser described it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
