import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from goingsolo.core.models import NameField


class Visibility(models.TextChoices):
    PUBLIC = "public", pgettext_lazy("group visibility", "Public")
    CLOSED = "closed", pgettext_lazy("group visibility", "Closed")
    SECRET = "secret", pgettext_lazy("group visibility", "Secret")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Anyone can join")
    APPROVAL = "approval", _("By approval")
    INVITATION = "invitation", _("By invitation only")


class Role(models.TextChoices):
    # Ordered from least to most power; rules compare positions in ROLE_ORDER.
    MEMBER = "member", pgettext_lazy("group role", "Member")
    MODERATOR = "moderator", pgettext_lazy("group role", "Moderator")
    ADMIN = "admin", pgettext_lazy("group role", "Admin")
    OWNER = "owner", pgettext_lazy("group role", "Owner")


ROLE_ORDER = [Role.MEMBER, Role.MODERATOR, Role.ADMIN, Role.OWNER]


class Group(models.Model):
    name = NameField(_("name"), max_length=100)
    slug = models.SlugField(
        _("address"),
        max_length=50,
        unique=True,
        help_text=_("Lower-case letters, digits and hyphens; used in web and email addresses."),
    )
    description_en = models.TextField(_("description in English"), blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.CLOSED
    )
    join_policy = models.CharField(
        _("how people join"), max_length=12, choices=JoinPolicy.choices, default=JoinPolicy.APPROVAL
    )
    rules = models.TextField(
        _("rules"), blank=True, help_text=_("Members accept these when they join.")
    )
    join_questions = models.JSONField(_("questions for applicants"), default=list, blank=True)
    # Features read it through groups.trust: a post by a member whose level may not post
    # without approval waits for a moderator (docs/moderation.md, "Held posts").
    holds_new_members_posts = models.BooleanField(
        _("hold new members’ posts for approval"),
        default=False,
        help_text=_(
            "Posts by members who just joined wait for a moderator before others see them."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Kept on the row so the group list shows it without counting memberships.
    member_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:detail", args=[self.slug])

    @property
    def description(self):
        """The description in the active language, else the other one."""
        first, second = (
            (self.description_fr, self.description_en)
            if translation.get_language() == "fr"
            else (self.description_en, self.description_fr)
        )
        return first or second

    @property
    def is_secret(self):
        return self.visibility == Visibility.SECRET

    @property
    def card_key(self):
        """Everything a group's card shows (`groups/_group_summary.html`): the key of its
        fragment (core/fragments.py); the language is in every key already."""
        return (self.slug, self.name, self.visibility, self.member_count, self.description)


class NotificationLevel(models.TextChoices):
    ALL = "all", _("Everything")
    MINE = "mine", _("My threads and mentions")
    NONE = "none", _("Nothing")


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    rules_accepted_at = models.DateTimeField(null=True, blank=True)
    # What the member hears about from this group: in the app now, by email with the mail
    # delivery choice. Following or muting a thread overrides it for that thread.
    notification_level = models.CharField(
        _("notifications"),
        max_length=8,
        choices=NotificationLevel.choices,
        default=NotificationLevel.MINE,
    )
    # Cheap derived state for the trust level (trust.py): contributions that stand (an edit
    # published or approved, a post not removed) and how many of them a moderator approved.
    # Features increment them with trust.record_contribution().
    accepted_contributions = models.PositiveIntegerField(_("accepted contributions"), default=0)
    approvals = models.PositiveIntegerField(_("approved by a moderator"), default=0)
    # Sanctions a moderator gave (moderation.sanctions writes them; rules.py reads them).
    # Each ends by itself: the rules compare the time with now, no job clears them.
    silenced_until = models.DateTimeField(_("silenced until"), null=True, blank=True)
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group")
        ]
        indexes = [models.Index(fields=["user", "group"])]

    def __str__(self):
        return f"{self.user} in {self.group} ({self.role})"

    def has_role(self, role):
        return ROLE_ORDER.index(self.role) >= ROLE_ORDER.index(role)

    @property
    def is_silenced(self):
        return self.silenced_until is not None and self.silenced_until > timezone.now()

    @property
    def is_suspended(self):
        return self.suspended_until is not None and self.suspended_until > timezone.now()

    @property
    def restricted_until(self):
        """When the member may take part again (a silence or a suspension in force: the
        later end of the two), or None when they may now."""
        now = timezone.now()
        ends = [end for end in (self.silenced_until, self.suspended_until) if end and end > now]
        return max(ends, default=None)


def not_suspended_q(prefix=""):
    """A Q for memberships whose member is not suspended now (PREFIX: the path to the
    membership, e.g. "memberships__"): who gets a group's email and reads its pages."""
    return Q(**{f"{prefix}suspended_until__isnull": True}) | Q(
        **{f"{prefix}suspended_until__lte": timezone.now()}
    )


class Ban(models.Model):
    """Someone a group's admins removed and who may not join again until an admin lifts
    the ban (docs/moderation.md). Kept apart from Membership, which the ban deletes; the
    moderation log keeps who banned and lifted, and why."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="bans")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("why"), blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_ban_per_group")]

    def __str__(self):
        return f"{self.user} banned from {self.group}"


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("join request", "Pending")
        APPROVED = "approved", pgettext_lazy("join request", "Approved")
        REFUSED = "refused", pgettext_lazy("join request", "Refused")
        WITHDRAWN = "withdrawn", pgettext_lazy("join request", "Withdrawn")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    # [{"question": "...", "answer": "..."}], the questions as they were asked.
    answers = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    refusal_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_request_per_group",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.group} ({self.status})"


def invitation_token():
    return secrets.token_urlsafe(24)


def invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    token = models.CharField(max_length=64, unique=True, default=invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=invitation_expiry)
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A forwarded link then lets in only whoever owns the invited address.
    only_invited_address = models.BooleanField(_("only for this address"), default=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.group}"

    def get_absolute_url(self):
        return reverse("groups:invitation", args=[self.token])

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self):
        return self.used_at is None and not self.is_expired

    def admits(self, user):
        """Whether USER may use this invitation: anyone with the link, unless it is only for
        the invited address, which must then be USER's login or one of their verified
        addresses."""
        if not self.only_invited_address:
            return True
        if user.email.lower() == self.email.lower():
            return True
        return EmailAddress.objects.filter(
            user=user, email__iexact=self.email, verified=True
        ).exists()
