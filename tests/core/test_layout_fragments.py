"""The layout (templates/base.html) keeps the pieces every reader sees alike as fragments:
each page still shows its own current link, search text, language, visitor or member menu
and CSRF token, and a changed setting is not served from memory."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from goingsolo.accounts.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def current_links(html):
    return re.findall(r'<a href="([^"]+)" aria-current="page"', html)


def test_the_current_link_follows_the_page(client):
    groups = client.get(reverse("groups:list")).content.decode()
    events = client.get(reverse("events:upcoming")).content.decode()
    home = client.get(reverse("home")).content.decode()
    assert current_links(groups) == [reverse("groups:list")]
    assert current_links(events) == [reverse("events:upcoming")]
    assert current_links(home) == []


def test_the_search_box_shows_this_pages_query_only(client):
    client.get(reverse("groups:search") + "?q=invoices")
    page = client.get(reverse("groups:list")).content.decode()
    assert 'name="q" value=""' in page
    searched = client.get(reverse("groups:search") + "?q=late+payers").content.decode()
    assert 'name="q" value="late payers"' in searched


def test_the_language_switcher_and_the_menu_are_in_the_readers_language(client):
    english = client.get(reverse("groups:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = client.get(reverse("groups:list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<option value="en" selected>' in english and "Log in" in english
    assert '<option value="fr" selected>' in french and "Se connecter" in french
    assert "Skip to content" in english and "Skip to content" not in french


def test_each_visitor_gets_their_own_csrf_token_and_a_member_their_menu(client):
    first = client.get(reverse("groups:list")).content.decode()
    client.cookies.clear()
    second = client.get(reverse("groups:list")).content.decode()
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(first).group(1) != token.search(second).group(1)

    member = UserFactory(display_name="Awa Diallo")
    client.force_login(member)
    page = client.get(reverse("groups:list")).content.decode()
    assert "Awa Diallo" in page and "Log out" in page and "Sign up" not in page
    assert reverse("events:my_calendar") in page


def test_a_changed_setting_is_not_served_from_memory(client):
    client.get(reverse("groups:list"))
    with override_settings(GOINGSOLO_SITE_NAME="Solo Léman", SITE_NAME="Solo Léman"):
        page = client.get(reverse("groups:list")).content.decode()
    assert "Solo Léman — a community platform" in page


def test_a_members_menu_follows_their_unread_count_their_name_and_their_role(client):
    member = UserFactory(display_name="Awa Diallo")
    client.force_login(member)
    page = client.get(reverse("groups:list")).content.decode()
    assert "unread" not in page and reverse("moderation:staff_queue") not in page

    Notification.objects.create(recipient=member, kind="reply", key="k", title="Rates", url="/")
    page = client.get(reverse("groups:list")).content.decode()
    assert "(1 unread notification)" in page and "(1 unread)" in page

    member.display_name = "Awa D."
    member.is_staff = True
    member.save()
    page = client.get(reverse("groups:list")).content.decode()
    assert ">Awa D.</a>" in page and reverse("moderation:staff_queue") in page
