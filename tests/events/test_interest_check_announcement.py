"""A new "would you come?" is announced like an event: a thread in the group's discussions
(the mailing list and the digests carry it by each member's choice, with one-click answers
that work without logging in), an in-app notification to every member, answers by email
reply, reminders to those who have not answered, and the organiser's page hears answers."""

import asyncio
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from goingsolo.accounts.models import Notification
from goingsolo.accounts.services import private_links_reset
from goingsolo.core import live
from goingsolo.discussions import services as discussions
from goingsolo.events import services
from goingsolo.events.answer_links import answer_url, check_and_member
from goingsolo.events.models import InterestAnswer, InterestCheck
from goingsolo.events.services.interest_checks import check_channel
from goingsolo.groups.models import Role
from goingsolo.groups.services import membership_leave
from goingsolo.mail.inbound.services import inbound_store
from goingsolo.mail.models import Delivery
from goingsolo.mail.outbound.digests import queue_digests
from goingsolo.mail.outbound.services import subscription_set_delivery
from goingsolo.mail.reply_tokens import reply_address
from tests.events.conftest import open_interest_check
from tests.factories import member_of
from tests.mail.inbound_support import gmail_french_reply, signed_by_sender
from tests.support import sink_fixture

pytestmark = pytest.mark.django_db
sink = sink_fixture()

SITE = "https://goingsolo.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.GOINGSOLO_MAIL_DOMAIN = "lists.example.org"
    settings.SITE_URL = SITE
    cache.clear()


def reader(group, delivery, **fields):
    user = member_of(group, **fields)
    subscription_set_delivery(user=user, group=group, delivery=delivery)
    return user


@pytest.fixture
def ask(group, organiser, django_capture_on_commit_callbacks):
    def run(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            return open_interest_check(
                group, organiser, threshold=fields.pop("threshold", 3), days=(60, 90), **fields
            )

    return run


def links_in(text):
    return re.findall(
        r"https://goingsolo\.example\.org/events/would-you-come/\S+/(?:yes|maybe|no)/", text
    )


# --- Announced ---------------------------------------------------------------------------------


def test_opening_a_check_starts_its_thread_in_the_groups_discussions(group, organiser, ask):
    check = ask(note="Un SoloCamp francophone, un samedi.")

    thread = check.announcement_thread
    assert thread is not None and thread.group == group
    assert thread.title == "Would you come? Barcamp in Lausanne"
    opening = thread.posts.get(position=1)
    assert opening.author == organiser
    assert "Un SoloCamp francophone" in opening.body
    assert SITE + check.get_absolute_url() in opening.body
    assert "“peut-être”" in opening.body
    assert thread in group.threads.all()


def test_a_french_organiser_asks_in_french(group, django_capture_on_commit_callbacks):
    lea = member_of(group, Role.ADMIN, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        check = open_interest_check(group, lea, threshold=5, days=(60, 90))
    thread = check.announcement_thread
    # Titles are cleaned to plain spaces (core/text.py).
    assert thread.title.replace("\u00a0", " ") == "Viendriez-vous ? Barcamp à Lausanne"
    assert "«\u00a0peut-être\u00a0»" in thread.posts.get(position=1).body


def test_mailing_list_members_get_one_click_answers_in_their_language(sink, group, ask):
    bob = reader(group, Delivery.EVERY, display_name="Bob", language="en")
    lea = reader(group, Delivery.EVERY, display_name="Léa", language="fr")
    quiet = reader(group, Delivery.NONE)

    check = ask()

    english, french = sink.one_to(bob.email), sink.one_to(lea.email)
    assert "Would you come? Barcamp in Lausanne" in str(english["Subject"])
    assert "Answer with one click:" in english.text()
    assert "Répondre en un clic" in french.text()
    bob_links, lea_links = links_in(english.text()), links_in(french.text())
    assert len(bob_links) == 3 and len(lea_links) == 3
    # Each recipient's own links: the same check, a different member.
    token = bob_links[0].split("/")[-3]
    assert check_and_member(token) == (check, bob)
    assert check_and_member(lea_links[0].split("/")[-3]) == (check, lea)
    assert bob_links[0] in english.html() or bob_links[0].replace("&", "&amp;") in english.html()
    assert not sink.to(quiet.email)


def test_a_reply_in_the_thread_carries_no_answer_links(sink, group, organiser, ask):
    bob = reader(group, Delivery.EVERY)
    check = ask()
    sink.received.clear()
    discussions.post_reply(thread=check.announcement_thread, author=organiser, body="Des idées ?")
    assert all(not links_in(message.text()) for message in sink.to(bob.email))


def test_digest_members_find_the_question_in_their_digest(
    sink, group, ask, django_capture_on_commit_callbacks
):
    daily = reader(group, Delivery.DAILY, language="fr")
    check = ask()
    assert not sink.to(daily.email)  # nothing right away: their choice is the digest

    with django_capture_on_commit_callbacks(execute=True):
        queue_digests(frequency="daily", now=timezone.now() + timedelta(hours=1))

    digest = sink.one_to(daily.email)
    assert check.announcement_thread.title in digest.text()


def test_every_member_but_the_organiser_is_notified_in_the_app_in_their_language(
    group, organiser, ask
):
    bob = member_of(group, language="en")
    lea = member_of(group, language="fr")

    check = ask(threshold=25)

    notes = {
        n.recipient_id: n for n in Notification.objects.filter(key=f"interest_check:{check.pk}")
    }
    assert set(notes) == {bob.pk, lea.pk}
    assert notes[bob.pk].title == "Would you come? Barcamp in Lausanne"
    assert "25 yes" in notes[bob.pk].excerpt
    assert notes[lea.pk].title.startswith("Viendriez-vous")
    assert notes[bob.pk].url == check.get_absolute_url()
    assert notes[bob.pk].kind == Notification.Kind.ANNOUNCEMENT


def test_the_demo_opens_a_check_without_announcing_it(group, organiser):
    check = open_interest_check(group, organiser, threshold=3, announce=False)
    assert check.announcement_thread is None
    assert not Notification.objects.exists()


# --- One-click answers -----------------------------------------------------------------------


def test_a_link_shows_a_button_and_only_the_button_answers(client, group, ask):
    bob = member_of(group)
    check = ask()
    url = answer_url(check_id=check.pk, user=bob, answer="yes")[len(SITE) :]

    page = client.get(url)  # a mail scanner following the link answers nothing
    assert page.status_code == 200 and "Answer “Yes, I would come”" in page.text
    assert not InterestAnswer.objects.exists()

    client.post(url)

    saved = InterestAnswer.objects.get(user=bob)
    assert (saved.answer, saved.source) == ("yes", "link")
    check.refresh_from_db()
    assert check.yes_count == 1
    assert "Thank you, your answer is saved." in client.get(url).text


def test_a_link_answers_for_its_member_only_and_not_once_revoked_or_gone(client, group, ask):
    bob, other = member_of(group), member_of(group)
    check = ask()
    url = answer_url(check_id=check.pk, user=bob, answer="no")[len(SITE) :]

    assert client.get(url.replace("/no/", "/sure/")).status_code == 404
    token = url.split("/")[-3]
    assert client.get(url.replace(token, token[:-2] + "xx")).status_code == 404
    client.force_login(other)  # a session changes nothing: the link names Bob
    client.post(url)
    assert InterestAnswer.objects.get().user == bob

    private_links_reset(user=bob)
    assert client.get(url).status_code == 404
    fresh = answer_url(check_id=check.pk, user=type(bob).objects.get(pk=bob.pk), answer="no")
    assert client.get(fresh[len(SITE) :]).status_code == 200
    membership_leave(membership=group.memberships.get(user=bob))
    assert client.get(fresh[len(SITE) :]).status_code == 404


def test_a_link_to_a_closed_check_says_so_and_saves_nothing(client, group, organiser, ask):
    bob = member_of(group)
    check = ask()
    services.interest_check_close(check=check, by=organiser)
    url = answer_url(check_id=check.pk, user=bob, answer="yes")[len(SITE) :]
    assert "This question is closed." in client.get(url).text
    client.post(url)
    assert not InterestAnswer.objects.exists()


# --- Answers by email ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oui", "yes"),
        ("Yes!", "yes"),
        ("Peut-être", "maybe"),
        ("peut être, selon la date", "maybe"),
        ("PEUT-ÊTRE !", "maybe"),
        ("Maybe", "maybe"),
        ("Non merci", "no"),
        ("no", "no"),
    ],
)
def test_a_reply_by_email_answers_the_check_and_posts_nothing(
    group, ask, django_capture_on_commit_callbacks, text, expected
):
    marie = member_of(group, email="marie@example.org", language="fr")
    check = ask()
    thread = check.announcement_thread
    posts = thread.posts.count()
    mail.outbox.clear()
    message = gmail_french_reply(
        sender="marie@example.org",
        to=reply_address(thread, marie),
        subject=thread.title,
        new_text=text,
    )
    with django_capture_on_commit_callbacks(execute=True):
        stored = inbound_store(
            raw=signed_by_sender(message.as_bytes()),
            mail_from="marie@example.org",
            recipients=[message["To"]],
        )
    stored.refresh_from_db()

    assert stored.status == "processed", stored.note
    saved = InterestAnswer.objects.get(user=marie)
    assert (saved.answer, saved.source) == (expected, "email")
    assert thread.posts.count() == posts
    confirmation = next(m for m in mail.outbox if m.to == ["marie@example.org"])
    assert confirmation.subject.startswith("C’est noté")
    assert len(links_in(confirmation.body)) == 3


@pytest.mark.parametrize("text", ["Peut venir Paul ?", "Nonobstant", "Je viens", ""])
def test_other_replies_are_ordinary_posts(group, ask, text):
    check = ask()
    member = member_of(group)
    assert (
        services.interest_answer_from_reply(
            thread=check.announcement_thread, user=member, text=text
        )
        is None
    )


def test_a_reply_to_a_closed_check_is_refused(group, organiser, ask):
    check = ask()
    services.interest_check_close(check=check, by=organiser)
    with pytest.raises(ValidationError):
        services.interest_answer_from_reply(
            thread=check.announcement_thread, user=member_of(group), text="oui"
        )


# --- Reminders -------------------------------------------------------------------------------


def test_reminders_go_once_and_only_to_those_who_have_not_answered(
    sink, group, organiser, ask, django_capture_on_commit_callbacks
):
    answered = reader(group, Delivery.EVERY, email="answered@example.org")
    silent = reader(group, Delivery.DAILY, email="silent@example.org", language="fr")
    quiet = reader(group, Delivery.NONE, email="quiet@example.org")
    check = ask(closes_at=timezone.now() + timedelta(days=5))
    services.interest_answer(check=check, user=answered, answer="no")
    Notification.objects.all().delete()
    sink.received.clear()

    # Too early: five days ahead.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.interest_check_reminders_queue() == 0

    soon = timezone.now() + timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.interest_check_reminders_queue(now=soon) == 2

    reminded = set(Notification.objects.values_list("recipient_id", flat=True))
    assert reminded == {silent.pk, quiet.pk}
    email = sink.one_to(silent.email)
    assert "répondre" in email.text().lower() or "réponse" in email.text().lower()
    assert len(links_in(email.text())) == 3
    assert not sink.to(quiet.email)  # "nothing" by email: the app only
    assert not sink.to(answered.email)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.interest_check_reminders_queue(now=soon) == 0


def test_a_check_closes_when_its_time_is_up(group, ask):
    check = ask(closes_at=timezone.now() + timedelta(hours=1))
    services.interest_check_reminders_queue(now=timezone.now() + timedelta(hours=2))
    check.refresh_from_db()
    assert check.status == InterestCheck.Status.CLOSED


def test_a_closing_time_in_the_past_is_refused(group, organiser):
    with pytest.raises(ValidationError) as refused:
        open_interest_check(
            group, organiser, threshold=3, closes_at=timezone.now() - timedelta(hours=1)
        )
    assert "closes_at" in refused.value.error_dict


# --- Live ------------------------------------------------------------------------------------


def test_each_answer_is_heard_on_the_organisers_channel(
    group, ask, django_capture_on_commit_callbacks
):
    check = ask()
    with django_capture_on_commit_callbacks() as on_commit:
        services.interest_answer(check=check, user=member_of(group), answer="yes")

    async def scenario():
        async with live.subscribe([check_channel(check.pk)]) as events:
            for callback in on_commit:  # the commit, once the page listens
                callback()
            return await asyncio.wait_for(anext(events), 5)

    heard = asyncio.run(scenario())
    assert heard == (check_channel(check.pk), "answer.saved", {"yes": 1, "maybe": 0, "no": 0})


def test_only_the_organiser_may_listen_to_a_checks_answers(client, group, organiser, ask):
    check = ask()
    url = reverse("events:check_events", args=[group.slug, check.pk])
    client.force_login(member_of(group))
    assert client.get(url).status_code == 404
    page = client.get(check.get_absolute_url())
    assert url not in page.text
    client.force_login(organiser)
    assert url in client.get(check.get_absolute_url()).text
