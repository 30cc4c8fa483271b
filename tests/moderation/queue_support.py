"""What the review-queue tests share: items of every kind landing in a group's queue, as
members and senders make them (the services, the inbound mail handler)."""

import email
import email.policy

from django.test import Client

from goingsolo.discussions import services as discussions
from goingsolo.groups import services as groups
from goingsolo.groups.models import JoinPolicy, Role
from goingsolo.mail.inbound.services import inbound_store
from goingsolo.mail.models import ListSettings, OutboundEmail
from goingsolo.moderation import services
from goingsolo.wiki import services as wiki
from tests.factories import GroupFactory, UserFactory, member_of
from tests.mail.inbound_support import group_address, plain_message, signed_by_sender


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def holding_group(**fields):
    """A group that holds new members' posts and new threads by email, takes requests to
    join, with an owner and a moderator."""
    group = GroupFactory(holds_new_members_posts=True, join_policy=JoinPolicy.APPROVAL, **fields)
    ListSettings.objects.create(group=group, hold_new_threads=True)
    group.owner = member_of(group, Role.OWNER, display_name="Olga Owner")
    group.moderator = member_of(group, Role.MODERATOR, display_name="Max Moderator")
    return group


def receive(capture, message, *, signed=True):
    """MESSAGE stored as the listener stores it, then its job run: the inbound handler."""
    raw = message.as_bytes()
    if signed:
        raw = signed_by_sender(raw)
    with capture(execute=True):
        stored = inbound_store(raw=raw, mail_from="someone@example.org", recipients=[message["To"]])
    stored.refresh_from_db()
    return stored


def held_email(capture, group, *, author=None, subject="Coworking jeudi", signed=True):
    author = author or member_of(group)
    message = plain_message(
        sender=author.email, to=group_address(group), subject=subject, body="Qui vient ?"
    )
    return receive(capture, message, signed=signed)


def one_of_each(capture, group, n=1):
    """N items of every kind in GROUP's queue: held posts, flags, held wiki edits, held
    emails and requests to join."""
    with capture(execute=True):
        for i in range(n):
            newcomer = member_of(group, display_name=f"Newcomer {i}")
            discussions.thread_start(group=group, author=newcomer, title=f"Hello {i}", body="Hi")
            standing = discussions.thread_start(
                group=group, author=group.moderator, title=f"Rates {i}", body="How much?"
            ).post
            services.flag_create(
                group=group, kind="post", object_id=standing.pk, by=newcomer, reason="spam"
            )
            wiki.page_create(group=group, author=newcomer, title=f"Page {i}", body="Text")
            groups.join_request_create(
                group=group, user=UserFactory(), answers=[], accept_rules=True
            )
    for _ in range(n):
        held_email(capture, group)


def emails_to(user):
    """The emails queued for USER, parsed: [(subject, plain text)]."""
    found = []
    for row in OutboundEmail.objects.filter(recipient=user).order_by("pk"):
        message = email.message_from_bytes(bytes(row.raw_message), policy=email.policy.default)
        # A long encoded subject is folded onto its own line: the parser keeps a space.
        subject = str(message["Subject"]).strip()
        found.append((subject, message.get_body(("plain",)).get_content()))
    return found
