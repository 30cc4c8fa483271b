"""A message whose sender is not proven is not posted: it waits, and the member named in
its From is asked by email whether they wrote it — one click on a page, or a reply."""

import io
from datetime import timedelta
from email import message_from_bytes
from email.utils import parseaddr
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from goingsolo.discussions.models import Post, Thread
from goingsolo.discussions.services import thread_start
from goingsolo.groups.models import Membership, Role, Visibility
from goingsolo.mail.inbound.services import inbound_store
from goingsolo.mail.models import InboundMessage, ListSettings
from tests.factories import GroupFactory, MembershipFactory, member_of

from .inbound_support import group_address, plain_message, signed_by_sender

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def marie(group):
    return member_of(group, display_name="Marie Dupont", email="marie@example.org", language="fr")


@pytest.fixture
def john(group):
    return member_of(group, display_name="John Smith", email="john@example.org", language="en")


@pytest.fixture
def receive(django_capture_on_commit_callbacks):
    def receive(message, *, signed=False, recipients=None):
        """Stores MESSAGE as the listener would and runs what follows. Unsigned by
        default: nothing proves who sent it."""
        raw = message if isinstance(message, bytes) else message.as_bytes()
        if signed:
            raw = signed_by_sender(raw)
        with django_capture_on_commit_callbacks(execute=True):
            stored = inbound_store(
                raw=raw,
                mail_from="bounce@example.org",
                recipients=recipients or [str(message["To"])],
                client_address="198.51.100.20",
                helo="mail.example.org",
            )
        stored.refresh_from_db()
        return stored

    return receive


def forged(sender, group, subject="Annonce", body="Venez tous samedi.", **fields):
    return plain_message(
        sender=sender, to=group_address(group), subject=subject, body=body, **fields
    )


def confirmation_link(email):
    return next(line for line in email.body.splitlines() if "/mail/confirm/" in line).strip()


def path_of(url):
    return urlsplit(url).path


# --- Held, and the member asked ------------------------------------------------------------


def test_an_unproven_message_to_the_group_is_held_and_the_member_asked_in_french(
    receive, settings, group, marie
):
    stored = receive(forged("Marie Dupont <marie@example.org>", group))

    assert (stored.status, stored.kind, stored.author) == ("awaiting", "thread", marie)
    assert stored.authentication.startswith("not proven; dkim: no signature; spf=none")
    assert (stored.client_address, stored.helo) == ("198.51.100.20", "mail.example.org")
    assert not Thread.objects.filter(group=group).exists()
    [email] = mail.outbox
    assert email.to == ["marie@example.org"]
    assert email.subject == "Avez-vous envoyé «\u00a0Annonce\u00a0» à Going Solo\u00a0?"
    assert "Venez tous samedi." in email.body
    assert "Ou répondez simplement à cet e-mail" in email.body
    assert 'lang="fr"' in email.alternatives[0][0]
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    assert email.extra_headers["X-Goingsolo-Origin"] == settings.GOINGSOLO_MAIL_DOMAIN
    [reply_to] = email.reply_to
    assert reply_to.startswith("going-solo+confirm-")
    assert stored.confirmation_sent_at is not None


def test_a_forged_message_to_a_secret_group_is_held_too(receive):
    secret = GroupFactory(slug="cercle", visibility=Visibility.SECRET)
    member_of(secret, email="paul@example.org", language="en")
    stored = receive(forged("paul@example.org", secret, subject="Secret plans"))
    assert stored.status == "awaiting"
    assert not Post.objects.filter(group=secret).exists()
    assert mail.outbox[0].subject == "Did you send “Secret plans” to " + secret.name + "?"


def test_in_reply_to_alone_never_posts_into_a_thread(receive, group, marie, john):
    thread = thread_start(group=group, author=john, title="Samedi", body="Qui vient ?").post.thread
    Post.objects.filter(thread=thread).update(message_id="<post-1@goingsolo.example>")
    stored = receive(
        forged(
            "marie@example.org",
            group,
            subject="Re: Samedi",
            in_reply_to="<post-1@goingsolo.example>",
        )
    )
    assert (stored.status, stored.kind, stored.thread) == ("awaiting", "reply", thread)
    assert thread.posts.count() == 1
    assert "Samedi" in mail.outbox[0].body  # "A reply in “Samedi”"


def test_a_proven_reply_to_the_list_posts_in_the_thread(receive, group, marie, john):
    thread = thread_start(group=group, author=john, title="Samedi", body="Qui vient ?").post.thread
    Post.objects.filter(thread=thread).update(message_id="<post-1@goingsolo.example>")
    stored = receive(
        forged("marie@example.org", group, body="Moi !", in_reply_to="<post-1@goingsolo.example>"),
        signed=True,
    )
    assert (stored.status, stored.authentication[:14]) == ("processed", "proven by dkim")
    assert list(thread.posts.values_list("body", flat=True)) == ["Qui vient ?", "Moi !"]
    assert mail.outbox == []


def test_an_unproven_stranger_is_refused_and_nobody_is_asked_nor_told(receive, group):
    stored = receive(forged("eve@example.net", group))
    assert stored.status == "rejected" and stored.note.startswith("unknown_sender")
    # An explanation to a forged From would reach someone who wrote nothing (backscatter).
    assert stored.note.endswith("(sender not told: not proven)")
    assert mail.outbox == []


def test_the_same_unproven_message_delivered_twice_waits_once(receive, group, marie):
    message = forged("marie@example.org", group)
    assert receive(message).status == "awaiting"
    again = receive(message)
    assert again.status == "ignored" and "already held" in again.note
    assert len(mail.outbox) == 1


# --- Confirming by the link -----------------------------------------------------------------


def test_the_link_shows_the_message_and_posts_it_once_on_the_button(
    client, receive, group, marie, django_capture_on_commit_callbacks
):
    stored = receive(forged("marie@example.org", group))
    url = path_of(confirmation_link(mail.outbox[0]))

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Avez-vous envoyé ce message" in html and "Venez tous samedi." in html
    assert "Publier" in html
    assert not Thread.objects.filter(group=group).exists()  # opening the link posts nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "post"})
    assert response.status_code == 302
    thread = Thread.objects.get(group=group, title="Annonce")
    assert (thread.posts.get().author, thread.posts.get().body) == (marie, "Venez tous samedi.")
    stored.refresh_from_db()
    assert (stored.status, stored.post) == ("processed", thread.posts.get())
    assert stored.note.startswith("confirmed by its sender (link)")

    again = client.post(url, {"action": "post"}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 200
    assert "Your message is posted" in again.content.decode()
    assert thread.posts.count() == 1 and Thread.objects.filter(group=group).count() == 1


def test_a_link_used_twice_after_a_refusal_says_so_in_both_languages(client, receive, group, marie):
    receive(forged("marie@example.org", group))
    url = path_of(confirmation_link(mail.outbox[0]))
    client.post(url, {"action": "disown"})
    assert InboundMessage.objects.get().status == "rejected"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This message was not posted" in english and "You said you did not send it" in english
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ce message n’a pas été publié" in french
    client.post(url, {"action": "post"})
    assert not Thread.objects.filter(group=group).exists()


def test_an_expired_link_gives_a_clear_page_and_posts_nothing(client, receive, group, marie):
    stored = receive(forged("marie@example.org", group))
    url = path_of(confirmation_link(mail.outbox[0]))
    InboundMessage.objects.filter(pk=stored.pk).update(
        received_at=timezone.now() - timedelta(days=8)
    )

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 410
    assert "This link has expired" in english.content.decode()
    assert f'href="{group.get_absolute_url()}"' in english.content.decode()  # a way back
    french = client.post(url, {"action": "post"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert french.status_code == 410 and "Ce lien a expiré" in french.content.decode()
    assert not Thread.objects.filter(group=group).exists()

    out = io.StringIO()
    call_command("mail", "process", stdout=out)
    assert "1 messages not confirmed by their sender in time." in out.getvalue()
    stored.refresh_from_db()
    assert stored.status == "rejected"
    assert client.get(url).status_code == 410


def test_a_forged_or_truncated_link_is_not_valid(client, receive, group, marie):
    receive(forged("marie@example.org", group))
    url = path_of(confirmation_link(mail.outbox[0]))
    response = client.get(url[:-3] + "xyz/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404 and "Lien non valide" in response.content.decode()


def test_confirming_checks_the_rules_of_the_moment(client, receive, group, marie):
    receive(forged("marie@example.org", group))
    url = path_of(confirmation_link(mail.outbox[0]))
    Membership.objects.filter(user=marie, group=group).delete()
    page = client.post(url, {"action": "post"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "You are not a member of Going Solo" in page.content.decode()
    assert not Thread.objects.filter(group=group).exists()
    assert InboundMessage.objects.get().status == "rejected"


def test_confirming_respects_the_posting_rate_limit(client, receive, settings, group, marie):
    settings.GOINGSOLO_MAIL_POSTS_PER_HOUR = 1
    receive(forged("marie@example.org", group, subject="En attente"))
    url = path_of(confirmation_link(mail.outbox[0]))
    assert receive(forged("marie@example.org", group, subject="Prouvé"), signed=True).status == (
        "processed"
    )
    page = client.post(url, {"action": "post"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "the most allowed" in page.content.decode()
    assert not Thread.objects.filter(title="En attente").exists()


def test_a_confirmed_thread_still_waits_for_moderators_when_the_group_holds_threads(
    client, receive, group, marie
):
    ListSettings.objects.create(group=group, hold_new_threads=True)
    moderator = member_of(group, role=Role.MODERATOR)
    receive(forged("marie@example.org", group))
    url = path_of(confirmation_link(mail.outbox[0]))

    client.force_login(moderator)
    queue = reverse("moderation:queue", args=[group.slug]) + "?kind=emails"
    held_page = client.get(queue).content.decode()
    assert "<h3>Annonce</h3>" not in held_page  # not the moderators' to approve yet
    assert "1 other message sent by email waits for its sender" in held_page
    client.logout()

    page = client.post(url, {"action": "post"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Confirmed: waiting for the moderators" in page.content.decode()
    assert InboundMessage.objects.get().status == "held"
    client.force_login(moderator)
    assert "<h3>Annonce</h3>" in client.get(queue).content.decode()


def test_attachments_are_posted_on_confirmation(
    client, receive, group, marie, django_capture_on_commit_callbacks
):
    image = io.BytesIO()
    Image.new("RGB", (20, 10), "teal").save(image, "PNG")
    message = forged("marie@example.org", group, subject="Photo")
    message.add_attachment(image.getvalue(), maintype="image", subtype="png", filename="vue.png")
    receive(message)
    assert "vue.png" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path_of(confirmation_link(mail.outbox[0])), {"action": "post"})
    [attachment] = Thread.objects.get(title="Photo").posts.get().attachments.all()
    assert (attachment.kind, attachment.width) == ("image", 20)


# --- Confirming by a reply ----------------------------------------------------------------


def reply_to_confirmation(email, sender, body="Oui, c’est moi."):
    reply_to = email.reply_to[0]
    return plain_message(sender=sender, to=reply_to, subject="Re: " + email.subject, body=body)


def test_a_reply_from_the_member_confirms_and_posts_once(receive, group, marie):
    stored = receive(forged("marie@example.org", group))
    question = mail.outbox[0]

    confirmation = receive(reply_to_confirmation(question, "Marie <marie@example.org>"))
    assert (confirmation.status, confirmation.kind) == ("processed", "confirm")
    thread = Thread.objects.get(group=group, title="Annonce")
    assert thread.posts.get().body == "Venez tous samedi."  # not the reply's text
    stored.refresh_from_db()
    assert stored.status == "processed" and stored.note.startswith(
        "confirmed by its sender (reply)"
    )

    again = receive(reply_to_confirmation(question, "marie@example.org", body="Encore"))
    assert again.status == "ignored"
    assert Post.objects.filter(group=group).count() == 1
    assert len(mail.outbox) == 1  # nothing more was sent


def test_a_reply_from_another_address_confirms_nothing(receive, group, marie, john):
    receive(forged("marie@example.org", group))
    confirmation = receive(reply_to_confirmation(mail.outbox[0], "john@example.org"))
    assert confirmation.status == "rejected" and "confirmation address of member" in (
        confirmation.note
    )
    assert InboundMessage.objects.get(kind="thread").status == "awaiting"
    assert not Thread.objects.filter(group=group).exists()


def test_an_out_of_office_answering_the_confirmation_confirms_nothing(receive, group, marie):
    receive(forged("marie@example.org", group))
    auto = reply_to_confirmation(mail.outbox[0], "marie@example.org")
    auto["Auto-Submitted"] = "auto-replied"
    assert receive(auto).status == "ignored"
    assert not Thread.objects.filter(group=group).exists()


def test_a_reply_after_expiry_is_explained(receive, group, marie):
    stored = receive(forged("marie@example.org", group))
    question = mail.outbox[0]
    InboundMessage.objects.filter(pk=stored.pk).update(
        received_at=timezone.now() - timedelta(days=8)
    )
    late = receive(reply_to_confirmation(question, "marie@example.org"))
    assert late.status == "rejected" and "expired" in late.note
    explanation = mail.outbox[-1]
    assert explanation.to == ["marie@example.org"]
    assert "Le délai pour le confirmer est passé" in explanation.body


# --- Limits --------------------------------------------------------------------------------


def test_a_member_is_asked_at_most_once_an_hour_per_group_and_the_page_lists_the_rest(
    client, receive, group, marie, django_capture_on_commit_callbacks
):
    for subject in ("Un", "Deux", "Trois"):
        assert receive(forged("marie@example.org", group, subject=subject)).status == "awaiting"
    [question] = mail.outbox
    assert "Un" in question.subject
    assert InboundMessage.objects.filter(confirmation_sent_at__isnull=True).count() == 2

    page = client.get(path_of(confirmation_link(question)), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Your other messages waiting for you" in html
    assert "Deux" in html and "Trois" in html

    other = GroupFactory(slug="autre")
    MembershipFactory(group=other, user=marie)
    receive(forged("marie@example.org", other, subject="Ailleurs"))
    assert len(mail.outbox) == 2  # another group: asked again

    # Once Marie confirms, she is the one writing: her next message asks her at once.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path_of(confirmation_link(question)), {"action": "post"})
    receive(forged("marie@example.org", group, subject="Quatre"))
    assert len(mail.outbox) == 3


# --- Admin ---------------------------------------------------------------------------------


def test_the_admin_shows_messages_waiting_for_their_sender(client, receive, group, marie):
    receive(forged("marie@example.org", group))
    admin = get_user_model().objects.create_superuser(email="admin@example.org", password="x")
    client.force_login(admin)
    page = client.get(
        reverse("admin:mail_inboundmessage_changelist"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Waiting for the sender’s confirmation" in page
    assert "not proven" in page


def test_the_raw_confirmation_email_names_its_reply_address_and_our_origin(receive, group, marie):
    receive(forged("marie@example.org", group))
    message = message_from_bytes(mail.outbox[0].message().as_bytes())
    assert parseaddr(message["Reply-To"])[1].startswith("going-solo+confirm-")
    assert message["In-Reply-To"] == InboundMessage.objects.get().message_id
