"""The attack suite, generated from the URL configuration: every route is tried, so a new
page is attacked the day it is added.

- Objects of a secret group: every route that names one answers a member of another group
  with 404 — under the secret group's address and under the address of the outsider's own
  group (the id swapped in) — to a GET and to a POST; an anonymous visitor gets exactly
  what an object that does not exist gets.
- CSRF: no route changes anything on a POST without the form's token.
- Open redirects: no route sends the browser to another site through `next=`.

A route whose arguments this module cannot fill fails the suite until it is given a value
in OBJECT_ARGUMENTS or a reason in NOT_AN_OBJECT.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from goingsolo.accounts.models import Notification, PushSubscription
from goingsolo.groups.models import Membership
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

# Arguments that are not an object of a group: their routes are attacked elsewhere.
NOT_AN_OBJECT = {
    "token": "a capability sent by email; its own tests refuse a token of someone who left",
    "key": "allauth's email confirmation and password reset keys",
    "uidb36": "allauth's password reset",
    "language": "the offline page, the same for everyone",
    "path": "public uploads (avatars), served as files",
    "answer": "yes, maybe or no, beside a one-click answer's token (a capability, above)",
}


def routes():
    """(name, argument names) of every named route, admin aside (Django's own)."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = ":".join(filter(None, [namespace, pattern.name]))
                yield name, tuple(pattern.pattern.regex.groupindex)

    return sorted(set(walk(get_resolver().url_patterns, "")))


ROUTES = routes()
GROUP_ROUTES = [(name, args) for name, args in ROUTES if "slug" in args]
OBJECT_ROUTES = [(name, args) for name, args in GROUP_ROUTES if set(args) - {"slug"}]


def object_arguments(world, name, args, *, slug):
    """The arguments that name WORLD's objects on route NAME, under group SLUG."""
    wiki_file = name.startswith("wiki:image")
    attachment = world.wiki_image if wiki_file else world.attachment
    values = {
        "slug": slug,
        "thread_id": world.thread.pk,
        "position": world.post.position,
        "post_id": world.post.pk,
        "attachment_id": attachment.pk,
        "name": attachment.name,
        "event_id": world.camp.pk if name.startswith("barcamp:") else world.event.pk,
        "session_id": world.session.pk,
        "room_id": world.room.pk,
        "slot_id": world.slot.pk,
        "registration_id": world.registration.pk,
        "speaker_id": world.speaker.pk,
        "talk_id": world.talk.pk,
        "check_id": world.check.pk,
        "request_id": world.join_request.pk,
        "membership_id": Membership.objects.get(group=world.secret, user=world.member).pk,
        "message_id": world.held_message.pk,
        "revision_id": world.page.current_revision_id,
        "user_id": world.member.pk,
        "page_slug": world.page.slug,
        "number": 1,
        "decision": "approve",
        "control": "silence",
        "kind": "post",
        "object_id": world.post.pk,
        "flag_id": world.flag.pk,
    }
    missing = [arg for arg in args if arg not in values]
    assert not missing, f"{name}: give {missing} a value in object_arguments() or a reason"
    return {arg: values[arg] for arg in args}


@pytest.fixture
def world():
    return build_world()


def outsider_client(world):
    client = Client()
    client.force_login(world.outsider)
    return client


def test_every_route_is_attacked_or_says_why_not():
    unknown = sorted(
        {arg for _, args in ROUTES for arg in args}
        - set(NOT_AN_OBJECT)
        - {
            "slug",
            "thread_id",
            "position",
            "post_id",
            "attachment_id",
            "name",
            "event_id",
            "session_id",
            "room_id",
            "slot_id",
            "registration_id",
            "speaker_id",
            "talk_id",
            "check_id",
            "request_id",
            "membership_id",
            "message_id",
            "revision_id",
            "user_id",
            "page_slug",
            "number",
            "decision",
            "control",
            "kind",
            "object_id",
            "flag_id",
            "pk",
        }
    )
    assert unknown == []
    assert len(GROUP_ROUTES) > 80


def assert_not_found(response, url, method):
    # 405: the method is refused before any object is looked up, so it tells nothing.
    assert response.status_code in (404, 405), f"{method} {url} answered {response.status_code}"


@pytest.mark.parametrize(("name", "args"), GROUP_ROUTES, ids=[name for name, _ in GROUP_ROUTES])
def test_an_outsider_meets_404_on_every_page_of_a_secret_group(world, name, args):
    url = reverse(name, kwargs=object_arguments(world, name, args, slug=world.secret.slug))
    client = outsider_client(world)
    assert_not_found(client.get(url), url, "GET")
    assert_not_found(client.post(url, {"body": "x", "title": "x"}), url, "POST")


@pytest.mark.parametrize(("name", "args"), OBJECT_ROUTES, ids=[name for name, _ in OBJECT_ROUTES])
def test_an_id_of_a_secret_group_under_the_outsiders_own_group_is_not_found(world, name, args):
    # The outsider owns their group: every page of it is theirs, but not another group's rows.
    url = reverse(name, kwargs=object_arguments(world, name, args, slug=world.other.slug))
    client = outsider_client(world)
    assert_not_found(client.get(url), url, "GET")
    assert_not_found(client.post(url, {"body": "x", "title": "x"}), url, "POST")


def nowhere(kwargs):
    """The same arguments, naming objects that do not exist."""
    return {
        arg: ("no-such-thing" if isinstance(value, str) else 987654321)
        if arg not in ("decision", "name")
        else value
        for arg, value in kwargs.items()
    }


def without_path(response):
    location = response.headers.get("Location", "")
    return response.status_code, re.sub(r"next=[^&]*", "next=…", location)


@pytest.mark.parametrize(("name", "args"), GROUP_ROUTES, ids=[name for name, _ in GROUP_ROUTES])
def test_a_visitor_cannot_tell_a_secret_object_from_one_that_does_not_exist(world, name, args):
    kwargs = object_arguments(world, name, args, slug=world.secret.slug)
    client = Client()
    for method in ("get", "post"):
        secret = getattr(client, method)(reverse(name, kwargs=kwargs))
        missing = getattr(client, method)(reverse(name, kwargs=nowhere(kwargs)))
        assert without_path(secret) == without_path(missing), f"{method.upper()} {name}"


def test_another_members_notification_and_device_are_not_found(world):
    notification = Notification.objects.filter(recipient=world.owner).first()
    assert notification is not None
    device = PushSubscription.objects.create(
        user=world.member, endpoint="https://push.example/device", p256dh="k", auth="a"
    )
    client = outsider_client(world)
    assert (
        client.get(reverse("accounts:notification_open", args=[notification.pk])).status_code == 404
    )
    response = client.post(reverse("accounts:device_remove", args=[device.pk]))
    assert response.status_code == 404 or PushSubscription.objects.filter(pk=device.pk).exists()
    # A member of the secret group only, whose profile the outsider may not open.
    assert client.get(reverse("groups:member_profile", args=[world.member.pk])).status_code == 404


# --- CSRF ---------------------------------------------------------------------------------

# Routes a POST without the form's token may reach, and why that is safe.
CSRF_EXEMPT = {
    "mail:unsubscribe": "RFC 8058 one-click unsubscribe: mail clients POST without a cookie; "
    "the token in the address is the proof",
}


def owner_url(world, name, args):
    """The address of route NAME with the secret group's objects (the owner's own row for
    a `pk`; placeholders for a capability, which a wrong one refuses anyway)."""
    if "pk" in args:
        kwargs = {"pk": world.owner.pk}
    elif set(args) & set(NOT_AN_OBJECT):
        kwargs = {arg: "en" if arg == "language" else "x" for arg in args}
    else:
        kwargs = object_arguments(world, name, args, slug=world.secret.slug)
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "args"), ROUTES, ids=[name for name, _ in ROUTES])
def test_no_route_acts_on_a_post_without_the_csrf_token(world, name, args):
    if name in CSRF_EXEMPT:
        return
    url = owner_url(world, name, args)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)  # the owner may do everything in the secret group
    response = client.post(url, {"body": "x", "title": "x"})
    assert response.status_code in (403, 404, 405), (
        f"POST {url} without a CSRF token answered {response.status_code}"
    )


# --- Open redirects -----------------------------------------------------------------------

ELSEWHERE = ("https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example")


def leaves_the_site(response):
    location = response.headers.get("Location", "")
    parts = urlsplit(location.replace("\\", "/"))
    return bool(parts.netloc) and parts.netloc not in ("testserver", "127.0.0.1", "localhost")


@pytest.mark.parametrize(("name", "args"), ROUTES, ids=[name for name, _ in ROUTES])
def test_no_route_redirects_to_another_site_through_next(world, name, args):
    url = owner_url(world, name, args)
    client = Client()
    client.force_login(world.owner)
    for target in ELSEWHERE:
        for response in (
            client.get(url, {"next": target}),
            client.post(f"{url}?next={target}", {"next": target, "body": "x", "title": "x"}),
        ):
            assert not leaves_the_site(response), f"{url} sent the browser to {target}"
