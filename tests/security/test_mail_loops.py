"""Machines never post and are never answered: auto-replies, null senders, other lists.

Each message below is from a member of the group, signed by their provider (proven): only
its machine marks keep it out. Each goes to the group's address and to the member's reply
address, and nothing is posted nor sent back. The same message without its mark posts
(the last test), so each case fails if its mark stops being read.
"""

import io
import sys

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command

from goingsolo.discussions.models import Post
from goingsolo.discussions.services import thread_start
from goingsolo.mail.models import OutboundEmail
from goingsolo.mail.reply_tokens import reply_address
from tests.factories import member_of
from tests.mail.inbound_support import group_address, plain_message, receive, signed_by_sender

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def marie(group):
    return member_of(group, display_name="Marie Dupont", email="marie@example.org")


@pytest.fixture
def thread(group, marie):
    return thread_start(
        group=group, author=marie, title="Coworking", body="Qui vient ?"
    ).post.thread


MACHINE_MADE = {
    "null envelope sender": ({}, "<>"),
    "Auto-Submitted: auto-replied": ({"Auto-Submitted": "auto-replied"}, None),
    "Auto-Submitted: auto-generated": ({"Auto-Submitted": "auto-generated"}, None),
    "Precedence: bulk": ({"Precedence": "bulk"}, None),
    "Precedence: junk": ({"Precedence": "Junk"}, None),
    "Precedence: list": ({"Precedence": "list"}, None),
    "X-Autoreply (vacation)": ({"X-Autoreply": "yes"}, None),
    "X-Autorespond (vacation)": ({"X-Autorespond": "Je suis en congés"}, None),
    "another list's List-Id": ({"List-Id": "Freelancers <freelancers.lists.example.net>"}, None),
    "another list's empty List-Id": ({"List-Id": ""}, None),
    "a Mailman list's X-BeenThere": ({"X-BeenThere": "indep@lists.example.net"}, None),
    "our own group's List-Id": ({"List-Id": "Going Solo <going-solo.127.0.0.1>"}, None),
}


def _where(group, thread, marie):
    return {"group address": group_address(group), "reply address": reply_address(thread, marie)}


@pytest.mark.parametrize("route", ["group address", "reply address"])
@pytest.mark.parametrize("case", list(MACHINE_MADE))
def test_machine_made_mail_is_never_posted_nor_answered(
    django_capture_on_commit_callbacks, group, marie, thread, case, route
):
    headers, mail_from = MACHINE_MADE[case]
    to = _where(group, thread, marie)[route]
    message = plain_message(
        sender="Marie Dupont <marie@example.org>", to=to, body="Je suis absente.", headers=headers
    )

    stored = receive(django_capture_on_commit_callbacks, message, mail_from=mail_from)

    assert stored.status == "ignored", stored.note
    assert not Post.objects.filter(body="Je suis absente.").exists()
    assert OutboundEmail.objects.count() == 0 and mail.outbox == []


def test_a_stranger_s_auto_reply_is_not_answered_either(django_capture_on_commit_callbacks, group):
    message = plain_message(
        sender="eve@example.net", to=group_address(group), headers={"X-Autoreply": "yes"}
    )
    stored = receive(django_capture_on_commit_callbacks, message)
    assert stored.status == "ignored"
    assert OutboundEmail.objects.count() == 0


@pytest.mark.parametrize("route", ["group address", "reply address"])
def test_the_same_message_without_its_mark_posts(
    django_capture_on_commit_callbacks, group, marie, thread, route
):
    to = _where(group, thread, marie)[route]
    message = plain_message(sender="Marie Dupont <marie@example.org>", to=to, body="Je viens.")
    stored = receive(django_capture_on_commit_callbacks, message, mail_from="marie@example.org")
    assert stored.status == "processed", stored.note
    assert Post.objects.filter(body="Je viens.").exists()


def test_receive_from_a_pipe_reads_an_empty_sender_as_the_null_sender(
    monkeypatch, group, marie, capsys
):
    message = plain_message(sender="marie@example.org", to=group_address(group), body="Absente.")
    raw = signed_by_sender(message.as_bytes())
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    call_command("mail", "receive", "--sender", "", "--recipient", group_address(group))
    assert capsys.readouterr().out.split()[1] == "ignored"
    assert not Post.objects.filter(body="Absente.").exists()
