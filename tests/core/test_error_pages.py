"""Error pages look like the site, speak the visitor's language and offer a way back.

The test client runs with DEBUG=False, as in production: Django answers with the handlers of
config/urls.py and the templates 400.html, 403.html, 404.html, 429.html and 500.html.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from goingsolo.groups.models import Role
from tests.factories import GroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def looks_like_the_site(page, language):
    assert f'<html lang="{language}">' in page
    assert "goingsolo/site.css" in page
    assert 'class="site-header"' in page
    assert f'href="{reverse("home")}"' in page, "a way home"


def test_404_for_an_anonymous_visitor_in_english(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 404
    looks_like_the_site(page, "en")
    assert "This page does not exist" in page
    assert "Go to the home page" in page
    assert "Log in" in page


def test_404_for_an_anonymous_visitor_in_french(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    page = response.content.decode()
    assert response.status_code == 404
    looks_like_the_site(page, "fr")
    assert "Cette page n’existe pas" in page
    assert "Aller à l’accueil" in page
    assert response["Content-Language"] == "fr"


def test_404_speaks_the_members_language_over_the_browsers(client):
    client.force_login(UserFactory(language="fr"))
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "Cette page n’existe pas" in response.content.decode()


def test_a_profile_the_visitor_may_not_open_is_a_styled_404(client):
    """Members of public groups have a short public profile; a member of closed groups only
    shows to people who share a group: an anonymous visitor gets the site's 404, in their
    language, with a way to log in and come back."""
    group = GroupFactory(visibility="closed")
    member = member_of(group)
    response = client.get(member.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    page = response.content.decode()
    looks_like_the_site(page, "fr")
    assert "ne s’affichent qu’aux personnes qui ont un compte" in page
    assert f"{reverse('account_login')}?next={member.get_absolute_url()}" in page


def test_the_previous_page_is_offered_when_it_is_on_this_site(client):
    came_from = "http://testserver/groups/"
    page = client.get("/no-such-page/", HTTP_REFERER=came_from).content.decode()
    assert f'<a href="{came_from}">Back to the previous page</a>' in page


@pytest.mark.parametrize(
    "referer",
    ["https://elsewhere.example/page/", "javascript:alert(1)", "http://testserver/no-such-page/"],
)
def test_no_previous_page_from_another_site_or_the_same_page(client, referer):
    page = client.get("/no-such-page/", HTTP_REFERER=referer).content.decode()
    assert "Back to the previous page" not in page


def test_403_says_why_in_the_visitors_language(client):
    closed = GroupFactory(visibility="closed")
    client.force_login(UserFactory(language="en"))
    response = client.get(reverse("groups:members", args=[closed.slug]))
    assert response.status_code == 403
    page = response.content.decode()
    looks_like_the_site(page, "en")
    assert "You may not see this page" in page
    assert "You are not allowed to see this page." in page
    client.force_login(UserFactory(language="fr"))
    response = client.get(reverse("groups:members", args=[closed.slug]))
    assert response.status_code == 403
    page = response.content.decode()
    looks_like_the_site(page, "fr")
    assert "Vous n’avez pas accès à cette page" in page
    assert "Vous n’avez pas le droit de voir cette page." in page


def test_an_expired_form_is_a_styled_403_that_leads_back_to_it(db):
    client = Client(enforce_csrf_checks=True)
    member = UserFactory(language="fr")
    client.force_login(member)
    form_page = "http://testserver" + reverse("groups:create")
    response = client.post(reverse("groups:create"), {"name": "No token"}, HTTP_REFERER=form_page)
    assert response.status_code == 403
    page = response.content.decode()
    looks_like_the_site(page, "fr")
    assert "Ce formulaire a expiré" in page
    assert f'<a href="{form_page}">Revenir à la page précédente</a>' in page


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "This request could not be understood"),
        ("fr", "Le site n’a pas pu comprendre cette demande"),
    ],
)
def test_400_for_a_request_the_site_cannot_read(client, language, text):
    # A Host the site does not serve is refused before any view.
    response = client.get("/", HTTP_HOST="not-this-site.example", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    page = response.content.decode()
    looks_like_the_site(page, language)
    assert text in page


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Too many attempts in a short time"), ("fr", "Trop de tentatives en peu de temps")],
)
def test_429_when_a_rate_limit_is_reached(client, settings, mailoutbox, language, text):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "1/m/key"}
    cache.clear()
    member = UserFactory(email=f"limited-{language}@example.org")
    url = reverse("account_reset_password")
    first = client.post(url, {"email": member.email}, HTTP_ACCEPT_LANGUAGE=language)
    assert first.status_code == 302
    second = client.post(url, {"email": member.email}, HTTP_ACCEPT_LANGUAGE=language)
    assert second.status_code == 429
    page = second.content.decode()
    looks_like_the_site(page, language)
    assert text in page
    cache.clear()


@pytest.mark.urls("tests.core.error_urls")
@pytest.mark.parametrize(
    ("language", "text"), [("en", "Something went wrong"), ("fr", "Une erreur s’est produite")]
)
def test_500_is_styled_translated_and_needs_no_database(
    db, django_assert_num_queries, language, text
):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 500
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert "goingsolo/site.css" in page
    assert text in page
    assert f'href="{reverse("home")}"' in page
    assert "goingsolo</span>" in page, "the site's name, from the settings"


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00", "an ICO file"
    assert "max-age" in response["Cache-Control"]
    home = client.get(reverse("home")).content.decode()
    assert 'rel="icon" href="/static/goingsolo/icons/favicon.svg" type="image/svg+xml"' in home
    assert client.get("/static/goingsolo/icons/favicon.svg").status_code == 200


def test_admins_of_a_group_see_no_error_where_they_may_go(client):
    group = GroupFactory()
    client.force_login(member_of(group, Role.ADMIN))
    assert client.get(reverse("groups:settings", args=[group.slug])).status_code == 200
