"""The members, groups and posts of the topology tests, made inside the instance.

Run in the instance's environment, not in the test process:
`python -m tests.topology.seed '{"SCENARIO": {"option": …}, …}'` makes what each scenario
needs through the factories and services, and prints what the tests need to know
(addresses, thread ids, Message-IDs, reply addresses) as one JSON line, by scenario.
Every scenario is made once per kind of database, in the prepared database that each
instance starts from a copy of (instances.py, `Templates`).

Members' email choices are set on purpose: only the members a test counts emails for get
any, so that no digest or post mail of another test lands in the sink unannounced.
"""

import json
import os
import sys
from datetime import timedelta

import django

# Run as a script: Django is set up before the project's modules are imported.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.utils import timezone  # noqa: E402 -- after django.setup()

from goingsolo.discussions import services  # noqa: E402 -- after django.setup()
from goingsolo.discussions.models import Thread  # noqa: E402 -- after django.setup()
from goingsolo.groups.models import Membership, Role, Visibility  # noqa: E402 -- after django.setup()
from goingsolo.mail.models import Delivery, ListSubscription  # noqa: E402 -- after django.setup()
from goingsolo.mail.outbound.list_headers import ensure_message_id, message_id_of  # noqa: E402 -- after django.setup()
from goingsolo.mail.reply_tokens import reply_address  # noqa: E402 -- after django.setup()
from tests.factories import GroupFactory, member_of  # noqa: E402 -- after django.setup()

PASSWORD = "correct horse battery staple"  # the factories' password


def _member(group, email, name, *, delivery, role=None, time_zone="Europe/Zurich", since=None):
    """A member of GROUP with a verified EMAIL; DELIVERY: their email choice for the group;
    SINCE: when they joined and made that choice (defaults to now)."""
    user = member_of(
        group, role or Role.MEMBER, email=email, display_name=name, time_zone=time_zone
    )
    ListSubscription.objects.update_or_create(
        user=user, group=group, defaults={"delivery": delivery}
    )
    if since is not None:
        Membership.objects.filter(user=user, group=group).update(joined_at=since)
        ListSubscription.objects.filter(user=user, group=group).update(changed_at=since)
    return user


def _thread(group, author, title, body, *, created_at=None):
    """A thread with its opening post, which has the Message-ID mail replies refer to."""
    post = services.thread_start(
        group=group, author=author, title=title, body=body, created_at=created_at
    ).post
    ensure_message_id(post)
    return {
        "id": post.thread_id,
        "url": post.thread.get_absolute_url(),
        "title": post.thread.title,
        "message_id": message_id_of(post),
    }


def _person(user):
    return {"email": user.email, "name": user.display_name, "password": PASSWORD}


def live():
    """Two members of a group, with two threads to reply in, by web or by email."""
    group = GroupFactory(name="Coworking Lausanne", slug="coworking")
    alice = _member(
        group, "alice@example.org", "Alice Martin", delivery=Delivery.NONE, role=Role.ADMIN
    )
    bob = _member(group, "bob@example.org", "Bob Keller", delivery=Delivery.NONE)
    web = _thread(group, alice, "Thursday at the library?", "Who comes to work there on Thursday?")
    mail = _thread(group, alice, "A printer for the space", "Does anyone know a good one?")

    mail["bob_reply_address"] = reply_address(Thread.objects.get(pk=mail["id"]), bob)
    # A public group, whose threads visitors read without an account.
    desk = GroupFactory(name="Open Desk", slug="open-desk", visibility=Visibility.PUBLIC)
    vera = _member(desk, "vera@example.org", "Vera Lenz", delivery=Delivery.NONE)
    visited = _thread(desk, vera, "Quiet cafés with wifi", "Where do you work on Mondays?")
    return {
        "group": group.slug,
        "public_group": desk.slug,
        "vera": _person(vera),
        "visited_thread": visited,
        "alice": _person(alice),
        "bob": _person(bob),
        "web_thread": web,
        "mail_thread": mail,
    }


def mail(digest_time_zone):
    """A group per mail test: a morning digest, an outage of the mail server, a forged
    sender, a reply that only In-Reply-To ties to its thread."""
    now = timezone.now()
    # Digests cover posts older than a minute (digests.SETTLE) made since the member
    # joined: the member joined three hours ago, the posts are from two hours ago.
    morning = GroupFactory(name="Morning Readers", slug="morning")
    author = _member(morning, "carol@example.org", "Carol Weber", delivery=Delivery.NONE)
    dana = _member(
        morning,
        "dana@example.com",
        "Dana Rossi",
        delivery=Delivery.DAILY,
        time_zone=digest_time_zone,
        since=now - timedelta(hours=3),
    )
    _thread(
        morning,
        author,
        "Books for the summer",
        "My list so far: three novels and a cookbook.",
        created_at=now - timedelta(hours=2),
    )

    outage = GroupFactory(name="Outage Watch", slug="outage")
    erin = _member(outage, "erin@example.org", "Erin Blanc", delivery=Delivery.NONE)
    readers = [
        _member(outage, f"{name}@example.com", name.title(), delivery=Delivery.EVERY)
        for name in ("frank", "gina", "hugo")
    ]

    forged = GroupFactory(name="Quiet Corner", slug="quiet")
    ivy = _member(forged, "ivy@example.net", "Ivy Laurent", delivery=Delivery.NONE)

    replies = GroupFactory(name="Reply Club", slug="replies")
    jack = _member(replies, "jack@example.org", "Jack Morel", delivery=Delivery.NONE)
    kim = _member(replies, "kim@example.net", "Kim Favre", delivery=Delivery.NONE)
    thread = _thread(replies, jack, "Lunch on Friday", "Who is in for lunch on Friday?")
    return {
        "morning": {"group": morning.slug, "reader": _person(dana), "author": _person(author)},
        "outage": {
            "group": outage.slug,
            "author": _person(erin),
            "readers": [_person(user) for user in readers],
        },
        "forged": {"group": forged.slug, "member": _person(ivy)},
        "replies": {"group": replies.slug, "thread": thread, "member": _person(kim)},
    }


def jobs(digest_time_zone):
    """For the killed-worker tests: a group whose members get every post (and a thread to
    reply to by email), and one whose members get the daily digest, who live in
    DIGEST_TIME_ZONE."""
    now = timezone.now()
    every = GroupFactory(name="Every Post", slug="every")
    leo = _member(every, "leo@example.org", "Leo Perrin", delivery=Delivery.NONE)
    readers = [
        _member(every, f"reader{n}@example.com", f"Reader {n}", delivery=Delivery.EVERY)
        for n in range(1, 7)
    ]
    thread = _thread(every, leo, "Tools we use", "Which invoicing tool do you use?")

    dawn = GroupFactory(name="Dawn Digest", slug="dawn")
    nora = _member(dawn, "nora@example.org", "Nora Vidal", delivery=Delivery.NONE)
    digest_readers = [
        _member(
            dawn,
            f"early{n}@example.com",
            f"Early {n}",
            delivery=Delivery.DAILY,
            time_zone=digest_time_zone,
            since=now - timedelta(hours=3),
        )
        for n in range(1, 5)
    ]
    _thread(
        dawn,
        nora,
        "Sunrise walks",
        "Who joins on Saturday at six?",
        created_at=now - timedelta(hours=2),
    )
    return {
        "every": {
            "group": every.slug,
            "author": _person(leo),
            "readers": [_person(user) for user in readers],
            "thread": thread,
        },
        "dawn": {"group": dawn.slug, "readers": [_person(user) for user in digest_readers]},
    }


SCENARIOS = {"live": live, "mail": mail, "jobs": jobs}


def main(argv):
    scenarios = json.loads(argv[0])
    print(json.dumps({name: SCENARIOS[name](**options) for name, options in scenarios.items()}))


if __name__ == "__main__":
    main(sys.argv[1:])
