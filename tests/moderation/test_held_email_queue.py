"""Held email in the group's one review queue: a real message through the inbound handler,
then the moderator's click; requests to join answered from the same queue
(docs/moderation.md, "The review queue")."""

import smtplib

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.urls import reverse

from goingsolo.discussions.models import Thread, Via
from goingsolo.groups import services as groups
from goingsolo.groups.models import JoinRequest, Membership, Role
from goingsolo.mail.inbound.listener import InboundHandler
from goingsolo.mail.models import InboundMessage
from goingsolo.moderation.models import LogEntry
from tests.factories import UserFactory, member_of
from tests.mail.inbound_support import group_address, plain_message, signed_by_sender
from tests.support import free_port

from .queue_support import emails_to, held_email, holding_group, logged_in, one_of_each

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the hourly limits of explanations and alerts


@pytest.fixture
def group():
    return holding_group(name="Going Solo")


@pytest.fixture
def marie(group):
    return member_of(group, display_name="Marie Dupont", email="marie@example.org", language="fr")


def queue_url(group, kind=""):
    return reverse("moderation:queue", args=[group.slug]) + (f"?kind={kind}" if kind else "")


def decide(client, group, message, decision, **data):
    url = reverse("moderation:email_decide", args=[group.slug, message.pk, decision])
    return client.post(url, data)


@pytest.mark.django_db(transaction=True)
def test_an_email_held_over_smtp_is_approved_from_the_queue_and_posted_as_its_author(
    group, marie, django_capture_on_commit_callbacks
):
    controller = Controller(InboundHandler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        message = plain_message(
            sender="Marie Dupont <marie@example.org>",
            to=group_address(group),
            subject="Coworking jeudi",
            body="Qui vient travailler jeudi ?",
        )
        with smtplib.SMTP(controller.hostname, controller.port, timeout=10) as client:
            client.sendmail(
                "marie@example.org", [group_address(group)], signed_by_sender(message.as_bytes())
            )
    finally:
        controller.stop()
    held = InboundMessage.objects.get()
    assert (held.status, held.author) == ("held", marie)

    moderator = logged_in(group.moderator)
    page = moderator.get(queue_url(group)).content.decode()
    assert "<h3>Coworking jeudi</h3>" in page and "Qui vient travailler jeudi ?" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(moderator, group, held, "approve")
    assert response.status_code == 302

    post = Thread.objects.get(group=group, title="Coworking jeudi").posts.get()
    assert (post.author, post.body, post.via) == (marie, "Qui vient travailler jeudi ?", Via.EMAIL)
    held.refresh_from_db()
    assert (held.status, held.decided_by, held.post) == ("processed", group.moderator, post)
    entry = LogEntry.objects.get()
    assert (entry.action, entry.kind, entry.object_id, entry.member) == (
        "approve",
        "email",
        held.pk,
        marie,
    )
    assert "<h3>Coworking jeudi</h3>" not in moderator.get(queue_url(group)).content.decode()


def test_a_rejected_email_posts_nothing_and_its_proven_sender_is_told_why_in_french(
    group, marie, django_capture_on_commit_callbacks
):
    held = held_email(django_capture_on_commit_callbacks, group, author=marie, subject="Promo")
    assert held.status == "held"
    with django_capture_on_commit_callbacks(execute=True):
        decide(logged_in(group.moderator), group, held, "reject", reason="Pas de publicité ici.")

    held.refresh_from_db()
    assert held.status == "rejected"
    assert not Thread.objects.filter(title="Promo").exists()
    entry = LogEntry.objects.get()
    assert (entry.action, entry.kind, entry.reason) == ("reject", "email", "Pas de publicité ici.")
    [(subject, text)] = emails_to(marie)
    assert "Going Solo" in subject
    assert "Promo" in text and "Pas de publicité ici." in text


def test_a_rejected_email_whose_sender_was_not_proven_tells_nobody(
    group, marie, settings, django_capture_on_commit_callbacks
):
    # Without authentication the From address is believed, not proven: whoever wrote it
    # there may not be Marie, and must not learn anything from us.
    settings.GOINGSOLO_MAIL_AUTHENTICATE = False
    held = held_email(
        django_capture_on_commit_callbacks, group, author=marie, subject="Promo", signed=False
    )
    assert held.status == "held"
    with django_capture_on_commit_callbacks(execute=True):
        decide(logged_in(group.moderator), group, held, "reject", reason="Non.")
    held.refresh_from_db()
    assert held.status == "rejected"
    assert emails_to(marie) == []
    assert LogEntry.objects.get().action == "reject"


def test_an_email_decided_once_cannot_be_decided_again(
    group, marie, django_capture_on_commit_callbacks
):
    held = held_email(django_capture_on_commit_callbacks, group, author=marie)
    moderator = logged_in(group.moderator)
    with django_capture_on_commit_callbacks(execute=True):
        decide(moderator, group, held, "reject")
    assert decide(moderator, group, held, "approve").status_code == 404
    assert LogEntry.objects.count() == 1
    assert not Thread.objects.filter(group=group).exists()


def test_members_cannot_decide_held_email_and_other_groups_moderators_do_not_find_it(
    group, marie, django_capture_on_commit_callbacks
):
    held = held_email(django_capture_on_commit_callbacks, group, author=marie)
    assert decide(logged_in(marie), group, held, "approve").status_code == 403
    other = holding_group()
    url = reverse("moderation:email_decide", args=[other.slug, held.pk, "approve"])
    assert logged_in(other.owner).post(url).status_code == 404
    held.refresh_from_db()
    assert held.status == "held" and not LogEntry.objects.exists()


def test_the_former_held_mail_page_leads_to_the_queue_filtered_on_email(
    group, marie, django_capture_on_commit_callbacks
):
    held_email(django_capture_on_commit_callbacks, group, author=marie, subject="Annonce")
    with django_capture_on_commit_callbacks(execute=True):
        groups.join_request_create(
            group=group,
            user=UserFactory(display_name="Paul Applicant"),
            answers=[],
            accept_rules=True,
        )
    owner = logged_in(group.owner)
    response = owner.get(reverse("mail:held", args=[group.slug]))
    assert response.status_code == 302 and response["Location"] == queue_url(group, "emails")
    page = owner.get(queue_url(group, "emails")).content.decode()
    assert "<h3>Annonce</h3>" in page and "Paul Applicant" not in page
    everything = owner.get(queue_url(group)).content.decode()
    assert "<h3>Annonce</h3>" in everything and "Paul Applicant" in everything


def test_an_admin_answers_requests_to_join_from_the_queue_and_both_answers_are_logged(
    group, django_capture_on_commit_callbacks
):
    camille = UserFactory(display_name="Camille", language="fr")
    paul = UserFactory(display_name="Paul")
    with django_capture_on_commit_callbacks(execute=True):
        first = groups.join_request_create(group=group, user=camille, answers=[], accept_rules=True)
        second = groups.join_request_create(group=group, user=paul, answers=[], accept_rules=True)
    owner = logged_in(group.owner)
    assert "Camille" in owner.get(queue_url(group, "requests")).content.decode()

    def answer(join_request, decision, **data):
        url = reverse("moderation:request_decide", args=[group.slug, join_request.pk, decision])
        with django_capture_on_commit_callbacks(execute=True):
            return owner.post(url, data)

    answer(first, "approve")
    answer(second, "refuse", reason="Réservé aux indépendants.")

    assert Membership.objects.filter(group=group, user=camille, role=Role.MEMBER).exists()
    assert JoinRequest.objects.get(pk=second.pk).status == JoinRequest.Status.REFUSED
    log = LogEntry.objects.order_by("pk")
    assert [(e.action, e.kind, e.member, e.reason) for e in log] == [
        ("approve", "request", camille, ""),
        ("reject", "request", paul, "Réservé aux indépendants."),
    ]
    assert any("Bienvenue" in subject for subject, _text in emails_to(camille))
    assert any("Réservé aux indépendants." in text for _subject, text in emails_to(paul))


def test_moderators_who_are_not_admins_neither_see_nor_answer_requests_to_join(
    group, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = groups.join_request_create(
            group=group,
            user=UserFactory(display_name="Paul Applicant"),
            answers=[],
            accept_rules=True,
        )
    moderator = logged_in(group.moderator)
    page = moderator.get(queue_url(group)).content.decode()
    assert "Paul Applicant" not in page and 'value="requests"' not in page
    assert 'value="requests"' in logged_in(group.owner).get(queue_url(group)).content.decode()
    url = reverse("moderation:request_decide", args=[group.slug, request.pk, "approve"])
    assert moderator.post(url).status_code == 403
    assert JoinRequest.objects.get(pk=request.pk).status == JoinRequest.Status.PENDING


@pytest.mark.parametrize("per_kind", [1, 3])
def test_the_groups_queue_with_every_kind_runs_a_fixed_number_of_queries(
    group, per_kind, django_capture_on_commit_callbacks, django_assert_num_queries
):
    one_of_each(django_capture_on_commit_callbacks, group, per_kind)
    owner = logged_in(group.owner)
    owner.get(queue_url(group))  # sessions and caches warm up
    # Two for the member controls beside the items (whom each flag concerns, whom the
    # owner may act on: moderation.selectors.set_flag_members, members_to_act_on).
    with django_assert_num_queries(16):
        page = owner.get(queue_url(group)).content.decode()
    assert page.count('class="card"') == 5 * per_kind


def test_a_request_answered_on_the_groups_requests_page_is_logged_too(
    group, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = groups.join_request_create(
            group=group, user=UserFactory(display_name="Paul"), answers=[], accept_rules=True
        )
    url = reverse("groups:request_decide", args=[group.slug, request.pk, "refuse"])
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(group.owner).post(url, {"reason": "Complet."})
    entry = LogEntry.objects.get()
    assert (entry.action, entry.kind, entry.moderator, entry.reason) == (
        "reject",
        "request",
        group.owner,
        "Complet.",
    )
