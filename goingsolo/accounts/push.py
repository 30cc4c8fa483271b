"""Web Push: the instance's VAPID key, what a notification says to a device, and sending it.

Every in-app notification goes through `services.notifications_created`, which queues the
job (`tasks.push_notifications`) that calls `deliver` here. The message is encrypted for
the device (RFC 8291, aes128gcm) and signed with the instance's VAPID key (RFC 8292) by
pywebpush; the push service only sees an opaque body. See docs/push.md.
"""

import base64
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from fnmatch import fnmatchcase
from functools import cache
from urllib.parse import urlparse

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from py_vapid import Vapid

from . import wording
from .models import Notification, PushSubscription, User

logger = logging.getLogger(__name__)

# How long a push service keeps a message for a device that is off: a day, after which the
# news is in the app anyway.
TTL_SECONDS = 24 * 60 * 60
# RFC 8030 urgency: a device on battery saving wakes up for "high" and "normal" only.
URGENCY = {
    Notification.Kind.MENTION: "normal",
    Notification.Kind.REPLY: "normal",
    Notification.Kind.ANNOUNCEMENT: "normal",
    Notification.Kind.EVENT_CHANGED: "high",
    Notification.Kind.EVENT_CANCELLED: "high",
    Notification.Kind.EVENT_REINSTATED: "high",
}
TITLE_CHARS = 120
BODY_CHARS = 240
# Retry delays: 1, 2, 4, 8… minutes, at most 6 hours (or what Retry-After asks, if longer).
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 6 * 60 * 60


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text):
    """Bytes from base64url, with or without padding (ValueError when it is not)."""
    text = (text or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_\-]*={0,2}", text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@cache
def _vapid(pem):
    return Vapid.from_pem(pem.encode())


def vapid():
    return _vapid(settings.GOINGSOLO_VAPID_PRIVATE_KEY)


def vapid_public_key():
    """The public key browsers subscribe with (applicationServerKey): the uncompressed
    P-256 point, base64url without padding."""
    point = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(point)


def endpoint_allowed(endpoint):
    """Whether ENDPOINT is on one of the push services the instance posts to
    (GOINGSOLO_PUSH_SERVICES: origins, "*." for any subdomain, "*" for any host)."""
    parsed = urlparse(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return False
    for origin in settings.GOINGSOLO_PUSH_SERVICES:
        allowed = urlparse(origin)
        if allowed.scheme != parsed.scheme:
            continue
        pattern = allowed.hostname or ""
        if allowed.port is not None and allowed.port != parsed.port:
            continue
        if pattern == "*" or fnmatchcase(parsed.hostname, pattern):
            return True
    return False


_BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
]


def device_label(user_agent):
    """ "Firefox · Android" from a User-Agent; "" when neither is recognised. Names, not
    sentences, so the label reads the same in every language."""
    user_agent = user_agent or ""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    return " · ".join(part for part in (browser, system) if part)


def _shorten(text, limit):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def payload(notification):
    """The message a device shows, in the recipient's language: a title, a plain-text body
    (the in-app excerpt, which is plain text already), the path that opens it (and marks it
    read), and a tag under which a newer message about the same thing replaces it."""
    with translation.override(notification.recipient.preferred_language):
        title = wording.sentence(notification)
        language = translation.get_language()
    return {
        "title": _shorten(title, TITLE_CHARS),
        "body": _shorten(notification.excerpt, BODY_CHARS),
        # A path: the service worker opens it on its own site, and no other.
        "url": reverse("accounts:notification_open", args=[notification.pk]),
        "tag": notification.key,
        "lang": language,
    }


def notifications_to_push(notification_ids):
    """The notifications among NOTIFICATION_IDS that may still go to their recipient's
    devices: unread, to an active member, and about nothing in a group or a group the
    member still belongs to — the same rule as the notifications page
    (`selectors.notifications_of`), checked when the message leaves, not when it was made."""
    member = User.objects.filter(
        pk=OuterRef("recipient_id"), memberships__group_id=OuterRef("group_id")
    )
    return (
        Notification.objects.filter(
            pk__in=notification_ids, read_at__isnull=True, recipient__is_active=True
        )
        .filter(Q(group_id__isnull=True) | Q(Exists(member)))
        .select_related("recipient")
        .order_by("pk")
    )


@dataclass
class Report:
    delivered: int = 0
    gone: int = 0
    failed: int = 0
    # [notification id, subscription id] to try again, and the earliest time to do it.
    retry: list = field(default_factory=list)
    retry_after: int = 0


def _send(subscription, data, *, urgency, topic):
    """Posts DATA to SUBSCRIPTION's push service: "delivered", "gone" (the service says the
    subscription no longer exists), "retry" (a temporary refusal) or "failed"; and the
    seconds the service asked to wait (Retry-After), if it did."""
    # Imported here: pywebpush brings aiohttp, seconds of imports that every process (web,
    # mail listener, each command) would pay at start for what only a worker's job does.
    import requests  # noqa: PLC0415 -- defers a heavy import, see above
    from pywebpush import WebPushException, webpush  # noqa: PLC0415 -- defers a heavy import

    session = requests.Session()
    # The endpoint was checked against the allowed push services; a redirect could lead
    # anywhere.
    session.max_redirects = 0
    try:
        webpush(
            subscription_info=subscription.as_subscription_info(),
            data=data,
            vapid_private_key=vapid(),
            vapid_claims={"sub": settings.GOINGSOLO_VAPID_SUBJECT},
            ttl=TTL_SECONDS,
            headers={"Urgency": urgency, "Topic": topic},
            timeout=settings.GOINGSOLO_PUSH_TIMEOUT,
            requests_session=session,
        )
    except WebPushException as error:
        status = error.status_code
        host = urlparse(subscription.endpoint).hostname
        if status in (404, 410):
            return "gone", 0
        if status in (413, 429) or (status is not None and status >= 500):
            logger.warning("Push to %s answered %s; trying again later.", host, status)
            return "retry", _seconds(error.retry_after)
        logger.warning("Push to %s refused (%s): %s", host, status, error.message)
        return "failed", 0
    except requests.TooManyRedirects:
        logger.warning(
            "Push to %s redirected; not followed.", urlparse(subscription.endpoint).hostname
        )
        return "failed", 0
    except requests.RequestException as error:
        logger.warning(
            "Push to %s did not go through (%s); trying again later.",
            urlparse(subscription.endpoint).hostname,
            type(error).__name__,
        )
        return "retry", 0
    except Exception:
        # A subscription whose keys cannot encrypt (checked when it was saved, so not
        # expected): logged, never raised into the job that sends the others.
        logger.exception("Push to subscription %s failed", subscription.pk)
        return "failed", 0
    finally:
        session.close()
    return "delivered", 0


def _seconds(retry_after):
    try:
        return max(int(retry_after), 0)
    except (TypeError, ValueError):
        return 0


def retry_delay(attempt, asked=0):
    """Seconds before try ATTEMPT + 1: doubling from a minute, at most 6 hours, and never
    sooner than the push service ASKED."""
    delay = min(RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0), RETRY_MAX_SECONDS)
    return max(delay, asked)


def deliver(*, notification_ids, only=None):
    """Sends each of NOTIFICATION_IDS (those `notifications_to_push` keeps) to every device
    of its recipient, or to the [notification id, subscription id] pairs ONLY. Devices the
    push service says are gone (404, 410) are deleted; the times of the last success and
    failure are recorded. Returns a Report; never raises for a push service's answer."""
    report = Report()
    notifications = list(notifications_to_push(notification_ids))
    if not notifications:
        return report
    wanted = {(pair[0], pair[1]) for pair in only} if only is not None else None
    devices = {}
    for subscription in PushSubscription.objects.filter(
        user_id__in={notification.recipient_id for notification in notifications}
    ).order_by("pk"):
        devices.setdefault(subscription.user_id, []).append(subscription)
    delivered, failed, gone = set(), set(), set()
    for notification in notifications:
        targets = [
            subscription
            for subscription in devices.get(notification.recipient_id, [])
            if subscription.pk not in gone
            and (wanted is None or (notification.pk, subscription.pk) in wanted)
        ]
        if not targets:
            continue
        data = json.dumps(payload(notification), ensure_ascii=False)
        urgency = URGENCY.get(notification.kind, "low")
        for subscription in targets:
            outcome, asked = _send(subscription, data, urgency=urgency, topic=f"n{notification.pk}")
            if outcome == "delivered":
                report.delivered += 1
                delivered.add(subscription.pk)
            elif outcome == "gone":
                report.gone += 1
                gone.add(subscription.pk)
            else:
                failed.add(subscription.pk)
                if outcome == "retry":
                    report.retry.append([notification.pk, subscription.pk])
                    report.retry_after = max(report.retry_after, asked)
                else:
                    report.failed += 1
    now = timezone.now()
    if gone:
        PushSubscription.objects.filter(pk__in=gone).delete()
    if delivered:
        PushSubscription.objects.filter(pk__in=delivered - gone).update(last_success_at=now)
    if failed:
        PushSubscription.objects.filter(pk__in=failed - gone).update(last_failure_at=now)
    return report


def retry_at(attempt, report):
    return timezone.now() + timedelta(seconds=retry_delay(attempt, report.retry_after))
