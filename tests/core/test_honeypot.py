"""The honeypot (`core.forms.HoneypotMixin`): a field people never see nor fill.

On the forms of content (a new thread, a reply, a wiki edit) a filled one holds the content
for a moderator, whoever the author; on sign-up and on joining a group it refuses the form
with a message, the rest of what was typed kept (docs/moderation.md, "Spam signals")."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from goingsolo.accounts.models import User
from goingsolo.core.forms import signed_start
from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import Thread
from goingsolo.groups.models import JoinPolicy, JoinRequest, Membership, Role
from goingsolo.wiki.models import Page
from tests.factories import GroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

LONG_AGO = 1.0  # a form shown long ago: no timing signal
PASSWORD = "a long and unusual passphrase"


def trusted(group):
    user = member_of(group)
    Membership.objects.filter(group=group, user=user).update(approvals=3)
    return user


def honeypot_of(html):
    """The honeypot's markup in the page HTML (exactly one)."""
    [found] = re.findall(r'<div class="hp-field"[^>]*>.*?</div>', html, re.S)
    return found


def assert_is_the_honeypot(html):
    field = honeypot_of(html)
    assert 'aria-hidden="true"' in field
    assert 'name="website"' in field and 'tabindex="-1"' in field
    assert 'autocomplete="off"' in field
    # Labelled for a screen reader that reaches it anyway; no inline style (strict CSP).
    label = re.search(r'<label for="([^"]+)">Leave this field empty</label>', field)
    assert label and f'id="{label.group(1)}"' in field
    assert "style=" not in field


def pages_with_a_honeypot(client):
    group = GroupFactory(join_policy=JoinPolicy.APPROVAL, join_questions=["Why?"])
    author = trusted(group)
    thread = discussions.thread_start(group=group, author=author, title="Hi", body="Hello").post
    client.force_login(author)
    yield reverse("discussions:thread_create", args=[group.slug])
    yield thread.thread.get_absolute_url()
    yield reverse("wiki:create", args=[group.slug])
    client.force_login(UserFactory())
    yield reverse("groups:join", args=[group.slug])
    client.logout()
    yield reverse("account_signup")


def test_every_form_people_and_robots_send_carries_the_hidden_labelled_honeypot(client):
    for url in pages_with_a_honeypot(client):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_is_the_honeypot(response.content.decode())


def test_the_stylesheet_keeps_the_honeypot_out_of_sight():
    css = open(finders.find("goingsolo/site.css"), encoding="utf-8").read()
    assert re.search(r"\.hp-field \{[^}]*left: -10000px", css)


# --- Content: held, whoever the author --------------------------------------------------------


def test_a_filled_honeypot_holds_a_trusted_members_reply_and_an_empty_one_does_not(client):
    group = GroupFactory()
    author = trusted(group)
    thread = discussions.thread_start(group=group, author=author, title="Hi", body="Rates?")
    client.force_login(author)
    url = reverse("discussions:reply", args=[group.slug, thread.post.thread_id])
    started = signed_start(at=LONG_AGO)
    client.post(url, {"body": "Robot words", "started": started, "website": "http://x.example"})
    client.post(url, {"body": "My words", "started": started, "website": ""})
    held = {p.body: p.held_because for p in thread.post.thread.posts.filter(position__gt=1)}
    assert held == {"Robot words": ["honeypot"], "My words": []}


def test_a_filled_honeypot_holds_a_new_thread_of_an_admin(client):
    group = GroupFactory()
    admin = member_of(group, Role.ADMIN)
    client.force_login(admin)
    url = reverse("discussions:thread_create", args=[group.slug])
    data = {"title": "Deals", "body": "Cheap", "started": signed_start(at=LONG_AGO)}
    client.post(url, {**data, "website": "filled"})
    client.post(url, {**data, "title": "Rates", "body": "Mine"})
    assert {t.title: t.is_held for t in Thread.objects.filter(group=group)} == {
        "Deals": True,
        "Rates": False,
    }


def test_a_filled_honeypot_holds_a_trusted_members_new_wiki_page(client):
    group = GroupFactory()
    client.force_login(trusted(group))
    url = reverse("wiki:create", args=[group.slug])
    data = {"body": "Text", "started": signed_start(at=LONG_AGO)}
    client.post(url, {**data, "title": "Robot", "website": "x"})
    client.post(url, {**data, "title": "Person", "website": ""})
    pages = {page.title: page.is_published for page in Page.objects.filter(group=group)}
    assert pages == {"Robot": False, "Person": True}


def test_the_honeypot_never_shows_back_what_was_typed_in_it(client):
    group = GroupFactory()
    client.force_login(trusted(group))
    response = client.post(
        reverse("discussions:thread_create", args=[group.slug]),
        {"title": "", "body": "", "website": "robot-text", "started": signed_start()},
    )
    assert response.status_code == 200
    assert "robot-text" not in response.content.decode()


# --- Sign-up and joining: refused, with a message ---------------------------------------------


def signup(client, email, language="en", **extra):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": "Sam"}
    return client.post(reverse("account_signup"), {**data, **extra}, HTTP_ACCEPT_LANGUAGE=language)


def test_a_sign_up_with_the_honeypot_filled_is_refused_with_a_message_and_keeps_the_form(client):
    response = signup(client, "robot@example.org", website="http://spam.example")
    html = response.content.decode()
    assert response.status_code == 200
    assert not User.objects.filter(email="robot@example.org").exists()
    assert "was filled in" in html and "send it again" in html
    assert 'value="robot@example.org"' in html and "http://spam.example" not in html
    # Sent again as the page now shows it (the honeypot empty): the account is made.
    assert signup(client, "robot@example.org", website="").status_code == 302
    assert User.objects.filter(email="robot@example.org").exists()


def test_the_sign_up_refusal_is_translated(client):
    html = signup(client, "robot@example.org", language="fr", website="x").content.decode()
    assert "Rien n’a été envoyé" in html


@pytest.mark.parametrize("policy", [JoinPolicy.OPEN, JoinPolicy.APPROVAL])
def test_joining_with_the_honeypot_filled_is_refused_with_a_message(client, policy):
    group = GroupFactory(join_policy=policy, join_questions=["Why?"])
    visitor = UserFactory()
    client.force_login(visitor)
    url = reverse("groups:join", args=[group.slug])
    data = {"accept_rules": "on", "answer_0": "I freelance in Leeds"}
    response = client.post(url, {**data, "website": "x"})
    html = response.content.decode()
    assert response.status_code == 200 and "was filled in" in html
    assert not Membership.objects.filter(group=group, user=visitor).exists()
    assert not JoinRequest.objects.filter(group=group, user=visitor).exists()
    if policy == JoinPolicy.APPROVAL:
        assert "I freelance in Leeds</textarea>" in html
    assert client.post(url, data).status_code == 302
    joined = Membership.objects.filter(group=group, user=visitor).exists()
    asked = JoinRequest.objects.filter(group=group, user=visitor).exists()
    assert joined or asked
