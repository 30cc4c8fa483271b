"""Hostile text in every field a member can type, then every page, feed and email that shows it.

The world of the attack suite is built with a payload in each name, title, body, place,
bio and answer; the owner of the secret group then opens every route of the site (they
see the most), the outsider every page of their own group (where the applicant's answers
show), and every email the world sent is read. Nothing the payload carries may become
active: no script, no event handler, no `javascript:` link, no line of its own in a
calendar or a mail header.
"""

import json
import re
import xml.etree.ElementTree as ElementTree
from email import message_from_bytes
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.security.test_attack_surface import NOT_AN_OBJECT, ROUTES, object_arguments
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

# Each payload is written into every field at once: together they try to close an
# attribute, open an element, smuggle a link through Markdown and reach the template engine.
HOSTILE = {
    "markup": "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>",
    "links": '[go](javascript:alert(3)) <a href="javascript:alert(4)">a</a> <iframe src=javascript:alert(5)>',
    "engines": "{{ 7|add:7 }} {% now 'Y' %} <svg onload=alert(6)> ${alert(7)} <style>*{}</style>",
}

ACTIVE_URL = re.compile(r"^\s*(javascript|vbscript|data:text)", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "data", "xlink:href"}
# The payload's marks: where one of them stands in an active place, the payload got through.
MARKS = ("alert(",)


class ActivePartFinder(HTMLParser):
    """Active parts of a whole page: the site's own markup has none (its pages are CSP
    clean: no inline handler, no inline script), so any found came from the payload."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.in_inline_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if name in URL_ATTRIBUTES and value and ACTIVE_URL.match(value):
                self.problems.append(f"{name}={value!r} on <{tag}>")
        if tag in {"iframe", "object", "embed", "base"}:
            self.problems.append(f"<{tag}>")
        self.in_inline_script = tag == "script" and not dict(attrs).get("src")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_inline_script = False

    def handle_data(self, data):
        if self.in_inline_script and any(mark in data for mark in MARKS):
            self.problems.append(f"inline script {data[:80]!r}")


def active_parts(html):
    finder = ActivePartFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def problems_in(response):
    """What of the payload became active in RESPONSE, by its kind."""
    kind = response.get("Content-Type", "").split(";")[0].strip()
    body = response.content.decode(response.charset or "utf-8", errors="replace")
    if kind == "text/html":
        return active_parts(body)
    if kind in {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml"}:
        root = ElementTree.fromstring(response.content)  # well formed, whatever the titles
        return [f"<{e.tag}> element" for e in root.iter() if e.tag.endswith("script")]
    if kind == "text/calendar":
        unfolded = re.sub(r"\r\n[ \t]", "", body)
        return [
            f"calendar line {line!r}"
            for line in unfolded.split("\r\n")
            if line and not re.match(r"^[A-Z][A-Z0-9-]*[;:]", line)
        ]
    if kind in {"application/json", "application/manifest+json"}:
        json.loads(body)
    return []


def is_readable(response):
    """Pages and feeds; not files, streams of live updates or redirects."""
    return response.status_code == 200 and not response.streaming


def sweep(client, world, *, slug):
    """(url, problem) of every route CLIENT may open with WORLD's objects under SLUG, and
    how many pages were read."""
    found, read = [], 0
    for name, args in ROUTES:
        if set(args) & set(NOT_AN_OBJECT) or (args and "slug" not in args):
            continue  # capabilities, and one member's own rows (notifications, devices)
        kwargs = object_arguments(world, name, args, slug=slug) if args else {}
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        if is_readable(response):
            read += 1
            found += [(url, problem) for problem in problems_in(response)]
    return found, read


@pytest.mark.parametrize("payload", HOSTILE.values(), ids=HOSTILE.keys())
def test_no_page_feed_or_email_runs_what_a_member_typed(
    payload, django_capture_on_commit_callbacks
):
    # The jobs the world's writes queue run, so the emails they send are read too.
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world(payload)
    owner = Client()
    owner.force_login(world.owner)
    found, read = sweep(owner, world, slug=world.secret.slug)
    assert read > 60, "the owner reads most of the site's pages"
    outsider = Client()
    outsider.force_login(world.outsider)
    found_outside, read_outside = sweep(outsider, world, slug=world.other.slug)
    assert read_outside > 30
    found += found_outside
    found += [
        (url, problem)
        for url in (
            f"{reverse('groups:search')}?q={payload}",
            f"{reverse('groups:search')}?q={payload}&group={world.secret.slug}",
        )
        for problem in problems_in(owner.get(url))
    ]
    assert not found, found

    assert mail.outbox, "the world sends emails: they are read too"
    for message in mail.outbox:
        for html, _kind in getattr(message, "alternatives", []):
            assert not active_parts(html), (message.subject, active_parts(html))


def test_a_line_break_in_a_name_or_title_makes_no_header_of_its_own(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        build_world("Eve\r\nBcc: victim@example.org\nX-Injected: 1")
    # Sent, all of them: the invitation, the join request and the place at the event.
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        parsed = message_from_bytes(message.message().as_bytes())
        assert parsed["Bcc"] is None and parsed["X-Injected"] is None, message.subject
        # A long subject is folded (a line break and a space): that is one header still.
        assert not re.search(r"[\r\n](?![ \t])", str(parsed["Subject"])), message.subject
        assert "victim@example.org" not in message.recipients()
