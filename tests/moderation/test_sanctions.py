"""Silence, suspend and ban a member of a group, and lift it: from the member's page and
the review queue, the refusals the member meets afterwards, expiry, roles, the audit log
and the emails (docs/moderation.md, "Sanctions")."""

import email
import email.policy
import zoneinfo
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from goingsolo.core.dates import format_when
from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import Post, Thread
from goingsolo.discussions.services import reaction_add
from goingsolo.groups import rules
from goingsolo.groups import services as groups
from goingsolo.groups.models import Ban, Group, Invitation, JoinPolicy, Membership, Role, Visibility
from goingsolo.groups.rules import Action
from goingsolo.mail.models import OutboundEmail
from goingsolo.mail.outbound.queue import list_members
from goingsolo.moderation import sanctions, services
from goingsolo.moderation.models import LogEntry
from goingsolo.wiki import services as wiki
from tests.factories import GroupFactory, member_of
from tests.support import query_counts

pytestmark = pytest.mark.django_db


class World:
    """An open group: an owner, an admin, a moderator, Ann (French) and Bob."""

    def __init__(self):
        self.group = GroupFactory(join_policy=JoinPolicy.OPEN)
        self.owner = member_of(self.group, Role.OWNER)
        self.admin = member_of(self.group, Role.ADMIN, language="fr")
        self.moderator = member_of(self.group, Role.MODERATOR)
        self.ann = member_of(self.group, language="fr", display_name="Ann Author")
        self.bob = member_of(self.group, display_name="Bob Reader")
        self.thread = discussions.thread_start(
            group=self.group, author=self.bob, title="Rates", body="What do you charge?"
        ).post.thread

    def client(self, user):
        client = Client()
        client.force_login(user)
        return client

    def member_url(self, user, control=None):
        if control:
            return reverse("moderation:member_act", args=[self.group.slug, user.pk, control])
        return reverse("moderation:member", args=[self.group.slug, user.pk])

    def membership(self, user):
        return Membership.objects.get(group=self.group, user=user)


@pytest.fixture
def world():
    return World()


def silence(world, member=None, days=7, by=None, action=sanctions.member_silence):
    return action(
        group=world.group,
        member=member or world.ann,
        by=by or world.moderator,
        until=timezone.now() + timedelta(days=days),
        reason="Calm down",
    )


def end_of(membership):
    return membership.restricted_until


def as_member_reads(user, value):
    """VALUE written as USER's pages and emails write it: their language, their zone."""
    with translation.override(user.language):
        return format_when(value, "datetime", zone=user.time_zone)


def last_email_to(user):
    raw = OutboundEmail.objects.filter(recipient=user).latest("pk").raw_message
    return email.message_from_bytes(bytes(raw), policy=email.policy.default)


# --- Silence ---------------------------------------------------------------------------


def test_a_moderator_silences_a_member_for_a_week_from_their_page_and_it_is_logged_and_told(
    world, django_capture_on_commit_callbacks
):
    client = world.client(world.moderator)
    page = client.get(world.member_url(world.ann)).content.decode()
    assert world.member_url(world.ann, "silence") in page
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            world.member_url(world.ann, "silence"),
            {"silence-duration": "week", "silence-reason": "Trop de messages agressifs"},
        )
    assert response.status_code == 302
    until = world.membership(world.ann).silenced_until
    assert before + timedelta(days=7) <= until <= timezone.now() + timedelta(days=7)
    entry = LogEntry.objects.get(action="silence")
    assert (entry.moderator, entry.member, entry.until) == (world.moderator, world.ann, until)
    assert entry.reason == "Trop de messages agressifs"
    # Told in French, with the end in her time zone.
    message = last_email_to(world.ann)
    text = message.get_body(("plain",)).get_content()
    assert "au silence" in text
    assert as_member_reads(world.ann, until) in text
    assert "Trop de messages agressifs" in text
    # The moderator sees it on the page they come back to, and in the log.
    page = client.get(world.member_url(world.ann)).content.decode()
    assert 'id="silenced"' in page
    log = client.get(reverse("moderation:log", args=[world.group.slug])).content.decode()
    assert "Silenced" in log and "Trop de messages agressifs" in log


@pytest.mark.parametrize(("duration", "days"), [("day", 1), ("week", 7), ("month", 30)])
def test_each_period_sets_the_end_that_far(world, duration, days):
    world.client(world.moderator).post(
        world.member_url(world.ann, "silence"),
        {"silence-duration": duration, "silence-reason": "Spam"},
    )
    left = world.membership(world.ann).silenced_until - timezone.now()
    assert timedelta(days=days) - timedelta(minutes=1) < left <= timedelta(days=days)


def test_until_a_date_ends_at_the_start_of_that_day_in_the_moderators_time_zone(world):
    day = timezone.localdate() + timedelta(days=10)
    world.client(world.moderator).post(
        world.member_url(world.ann, "silence"),
        {"silence-duration": "date", "silence-until_date": day.isoformat(), "silence-reason": "x"},
    )
    zone = zoneinfo.ZoneInfo(world.moderator.time_zone)
    expected = datetime.combine(day, time.min, tzinfo=zone)
    assert world.membership(world.ann).silenced_until == expected


def test_a_bad_date_or_no_reason_shows_the_form_again_with_what_was_typed(world):
    client = world.client(world.moderator)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        world.member_url(world.ann, "silence"),
        {
            "silence-duration": "date",
            "silence-until_date": yesterday.isoformat(),
            "silence-reason": "Insultes répétées",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a date after today." in page
    assert "Insultes répétées" in page
    response = client.post(world.member_url(world.ann, "silence"), {"silence-duration": "day"})
    assert "Say why: the member reads it." in response.content.decode()
    assert world.membership(world.ann).silenced_until is None
    assert not LogEntry.objects.exists()


def test_a_silenced_member_reads_but_a_reply_is_refused_with_the_date_and_their_text(world):
    silence(world)
    until = world.membership(world.ann).silenced_until
    client = world.client(world.ann)
    thread_url = world.thread.get_absolute_url()
    page = client.get(thread_url)
    assert page.status_code == 200
    assert "What do you charge?" in page.content.decode()
    response = client.post(
        reverse("discussions:reply", args=[world.group.slug, world.thread.pk]),
        {"body": "Mon tarif est de 800 francs par jour."},
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert as_member_reads(world.ann, until) in page
    assert "Mon tarif est de 800 francs par jour." in page
    assert not Post.objects.filter(author=world.ann).exists()


def test_a_reply_sent_by_htmx_gets_the_refusal_as_the_whole_page(world):
    silence(world)
    response = world.client(world.ann).post(
        reverse("discussions:reply", args=[world.group.slug, world.thread.pk]),
        {"body": "Envoyé sans recharger la page."},
        headers={"HX-Request": "true"},
    )
    # htmx shows nothing of a 4xx answer: the refusal replaces the page instead.
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("body", "innerHTML")
    assert "Envoyé sans recharger la page." in response.content.decode()
    assert not Post.objects.filter(author=world.ann).exists()


def test_the_thread_page_tells_a_silenced_member_why_there_is_no_reply_form(world):
    silence(world)
    page = world.client(world.ann).get(world.thread.get_absolute_url()).content.decode()
    assert 'name="body"' not in page
    assert "réduit·e au silence" in page


def test_a_silenced_member_cannot_start_a_thread_and_gets_title_and_text_back(world):
    silence(world)
    response = world.client(world.ann).post(
        reverse("discussions:thread_create", args=[world.group.slug]),
        {"title": "Mes tarifs", "body": "Un long texte écrit avec soin."},
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Mes tarifs" in page and "Un long texte écrit avec soin." in page
    assert not Thread.objects.filter(title="Mes tarifs").exists()


def test_a_silenced_member_cannot_react_edit_the_wiki_create_events_or_flag(world):
    silence(world)
    ann = world.ann
    assert rules.can(ann, Action.VIEW_CONTENT, world.group)
    assert not rules.can(ann, Action.POST, world.group)
    assert not rules.can(ann, Action.FLAG, world.group)
    post = world.thread.posts.get()
    with pytest.raises(PermissionDenied):
        reaction_add(post=post, user=ann, emoji="👍")
    with pytest.raises(PermissionDenied):
        wiki.page_create(group=world.group, author=ann, title="Tarifs", body="Liste")
    with pytest.raises(PermissionDenied):
        services.flag_create(
            group=world.group, kind="post", object_id=post.pk, by=ann, reason="spam"
        )
    client = world.client(ann)
    assert client.get(reverse("events:create", args=[world.group.slug])).status_code == 403
    flag_url = reverse("moderation:flag", args=[world.group.slug, "post", post.pk])
    assert client.get(flag_url).status_code == 403
    # The group's page says it, and until when.
    group_page = client.get(world.group.get_absolute_url()).content.decode()
    assert "silenced you" in group_page or "réduit" in group_page


def test_a_silence_ends_by_itself_when_its_time_has_passed(world):
    silence(world)
    assert not rules.can(world.ann, Action.POST, world.group)
    # Time passes: the end is now behind us. No job runs.
    Membership.objects.filter(group=world.group, user=world.ann).update(
        silenced_until=timezone.now() - timedelta(seconds=1)
    )
    assert rules.can(world.ann, Action.POST, world.group)
    response = world.client(world.ann).post(
        reverse("discussions:reply", args=[world.group.slug, world.thread.pk]),
        {"body": "Me revoilà."},
    )
    assert response.status_code == 302
    assert Post.objects.filter(author=world.ann, body="Me revoilà.").exists()


def test_a_moderator_lifts_a_silence_and_the_member_is_told(
    world, django_capture_on_commit_callbacks
):
    silence(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(world.moderator).post(
            world.member_url(world.ann, "lift-silence"), {"lift-silence-reason": "Merci"}
        )
    assert response.status_code == 302
    assert rules.can(world.ann, Action.POST, world.group)
    entry = LogEntry.objects.get(action="lift")
    assert (entry.lifted, entry.member, entry.reason) == ("silence", world.ann, "Merci")
    assert "fin à votre silence" in last_email_to(world.ann).get_body(("plain",)).get_content()
    with pytest.raises(ValidationError):
        sanctions.sanction_lift(
            group=world.group, member=world.ann, by=world.moderator, sanction="silence"
        )


# --- Roles -------------------------------------------------------------------------------


def test_a_moderator_cannot_silence_an_admin_nor_see_the_controls(world):
    with pytest.raises(PermissionDenied):
        silence(world, member=world.admin)
    client = world.client(world.moderator)
    page = client.get(world.member_url(world.admin)).content.decode()
    assert world.member_url(world.admin, "silence") not in page
    assert "You cannot act on a member whose role is the same as yours or higher." in page
    response = client.post(
        world.member_url(world.admin, "silence"),
        {"silence-duration": "day", "silence-reason": "x"},
    )
    assert response.status_code == 403
    assert world.membership(world.admin).silenced_until is None
    assert not LogEntry.objects.exists()


def test_a_moderator_cannot_silence_another_moderator_but_an_admin_can(world):
    other = member_of(world.group, Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        silence(world, member=other)
    silence(world, member=other, by=world.admin)
    assert not rules.can(other, Action.POST, world.group)


def test_members_do_not_reach_a_members_moderation_page(world):
    client = world.client(world.bob)
    assert client.get(world.member_url(world.ann)).status_code == 403
    response = client.post(
        world.member_url(world.ann, "silence"), {"silence-duration": "day", "silence-reason": "x"}
    )
    assert response.status_code == 403
    assert world.membership(world.ann).silenced_until is None


def test_a_stranger_to_the_group_has_no_moderation_page(world):
    stranger = member_of(GroupFactory())
    response = world.client(world.moderator).get(world.member_url(stranger))
    assert response.status_code == 404


# --- Suspension --------------------------------------------------------------------------


def test_a_suspended_member_loses_the_member_pages_and_the_groups_email(
    world, django_capture_on_commit_callbacks
):
    assert world.group.visibility == Visibility.CLOSED
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(world.moderator).post(
            world.member_url(world.ann, "suspend"),
            {"suspend-duration": "month", "suspend-reason": "Spam répété"},
        )
    assert response.status_code == 302
    until = world.membership(world.ann).suspended_until
    assert LogEntry.objects.get(action="suspend").until == until
    assert "suspendu" in last_email_to(world.ann).get_body(("plain",)).get_content()
    client = world.client(world.ann)
    response = client.get(world.thread.get_absolute_url())
    assert response.status_code == 403
    assert as_member_reads(world.ann, until) in response.content.decode()
    assert not rules.can(world.ann, Action.LIST_MEMBERS, world.group)
    assert rules.can(world.ann, Action.FIND, world.group)
    # Lists across groups agree with the pages.
    assert not Group.objects.filter(rules.content_visible_groups_q(world.ann)).exists()
    # No list mail, digest or notification: she is no recipient of the group's email.
    recipients = {row["pk"] for row in list_members(group_id=world.group.pk)}
    assert world.ann.pk not in recipients and world.bob.pk in recipients


def test_admins_still_see_a_suspended_member_in_the_list_marked_suspended(world):
    silence(world, action=sanctions.member_suspend)
    members_url = reverse("groups:members", args=[world.group.slug])
    page = world.client(world.admin).get(members_url).content.decode()
    assert "Ann Author" in page and "Suspendu" in page
    assert "Suspended" not in world.client(world.bob).get(members_url).content.decode()


def test_a_suspension_ends_by_itself(world):
    silence(world, action=sanctions.member_suspend)
    Membership.objects.filter(group=world.group, user=world.ann).update(
        suspended_until=timezone.now() - timedelta(seconds=1)
    )
    assert world.client(world.ann).get(world.thread.get_absolute_url()).status_code == 200
    assert world.ann.pk in {row["pk"] for row in list_members(group_id=world.group.pk)}


# --- Ban ---------------------------------------------------------------------------------


def ban(world, member=None, by=None):
    sanctions.member_ban(
        group=world.group, member=member or world.ann, by=by or world.admin, reason="Arnaques"
    )


def test_an_admin_bans_a_member_who_is_removed_logged_and_told_in_french(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(world.admin).post(
            world.member_url(world.ann, "ban"), {"ban-reason": "Arnaques"}
        )
    assert response.status_code == 302
    assert not Membership.objects.filter(group=world.group, user=world.ann).exists()
    ban = Ban.objects.get()
    assert (ban.user, ban.banned_by, ban.reason) == (world.ann, world.admin, "Arnaques")
    assert LogEntry.objects.get(action="ban").member == world.ann
    assert "banni" in last_email_to(world.ann).get_body(("plain",)).get_content()
    world.group.refresh_from_db()
    assert world.group.member_count == 4
    # The admin's page now says banned, and offers to lift it.
    page = world.client(world.admin).get(world.member_url(world.ann)).content.decode()
    assert 'id="banned"' in page and world.member_url(world.ann, "lift-ban") in page


def test_a_moderator_neither_sees_nor_can_ban(world):
    client = world.client(world.moderator)
    assert (
        world.member_url(world.ann, "ban")
        not in client.get(world.member_url(world.ann)).content.decode()
    )
    response = client.post(world.member_url(world.ann, "ban"), {"ban-reason": "x"})
    assert response.status_code == 403
    assert Membership.objects.filter(group=world.group, user=world.ann).exists()
    assert not Ban.objects.exists()


def test_an_admin_cannot_ban_another_admin(world):
    other = member_of(world.group, Role.ADMIN)
    with pytest.raises(PermissionDenied):
        ban(world, member=other)
    assert Membership.objects.filter(group=world.group, user=other).exists()
    assert not Ban.objects.exists()


def test_a_banned_member_cannot_join_again_at_once_nor_sees_the_join_button(world):
    ban(world)
    with pytest.raises(ValidationError, match="banned you"):
        groups.group_join(group=world.group, user=world.ann, accept_rules=True)
    client = world.client(world.ann)
    page = client.get(world.group.get_absolute_url()).content.decode()
    assert reverse("groups:join", args=[world.group.slug]) not in page
    response = client.post(reverse("groups:join", args=[world.group.slug]), {"accept_rules": "on"})
    assert response.status_code == 302
    assert not Membership.objects.filter(group=world.group, user=world.ann).exists()


def test_a_banned_member_cannot_ask_to_join_again(world):
    ban(world)
    Group.objects.filter(pk=world.group.pk).update(join_policy=JoinPolicy.APPROVAL)
    world.group.refresh_from_db()
    with pytest.raises(ValidationError, match="banned you"):
        groups.join_request_create(group=world.group, user=world.ann, answers=[], accept_rules=True)


def test_a_banned_member_cannot_join_through_an_invitation(world):
    ban(world)
    invitation = Invitation.objects.create(group=world.group, email=world.ann.email)
    with pytest.raises(ValidationError, match="banned you"):
        groups.invitation_accept(token=invitation.token, user=world.ann, accept_rules=True)
    response = world.client(world.ann).get(invitation.get_absolute_url())
    assert response.status_code == 403
    assert not Membership.objects.filter(group=world.group, user=world.ann).exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_an_admin_lifts_a_ban_and_the_member_may_join_again(
    world, django_capture_on_commit_callbacks
):
    ban(world)
    with pytest.raises(PermissionDenied):
        sanctions.sanction_lift(
            group=world.group, member=world.ann, by=world.moderator, sanction="ban"
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(world.admin).post(world.member_url(world.ann, "lift-ban"))
    assert response.status_code == 302
    assert not Ban.objects.exists()
    assert LogEntry.objects.get(action="lift").lifted == "ban"
    assert "levé" in last_email_to(world.ann).get_body(("plain",)).get_content()
    groups.group_join(group=world.group, user=world.ann, accept_rules=True)
    assert Membership.objects.filter(group=world.group, user=world.ann).exists()


def test_the_list_of_bans_runs_a_fixed_number_of_queries(world):
    client = world.client(world.admin)
    url = reverse("moderation:bans", args=[world.group.slug])

    def banned():
        ban(world, member=member_of(world.group))

    assert query_counts(client, url, banned) == (6, 6)
    page = client.get(url).content.decode()
    assert page.count("Lift the ban") == 3 or page.count("Lever le bannissement") == 3


def test_the_members_page_runs_a_fixed_number_of_queries(world):
    client = world.client(world.admin)
    url = world.member_url(world.ann)

    def warned():
        services.member_warn(group=world.group, member=world.ann, by=world.moderator, reason="x")

    assert query_counts(client, url, warned) == (9, 9)


# --- Where the controls are --------------------------------------------------------------


def test_the_profile_leads_a_moderator_to_the_controls_and_hides_them_from_others(world):
    profile = reverse("groups:member_profile", args=[world.ann.pk])
    assert (
        world.member_url(world.ann) in world.client(world.moderator).get(profile).content.decode()
    )
    assert world.member_url(world.ann) not in world.client(world.bob).get(profile).content.decode()
    admin_profile = reverse("groups:member_profile", args=[world.admin.pk])
    page = world.client(world.moderator).get(admin_profile).content.decode()
    assert world.member_url(world.admin) not in page


def test_the_queue_leads_to_the_controls_beside_items_of_members_the_moderator_acts_on(world):
    Group.objects.filter(pk=world.group.pk).update(holds_new_members_posts=True)
    world.group.refresh_from_db()
    held = discussions.thread_start(group=world.group, author=world.ann, title="Buy", body="x")
    assert held.held
    admins_post = world.thread.posts.get()
    admins_post.author = world.admin
    admins_post.save(update_fields=["author"])
    services.flag_create(
        group=world.group, kind="post", object_id=admins_post.pk, by=world.bob, reason="spam"
    )
    services.flag_create(
        group=world.group, kind="profile", object_id=world.bob.pk, by=world.ann, reason="other"
    )
    page = (
        world.client(world.moderator)
        .get(reverse("moderation:queue", args=[world.group.slug]))
        .content.decode()
    )
    assert world.member_url(world.ann) in page
    assert world.member_url(world.bob) in page
    assert world.member_url(world.admin) not in page


def test_a_page_the_role_never_allowed_is_refused_without_talk_of_the_silence(world):
    silence(world)
    response = world.client(world.ann).get(reverse("moderation:queue", args=[world.group.slug]))
    assert response.status_code == 403
    assert "silence" not in response.content.decode()
