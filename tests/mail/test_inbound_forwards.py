"""A message forwarded to a group posts the forwarded message, not only the member's note.

A call for tenders forwarded to the list is the content: it becomes the thread's post,
under the member's note. A reply that quotes a forwarded post still posts only the answer.
"""

import asyncio
import io
import smtplib
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.db import connections
from django.utils import translation
from PIL import Image

from goingsolo.discussions.models import Thread, Via
from goingsolo.discussions.services import thread_start
from goingsolo.mail.inbound.listener import InboundHandler
from goingsolo.mail.inbound.posting import thread_title
from goingsolo.mail.inbound.services import inbound_store
from goingsolo.mail.reply_tokens import reply_address
from tests.factories import GroupFactory, member_of
from tests.support import free_port

from .inbound_support import group_address, plain_message, signed_by_sender

NB = "\u00a0"

# Outlook in French, forwarding a call for tenders: "TR :" and its header block.
OUTLOOK_FORWARD = (
    "Bonjour à tous,\n"
    "\n"
    "Appel d’offres reçu ce matin, si des développeurs sont intéressés.\n"
    "\n"
    "Sophie\n"
    "\n"
    "________________________________\n"
    f"De{NB}: Mairie de Lyon <marches@lyon.example.org>\n"
    f"Envoyé{NB}: lundi 30 novembre 2026 09:15\n"
    f"À{NB}: Sophie Bernard <sophie@example.org>\n"
    f"Cc{NB}: Service des marchés <achats@lyon.example.org>\n"
    f"Objet{NB}: Appel d’offres : refonte du site de la médiathèque\n"
    "\n"
    "Madame, Monsieur,\n"
    "\n"
    "La médiathèque lance un appel d’offres pour la refonte de son site.\n"
    f"Date limite de réponse{NB}: 15 décembre 2026.\n"
)
OUTLOOK_FORWARD_POSTED = (
    "Bonjour à tous,\n"
    "\n"
    "Appel d’offres reçu ce matin, si des développeurs sont intéressés.\n"
    "\n"
    "Sophie\n"
    "\n"
    f"De{NB}: Mairie de Lyon <marches@lyon.example.org>\n"
    f"Envoyé{NB}: lundi 30 novembre 2026 09:15\n"
    f"Objet{NB}: Appel d’offres : refonte du site de la médiathèque\n"
    "\n"
    "Madame, Monsieur,\n"
    "\n"
    "La médiathèque lance un appel d’offres pour la refonte de son site.\n"
    f"Date limite de réponse{NB}: 15 décembre 2026."
)

GMAIL_FORWARD = (
    "For the web people here.\n"
    "\n"
    "---------- Forwarded message ---------\n"
    "From: Procurement Office <tenders@city.example.org>\n"
    "Date: Thu, Nov 26, 2026 at 10:02 AM\n"
    "Subject: Call for tenders: library website\n"
    "To: <tom@example.org>\n"
    "\n"
    "\n"
    "Dear supplier, the city library invites tenders for its new website.\n"
)
GMAIL_FORWARD_POSTED = (
    "For the web people here.\n"
    "\n"
    "---------- Forwarded message ---------\n"
    "From: Procurement Office <tenders@city.example.org>\n"
    "Date: Thu, Nov 26, 2026 at 10:02 AM\n"
    "Subject: Call for tenders: library website\n"
    "\n"
    "Dear supplier, the city library invites tenders for its new website."
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def sophie(group):
    return member_of(group, display_name="Sophie Bernard", email="sophie@example.org")


def receive(django_capture_on_commit_callbacks, message, recipients=None):
    """Stores MESSAGE as the listener would, DKIM-signed by the sender's domain as their
    provider sends it (a proven sender), and runs the job that follows."""
    with django_capture_on_commit_callbacks(execute=True):
        stored = inbound_store(
            raw=signed_by_sender(message.as_bytes()),
            mail_from="sophie@example.org",
            recipients=recipients or [message["To"]],
        )
    stored.refresh_from_db()
    return stored


# --- Over SMTP --------------------------------------------------------------------------


@pytest.fixture
def listener():
    controller = Controller(InboundHandler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()
    # The listener's thread opened its own database connection.
    asyncio.run(sync_to_async(connections.close_all, thread_sensitive=True)())


@pytest.mark.django_db(transaction=True)
def test_a_call_for_tenders_forwarded_to_the_group_over_smtp_becomes_a_thread_with_it(
    listener, group, sophie
):
    message = plain_message(
        sender="Sophie Bernard <sophie@example.org>",
        to=group_address(group),
        subject="TR : Appel d’offres : refonte du site de la médiathèque",
        body=OUTLOOK_FORWARD,
    )

    with smtplib.SMTP(listener.hostname, listener.port, timeout=10) as client:
        assert (
            client.sendmail(
                "sophie@example.org", [message["To"]], signed_by_sender(message.as_bytes())
            )
            == {}
        )

    thread = Thread.objects.get(group=group)
    assert thread.title == "Appel d’offres : refonte du site de la médiathèque"
    post = thread.posts.get()
    assert (post.author, post.via, post.body) == (sophie, Via.EMAIL, OUTLOOK_FORWARD_POSTED)
    # Who else received the call is not shown to the group.
    assert "achats@lyon.example.org" not in post.body


# --- Through the job --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_message_forwarded_as_attachment_posts_the_attached_message_and_its_files(
    django_capture_on_commit_callbacks, group, sophie
):
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(image, "PNG")
    call = EmailMessage()
    call["From"] = "Mairie de Lyon <marches@lyon.example.org>"
    call["To"] = "Sophie Bernard <sophie@example.org>"
    call["Subject"] = "Appel d’offres : refonte du site"
    call["Date"] = "Mon, 30 Nov 2026 09:15:00 +0100"
    call.set_content("La médiathèque lance un appel d’offres pour la refonte de son site.\n")
    call.add_attachment(image.getvalue(), maintype="image", subtype="png", filename="plan.png")
    message = plain_message(
        sender="Sophie Bernard <sophie@example.org>",
        to=group_address(group),
        subject="Fwd: Appel d’offres : refonte du site",
        body="Je vous transfère l’appel d’offres de la mairie.\n\n-- \nSophie\n",
    )
    message.add_attachment(call)
    message["Content-Language"] = "fr"

    receive(django_capture_on_commit_callbacks, message)

    post = Thread.objects.get(group=group, title="Appel d’offres : refonte du site").posts.get()
    assert post.body == (
        "Je vous transfère l’appel d’offres de la mairie.\n"
        "\n"
        "---------- Message transféré ----------\n"
        f"De{NB}: Mairie de Lyon <marches@lyon.example.org>\n"
        f"Date{NB}: 30 nov. 2026 à 9{NB}h{NB}15\n"
        f"Objet{NB}: Appel d’offres : refonte du site\n"
        "\n"
        "La médiathèque lance un appel d’offres pour la refonte de son site."
    )
    [attachment] = post.attachments.all()
    assert (attachment.kind, attachment.width, attachment.height) == ("image", 40, 30)


@pytest.mark.django_db
def test_a_forward_sent_to_a_reply_address_posts_the_forward_in_the_thread(
    django_capture_on_commit_callbacks, group, sophie
):
    thread = thread_start(
        group=group, author=sophie, title="Appels d’offres", body="On les partage ici."
    ).post.thread
    message = plain_message(
        sender="sophie@example.org",
        to=reply_address(thread, sophie),
        subject="Fwd: Call for tenders: library website",
        body=GMAIL_FORWARD,
    )

    receive(django_capture_on_commit_callbacks, message)

    assert thread.posts.get(position=2).body == GMAIL_FORWARD_POSTED


@pytest.mark.django_db
def test_a_reply_to_a_forwarded_post_posts_only_the_answer(
    django_capture_on_commit_callbacks, group, sophie
):
    tom = member_of(group, display_name="Tom Baker", email="tom@example.org", language="en")
    message = plain_message(
        sender="tom@example.org",
        to=group_address(group),
        subject="Fwd: Call for tenders: library website",
        body=GMAIL_FORWARD,
    )
    receive(django_capture_on_commit_callbacks, message)
    thread = Thread.objects.get(group=group)
    forwarded = thread.posts.get()
    quoted = "".join(f"> {line}\n" if line else ">\n" for line in forwarded.body.split("\n"))
    answer = plain_message(
        sender="sophie@example.org",
        to=reply_address(thread, sophie),
        subject="Re: Call for tenders: library website",
        body=f"Count me in for the design.\n\nTom Baker wrote:\n{quoted}",
        in_reply_to=forwarded.message_id,
    )

    receive(django_capture_on_commit_callbacks, answer)

    assert list(thread.posts.values_list("author", "body")) == [
        (tom.pk, GMAIL_FORWARD_POSTED),
        (sophie.pk, "Count me in for the design."),
    ]


@pytest.mark.django_db
def test_a_forward_without_a_subject_takes_the_forwarded_messages_subject_as_title(
    django_capture_on_commit_callbacks, group, sophie
):
    message = plain_message(
        sender="sophie@example.org", to=group_address(group), subject="Fwd:", body=GMAIL_FORWARD
    )
    receive(django_capture_on_commit_callbacks, message)
    assert Thread.objects.get(group=group).title == "Call for tenders: library website"


def test_titles_lose_the_forward_prefixes_of_every_client():
    assert thread_title("TR : Appel d’offres") == "Appel d’offres"
    assert thread_title("RV: Licitación") == "Licitación"
    assert thread_title("ENC: Licitação") == "Licitação"
    assert thread_title("[Fwd: Appel d’offres]") == "Appel d’offres"
    assert thread_title("Fwd: [Going Solo] TR: Appel", GroupFactory.build(name="Going Solo")) == (
        "Appel"
    )


@pytest.mark.django_db
def test_the_forwarded_messages_banner_is_in_the_sites_language_without_content_language(
    django_capture_on_commit_callbacks, group, sophie
):
    call = EmailMessage()
    call["From"] = "Procurement Office <tenders@city.example.org>"
    call["Subject"] = "Call for tenders"
    call.set_content("The library invites tenders.\n")
    message = plain_message(
        sender="sophie@example.org",
        to=group_address(group),
        subject="Fwd: Call for tenders",
        body="See attached.\n",
    )
    message.add_attachment(call)
    with translation.override("en"):
        receive(django_capture_on_commit_callbacks, message)
    assert Thread.objects.get(group=group).posts.get().body == (
        "See attached.\n"
        "\n"
        "---------- Forwarded message ----------\n"
        "From: Procurement Office <tenders@city.example.org>\n"
        "Subject: Call for tenders\n"
        "\n"
        "The library invites tenders."
    )
