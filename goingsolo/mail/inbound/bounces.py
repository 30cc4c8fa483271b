"""Bounces: delivery failures reported for members' addresses, and pausing delivery.

Every message the instance sends has a return path per recipient (VERP,
`bounces+<token>@DOMAIN`, see reply_tokens), so a report names the member it was for even
when the address it cites was rewritten on the way.

Scoring (per address, over the last SCORE_WINDOW_DAYS):
- a permanent failure (status 5.x.x) weighs HARD_WEIGHT, a temporary one (4.x.x, the
  sender gave up) SOFT_WEIGHT; "delayed" warnings do not count;
- a day counts once, with its heaviest failure: a mail server down for a day sends many
  reports for one cause;
- at PAUSE_THRESHOLD the member's email delivery is paused (a DeliveryPause row): the
  outbound part sends them nothing while `outbound.pauses.delivery_paused(user)` is true.
  They see a banner on the home page and resume with one button, which resets the score.

Only reports that arrive on a VERP address with a valid token count: a report sent to a
group's address or to a bare `bounces@` could be forged by anyone, so it is kept for the
admin (counted=False) and changes nothing.
"""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from ..addresses import member_for_address
from ..models import BounceEvent, DeliveryPause

logger = logging.getLogger(__name__)

HARD_WEIGHT = 1.0
SOFT_WEIGHT = 0.25
PAUSE_THRESHOLD = 3.0
SCORE_WINDOW_DAYS = 30

STATUS_CODE = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
SMTP_REPLY = re.compile(r"(?:^|\s)([45])\d\d[\s-]")


@dataclass
class Failure:
    """One failed recipient of a delivery report."""

    address: str
    kind: str  # BounceEvent.Kind
    status: str = ""
    diagnostic: str = ""


# --- Reading reports ---------------------------------------------------------------------


def failures_in_report(parsed):
    """The failed recipients of a DSN (RFC 3464), or of a report that is not one.

    A DSN's message/delivery-status part holds one block per recipient with Action,
    Status, Final-Recipient and Diagnostic-Code. Older servers send plain text: a 5.x.x or
    5xx code in it makes a permanent failure, anything else a temporary one.
    """
    failures = []
    for part in parsed.walk():
        try:
            if part.get_content_type() != "message/delivery-status":
                continue
            failures.extend(_failures_in_status_part(part))
        except Exception as error:
            logger.info("Unreadable delivery-status part: %r", error)
    if failures or parsed.is_delivery_report:
        return failures
    text = parsed.full_text[:20_000]
    return [Failure(address="", kind=_kind_from_text(text), diagnostic=_first_code_line(text))]


def _failures_in_status_part(part):
    failures = []
    for block in _status_blocks(part):
        # The first block describes the reporting server (Reporting-MTA); the others,
        # one per recipient, have an Action and a Status.
        if not ({"action", "status", "final-recipient"} & block.keys()):
            continue
        action = block.get("action", "").lower()
        status = block.get("status", "")
        if action and action not in ("failed",):
            continue  # delayed, delivered, relayed, expanded
        found = STATUS_CODE.search(status)
        if found and found.group(1) == "2":
            continue
        kind = BounceEvent.Kind.HARD if found and found.group(1) == "5" else BounceEvent.Kind.SOFT
        if not found and not action:
            continue
        recipient = block.get("final-recipient") or block.get("original-recipient") or ""
        failures.append(
            Failure(
                address=_address_of(recipient),
                kind=kind,
                status=found.group(0) if found else "",
                diagnostic=block.get("diagnostic-code", "")[:500],
            )
        )
    return failures


def _status_blocks(part):
    """The header blocks of a message/delivery-status part, as dicts with lower-case keys.

    The email package parses the part into sub-messages, or leaves it as text when it
    could not; both are read.
    """
    payload = part.get_payload()
    blocks = []
    if isinstance(payload, list):
        for sub in payload:
            try:
                blocks.append(
                    {key.lower(): " ".join(str(value).split()) for key, value in sub.items()}
                )
            except Exception:
                continue
        return blocks
    text = payload if isinstance(payload, str) else ""
    if not text:
        data = part.get_payload(decode=True)
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else ""
    for chunk in re.split(r"\r?\n[ \t]*\r?\n", text):
        block, last = {}, None
        for line in chunk.splitlines():
            if line[:1] in (" ", "\t") and last:
                block[last] += " " + line.strip()
                continue
            name, colon, value = line.partition(":")
            if colon:
                last = name.strip().lower()
                block[last] = value.strip()
        if block:
            blocks.append(block)
    return blocks


def _address_of(recipient):
    """ "rfc822; marie@example.org" → "marie@example.org"."""
    address = recipient.split(";", 1)[-1].strip().strip("<>").lower()
    return address if "@" in address else ""


def _kind_from_text(text):
    found = STATUS_CODE.search(text)
    if found:
        return BounceEvent.Kind.HARD if found.group(1) == "5" else BounceEvent.Kind.SOFT
    found = SMTP_REPLY.search(text)
    if found and found.group(1) == "5":
        return BounceEvent.Kind.HARD
    return BounceEvent.Kind.SOFT


def _first_code_line(text):
    for line in text.splitlines():
        if STATUS_CODE.search(line) or SMTP_REPLY.search(" " + line):
            return line.strip()[:500]
    return ""


# --- Recording and scoring ---------------------------------------------------------------


@transaction.atomic
def bounce_record(*, failures, user=None, sent_to="", counted=True, inbound=None, now=None):
    """Records FAILURES (from one report) and pauses USER's delivery past the threshold.

    USER is the member the VERP token named, SENT_TO the address the email went to when
    the token says; without a member, each failure's address is matched to a member and
    kept uncounted. Returns the BounceEvents created.
    Side effects: may create a DeliveryPause (the member sees it on the web).
    """
    now = now or timezone.now()
    events = []
    for failure in failures:
        member = user or member_for_address(failure.address)
        address = failure.address or (member.email if member else "")
        if user is not None and (not failure.address or not _belongs_to(user, failure.address)):
            # A forwarding address of the member's, rewritten on the way: keep theirs.
            address = sent_to or user.email
        events.append(
            BounceEvent.objects.create(
                address=address[:320],
                user=member,
                kind=failure.kind,
                status=failure.status[:16],
                diagnostic=failure.diagnostic[:500],
                created_at=now,
                counted=counted and user is not None,
                inbound=inbound,
            )
        )
    if user is not None and counted and events:
        _pause_if_over(user, now=now)
    return events


def _belongs_to(user, address):
    return (
        address.lower() == user.email.lower()
        or EmailAddress.objects.filter(user=user, email__iexact=address).exists()
    )


def bounce_score(user, *, now=None):
    """The member's bounce score over the last SCORE_WINDOW_DAYS (see the module's doc)."""
    now = now or timezone.now()
    since = now - timedelta(days=SCORE_WINDOW_DAYS)
    heaviest = {}
    for kind, created_at in BounceEvent.objects.filter(
        user=user, counted=True, created_at__gte=since
    ).values_list("kind", "created_at"):
        weight = HARD_WEIGHT if kind == BounceEvent.Kind.HARD else SOFT_WEIGHT
        day = created_at.date()
        heaviest[day] = max(heaviest.get(day, 0.0), weight)
    return sum(heaviest.values())


def _pause_if_over(user, *, now):
    score = bounce_score(user, now=now)
    if score >= PAUSE_THRESHOLD:
        DeliveryPause.objects.get_or_create(
            user=user, defaults={"address": user.email, "score": score, "paused_at": now}
        )
