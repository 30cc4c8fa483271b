"""Changing what a group sends by email: one-click unsubscribe (RFC 8058), the login-free
link in every email, and the group's Email page."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from goingsolo.groups.models import Membership
from goingsolo.groups.services import membership_leave
from goingsolo.mail.models import Delivery, ListSubscription
from goingsolo.mail.outbound.services import subscription_of, subscription_set_delivery
from goingsolo.mail.reply_tokens import (
    delivery_url,
    resolve_unsubscribe_token,
    unsubscribe_address,
    unsubscribe_token,
    unsubscribe_url,
)
from tests.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db


def path_of(url):
    return urlsplit(url).path


def test_one_click_post_without_cookies_unsubscribes(group):
    bob = member_of(group)
    subscription_set_delivery(user=bob, group=group, delivery=Delivery.EVERY)
    client = Client(enforce_csrf_checks=True)  # a mail provider: no cookie, no CSRF token
    response = client.post(
        path_of(unsubscribe_url(bob.pk, group.pk)),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert subscription_of(user=bob, group=group).delivery == Delivery.NONE


def test_get_only_shows_a_confirmation_page(group):
    bob = member_of(group)
    response = Client().get(path_of(unsubscribe_url(bob.pk, group.pk)))
    assert response.status_code == 200
    assert b'<form method="post">' in response.content
    assert b"Stop emails from Going Solo?" in response.content
    assert not ListSubscription.objects.exists()
    assert subscription_of(user=bob, group=group).delivery == Delivery.DAILY


def test_the_confirmation_page_is_in_french_for_a_french_browser(group):
    bob = member_of(group)
    response = Client(headers={"accept-language": "fr"}).get(
        path_of(unsubscribe_url(bob.pk, group.pk))
    )
    assert "Ne plus recevoir d’e-mails de Going Solo\u00a0?" in response.content.decode()


def test_a_forged_or_damaged_token_changes_nothing(group):
    bob = member_of(group)
    token = unsubscribe_token(bob.pk, group.pk)
    other = member_of(group)
    forged = f"{other.pk:x}-{token.split('-', 1)[1]}"
    for bad in (token[:-1] + ("a" if token[-1] != "a" else "b"), forged, "nonsense"):
        response = Client().post(reverse("mail:unsubscribe", args=[bad]))
        assert response.status_code == 404
    assert not ListSubscription.objects.exists()


def test_the_mailto_unsubscribe_address_carries_the_same_token(group, settings):
    bob = member_of(group)
    address = unsubscribe_address(group.slug, bob.pk, group.pk)
    local = address.split("@")[0]
    assert local.startswith("going-solo+unsubscribe-")
    assert resolve_unsubscribe_token(local.partition("+")[2]) == (bob, group)
    assert resolve_unsubscribe_token(local.partition("+")[2].upper()) == (bob, group)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new key after a rotation, long enough to be a real one"
    assert resolve_unsubscribe_token(local.partition("+")[2]) == (bob, group)


def test_the_link_in_every_email_changes_the_choice_without_logging_in(group):
    bob = member_of(group)
    client = Client()
    url = path_of(delivery_url(bob.pk, group.pk))
    page = client.get(url)
    assert page.status_code == 200 and bob.email in page.content.decode()
    response = client.post(url, {"delivery": Delivery.WEEKLY})
    assert response.status_code == 302
    assert subscription_of(user=bob, group=group).delivery == Delivery.WEEKLY
    assert client.post(url, {"delivery": "hourly"}).status_code == 200  # refused, form shown
    assert subscription_of(user=bob, group=group).delivery == Delivery.WEEKLY


def test_the_group_email_page_is_for_members(group, client):
    bob = member_of(group)
    outsider = UserFactory()
    url = reverse("mail:group_email", args=[group.slug])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(bob)
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="daily" required id="id_delivery_1" checked' in page.content.decode()
    client.post(url, {"delivery": Delivery.MINE})
    assert subscription_of(user=bob, group=group).delivery == Delivery.MINE
    # The group's page shows the choice, with a link here.
    detail = client.get(group.get_absolute_url()).content.decode()
    assert url in detail and "Only my threads and mentions" in detail


def test_links_in_old_emails_stop_working_once_the_member_has_left(group):
    bob = member_of(group)
    links = [path_of(unsubscribe_url(bob.pk, group.pk)), path_of(delivery_url(bob.pk, group.pk))]
    assert [Client().get(link).status_code for link in links] == [200, 200]
    membership_leave(membership=Membership.objects.get(group=group, user=bob))
    assert [Client().get(link).status_code for link in links] == [404, 404]
    assert Client().post(links[0]).status_code == 404
