"""The Content-Security-Policy forbids inline script and style: pages must not need them."""

import re

import pytest
from django.urls import reverse

from goingsolo.groups.models import Role
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style[\s>]", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def test_csp_header_forbids_inline_code(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_key_pages_have_no_inline_script_or_style(client):
    group = GroupFactory(slug="going-solo", visibility="closed")
    admin = member_of(group, Role.ADMIN)
    client.force_login(admin)
    urls = [
        reverse("home"),
        reverse("groups:list"),
        reverse("groups:create"),
        reverse("groups:detail", args=[group.slug]),
        reverse("groups:members", args=[group.slug]),
        reverse("groups:requests", args=[group.slug]),
        reverse("groups:invitations", args=[group.slug]),
        reverse("groups:settings", args=[group.slug]),
        reverse("groups:member_profile", args=[admin.pk]),
        reverse("accounts:profile_edit"),
        reverse("account_email"),
    ]
    for url in urls:
        page = client.get(url).content.decode()
        for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_TAG, EVENT_HANDLER):
            found = pattern.search(page)
            assert found is None, f"{url}: {found.group(0) if found else ''}"
    client.logout()
    for url in (
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
    ):
        page = client.get(url).content.decode()
        for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_TAG, EVENT_HANDLER):
            assert pattern.search(page) is None, url
