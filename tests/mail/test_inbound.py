"""What becomes of a message sent to a group: a thread, a reply, or a polite refusal.

Members' mail here is proven, as their providers send it: DKIM-signed by the domain of
their address (`receive(..., signed=True)`, the default). What becomes of mail whose sender
is not proven: test_inbound_confirmation.py and test_inbound_authentication.py.
"""

import io
import sys
from datetime import timedelta
from email import message_from_bytes, policy
from email.utils import make_msgid

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from goingsolo.discussions.models import Post, Thread, Via
from goingsolo.discussions.services import thread_start
from goingsolo.events import services as events
from goingsolo.events.models import Registration
from goingsolo.groups.models import Role
from goingsolo.mail.inbound.posting import thread_title
from goingsolo.mail.inbound.routing import inbound_process
from goingsolo.mail.models import Delivery, InboundMessage, ListSettings
from goingsolo.mail.outbound.services import subscription_of
from goingsolo.mail.reply_tokens import reply_address, unsubscribe_address
from tests.factories import UserFactory, member_of

from .inbound_support import (
    gmail_french_reply,
    group_address,
    plain_message,
    receive,
    signed_by_sender,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def marie(group):
    return member_of(group, display_name="Marie Dupont", email="marie@example.org", language="fr")


@pytest.fixture
def thread(group):
    paul = member_of(group, display_name="Paul Martin", email="paul@example.org")
    return thread_start(
        group=group, author=paul, title="Petit-déjeuner", body="Qui vient ?"
    ).post.thread


# --- New threads --------------------------------------------------------------------------


def test_a_member_starts_a_thread_by_writing_to_the_group(
    django_capture_on_commit_callbacks, group, marie
):
    message = plain_message(
        sender="Marie Dupont <marie@example.org>",
        to=group_address(group),
        subject="Fwd: [Going Solo] Re: Coworking à Lausanne",
        body="Qui vient travailler jeudi ?\n\n-- \nMarie",
    )

    stored = receive(django_capture_on_commit_callbacks, message)

    thread = Thread.objects.get(group=group, title="Coworking à Lausanne")
    post = thread.posts.get()
    assert (post.author, post.body, post.via) == (marie, "Qui vient travailler jeudi ?", Via.EMAIL)
    assert post.message_id == message["Message-ID"]
    assert (stored.status, stored.kind, stored.post) == ("processed", "thread", post)


def test_titles_lose_reply_prefixes_and_the_group_tag(group):
    assert thread_title("RE: TR: [Going Solo] AW: Factures", group) == "Factures"
    assert thread_title("[going-solo] Fwd: Salon", group) == "Salon"
    assert thread_title("[Other list] News", group) == "[Other list] News"


def test_a_message_without_subject_takes_its_first_line_as_title(
    django_capture_on_commit_callbacks, group, marie
):
    message = plain_message(
        sender="marie@example.org",
        to=group_address(group),
        subject="",
        body="Salut à tous\nÇa va ?",
    )
    receive(django_capture_on_commit_callbacks, message)
    assert Thread.objects.filter(group=group, title="Salut à tous").exists()


def test_a_reply_to_the_group_address_answering_a_post_goes_in_its_thread(
    django_capture_on_commit_callbacks, group, marie, thread
):
    Post.objects.filter(thread=thread).update(message_id="<post-1@goingsolo.example>")
    message = plain_message(
        sender="marie@example.org",
        to=group_address(group),
        subject="Re: Petit-déjeuner",
        body="Moi !",
        in_reply_to="<post-1@goingsolo.example>",
    )
    receive(django_capture_on_commit_callbacks, message)
    assert list(thread.posts.values_list("body", flat=True)) == ["Qui vient ?", "Moi !"]


def test_new_threads_are_held_when_the_group_asks_and_a_moderator_approves_them(
    django_capture_on_commit_callbacks, client, group, marie
):
    ListSettings.objects.create(group=group, hold_new_threads=True)
    moderator = member_of(group, role=Role.MODERATOR)
    message = plain_message(sender="marie@example.org", to=group_address(group), subject="Annonce")

    held = receive(django_capture_on_commit_callbacks, message)
    again = receive(django_capture_on_commit_callbacks, message)

    assert (held.status, held.group, held.author) == ("held", group, marie)
    assert again.status == "ignored"
    assert not Thread.objects.filter(title="Annonce").exists()
    client.force_login(moderator)
    # Held email is in the group's one review queue (tests/moderation/test_held_email.py).
    page = client.get(reverse("mail:held", args=[group.slug]), follow=True)
    assert page.status_code == 200 and "<h3>Annonce</h3>" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("moderation:email_decide", args=[group.slug, held.pk, "approve"]))
    held.refresh_from_db()
    assert held.status == "processed"
    assert Thread.objects.get(title="Annonce").posts.get().author == marie


def test_a_moderator_rejects_a_held_thread_and_nothing_is_posted(
    django_capture_on_commit_callbacks, client, group, marie
):
    ListSettings.objects.create(group=group, hold_new_threads=True)
    moderator = member_of(group, role=Role.MODERATOR)
    held = receive(
        django_capture_on_commit_callbacks,
        plain_message(sender="marie@example.org", to=group_address(group), subject="Pub"),
    )
    client.force_login(moderator)
    client.post(reverse("moderation:email_decide", args=[group.slug, held.pk, "reject"]))
    held.refresh_from_db()
    assert (held.status, held.decided_by) == ("rejected", moderator)
    assert not Thread.objects.filter(title="Pub").exists()


def test_only_moderators_see_held_messages_and_only_admins_change_the_setting(client, group, marie):
    client.force_login(marie)
    assert client.get(reverse("mail:held", args=[group.slug]), follow=True).status_code == 403
    assert client.get(reverse("mail:settings", args=[group.slug])).status_code == 403
    client.force_login(member_of(group, role=Role.MODERATOR))
    assert client.get(reverse("mail:settings", args=[group.slug])).status_code == 403
    admin = member_of(group, role=Role.ADMIN)
    client.force_login(admin)
    client.post(reverse("mail:settings", args=[group.slug]), {"hold_new_threads": "on"})
    assert ListSettings.objects.get(group=group).hold_new_threads


def test_the_group_page_shows_moderators_the_held_threads_and_admins_the_archive(
    client, group, marie
):
    page = reverse("groups:detail", args=[group.slug])
    client.force_login(marie)
    assert "review/?kind=emails" not in client.get(page).content.decode()
    client.force_login(member_of(group, role=Role.MODERATOR))
    content = client.get(page).content.decode()
    assert "review/?kind=emails" in content and "archive.mbox" not in content
    client.force_login(member_of(group, role=Role.ADMIN))
    assert "archive.mbox" in client.get(page).content.decode()


def test_a_moderators_own_thread_is_not_held(django_capture_on_commit_callbacks, group):
    ListSettings.objects.create(group=group, hold_new_threads=True)
    member_of(group, role=Role.MODERATOR, email="mod@example.org")
    stored = receive(
        django_capture_on_commit_callbacks,
        plain_message(sender="mod@example.org", to=group_address(group), subject="Règles"),
    )
    assert stored.status == "processed"


# --- Replies by token ---------------------------------------------------------------------


def test_a_reply_by_token_posts_only_the_new_text_as_the_member(
    django_capture_on_commit_callbacks, group, marie, thread
):
    message = gmail_french_reply(
        sender="Marie <marie@example.org>",
        to=reply_address(thread, marie),
        subject=thread.title,
        new_text="J’apporte les croissants.",
    )
    stored = receive(django_capture_on_commit_callbacks, message)
    post = thread.posts.get(position=2)
    assert (post.author, post.body) == (marie, "J’apporte les croissants.\n\nMarie")
    assert (stored.kind, stored.thread, stored.post) == ("reply", thread, post)


def test_a_reply_to_all_reaching_the_token_and_the_group_addresses_posts_once(
    django_capture_on_commit_callbacks, group, marie, thread
):
    message = plain_message(
        sender="marie@example.org",
        to=f"{reply_address(thread, marie)}, {group_address(group)}",
        subject=f"Re: {thread.title}",
        body="Une seule fois.",
    )
    receive(
        django_capture_on_commit_callbacks,
        message,
        [group_address(group), reply_address(thread, marie)],
    )
    assert list(Post.objects.filter(group=group).values_list("body", flat=True)) == [
        "Qui vient ?",
        "Une seule fois.",
    ]


def test_a_reply_with_another_members_token_is_refused_politely(
    django_capture_on_commit_callbacks, group, marie, thread
):
    member_of(group, email="john@example.org", language="en")
    message = plain_message(
        sender="john@example.org", to=reply_address(thread, marie), subject="Re: x", body="Me too"
    )
    stored = receive(django_capture_on_commit_callbacks, message)
    assert stored.status == "rejected" and "reply address of member" in stored.note
    assert thread.posts.count() == 1
    [explanation] = mail.outbox
    assert explanation.to == ["john@example.org"]
    assert "belongs to another member" in explanation.body  # in John's language


def test_a_reply_from_an_unverified_address_of_the_member_is_refused_in_their_language(
    django_capture_on_commit_callbacks, group, marie, thread
):
    EmailAddress.objects.create(user=marie, email="marie@work.example", verified=False)
    message = plain_message(
        sender="marie@work.example", to=reply_address(thread, marie), body="Depuis le bureau"
    )
    stored = receive(django_capture_on_commit_callbacks, message)
    assert stored.status == "rejected" and stored.note.startswith("unverified_sender")
    assert thread.posts.count() == 1
    [explanation] = mail.outbox
    assert explanation.to == ["marie@work.example"]
    assert 'lang="fr"' in explanation.alternatives[0][0]
    assert 'lang="en"' not in explanation.alternatives[0][0]


def test_a_forged_reply_token_is_refused(django_capture_on_commit_callbacks, group, marie, thread):
    address = reply_address(thread, marie).replace("+", "+9")
    stored = receive(
        django_capture_on_commit_callbacks,
        plain_message(sender="marie@example.org", to=address, body="Hop"),
    )
    assert stored.status == "rejected" and "invalid reply token" in stored.note
    assert len(mail.outbox) == 1


def test_a_reply_in_a_closed_thread_is_refused_with_the_reason(
    django_capture_on_commit_callbacks, group, marie, thread
):
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    stored = receive(
        django_capture_on_commit_callbacks,
        plain_message(sender="marie@example.org", to=reply_address(thread, marie), body="Et moi"),
    )
    assert stored.status == "rejected"
    assert "closed" in mail.outbox[0].body


def test_attachments_become_the_posts_attachments_and_programs_are_left_out(
    django_capture_on_commit_callbacks, group, marie, thread
):
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(image, "PNG")
    message = plain_message(
        sender="marie@example.org", to=reply_address(thread, marie), body="Voici la photo."
    )
    message.add_attachment(image.getvalue(), maintype="image", subtype="png", filename="café.png")
    message.add_attachment(
        b"MZ\x90\x00" + b"\x00" * 100,
        maintype="application",
        subtype="octet-stream",
        filename="setup.exe",
    )
    receive(django_capture_on_commit_callbacks, message)
    post = thread.posts.get(position=2)
    [attachment] = post.attachments.all()
    assert (attachment.kind, attachment.width, attachment.height) == ("image", 40, 30)
    assert post.body == "Voici la photo."


def test_a_message_to_the_unsubscribe_address_stops_the_groups_emails(
    django_capture_on_commit_callbacks, group, marie
):
    address = unsubscribe_address(group.slug, marie.pk, group.pk)
    stored = receive(
        django_capture_on_commit_callbacks,
        plain_message(sender="whoever@example.net", to=address, subject="Unsubscribe", body=""),
    )
    assert stored.status == "processed"
    assert subscription_of(user=marie, group=group).delivery == Delivery.NONE
    assert mail.outbox == []


def test_oui_to_an_event_announcement_registers_the_member_and_posts_nothing(
    django_capture_on_commit_callbacks, group, marie
):
    organiser = member_of(group, role=Role.ADMIN)
    start = timezone.now() + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        event = events.event_create(
            group=group,
            by=organiser,
            kind="meetup",
            title_en="Coffee",
            title_fr="Café",
            description_en="",
            description_fr="",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            time_zone="Europe/Zurich",
            venue_name="La Forge",
            address="",
            city="Lausanne",
            country="CH",
            capacity=None,
        )
    thread = event.announcement_thread
    posts = thread.posts.count()
    stored = receive(
        django_capture_on_commit_callbacks,
        gmail_french_reply(
            sender="marie@example.org",
            to=reply_address(thread, marie),
            subject=thread.title,
            new_text="Oui !",
        ),
    )
    assert stored.status == "processed" and stored.note.startswith("RSVP: going")
    assert Registration.objects.get(event=event, user=marie).status == "going"
    assert thread.posts.count() == posts


# --- Strangers, loops, limits -------------------------------------------------------------


def test_a_stranger_is_told_in_french_and_english_and_nothing_is_posted(
    django_capture_on_commit_callbacks, group
):
    stored = receive(
        django_capture_on_commit_callbacks,
        plain_message(sender="eve@example.net", to=group_address(group), subject="Promo"),
    )
    assert stored.status == "rejected" and stored.note.startswith("unknown_sender")
    assert not Thread.objects.filter(group=group).exists()
    [explanation] = mail.outbox
    html = explanation.alternatives[0][0]
    assert 'lang="fr"' in html and 'lang="en"' in html


def test_a_member_of_another_group_is_told_to_join(django_capture_on_commit_callbacks, group):
    UserFactory(email="outsider@example.org")
    stored = receive(
        django_capture_on_commit_callbacks,
        plain_message(sender="outsider@example.org", to=group_address(group)),
    )
    assert stored.status == "rejected" and stored.note.startswith("member")
    assert "You are not a member of Going Solo" in mail.outbox[0].body


def test_a_sender_is_told_at_most_once_an_hour(django_capture_on_commit_callbacks, group):
    for subject in ("One", "Two", "Three"):
        receive(
            django_capture_on_commit_callbacks,
            plain_message(sender="eve@example.net", to=group_address(group), subject=subject),
        )
    assert len(mail.outbox) == 1
    assert InboundMessage.objects.filter(note__endswith="(sender not told)").count() == 2


@pytest.mark.parametrize(
    "sender", ["noreply@example.net", "MAILER-DAEMON@example.net", "postmaster@example.net"]
)
def test_programs_are_never_answered(django_capture_on_commit_callbacks, group, sender):
    stored = receive(
        django_capture_on_commit_callbacks,
        plain_message(sender=sender, to=group_address(group)),
    )
    assert stored.status in ("ignored", "rejected")
    assert mail.outbox == []


LOOPS = [
    ({"Auto-Submitted": "auto-replied"}, "Hello"),
    ({"Auto-Submitted": "auto-generated"}, "Hello"),
    ({"Precedence": "bulk"}, "Hello"),
    ({"Precedence": "junk"}, "Hello"),
    ({"Precedence": "list"}, "Hello"),
    ({"X-Autoreply": "yes"}, "Hello"),
    ({"X-Autorespond": "Out of office"}, "Hello"),
    ({"X-Auto-Response-Suppress": "All"}, "Hello"),
    ({"X-Goingsolo-Origin": "127.0.0.1"}, "Hello"),
    ({"List-Id": "Going Solo <going-solo.127.0.0.1>"}, "Hello"),
    ({}, "Out of Office: Re: Petit-déjeuner"),
    ({}, "Automatic reply: Coworking"),
    ({}, "Absence du bureau"),
    ({}, "Réponse automatique : Coworking"),
    ({}, "Automatische Antwort: Coworking"),
    ({}, "Abwesenheitsnotiz: Coworking"),
    ({}, "Fuera de la oficina: Coworking"),
    ({}, "Respuesta automática: Coworking"),
]


@pytest.mark.parametrize(("headers", "subject"), LOOPS)
def test_auto_replies_and_our_own_messages_are_ignored(
    django_capture_on_commit_callbacks, group, marie, headers, subject
):
    message = plain_message(
        sender="marie@example.org", to=group_address(group), subject=subject, headers=headers
    )
    stored = receive(django_capture_on_commit_callbacks, message)
    assert stored.status == "ignored", stored.note
    assert not Thread.objects.filter(group=group).exists()
    assert mail.outbox == []


def test_our_own_message_id_and_address_are_recognised(
    django_capture_on_commit_callbacks, group, marie
):
    ours = plain_message(
        sender="marie@example.org",
        to=group_address(group),
        message_id=make_msgid(domain="127.0.0.1"),
    )
    assert receive(django_capture_on_commit_callbacks, ours).status == "ignored"
    from_us = plain_message(
        sender=f"Marie via Going Solo <{group_address(group)}>", to=group_address(group)
    )
    assert receive(django_capture_on_commit_callbacks, from_us).status == "ignored"


def test_an_explanation_coming_back_is_ignored(django_capture_on_commit_callbacks, group):
    receive(
        django_capture_on_commit_callbacks,
        plain_message(sender="eve@example.net", to=group_address(group)),
    )
    # The explanation as it went out, from the queue: its bytes.
    bounced_back = message_from_bytes(mail.outbox[0].message().as_bytes(), policy=policy.default)
    del bounced_back["To"]
    bounced_back["To"] = group_address(group)
    cache.clear()
    stored = receive(
        django_capture_on_commit_callbacks, bounced_back.as_bytes(), [group_address(group)]
    )
    assert stored.status == "ignored"
    assert len(mail.outbox) == 1


def test_an_ordinary_message_saying_auto_submitted_no_is_posted(
    django_capture_on_commit_callbacks, group, marie
):
    message = plain_message(
        sender="marie@example.org", to=group_address(group), headers={"Auto-Submitted": "no"}
    )
    assert receive(django_capture_on_commit_callbacks, message).status == "processed"


def test_posting_by_email_is_limited_per_member_and_hour(
    django_capture_on_commit_callbacks, settings, group, marie
):
    settings.GOINGSOLO_MAIL_POSTS_PER_HOUR = 3
    statuses = [
        receive(
            django_capture_on_commit_callbacks,
            plain_message(sender="marie@example.org", to=group_address(group), subject=f"N°{n}"),
        ).status
        for n in range(4)
    ]
    assert statuses == ["processed", "processed", "processed", "rejected"]
    assert Thread.objects.filter(group=group).count() == 3
    [explanation] = mail.outbox
    assert explanation.to == ["marie@example.org"]


def test_a_message_with_no_text_of_its_own_is_refused(
    django_capture_on_commit_callbacks, group, marie, thread
):
    message = plain_message(
        sender="marie@example.org",
        to=reply_address(thread, marie),
        body="Sent from my iPhone\n",
    )
    stored = receive(django_capture_on_commit_callbacks, message)
    assert (stored.status, stored.note[:17]) == ("rejected", "no text of its ow")


def test_with_an_authserv_id_its_dmarc_pass_proves_the_sender_and_no_other_hosts(
    django_capture_on_commit_callbacks, settings, group, marie
):
    settings.GOINGSOLO_MAIL_AUTHSERV_ID = "mx.goingsolo.example"
    forged = plain_message(
        sender="marie@example.org",
        to=group_address(group),
        subject="Forged",
        headers={"Authentication-Results": "mx.elsewhere.example; dmarc=pass"},
    )
    stored = receive(django_capture_on_commit_callbacks, forged, signed=False)
    assert stored.status == "awaiting"  # Marie is asked whether she wrote it
    assert not Thread.objects.filter(title="Forged").exists()
    genuine = plain_message(
        sender="marie@example.org",
        to=group_address(group),
        subject="Genuine",
        headers={
            "Authentication-Results": "mx.goingsolo.example; spf=pass; dkim=pass; "
            "dmarc=pass header.from=example.org"
        },
    )
    stored = receive(django_capture_on_commit_callbacks, genuine, signed=False)
    assert stored.status == "processed"
    assert stored.authentication.startswith("proven by authentication-results")


def test_subjects_in_raw_utf8_latin1_or_encoded_words_are_read(
    django_capture_on_commit_callbacks, group, marie
):
    for subject in ("Café crème".encode(), "Crêpes".encode("latin-1"), b"=?utf-8?q?Gr=C3=A8ve?="):
        raw = (
            b"From: Marie <marie@example.org>\r\nTo: going-solo@127.0.0.1\r\nSubject: "
            + subject
            + b"\r\nMessage-ID: <"
            + str(len(subject)).encode()
            + b"@example.org>\r\n\r\nBonjour\r\n"
        )
        receive(django_capture_on_commit_callbacks, raw, [group_address(group)])
    titles = set(Thread.objects.filter(group=group).values_list("title", flat=True))
    assert titles == {"Café crème", "Crêpes", "Grève"}


# --- Malformed mail -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe garbage \x80\x81",
        b"Subject: no from\r\n\r\nbody",
        b"From: marie@example.org\r\nContent-Type: multipart/mixed\r\n\r\nno boundary",
        b"From: =?utf-8?q?broken?= <marie@example.org\r\nSubject: =?x-unknown?b?AAAA?=\r\n\r\nhi",
        b"From: marie@example.org\r\nContent-Type: text/plain; charset=klingon\r\n\r\nqapla\xff",
        b"From: a@b.c, d@e.f\r\n\r\ntwo senders",
    ],
)
def test_malformed_mail_is_kept_and_never_raises(
    django_capture_on_commit_callbacks, group, marie, raw
):
    stored = receive(django_capture_on_commit_callbacks, raw, [group_address(group)], signed=False)
    assert stored.status in ("rejected", "ignored", "processed", "awaiting")
    assert bytes(stored.raw) == raw


def test_a_ten_megabyte_attachment_does_not_stop_the_message(
    django_capture_on_commit_callbacks, group, marie
):
    message = plain_message(sender="marie@example.org", to=group_address(group), subject="Gros")
    message.add_attachment(b"\x00" * (10 * 1024 * 1024), maintype="application", subtype="x-blob")
    stored = receive(django_capture_on_commit_callbacks, message)
    assert stored.status == "processed"
    assert Thread.objects.get(title="Gros").posts.get().body == "A first message."


def test_a_message_that_is_no_longer_received_is_not_processed_again(
    django_capture_on_commit_callbacks, group, marie
):
    stored = receive(
        django_capture_on_commit_callbacks,
        plain_message(sender="marie@example.org", to=group_address(group), subject="Une fois"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        inbound_process(stored.pk)
    assert Thread.objects.filter(title="Une fois").count() == 1


# --- goingsolo mail receive ---------------------------------------------------------------


def run_receive(monkeypatch, raw, *arguments):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    try:
        call_command("mail", "receive", *arguments, stdout=out, stderr=io.StringIO())
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


def test_receive_reads_standard_input_for_a_pipe_transport(monkeypatch, group, marie):
    message = plain_message(sender="marie@example.org", to=group_address(group), subject="Pipe")
    code, out = run_receive(
        monkeypatch,
        signed_by_sender(message.as_bytes()),
        "--sender",
        "marie@example.org",
        "--recipient",
        group_address(group),
    )
    assert code == 0 and out.endswith("processed\n")
    assert Thread.objects.filter(title="Pipe").exists()


def test_receive_takes_the_recipient_from_the_headers_when_not_given(monkeypatch, group, marie):
    message = plain_message(sender="marie@example.org", to=group_address(group), subject="Tête")
    message["Delivered-To"] = group_address(group)
    assert run_receive(monkeypatch, signed_by_sender(message.as_bytes()))[0] == 0
    assert Thread.objects.filter(title="Tête").exists()


def test_receive_exits_with_sysexits_codes(monkeypatch, group, marie):
    message = plain_message(sender="marie@example.org", to="nobody@127.0.0.1")
    assert run_receive(monkeypatch, message.as_bytes())[0] == 67
    assert run_receive(monkeypatch, b"")[0] == 65
    assert not InboundMessage.objects.exists()


def test_receive_records_the_client_the_mta_passes_and_spf_checks_it(
    monkeypatch, local_dns, group, marie
):
    local_dns.set("example.org", "TXT", ["v=spf1 ip4:203.0.113.0/24 -all"])
    message = plain_message(sender="marie@example.org", to=group_address(group), subject="Relais")
    code, _out = run_receive(
        monkeypatch,
        message.as_bytes(),
        "--sender=marie@example.org",
        f"--recipient={group_address(group)}",
        "--client-address=203.0.113.5",
        "--helo=smtp.example.org",
    )
    stored = InboundMessage.objects.get()
    assert code == 0
    assert (stored.client_address, stored.helo, stored.status) == (
        "203.0.113.5",
        "smtp.example.org",
        "processed",
    )
    assert stored.authentication.startswith("proven by spf")
