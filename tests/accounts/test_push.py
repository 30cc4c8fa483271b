"""Web Push: a member turns notifications on for a device, and what they get in the app
reaches it — encrypted for the device, signed with the instance's VAPID key, in their
language, in plain text — unless they lost access to the group meanwhile.

The push service is faked at its HTTP boundary (tests.support.FakePushService); the
browser's side is a real key pair (tests.support.BrowserSubscription), which decrypts
what the service received.
"""

import base64
import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from goingsolo.accounts import push
from goingsolo.accounts.models import Notification, PushSubscription
from goingsolo.core.dates import format_when
from goingsolo.discussions import services as discussions
from goingsolo.events import services as events
from goingsolo.groups import services as groups
from goingsolo.groups.models import Membership, NotificationLevel
from tests.discussions.conftest import Community
from tests.events.conftest import event_fields
from tests.support import BrowserSubscription, FakePushService

pytestmark = pytest.mark.django_db

FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"


@pytest.fixture
def push_service(settings):
    service = FakePushService().start()
    settings.GOINGSOLO_PUSH_SERVICES = [*settings.GOINGSOLO_PUSH_SERVICES, service.origin]
    yield service
    service.stop()


@pytest.fixture
def community(db):
    return Community()


@pytest.fixture
def queued_jobs(settings, django_capture_on_commit_callbacks):
    """Jobs wait in a queue instead of running at once; the test runs them, as a worker
    would, each in its own transaction (what they queue on commit is queued)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    def run_due(now=None):
        """Runs the jobs queued so far that are due by NOW (what they queue waits for
        the next call); returns them."""
        now = now or timezone.now()
        due = [
            result
            for result in default_task_backend.results
            if result.task.run_after is None or result.task.run_after <= now
        ]
        for result in due:
            default_task_backend.results.remove(result)
            with django_capture_on_commit_callbacks(execute=True):
                result.task.call(*result.args, **result.kwargs)
        return due

    return run_due


def subscribe(client, browser, user_agent=FIREFOX_ANDROID):
    """The POST the devices page's script sends with `PushSubscription.toJSON()`."""
    return client.post(
        reverse("accounts:push_subscribe"),
        data=json.dumps(browser.as_json()),
        content_type="application/json",
        headers={"User-Agent": user_agent},
    )


def device_of(client, member, push_service, name="device"):
    browser = BrowserSubscription(f"{push_service.origin}/push/{name}")
    client.force_login(member)
    assert subscribe(client, browser).status_code == 201
    client.logout()
    return browser


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_vapid(authorization, endpoint_origin):
    """Checks the VAPID header (RFC 8292) as a push service does; returns the claims."""
    scheme, _space, params = authorization.partition(" ")
    assert scheme == "vapid"
    parts = dict(part.strip().split("=", 1) for part in params.split(","))
    assert parts["k"] == push.vapid_public_key()
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), b64url_decode(parts["k"])
    )
    header, claims, signature = parts["t"].split(".")
    raw = b64url_decode(signature)
    public_key.verify(
        encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
        f"{header}.{claims}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )  # raises InvalidSignature when the token was not signed with the instance's key
    assert json.loads(b64url_decode(header)) == {"typ": "JWT", "alg": "ES256"}
    claims = json.loads(b64url_decode(claims))
    assert claims["aud"] == endpoint_origin
    return claims


# --- What reaches the device --------------------------------------------------------------


def test_a_mention_reaches_the_members_device_encrypted_signed_and_in_plain_text(
    client, community, push_service, settings, django_capture_on_commit_callbacks
):
    browser = device_of(client, community.tom, push_service)
    thread = community.thread(author=community.marie, title="Pricing a translation")
    push_service.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        community.reply(
            thread,
            author=community.moderator,
            body="**Thanks!** @tom, see [the guide](https://example.org/guide).",
        )

    notification = Notification.objects.get(recipient=community.tom)
    (request,) = push_service.requests
    assert request["path"] == "/push/device"
    assert request["headers"]["content-encoding"] == "aes128gcm"
    assert request["headers"]["ttl"] == str(24 * 60 * 60)
    assert request["headers"]["urgency"] == "normal"
    message = browser.decrypt(request["body"])
    assert message == {
        "title": "Mo Derator mentioned you in “Pricing a translation”",
        "body": "Thanks! @tom, see the guide.",
        "url": f"/notifications/{notification.pk}/",
        "tag": f"post:{notification.key.split(':')[1]}",
        "lang": "en",
    }
    claims = verify_vapid(request["headers"]["authorization"], push_service.origin)
    assert claims["sub"] == settings.GOINGSOLO_VAPID_SUBJECT
    assert claims["exp"] > timezone.now().timestamp()
    device = PushSubscription.objects.get(user=community.tom)
    assert device.last_success_at is not None
    # The in-app notification says the same, without Markdown.
    assert notification.excerpt == "Thanks! @tom, see the guide."


def test_the_message_is_written_in_the_recipients_language(
    client, community, push_service, django_capture_on_commit_callbacks
):
    community.tom.language = "fr"
    community.tom.save()
    browser = device_of(client, community.tom, push_service)
    thread = community.thread(author=community.tom, title="Tarifs")
    push_service.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        community.reply(thread, author=community.marie, body="Je facture *au mot*.")

    message = browser.decrypt(push_service.requests[0]["body"])
    assert message["title"] == "Marie Curie a répondu dans votre discussion « Tarifs »"
    assert message["body"] == "Je facture au mot."
    assert message["lang"] == "fr"


def test_every_device_of_the_member_gets_it_and_nobody_elses(
    client, community, push_service, django_capture_on_commit_callbacks
):
    phone = device_of(client, community.tom, push_service, "phone")
    laptop = device_of(client, community.tom, push_service, "laptop")
    device_of(client, community.owner, push_service, "owners-phone")
    thread = community.thread(author=community.tom)
    push_service.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        community.reply(thread, author=community.marie)

    assert sorted(request["path"] for request in push_service.requests) == [
        "/push/laptop",
        "/push/phone",
    ]
    by_path = {request["path"]: request["body"] for request in push_service.requests}
    assert phone.decrypt(by_path["/push/phone"]) == laptop.decrypt(by_path["/push/laptop"])


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_says_is_gone_is_deleted(
    client, community, push_service, status, django_capture_on_commit_callbacks
):
    device_of(client, community.tom, push_service)
    thread = community.thread(author=community.tom)
    push_service.answers = [status]

    with django_capture_on_commit_callbacks(execute=True):
        community.reply(thread, author=community.marie)

    assert len(push_service.requests) == 1
    assert not PushSubscription.objects.filter(user=community.tom).exists()
    # The notification itself stays in the app.
    assert Notification.objects.filter(recipient=community.tom).count() == 1


@pytest.mark.parametrize("status", [500, 503, 429, 413])
def test_a_refusal_for_now_keeps_the_subscription_and_tries_again_later(
    client, community, push_service, status, queued_jobs, django_capture_on_commit_callbacks
):
    browser = device_of(client, community.tom, push_service)
    thread = community.thread(author=community.tom)
    push_service.answers = [status]

    with django_capture_on_commit_callbacks(execute=True):
        community.reply(thread, author=community.marie)
    queued_jobs()  # the post's jobs
    before = timezone.now()
    (sent,) = queued_jobs()  # the push job: the service answers STATUS

    assert sent.task.name == "push_notifications"
    device = PushSubscription.objects.get(user=community.tom)
    assert device.last_failure_at is not None and device.last_success_at is None
    (retry,) = default_task_backend.results
    assert retry.kwargs["attempt"] == 2
    assert retry.task.run_after >= before + timedelta(seconds=60)

    assert queued_jobs() == []  # not due yet
    queued_jobs(now=retry.task.run_after)  # due: the service takes it now
    assert len(push_service.requests) == 2
    assert browser.decrypt(push_service.requests[1]["body"])["title"].startswith("Marie Curie")
    device.refresh_from_db()
    assert device.last_success_at is not None
    assert default_task_backend.results == []


def test_a_retry_waits_as_long_as_the_push_service_asks(
    client, community, push_service, queued_jobs, django_capture_on_commit_callbacks
):
    device_of(client, community.tom, push_service)
    thread = community.thread(author=community.tom)
    push_service.answers = [429]
    push_service.headers_to_send = {"Retry-After": "3600"}

    with django_capture_on_commit_callbacks(execute=True):
        community.reply(thread, author=community.marie)
    queued_jobs()
    queued_jobs()

    (retry,) = default_task_backend.results
    assert retry.task.run_after >= timezone.now() + timedelta(seconds=3590)


def test_tries_stop_after_the_last_attempt(
    client, community, push_service, queued_jobs, settings, django_capture_on_commit_callbacks
):
    settings.GOINGSOLO_PUSH_MAX_ATTEMPTS = 2
    device_of(client, community.tom, push_service)
    thread = community.thread(author=community.tom)
    push_service.answers = [500, 500, 500]

    with django_capture_on_commit_callbacks(execute=True):
        community.reply(thread, author=community.marie)
    later = timezone.now() + timedelta(days=1)
    for _step in range(4):
        queued_jobs(now=later)

    assert len(push_service.requests) == 2
    assert default_task_backend.results == []
    assert PushSubscription.objects.filter(user=community.tom).exists()


def test_an_unreachable_push_service_never_breaks_the_reply(
    client, community, push_service, django_capture_on_commit_callbacks
):
    device_of(client, community.tom, push_service)
    push_service.stop()  # nothing listens at the endpoint any more
    thread = community.thread(author=community.tom)

    with django_capture_on_commit_callbacks(execute=True):
        result = community.reply(thread, author=community.marie)

    assert result.pk is not None
    assert PushSubscription.objects.get(user=community.tom).last_failure_at is not None


# --- Who gets nothing ---------------------------------------------------------------------


def test_a_member_removed_from_a_secret_group_gets_no_push_about_it(
    client, push_service, queued_jobs, django_capture_on_commit_callbacks
):
    secret = Community(visibility="secret", prefix="s")
    device_of(client, secret.tom, push_service)
    thread = secret.thread(author=secret.marie, title="Our secret plans")
    with django_capture_on_commit_callbacks(execute=True):
        secret.reply(thread, author=secret.marie, body="What do you think, @stom?")
    queued_jobs()  # the post's job: the notification is made and its push queued …
    assert Notification.objects.filter(recipient=secret.tom, kind="mention").exists()

    membership = Membership.objects.get(group=secret.group, user=secret.tom)
    groups.membership_remove(membership=membership, by=secret.owner)
    queued_jobs()  # … and sent after the member was removed: nothing leaves

    assert push_service.requests == []


def test_a_notification_read_before_its_push_leaves_is_not_pushed(
    client, community, push_service, queued_jobs, django_capture_on_commit_callbacks
):
    device_of(client, community.tom, push_service)
    thread = community.thread(author=community.tom)
    with django_capture_on_commit_callbacks(execute=True):
        community.reply(thread, author=community.marie)
    queued_jobs()  # the post's jobs: the notification is made and its push queued
    Notification.objects.filter(recipient=community.tom).update(read_at=timezone.now())
    queued_jobs()

    assert push_service.requests == []


def test_a_member_who_chose_nothing_for_the_group_gets_no_push(
    client, community, push_service, django_capture_on_commit_callbacks
):
    device_of(client, community.tom, push_service)
    Membership.objects.filter(user=community.tom).update(notification_level=NotificationLevel.NONE)
    thread = community.thread(author=community.marie)

    with django_capture_on_commit_callbacks(execute=True):
        community.reply(thread, author=community.moderator, body="@tom are you there?")

    assert push_service.requests == []


# --- Announcements and events --------------------------------------------------------------


def test_an_announcement_is_pushed_to_every_member(
    client, community, push_service, django_capture_on_commit_callbacks
):
    toms = device_of(client, community.tom, push_service, "tom")
    device_of(client, community.owner, push_service, "owner")
    Membership.objects.filter(user=community.marie).update(
        notification_level=NotificationLevel.NONE
    )
    with django_capture_on_commit_callbacks(execute=True):
        thread = community.thread(
            author=community.owner, title="AGM on Friday", body="Come to the **AGM**."
        )
    push_service.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        discussions.thread_announce(thread=thread, by=community.owner)

    announced = Notification.objects.filter(kind=Notification.Kind.ANNOUNCEMENT)
    assert set(announced.values_list("recipient", flat=True)) == {
        community.tom.pk,
        community.moderator.pk,
    }
    (request,) = push_service.requests  # not to the owner who announced it
    message = toms.decrypt(request["body"])
    assert message["title"] == "Announcement from Olivia Owner: “AGM on Friday”"
    assert message["body"] == "Come to the AGM."


@pytest.fixture
def event_with_tom(community, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = events.event_create(group=community.group, by=community.owner, **event_fields())
        events.registration_set(event=event, user=community.tom, status="going")
    return event


def test_a_new_time_for_an_event_is_pushed_to_the_people_registered(
    client, community, push_service, event_with_tom, django_capture_on_commit_callbacks
):
    browser = device_of(client, community.tom, push_service)
    new_start = event_with_tom.starts_at + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        events.event_update(
            event=event_with_tom,
            by=community.owner,
            starts_at=new_start,
            ends_at=new_start + timedelta(hours=3),
        )

    messages = [browser.decrypt(request["body"]) for request in push_service.requests]
    news = [message for message in messages if message["tag"] == f"event:{event_with_tom.pk}"]
    (message,) = news
    assert message["title"] == "New time or place for “Coffee and co-working”"
    zurich = new_start.astimezone(event_with_tom.zone)
    assert message["body"].startswith(format_when(zurich, "long_datetime"))
    assert message["body"].endswith("(Europe/Zurich) · La Forge, Rue de Genève 17, Lausanne")


def test_a_cancelled_event_is_pushed_in_the_recipients_language(
    client, community, push_service, event_with_tom, django_capture_on_commit_callbacks
):
    community.tom.language = "fr"
    community.tom.save()
    browser = device_of(client, community.tom, push_service)

    with django_capture_on_commit_callbacks(execute=True):
        events.event_cancel(
            event=event_with_tom, by=community.owner, message="The venue *flooded*."
        )

    notification = Notification.objects.get(
        recipient=community.tom, kind=Notification.Kind.EVENT_CANCELLED
    )
    assert notification.title == "Café et coworking"
    messages = [browser.decrypt(request["body"]) for request in push_service.requests]
    (message,) = [m for m in messages if m["tag"] == f"event:{event_with_tom.pk}"]
    assert message["title"] == "« Café et coworking » est annulé"
    assert message["body"] == "The venue flooded."
    (request,) = [
        r for r in push_service.requests if browser.decrypt(r["body"])["tag"].startswith("event:")
    ]
    assert request["headers"]["urgency"] == "high"


def test_a_reinstated_event_is_pushed(
    client, community, push_service, event_with_tom, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events.event_cancel(event=event_with_tom, by=community.owner)
    browser = device_of(client, community.tom, push_service)

    with django_capture_on_commit_callbacks(execute=True):
        events.event_reinstate(event=event_with_tom, by=community.owner)

    messages = [browser.decrypt(request["body"]) for request in push_service.requests]
    assert "“Coffee and co-working” is back on" in [message["title"] for message in messages]


# --- Subscribing and unsubscribing ----------------------------------------------------------


def test_subscribing_saves_the_device_with_a_label_from_its_browser(
    client, community, push_service
):
    browser = BrowserSubscription(f"{push_service.origin}/push/abc")
    client.force_login(community.tom)

    response = subscribe(client, browser)

    assert response.status_code == 201
    device = PushSubscription.objects.get(user=community.tom)
    assert response.json() == {"id": device.pk, "label": "Firefox · Android"}
    assert (device.endpoint, device.p256dh, device.auth) == (
        browser.endpoint,
        browser.p256dh,
        browser.auth,
    )
    # The same subscription sent again (the page does on each visit) stays one row.
    assert subscribe(client, browser).status_code == 200
    assert PushSubscription.objects.count() == 1


def test_a_browser_subscribing_for_another_member_stops_receiving_for_the_first(
    client, community, push_service
):
    browser = BrowserSubscription(f"{push_service.origin}/push/shared")
    client.force_login(community.tom)
    subscribe(client, browser)
    client.force_login(community.marie)
    subscribe(client, browser)

    assert list(PushSubscription.objects.values_list("user", flat=True)) == [community.marie.pk]


def bad_subscriptions(origin):
    good = BrowserSubscription(f"{origin}/push/x").as_json()
    return {
        "not JSON": ("{endpoint", "not a push subscription"),
        "a list": ("[]", "not a push subscription"),
        "no endpoint": (
            json.dumps({**good, "endpoint": ""}),
            "This field is required.",
        ),
        "another push service": (
            json.dumps({**good, "endpoint": "https://push.evil.example/abc"}),
            "This browser’s push service is not one this site sends notifications to.",
        ),
        "a key that is no P-256 point": (
            json.dumps({**good, "keys": {**good["keys"], "p256dh": "BAAA"}}),
            "The browser’s encryption key is not a valid P-256 public key.",
        ),
        "a short auth secret": (
            json.dumps({**good, "keys": {**good["keys"], "auth": "AAAA"}}),
            "The browser’s authentication secret is not valid.",
        ),
        "no keys": (
            json.dumps({"endpoint": good["endpoint"]}),
            "This field is required.",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "not JSON",
        "a list",
        "no endpoint",
        "another push service",
        "a key that is no P-256 point",
        "a short auth secret",
        "no keys",
    ],
)
def test_a_bad_subscription_is_refused_with_a_clear_reason_and_nothing_saved(
    client, community, push_service, case
):
    body, reason = bad_subscriptions(push_service.origin)[case]
    client.force_login(community.tom)

    response = client.post(
        reverse("accounts:push_subscribe"), data=body, content_type="application/json"
    )

    assert response.status_code == 400
    assert reason in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_the_reason_is_translated(client, community, push_service):
    community.tom.language = "fr"
    community.tom.save()
    good = BrowserSubscription("https://push.evil.example/abc").as_json()
    client.force_login(community.tom)

    response = client.post(
        reverse("accounts:push_subscribe"), data=json.dumps(good), content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errors"]["endpoint"] == [
        "Le service de notifications de ce navigateur n’est pas l’un de ceux auxquels ce site envoie des notifications."
    ]


def test_subscribing_needs_a_logged_in_member_and_the_csrf_token(community, push_service):
    browser = BrowserSubscription(f"{push_service.origin}/push/abc")
    anonymous = Client()
    assert subscribe(anonymous, browser).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(community.tom)
    assert subscribe(strict, browser).status_code == 403
    assert not PushSubscription.objects.exists()


def test_turning_off_removes_the_browsers_own_subscription_only(client, community, push_service):
    toms = device_of(client, community.tom, push_service, "tom")
    maries = device_of(client, community.marie, push_service, "marie")
    client.force_login(community.tom)
    url = reverse("accounts:push_unsubscribe")

    refused = client.post(url, data=json.dumps({}), content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"] == "Say which subscription to remove: its endpoint is missing."
    not_mine = client.post(
        url, data=json.dumps({"endpoint": maries.endpoint}), content_type="application/json"
    )
    assert not_mine.json() == {"removed": 0}
    mine = client.post(
        url, data=json.dumps({"endpoint": toms.endpoint}), content_type="application/json"
    )
    assert mine.json() == {"removed": 1}
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [community.marie.pk]


def test_the_public_key_is_the_one_the_messages_are_signed_with(client):
    response = client.get(reverse("accounts:push_key"))
    key = response.json()["publicKey"]
    assert key == push.vapid_public_key()
    assert len(b64url_decode(key)) == 65 and b64url_decode(key)[0] == 4


# --- The devices page ----------------------------------------------------------------------


def test_the_devices_page_lists_the_members_devices_and_removes_one_without_javascript(
    client, community, push_service
):
    device_of(client, community.tom, push_service, "phone")
    device_of(client, community.marie, push_service, "maries")
    client.force_login(community.tom)
    device = PushSubscription.objects.get(user=community.tom)

    page = client.get(reverse("accounts:devices")).content.decode()
    assert "Firefox · Android" in page
    assert "No notification delivered yet" in page
    assert page.count('class="card device"') == 1
    assert reverse("accounts:device_remove", args=[device.pk]) in page
    assert "goingsolo/push.js" in page

    response = client.post(reverse("accounts:device_remove", args=[device.pk]), follow=True)
    assert "That device no longer receives your notifications." in response.content.decode()
    assert "No device receives your notifications yet." in response.content.decode()
    assert not PushSubscription.objects.filter(user=community.tom).exists()

    maries = PushSubscription.objects.get(user=community.marie)
    assert client.post(reverse("accounts:device_remove", args=[maries.pk])).status_code == 404
    assert PushSubscription.objects.filter(pk=maries.pk).exists()


def test_the_devices_page_is_linked_from_the_profile_and_the_notifications(client, community):
    client.force_login(community.tom)
    url = reverse("accounts:devices")
    assert url in client.get(reverse("accounts:profile_edit")).content.decode()
    assert url in client.get(reverse("accounts:notifications")).content.decode()


def test_the_devices_page_needs_a_login(client):
    response = client.get(reverse("accounts:devices"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("count", [1, 5])
def test_the_devices_page_runs_the_same_queries_for_one_or_five_devices(
    client, community, push_service, count, django_assert_num_queries
):
    for number in range(count):
        device_of(client, community.tom, push_service, f"d{number}")
    client.force_login(community.tom)
    # session, member, devices, unread notifications count.
    with django_assert_num_queries(4):
        response = client.get(reverse("accounts:devices"))
    assert response.content.decode().count('class="card device"') == count


def test_the_device_label_names_browser_and_system():
    assert push.device_label(FIREFOX_ANDROID) == "Firefox · Android"
    chrome_linux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
    assert push.device_label(chrome_linux) == "Chrome · Linux"
    edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0"
    assert push.device_label(edge) == "Edge · Windows"
    iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1"
    assert push.device_label(iphone) == "Safari · iPhone"
    assert push.device_label("") == ""


def test_only_the_allowed_push_services_are_accepted(settings):
    settings.GOINGSOLO_PUSH_SERVICES = ["https://fcm.googleapis.com", "https://*.push.apple.com"]
    assert push.endpoint_allowed("https://fcm.googleapis.com/fcm/send/abc")
    assert push.endpoint_allowed("https://api.push.apple.com/3/device/abc")
    assert not push.endpoint_allowed("http://fcm.googleapis.com/fcm/send/abc")
    assert not push.endpoint_allowed("https://fcm.googleapis.com.evil.example/abc")
    assert not push.endpoint_allowed("https://127.0.0.1:5432/")
    assert not push.endpoint_allowed("https://push.apple.com.evil.example/")
    settings.GOINGSOLO_PUSH_SERVICES = ["https://*"]
    assert push.endpoint_allowed("https://ntfy.example.org/up123")
    assert not push.endpoint_allowed("http://ntfy.example.org/up123")
