"""A group's archive as mbox, both ways.

Import (`goingsolo mail import-mbox GROUP FILE`): an old list's archive becomes threads.
- Messages are taken in the order of their Date header (file order when it is missing).
- A message goes in the thread of the first message it answers (In-Reply-To, then
  References from the nearest); when none of them is known, a reply ("Re: …", or a
  message with references) goes in the thread with the same subject, normalised
  (prefixes, [tags], case and spaces removed); anything else starts a thread.
- The author is the member with that address (any of their addresses); others are guest
  authors, under the name in their From header.
- Every message keeps its Message-ID on its post (one is made from the content when it has
  none), so a second run adds nothing.

Export (`/g/<slug>/archive.mbox`): each post is a message with From (the author's name,
at the group's address: members' own addresses stay private), Date, Subject,
Message-ID, In-Reply-To and References, and the post's Markdown as text.
"""

import email.generator
import email.policy
import email.utils
import io
import mailbox
import re
import time
from dataclasses import dataclass
from email.message import EmailMessage

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from goingsolo.core.text import clean_name
from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import Post, Thread, Via

from ..outbound.list_headers import message_id_of
from .parsing import parse_message
from .posting import SUBJECT_PREFIX, thread_title

FROM_LINE = re.compile(r"^>*From ", re.M)
BRACKET_TAG = re.compile(r"^\s*\[[^\]]{1,60}\]\s*")


@dataclass
class ImportResult:
    total: int = 0
    added: int = 0
    threads: int = 0
    skipped: int = 0
    failed: int = 0


def normalised_subject(subject):
    """The subject two messages of one thread share: no Re:, no [tag], any case."""
    text = " ".join((subject or "").split())
    while True:
        before = text
        text = SUBJECT_PREFIX.sub("", text)
        text = BRACKET_TAG.sub("", text)
        if text == before:
            break
    return text.casefold()


def _import_title(subject, group):
    title = thread_title(subject, group)
    while BRACKET_TAG.match(title):
        title = BRACKET_TAG.sub("", title, count=1)
    return thread_title(title, group)


@dataclass
class _Entry:
    key: object
    order: int
    date: object
    message_id: str
    parent_ids: list
    subject: str
    is_reply: bool


def import_mbox(*, group, path, progress=None, every=100):
    """Imports the mbox at PATH into GROUP; returns an ImportResult.

    PROGRESS, when given, is called with (done, total) every EVERY messages and at the end.
    Side effects: those of thread_start and post_reply for each post (Via.IMPORT).
    """
    box = mailbox.mbox(str(path), create=False)
    try:
        entries = _read_entries(box)
        result = ImportResult(total=len(entries))
        thread_of = dict(
            Post.objects.filter(group=group)
            .exclude(message_id="")
            .values_list("message_id", "thread_id")
        )
        thread_of_subject = {}
        for thread_id, title in Thread.objects.filter(group=group, deleted_at=None).values_list(
            "pk", "title"
        ):
            thread_of_subject.setdefault(normalised_subject(title), thread_id)
        authors = {}
        for done, entry in enumerate(entries, start=1):
            if entry.message_id in thread_of:
                result.skipped += 1
            else:
                try:
                    _import_one(
                        box,
                        entry,
                        group=group,
                        thread_of=thread_of,
                        thread_of_subject=thread_of_subject,
                        authors=authors,
                        result=result,
                    )
                except Exception:
                    result.failed += 1
            if progress and (done % every == 0 or done == len(entries)):
                progress(done, len(entries))
        return result
    finally:
        box.close()


def _read_entries(box):
    """Headers of every message, sorted by date; the file is read once, headers only."""
    entries = []
    last_date = None
    for order, key in enumerate(box.iterkeys()):
        parsed = parse_message(_headers_of(box, key))
        date = parsed.date or last_date
        last_date = date
        subject = parsed.subject
        entries.append(
            _Entry(
                key=key,
                order=order,
                date=date,
                message_id=parsed.message_id if parsed.raw_header("Message-ID") else "",
                parent_ids=parsed.parent_ids,
                subject=subject,
                is_reply=bool(SUBJECT_PREFIX.match(subject)) or bool(parsed.parent_ids),
            )
        )
    floor = timezone.now()
    entries.sort(key=lambda entry: ((entry.date or floor).timestamp(), entry.order))
    return entries


def _headers_of(box, key):
    data = box.get_bytes(key)
    head, separator, _body = data.partition(b"\n\n")
    return head + b"\n\n" if separator else data


def _import_one(box, entry, *, group, thread_of, thread_of_subject, authors, result):
    parsed = parse_message(box.get_bytes(entry.key))
    message_id = entry.message_id or parsed.message_id  # made from the content
    if message_id in thread_of:
        result.skipped += 1
        return
    author, guest_name = _author(parsed, authors)
    body = parsed.body_text or parsed.full_text.strip() or "…"
    body = body[: settings.GOINGSOLO_POST_MAX_CHARS]
    created_at = entry.date or timezone.now()
    thread_id = next((thread_of[p] for p in entry.parent_ids if p in thread_of), None)
    key = normalised_subject(entry.subject)
    if thread_id is None and entry.is_reply and key:
        thread_id = thread_of_subject.get(key)
    thread = Thread.objects.filter(pk=thread_id, deleted_at=None).first() if thread_id else None
    if thread is not None:
        post = discussions.post_reply(
            thread=thread,
            author=author,
            body=body,
            via=Via.IMPORT,
            message_id=message_id,
            created_at=created_at,
            guest_author_name=guest_name,
        ).post
    else:
        title = _import_title(entry.subject, group) or body.splitlines()[0][:200] or "…"
        post = discussions.thread_start(
            group=group,
            author=author,
            title=title,
            body=body,
            via=Via.IMPORT,
            message_id=message_id,
            created_at=created_at,
            guest_author_name=guest_name,
        ).post
        result.threads += 1
        if key:
            thread_of_subject.setdefault(key, post.thread_id)
    thread_of[message_id] = post.thread_id
    result.added += 1


def _author(parsed, authors):
    """(member or None, guest name) for the sender of PARSED; cached per address."""
    address = parsed.from_address
    if address not in authors:
        member = None
        if address:
            row = EmailAddress.objects.filter(email__iexact=address).select_related("user").first()
            member = (
                row.user if row else get_user_model().objects.filter(email__iexact=address).first()
            )
        authors[address] = member
    member = authors[address]
    if member is not None:
        return member, ""
    name = parsed.from_name or (address.split("@")[0] if address else "") or "?"
    return None, name[:200]


# --- Export -------------------------------------------------------------------------------

EXPORT_POLICY = email.policy.SMTP.clone(linesep="\n", max_line_length=998)


def post_message_id(post):
    """The Message-ID a post has in mail: the one it came or went with, else the one the
    outbound mail gives it."""
    return message_id_of(post)


def export_group(group, *, chunk_size=500):
    """Yields the group's mbox, one message at a time (threads by age, posts in order)."""
    list_address = f"{group.slug}@{settings.GOINGSOLO_MAIL_DOMAIN}"
    posts = (
        Post.objects.filter(
            group=group,
            deleted_at=None,
            thread__deleted_at=None,
            is_held=False,
            thread__is_held=False,
        )
        .select_related("author", "thread")
        .order_by("thread__created_at", "thread_id", "position")
    )
    opening = {}  # thread id → Message-ID of its first post
    ids = {}  # post id → Message-ID, for quotes within the thread being written
    current_thread = None
    for post in posts.iterator(chunk_size=chunk_size):
        if post.thread_id != current_thread:
            current_thread = post.thread_id
            ids.clear()
        message_id = post_message_id(post)
        ids[post.pk] = message_id
        message = EmailMessage(policy=EXPORT_POLICY)
        message["From"] = email.utils.formataddr(
            (clean_name(post.author_name) or "?", list_address)
        )
        message["Date"] = email.utils.format_datetime(post.created_at)
        title = clean_name(post.thread.title)
        message["Subject"] = title if post.thread_id not in opening else f"Re: {title}"
        message["Message-ID"] = message_id
        if post.thread_id in opening:
            parent = ids.get(post.quoted_post_id) or opening[post.thread_id]
            message["In-Reply-To"] = parent
            references = [opening[post.thread_id]]
            if parent != references[0]:
                references.append(parent)
            message["References"] = " ".join(references)
        else:
            opening[post.thread_id] = message_id
        body = post.body or ""
        # A line starting "From " would be escaped as ">From " in the mbox, and read back
        # changed; base64 keeps such a body as it is.
        cte = "base64" if FROM_LINE.search(body) else None
        message.set_content(body, charset="utf-8", cte=cte)
        yield _mbox_entry(message, post.created_at)


def _mbox_entry(message, created_at):
    buffer = io.BytesIO()
    envelope_date = time.asctime(time.gmtime(created_at.timestamp()))
    buffer.write(f"From MAILER-DAEMON {envelope_date}\n".encode())
    generator = email.generator.BytesGenerator(buffer, mangle_from_=True, policy=EXPORT_POLICY)
    generator.flatten(message)
    data = buffer.getvalue()
    return data + (b"\n" if data.endswith(b"\n") else b"\n\n")
