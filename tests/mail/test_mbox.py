"""A list's old archive comes in as threads; a group's archive goes out as mbox."""

import io
import mailbox
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from asgiref.sync import async_to_sync
from django.core.management import call_command
from django.test import AsyncClient
from django.urls import reverse

from goingsolo.discussions.models import Post, Thread, Via
from goingsolo.discussions.services import post_reply, thread_start
from goingsolo.groups.models import Role
from goingsolo.mail.inbound.mbox import import_mbox, normalised_subject
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db


def archived(sender, subject, day, body, message_id=None, in_reply_to=None, references=None):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "going-solo@lists.example.org"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2019, 3, day, 9, 30, tzinfo=UTC))
    if message_id:
        message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    message.set_content(body)
    return message


@pytest.fixture
def archive(tmp_path, group):
    """An old list: two threads, one reply found by its references, one by its subject
    only, a message with no Message-ID; written out of date order."""
    path = tmp_path / "old-list.mbox"
    box = mailbox.mbox(path)
    messages = [
        archived(
            "Paul <paul@example.org>",
            "Re: [Going Solo] Lausanne meetup",
            3,
            "Count me in.\n\n> When is it?",
            "<3@old>",
            "<1@old>",
            "<1@old>",
        ),
        archived(
            "Marie Dupont <marie@example.org>",
            "[Going Solo] Lausanne meetup",
            1,
            "Who comes on Friday?\n\n-- \nMarie",
            "<1@old>",
        ),
        archived(
            "Jo Guest <jo@elsewhere.example>",
            "Re: Lausanne meetup",
            2,
            "Me! From Vevey.",
            "<2@old>",
            "<lost@old>",
        ),
        archived(
            "Jo Guest <jo@elsewhere.example>",
            "Invoices from France",
            4,
            "How do you invoice French clients?",
            None,
        ),
        archived(
            "Marie Dupont <marie@example.org>",
            "Re: Invoices from France",
            5,
            "With a VAT number.",
            "<5@old>",
            None,
            "<unknown@old>",
        ),
    ]
    for message in messages:
        box.add(message)
    box.close()
    return path


def test_an_archive_becomes_threads_with_dates_and_authors(group, archive):
    marie = member_of(group, email="marie@example.org", display_name="Marie Dupont")
    paul = member_of(group, email="paul@example.org", display_name="Paul")
    progress = []

    result = import_mbox(group=group, path=archive, progress=lambda *p: progress.append(p), every=2)

    assert (result.total, result.added, result.threads) == (5, 5, 2)
    assert progress == [(2, 5), (4, 5), (5, 5)]
    meetup = Thread.objects.get(group=group, title="Lausanne meetup")
    posts = list(meetup.posts.order_by("position"))
    assert [(p.author, p.guest_author_name, p.body) for p in posts] == [
        (marie, "", "Who comes on Friday?"),
        (None, "Jo Guest", "Me! From Vevey."),
        (paul, "", "Count me in."),
    ]
    assert [p.created_at.day for p in posts] == [1, 2, 3]
    assert meetup.created_at == datetime(2019, 3, 1, 9, 30, tzinfo=UTC)
    assert {p.via for p in posts} == {Via.IMPORT}
    invoices = Thread.objects.get(group=group, title="Invoices from France")
    assert list(invoices.posts.values_list("body", flat=True)) == [
        "How do you invoice French clients?",
        "With a VAT number.",
    ]


def test_a_second_import_adds_nothing(group, archive):
    import_mbox(group=group, path=archive)
    again = import_mbox(group=group, path=archive)
    assert (again.added, again.skipped) == (0, 5)
    assert Post.objects.filter(group=group).count() == 5


def test_the_command_shows_progress(group, archive):
    out = io.StringIO()
    call_command("mail", "import-mbox", "going-solo", str(archive), "--every", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:3] == ["2/5", "4/5", "5/5"]
    assert lines[-1].startswith("5 posts added (2 new threads)")


def test_subjects_are_normalised_for_threading():
    assert normalised_subject("RE: [Going Solo]  Fwd:  Lausanne   Meetup") == "lausanne meetup"


def test_a_group_admin_downloads_the_archive_as_mbox(client, group, tmp_path):
    admin = member_of(group, role=Role.ADMIN, display_name="Ada Admin")
    marie = member_of(group, display_name="Marie Dupont")
    first = thread_start(group=group, author=admin, title="Bienvenue", body="From now on, hello.")
    reply = post_reply(thread=first.post.thread, author=marie, body="Merci ! Ça marche.")
    thread_start(group=group, author=marie, title="Second", body="Deuxième fil")
    client.force_login(admin)

    response = client.get(reverse("mail:archive", args=[group.slug]))

    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/mbox"
    path = tmp_path / "export.mbox"
    path.write_bytes(b"".join(response.streaming_content))
    messages = list(mailbox.mbox(path))
    assert [m["Subject"] for m in messages] == ["Bienvenue", "Re: Bienvenue", "Second"]
    opening, answer, _second = messages
    assert opening["From"] == "Ada Admin <going-solo@127.0.0.1>"
    assert answer["In-Reply-To"] == opening["Message-ID"]
    assert answer["References"] == opening["Message-ID"]
    assert opening.get_payload(decode=True).decode() == "From now on, hello.\n"
    assert answer.get_payload(decode=True).decode() == "Merci ! Ça marche.\n"
    assert answer["Date"] is not None and reply.post.message_id == ""


def test_the_exported_archive_imports_into_another_group(client, group, tmp_path):
    admin = member_of(group, role=Role.ADMIN)
    first = thread_start(group=group, author=admin, title="Bienvenue", body="Salut")
    post_reply(thread=first.post.thread, author=admin, body="Re-salut")
    client.force_login(admin)
    path = tmp_path / "export.mbox"
    path.write_bytes(
        b"".join(client.get(reverse("mail:archive", args=[group.slug])).streaming_content)
    )
    other = GroupFactory(slug="copy")
    result = import_mbox(group=other, path=path)
    assert (result.added, result.threads) == (2, 1)
    assert list(Thread.objects.get(group=other).posts.values_list("body", flat=True)) == [
        "Salut",
        "Re-salut",
    ]


def test_under_asgi_the_archive_streams_in_batches(group):
    admin = member_of(group, role=Role.ADMIN)
    for n in range(3):
        thread_start(group=group, author=admin, title=f"Fil {n}", body="Texte")

    async def download():
        client = AsyncClient()
        await client.aforce_login(admin)
        response = await client.get(reverse("mail:archive", args=[group.slug]))
        assert response.is_async
        return b"".join([chunk async for chunk in response.streaming_content])

    data = async_to_sync(download)()
    assert data.count(b"\nFrom MAILER-DAEMON ") + data.startswith(b"From ") == 3


def test_only_admins_download_the_archive(client, group):
    client.force_login(member_of(group, role=Role.MODERATOR))
    assert client.get(reverse("mail:archive", args=[group.slug])).status_code == 403
