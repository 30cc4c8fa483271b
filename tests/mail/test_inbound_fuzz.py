"""Whatever arrives, processing never raises: 200 malformed messages made by hypothesis."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goingsolo.discussions.services import thread_start
from goingsolo.mail.inbound.routing import inbound_process
from goingsolo.mail.inbound.services import inbound_store
from goingsolo.mail.reply_tokens import bounce_address, reply_address
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db

HEADER_NAMES = [
    "From",
    "To",
    "Cc",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Content-Disposition",
    "MIME-Version",
    "Auto-Submitted",
    "Precedence",
    "List-Id",
    "X-Autoreply",
    "Reply-To",
    "Return-Path",
]
CONTENT_TYPES = [
    "text/plain",
    "text/html",
    "multipart/mixed",
    "multipart/alternative",
    "multipart/report",
    "multipart/report; report-type=delivery-status",
    "message/rfc822",
    "message/delivery-status",
    "application/octet-stream",
    "image/png",
    "text/rfc822-headers",
    "",
    "garbage",
    "multipart/",
    "text/plain; charset=klingon",
    'text/html; charset="utf-8',
]
ENCODINGS = ["7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "binary", "bogus", ""]
CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "klingon", "", "utf-7", "shift_jis"]

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60)
junk = st.binary(max_size=200)


@st.composite
def header_value(draw):
    kind = draw(st.sampled_from(["text", "encoded", "address", "bytes", "id"]))
    if kind == "text":
        return draw(text).encode("utf-8", "replace")
    if kind == "encoded":
        charset = draw(st.sampled_from(CHARSETS))
        encoding = draw(st.sampled_from(["q", "b", "x"]))
        return f"=?{charset}?{encoding}?{draw(text)}?=".encode("utf-8", "replace")
    if kind == "address":
        name = draw(text)
        return f'"{name}" <{draw(text)}@{draw(text)}>'.encode("utf-8", "replace")
    if kind == "id":
        return f"<{draw(text)}@{draw(text)}>".encode("utf-8", "replace")
    return draw(junk).replace(b"\n", b" ").replace(b"\r", b" ")


@st.composite
def headers(draw, sender, recipient):
    lines = []
    # Most messages name their sender and recipient, so that most reach the posting code.
    if draw(st.integers(0, 9)):
        lines.append(b"From: " + sender.encode())
    if draw(st.integers(0, 9)):
        lines.append(b"To: " + recipient.encode())
    for _ in range(draw(st.integers(0, 6))):
        name = draw(st.sampled_from(HEADER_NAMES) | text.filter(lambda t: ":" not in t))
        lines.append(name.encode("utf-8", "replace") + b": " + draw(header_value()))
    if draw(st.booleans()):
        charset = draw(st.sampled_from(CHARSETS))
        content_type = draw(st.sampled_from(CONTENT_TYPES))
        lines.append(f"Content-Type: {content_type}; charset={charset}; boundary=B".encode())
    if draw(st.booleans()):
        lines.append(b"Content-Transfer-Encoding: " + draw(st.sampled_from(ENCODINGS)).encode())
    return lines


@st.composite
def part(draw, depth=0):
    content_type = draw(st.sampled_from(CONTENT_TYPES))
    lines = [
        f"Content-Type: {content_type}; charset={draw(st.sampled_from(CHARSETS))}".encode(),
        b"Content-Transfer-Encoding: " + draw(st.sampled_from(ENCODINGS)).encode(),
    ]
    if draw(st.booleans()):
        lines.append(b'Content-Disposition: attachment; filename="' + draw(header_value()) + b'"')
    if depth < 2 and content_type.startswith("multipart") and draw(st.booleans()):
        body = draw(multipart(depth=depth + 1))
    elif content_type == "message/delivery-status":
        body = (
            b"Reporting-MTA: dns; x\r\n\r\nFinal-Recipient: rfc822; "
            + draw(header_value())
            + b"\r\nAction: "
            + draw(st.sampled_from([b"failed", b"delayed", b"", b"\xff"]))
            + b"\r\nStatus: "
            + draw(st.sampled_from([b"5.1.1", b"4.2.2", b"9.9.9", b"", b"5."]))
        )
    else:
        body = draw(junk | text.map(lambda t: t.encode("utf-8")))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


@st.composite
def multipart(draw, depth=0):
    boundary = draw(st.sampled_from([b"B", b"C", b""]))
    parts = draw(st.lists(part(depth=depth), max_size=3))
    body = b"".join(b"--" + boundary + b"\r\n" + p + b"\r\n" for p in parts)
    if draw(st.booleans()):
        body += b"--" + boundary + b"--\r\n"
    return body


@st.composite
def messages(draw, sender, recipient):
    shape = draw(st.sampled_from(["bytes", "headers", "mime", "mime", "mime"]))
    if shape == "bytes":
        return draw(st.binary(max_size=500))
    head = b"\r\n".join(draw(headers(sender, recipient)))
    if shape == "headers":
        return head + b"\r\n\r\n" + draw(junk)
    return head + b"\r\n\r\n" + draw(multipart())


@pytest.fixture
def world():
    group = GroupFactory(slug="going-solo")
    marie = member_of(group, email="marie@example.org")
    thread = thread_start(group=group, author=marie, title="Fil", body="Premier").post.thread
    return group, marie, thread


def test_malformed_messages_never_raise(world):
    _group, marie, thread = world
    senders = ["marie@example.org", "Marie <marie@example.org>", "eve@example.net", "", "<>"]
    recipients = [
        "going-solo@127.0.0.1",
        reply_address(thread, marie),
        bounce_address(marie),
        "going-solo+garbage@127.0.0.1",
        "bounces@127.0.0.1",
    ]

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(data=st.data())
    def check(data):
        sender = data.draw(st.sampled_from(senders))
        recipient = data.draw(st.sampled_from(recipients))
        raw = data.draw(messages(sender, recipient))
        stored = inbound_store(raw=raw, mail_from=sender, recipients=[recipient])
        processed = inbound_process(stored.pk)
        assert processed.status in ("processed", "held", "ignored", "rejected", "awaiting"), (
            processed.note
        )

    check()
