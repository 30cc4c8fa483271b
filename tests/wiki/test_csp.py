"""Wiki pages need no inline script or style: the Content-Security-Policy forbids them."""

import pytest
from django.urls import reverse

from tests.core.test_pages_are_csp_clean import (
    EVENT_HANDLER,
    INLINE_SCRIPT,
    STYLE_ATTRIBUTE,
    STYLE_TAG,
)

from .conftest import edit, make_page, moderator_of, new_member, trusted_member

pytestmark = pytest.mark.django_db


def test_wiki_pages_have_no_inline_script_or_style(group, client):
    author = trusted_member(group)
    page = make_page(group, author, body="# A\n\n## B\n\n## C\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |")
    base = page.current_revision_id
    edit(page, author, "changed")
    edit(page, new_member(group), "held")
    client.force_login(moderator_of(group))
    slug, page_slug = group.slug, page.slug
    # A conflict, for the merge view.
    conflict = client.post(
        reverse("wiki:edit", args=[slug, page_slug]), {"body": "mine", "base_revision": base}
    )
    urls = [
        reverse("wiki:pages", args=[slug]),
        reverse("wiki:changes", args=[slug]),
        reverse("wiki:create", args=[slug]),
        reverse("wiki:review", args=[slug]),
        reverse("wiki:member_revert", args=[slug, author.pk]),
        page.get_absolute_url(),
        reverse("wiki:edit", args=[slug, page_slug]),
        reverse("wiki:history", args=[slug, page_slug]),
        reverse("wiki:diff", args=[slug, page_slug]) + "?from=1&to=2",
        reverse("wiki:revision", args=[slug, page_slug, 1]),
        reverse("wiki:revert", args=[slug, page_slug, 1]),
        reverse("wiki:links", args=[slug, page_slug]),
    ]
    pages = [(url, client.get(url).content.decode()) for url in urls]
    pages.append(("merge view", conflict.content.decode()))
    assert "Someone saved this page" in pages[-1][1]
    for url, html in pages:
        for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_TAG, EVENT_HANDLER):
            found = pattern.search(html)
            assert found is None, f"{url}: {found.group(0) if found else ''}"
