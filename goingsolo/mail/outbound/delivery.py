"""Sending what is queued: claim, send over SMTP, record, retry.

The guarantee (docs/mailing-list.md tells it at length):
- Nobody is skipped. A row is "queued" until a worker claims it: the claim sets "sending"
  with a token and a time (the lease). A worker that dies leaves its rows in "sending"; once
  the lease has expired, the next claim puts them back in the queue.
- Nothing is sent twice, but for one message per crashed worker. Just before the SMTP
  transaction of a row the worker marks it in flight; the moment the server answers 250 it
  records "sent". Rows of the dead worker that were never in flight are sent once, later.
  The one in flight may or may not have reached the server (a crash between the 250 and
  the record): it is sent again, so that message alone may arrive twice.

Claiming takes `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, so any number of workers
share the queue; on SQLite the claim runs in an IMMEDIATE transaction, which serialises
claims between processes (one worker is the expected set-up there). Rows are claimed by
priority first: security mail, then one-to-one mail, then list mail.

Every email the instance sends is a row here (outbox.py): list mail is built from its
part at sending; any other email was stored whole and goes out as it is, DKIM-signed.

The delivery job (`deliver_outbound`) is here, beside what it runs: the queue asks for it
(`request_delivery`) and it sends.
"""

import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email import message_from_bytes, policy

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.core.mail.message import EmailAlternative, EmailAttachment, EmailMessage
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django_tasks import default_task_backend, task

from goingsolo.accounts.models import User
from goingsolo.discussions.models import Post
from goingsolo.groups.models import Group, Membership, not_suspended_q
from goingsolo.wiki.models import Watch

from ..models import Delivery, ListSubscription, MailPart, OutboundEmail
from ..reply_tokens import bounce_address, member_key
from . import dkim_signing
from .compose import build_message
from .keys import page_id_of
from .pauses import PAUSE_EXEMPT, paused_user_ids

logger = logging.getLogger(__name__)

Status = OutboundEmail.Status


def lease():
    return timedelta(seconds=settings.GOINGSOLO_MAIL_LEASE_SECONDS)


def retry_delay(attempts):
    """Exponential backoff: base, 2×base, 4×base… capped at six hours."""
    base = settings.GOINGSOLO_MAIL_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    requeued: int = 0

    def __add__(self, other):
        return Report(*(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__))

    def __str__(self):
        return (
            f"{self.sent} sent, {self.retried} to retry, {self.failed} failed, "
            f"{self.cancelled} cancelled, {self.requeued} taken back from stopped workers"
        )


# --- Claiming -----------------------------------------------------------------------------------


def requeue_expired(now=None):
    """Puts back in the queue the rows of workers whose lease expired; returns how many.

    A row that was in flight may have reached the server: it is sent again (at most one
    such message per crashed worker), and the log says so.
    """
    now = now or timezone.now()
    expired = OutboundEmail.objects.filter(status=Status.SENDING, claimed_at__lt=now - lease())
    in_doubt = list(expired.filter(in_flight=True).values_list("pk", flat=True))
    if in_doubt:
        logger.warning(
            "Emails %s were being sent when their worker stopped; sending them again "
            "(each may arrive twice).",
            in_doubt,
        )
        expired.filter(pk__in=in_doubt).update(
            last_error="The worker stopped during the SMTP transaction; sent again."
        )
    return expired.update(status=Status.QUEUED, claim="", in_flight=False, next_attempt_at=now)


def claim(batch_size, now=None):
    """Takes up to BATCH_SIZE due rows for this worker: (token, rows in sending order)."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(status=Status.QUEUED, next_attempt_at__lte=now)
            .order_by("-priority", "next_attempt_at", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return token, []
        OutboundEmail.objects.filter(pk__in=ids, status=Status.QUEUED).update(
            status=Status.SENDING, claim=token, claimed_at=now
        )
    rows = list(
        OutboundEmail.objects.filter(claim=token, status=Status.SENDING).order_by("-priority", "pk")
    )
    return token, rows


# --- Who is still wanted -------------------------------------------------------------------------


class _Batch:
    """What the rows of a batch need, loaded in a fixed number of queries."""

    def __init__(self, rows):
        user_ids = {row.recipient_id for row in rows if row.recipient_id}
        group_ids = {row.group_id for row in rows if row.group_id}
        self.users = {
            user.pk: user
            for user in User.objects.filter(pk__in=user_ids).only(
                "pk", "email", "is_active", "private_links_key"
            )
        }
        self.groups = {group.pk: group for group in Group.objects.filter(pk__in=group_ids)}
        # (member, group) → membership id, which signs the member's links (reply_tokens). A
        # suspended member is no member for the group's email until the suspension ends.
        self.members = {
            (user_id, group_id): pk
            for pk, user_id, group_id in Membership.objects.filter(
                not_suspended_q(), user_id__in=user_ids, group_id__in=group_ids
            ).values_list("pk", "user_id", "group_id")
        }
        self.stopped = set(
            ListSubscription.objects.filter(
                user_id__in=user_ids, group_id__in=group_ids, delivery=Delivery.NONE
            ).values_list("user_id", "group_id")
        )
        self.paused = paused_user_ids(user_ids)
        post_ids = {row.post_id for row in rows if row.post_id}
        self.gone_posts = set(
            Post.objects.filter(pk__in=post_ids)
            .filter(Q(deleted_at__isnull=False) | Q(thread__deleted_at__isnull=False))
            .values_list("pk", flat=True)
        )
        self.parts = {
            part.pk: part
            for part in MailPart.objects.filter(pk__in={r.part_id for r in rows if r.part_id})
        }
        # Emails about a wiki page go only to members still watching it.
        wiki_rows = [(row, page_id_of(row.idempotency_key)) for row in rows]
        wiki_rows = [(row, page_id) for row, page_id in wiki_rows if page_id is not None]
        self.watching = set()
        if wiki_rows:
            self.watching = set(
                Watch.objects.filter(
                    page_id__in={page_id for _row, page_id in wiki_rows},
                    user_id__in={row.recipient_id for row, _page_id in wiki_rows},
                ).values_list("user_id", "page_id")
            )
        self.wiki_page_of = {row.pk: page_id for row, page_id in wiki_rows}

    def reason_not_to_send(self, row):
        if row.is_prebuilt:
            return self._reason_not_to_send_prebuilt(row)
        user = self.users.get(row.recipient_id)
        if user is None or not user.is_active or not user.email:
            return "The member's account is closed."
        if user.pk in self.paused:
            return "The member's email delivery is paused (bounces)."
        if row.group_id:
            if (row.recipient_id, row.group_id) not in self.members:
                return "No longer a member of the group."
            if (row.recipient_id, row.group_id) in self.stopped:
                return "The member chose no email from this group."
        if row.post_id in self.gone_posts:
            return "The post was deleted."
        page_id = self.wiki_page_of.get(row.pk)
        if page_id is not None and (row.recipient_id, page_id) not in self.watching:
            return "The member no longer watches the wiki page, or it was deleted."
        return None

    def _reason_not_to_send_prebuilt(self, row):
        """A message built elsewhere goes to its address; only its member's state stops it."""
        if row.recipient_id is None:
            return None  # an address with no account (an invitation, a stranger)
        user = self.users.get(row.recipient_id)
        if user is None or not user.is_active:
            return "The member's account is closed."
        if user.pk in self.paused and row.kind not in PAUSE_EXEMPT:
            return "The member's email delivery is paused (bounces)."
        return None


# --- Sending -------------------------------------------------------------------------------------


class _Raw:
    """A message already in bytes, for Django's email backends."""

    def __init__(self, data):
        self.data = data

    def as_bytes(self, linesep="\n"):
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom=False, linesep="\n"):
        return self.as_bytes(linesep).decode("utf-8", "replace")

    def get_charset(self):
        return None


class PreparedEmail(EmailMessage):
    """A prepared message for the configured backend: the envelope sender is the
    per-recipient bounce address (VERP), the bytes are sent as they are.

    What Django's EmailMessage would hold (subject, body, alternatives, attachments) is
    read back from the bytes when someone asks: the locmem outbox of the tests reads it,
    the SMTP transport never does, so sending parses nothing."""

    def __init__(self, data, *, envelope_from, to):
        # Not EmailMessage.__init__: the content is DATA, not attributes to build it from.
        self.data = data
        self.from_email = envelope_from
        self.to = [to]
        self.cc, self.bcc = [], []
        self.encoding = None
        self.connection = None

    def message(self, *args, **kwargs):
        return _Raw(self.data)

    @cached_property
    def parsed(self):
        """The message as the email package reads it (headers, parts)."""
        return message_from_bytes(self.data, policy=policy.default)

    @property
    def extra_headers(self):
        return dict(self.parsed.items())

    @property
    def reply_to(self):
        return [str(address) for address in getattr(self.parsed["Reply-To"], "addresses", ())]

    @property
    def subject(self):
        # Django folds an encoded subject onto a line of its own ("Subject: \r\n =?utf-8?…"):
        # unfolded, it starts with the folding space, which mail clients drop too.
        return str(self.parsed["Subject"] or "").strip()

    @property
    def body(self):
        main = self.parsed.get_body(preferencelist=("plain", "html"))
        return _text(main) if main is not None else ""

    @property
    def alternatives(self):
        main = self.parsed.get_body(preferencelist=("plain", "html"))
        return [
            EmailAlternative(_text(part), part.get_content_type())
            for part in self.parsed.walk()
            if part.get_content_maintype() == "text"
            and part is not main
            and part.get_content_disposition() is None
        ]

    @property
    def attachments(self):
        return [
            EmailAttachment(
                part.get_filename(),
                _text(part) if part.get_content_maintype() == "text" else part.get_content(),
                _mimetype(part),
            )
            for part in self.parsed.iter_attachments()
        ]


def _text(part):
    return part.get_content().replace("\r\n", "\n")


def _mimetype(part):
    """ "text/calendar; method=CANCEL": the type and its parameters but the charset."""
    params = [
        f"{name}={value}"
        for name, value in part["Content-Type"].params.items()
        if name.lower() != "charset"
    ]
    return "; ".join([part.get_content_type(), *params])


class _Temporary(Exception):
    pass


class _Permanent(Exception):
    pass


class _ConnectionLost(Exception):
    pass


def _smtp_outcome(error):
    """The exception to raise for an SMTP error: temporary (retry) or permanent."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        text = "; ".join(f"{code} {message!r}" for code, message in error.recipients.values())
        return (_Permanent if codes and min(codes) >= 500 else _Temporary)(text)
    if isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {error.smtp_error!r}"
        return (_Permanent if error.smtp_code >= 500 else _Temporary)(text)
    return _ConnectionLost(f"{type(error).__name__}: {error}")


def _deliver(connection, data, *, envelope_from, to):
    try:
        connection.send_messages([PreparedEmail(data, envelope_from=envelope_from, to=to)])
    except (smtplib.SMTPException, OSError) as error:
        raise _smtp_outcome(error) from error


def _mark_in_flight(row, token, now):
    """Counts the attempt and marks the row in flight. On PostgreSQL this commit does not
    wait for the disk: were it lost in a crash, the row would be sent again all the same
    (it is in doubt either way), only the attempt would go uncounted. The "sent" record,
    which prevents a second sending, always waits."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return OutboundEmail.objects.filter(pk=row.pk, claim=token, status=Status.SENDING).update(
            in_flight=True, attempts=F("attempts") + 1, claimed_at=now, last_attempt_at=now
        )


def _finish(row, token, **fields):
    return OutboundEmail.objects.filter(pk=row.pk, claim=token).update(**fields)


def send_batch(rows, token, connection):
    """Sends claimed ROWS one by one over CONNECTION; returns (Report, connection lost).

    At the first lost connection it stops and gives the rest of the batch back to the
    queue, untouched."""
    report = Report()
    batch = _Batch(rows)
    for index, row in enumerate(rows):
        reason = batch.reason_not_to_send(row)
        if reason:
            _finish(row, token, status=Status.CANCELLED, claim="", last_error=reason)
            report.cancelled += 1
            continue
        try:
            to_address, data = _message_of(row, batch)
        except Exception as error:  # a bug in rendering must not stop the queue
            logger.exception("Could not build email %s", row.pk)
            _finish(row, token, status=Status.FAILED, claim="", last_error=repr(error)[:2000])
            report.failed += 1
            continue
        now = timezone.now()
        # In flight from here: only this row may reach the server if the process dies.
        if not _mark_in_flight(row, token, now):
            continue  # the lease expired and another worker has it now
        attempts = row.attempts + 1
        try:
            _deliver(connection, data, envelope_from=bounce_address(row.pk), to=to_address)
        except _Temporary as error:
            _retry_or_fail(row, token, attempts, str(error), report)
            continue
        except _Permanent as error:
            _finish(
                row, token, status=Status.FAILED, claim="", in_flight=False, last_error=str(error)
            )
            report.failed += 1
            continue
        except _ConnectionLost as error:
            _retry_or_fail(row, token, attempts, str(error), report)
            rest = [r.pk for r in rows[index + 1 :]]
            OutboundEmail.objects.filter(pk__in=rest, claim=token).update(
                status=Status.QUEUED, claim=""
            )
            logger.warning("Lost the connection to the mail server: %s", error)
            return report, True
        # The server answered 250: record it before anything else.
        _finish(
            row,
            token,
            status=Status.SENT,
            claim="",
            in_flight=False,
            sent_at=timezone.now(),
            to_address=to_address,
            last_error="",
        )
        report.sent += 1
    return report, False


def _message_of(row, batch):
    """(envelope recipient, bytes to send) for ROW."""
    if row.is_prebuilt:
        return row.to_address, dkim_signing.sign(bytes(row.raw_message))
    user = batch.users[row.recipient_id]
    data = build_message(
        row,
        part=batch.parts[row.part_id],
        group=batch.groups[row.group_id],
        to_address=user.email,
        member=member_key(user.private_links_key, batch.members.get((user.pk, row.group_id))),
    )
    return user.email, data


def _retry_or_fail(row, token, attempts, error, report):
    if attempts >= settings.GOINGSOLO_MAIL_MAX_ATTEMPTS:
        _finish(row, token, status=Status.FAILED, claim="", in_flight=False, last_error=error)
        report.failed += 1
    else:
        _finish(
            row,
            token,
            status=Status.QUEUED,
            claim="",
            in_flight=False,
            last_error=error,
            next_attempt_at=timezone.now() + retry_delay(attempts),
        )
        report.retried += 1


def send_due(*, batch_size=None, limit=None, now=None):
    """Sends every due email (up to LIMIT), batch by batch, over one SMTP connection.

    NOW (for tests and the command's --now) decides which rows are due. Returns a Report.
    """
    batch_size = batch_size or settings.GOINGSOLO_MAIL_BATCH_SIZE
    report = Report(requeued=requeue_expired())
    connection = None
    taken = 0
    try:
        while limit is None or taken < limit:
            size = batch_size if limit is None else min(batch_size, limit - taken)
            token, rows = claim(size, now=now)
            taken += len(rows)
            if not rows:
                break
            if connection is None:
                connection = get_connection(fail_silently=False)
                try:
                    connection.open()
                except (smtplib.SMTPException, OSError) as error:
                    logger.warning("The mail server does not answer: %s", error)
                    OutboundEmail.objects.filter(claim=token).update(status=Status.QUEUED, claim="")
                    _defer_all(now)
                    break
            batch_report, lost = send_batch(rows, token, connection)
            report += batch_report
            if lost:
                break
    finally:
        if connection is not None:
            connection.close()
    return report


def _defer_all(now):
    """The server is down: nothing is due for a short while, so the queue is not spun."""
    now = now or timezone.now()
    OutboundEmail.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now).update(
        next_attempt_at=now + retry_delay(1)
    )


def next_wakeup():
    """When something queued becomes due, or a lease expires: the next time to look."""
    now = timezone.now()
    due = OutboundEmail.objects.filter(status=Status.QUEUED).aggregate(at=Min("next_attempt_at"))[
        "at"
    ]
    leased = OutboundEmail.objects.filter(status=Status.SENDING).aggregate(at=Min("claimed_at"))[
        "at"
    ]
    times = [t for t in (due, leased + lease() if leased else None) if t is not None]
    return max(min(times), now) if times else None


def claim_wakeup(at):
    """True for the first caller asking for a wake-up at AT (to the second): one scheduled
    job per moment, however many workers finish at once. A wake-up a few seconds later is
    another moment: emails refused again by a server answering 4xx are retried after 1,
    2, 4… base delays, each retry's wake-up after the last one has run."""
    slot = int(at.timestamp())
    try:
        return cache.add(f"goingsolo:mail:wakeup:{slot}", 1, timeout=7 * 24 * 3600)
    except Exception:  # no cache (its table is missing): a duplicate wake-up is harmless
        logger.warning("The cache does not answer; scheduling the mail wake-up anyway.")
        return True


def purge_sent(*, older_than_days):
    """Deletes emails sent, failed or cancelled more than OLDER_THAN_DAYS ago, then the
    parts no email uses any more. Returns (emails, parts) deleted."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    emails, _ = OutboundEmail.objects.filter(
        status__in=[Status.SENT, Status.FAILED, Status.CANCELLED], created_at__lt=cutoff
    ).delete()
    parts, _ = MailPart.objects.filter(emails__isnull=True, created_at__lt=cutoff).delete()
    return emails, parts


def request_delivery():
    """Asks the worker to send what is queued, once the current transaction commits."""
    transaction.on_commit(deliver_outbound.enqueue)


@task()
def deliver_outbound():
    """Send what is due; then, if anything waits (a retry, a lease), come back for it."""
    report = send_due()
    if report.sent or report.failed or report.retried:
        logger.info("Outbound email: %s", report)
    at = next_wakeup()
    if at is not None and default_task_backend.supports_defer and claim_wakeup(at):
        deliver_outbound.using(run_after=at).enqueue()
