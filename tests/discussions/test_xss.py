"""Hostile Markdown and HTML posted through the real pages render inert."""

import re

import pytest
from django.urls import reverse

from goingsolo.discussions import selectors
from goingsolo.discussions.models import Post
from tests.xss_payloads import PAYLOADS, assert_html_is_safe

pytestmark = pytest.mark.django_db

POST_BODY = re.compile(r'<div class="post-body"[^>]*>(.*?)</div>', re.S)


def test_payloads_posted_as_replies_render_inert_on_the_thread_page(client, community, settings):
    assert len(PAYLOADS) >= 40
    thread = community.thread(title="Payloads", body="Hostile text follows.")
    client.force_login(community.tom)
    url = reverse("discussions:reply", args=[community.group.slug, thread.pk])
    posted = 0
    for payload in PAYLOADS:
        response = client.post(url, {"body": payload})
        if "\x00" in payload:
            # The form refuses NUL characters outright.
            assert "Null characters are not allowed." in response.content.decode()
            continue
        if len(payload.strip()) > settings.GOINGSOLO_POST_MAX_CHARS:
            assert "A message has at most" in response.content.decode()
            continue
        assert response.status_code == 302, payload[:80]
        posted += 1
    assert posted >= 40
    assert Post.objects.filter(thread=thread).count() == posted + 1

    rendered = []
    for page in range(1, posted // selectors.POSTS_PER_PAGE + 2):
        html = client.get(thread.get_absolute_url() + f"?page={page}").content.decode()
        rendered += POST_BODY.findall(html)
    assert len(rendered) == posted + 1
    for body in rendered:
        assert_html_is_safe(body)


def test_payloads_as_titles_are_text_in_lists_and_on_the_page(client, community):
    client.force_login(community.marie)
    url = reverse("discussions:thread_create", args=[community.group.slug])
    for payload in PAYLOADS[:25]:
        client.post(url, {"title": payload[:200], "body": "Title test"})
    html = client.get(community.group.get_absolute_url()).content.decode()
    thread_list = html.split('<ul class="thread-list">', 1)[1].split("</ul>", 1)[0]
    assert_html_is_safe(
        thread_list.replace('<a href="/g/', '<a rel="nofollow ugc noopener" href="/g/')
    )
    assert "<script>alert(1)</script>" not in html
