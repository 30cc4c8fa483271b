"""The home page and a group's page show sections from the features; each section's
stylesheets and scripts, declared where it is registered, are linked in the page's head, once
each. A partial links nothing of its own: one page, one head."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "goingsolo"


def head_and_body(response):
    assert response.status_code == 200, response.status_code
    head, body = response.content.decode().split("</head>", 1)
    return head, body


def test_a_group_page_links_what_its_sections_need_in_its_head(client):
    group = GroupFactory(visibility="public")
    client.force_login(member_of(group))
    head, body = head_and_body(client.get(reverse("groups:detail", args=[group.slug])))
    for static in ("goingsolo/discussions.css", "goingsolo/events.css", "goingsolo/live.js"):
        assert head.count(static) == 1, static
    assert "<link" not in body and "<script" not in body


def test_the_home_page_links_what_its_sections_need_in_its_head(client):
    group = GroupFactory()
    client.force_login(member_of(group))
    head, body = head_and_body(client.get(reverse("home")))
    assert head.count("goingsolo/discussions.css") == 1
    assert head.count("goingsolo/events.css") == 1
    assert "<link" not in body and "<script" not in body


def test_a_page_without_sections_links_none_of_theirs(client):
    group = GroupFactory(visibility="public")
    client.force_login(member_of(group))
    head, _body = head_and_body(client.get(reverse("groups:about", args=[group.slug])))
    assert "goingsolo/discussions.css" not in head
    assert "goingsolo/events.css" not in head


def test_no_partial_links_a_stylesheet_or_a_script():
    partials = [
        path
        for pattern in ("*/templates/**/_*.html", "*/templates/**/section_*.html")
        for path in TEMPLATES.glob(pattern)
        # An app's base is a page's head, whatever its name (wiki's is _base.html).
        if "emails" not in path.parts and not path.name.endswith("base.html")
    ]
    assert partials
    linking = [
        str(path.relative_to(TEMPLATES))
        for path in partials
        if re.search(r"<link\b|<script\b", path.read_text())
    ]
    assert linking == []
