"""Wiki pages in the browser's terms: links, contents, bad input that loses nothing,
conflicts and drafts, images."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from goingsolo.wiki import services
from goingsolo.wiki.forms import signed_start
from goingsolo.wiki.models import Attachment, Draft, Page
from tests.factories import UserFactory
from tests.xss_payloads import PAYLOADS, assert_html_is_safe

from .conftest import edit, make_page, moderator_of, reload, saved_meanwhile, trusted_member

pytestmark = pytest.mark.django_db

LONG_AGO = 1.0  # a signed start in 1970: never too fast


def edit_url(page):
    return reverse("wiki:edit", args=[page.group.slug, page.slug])


def post_edit(client, page, body, base, **extra):
    data = {"body": body, "base_revision": base, "started": signed_start(at=LONG_AGO), **extra}
    return client.post(edit_url(page), data)


def body_of(response):
    return response.content.decode()


def test_wiki_links_point_to_pages_and_missing_ones_offer_creation(group, client):
    author = trusted_member(group)
    make_page(group, author, title="Pricing your work", body="x")
    page = make_page(
        group, author, title="Index", body="[[Pricing your work]] · [[New topic|a label]]"
    )
    client.force_login(author)
    html = body_of(client.get(page.get_absolute_url()))
    assert re.search(
        r'<a class="wikilink" href="/g/going-solo/wiki/p/pricing-your-work/"[^>]*>Pricing your work</a>',
        html,
    )
    assert re.search(
        r'<a class="wikilink wikilink-missing" href="/g/going-solo/wiki/new/\?title=New\+topic"[^>]*>a label</a>',
        html,
    )
    form = body_of(client.get(reverse("wiki:create", args=[group.slug]) + "?title=New+topic"))
    assert 'value="New topic"' in form


def test_what_links_here_lists_the_linking_pages(group, client):
    author = trusted_member(group)
    target = make_page(group, author, title="Coworking", body="x")
    make_page(group, author, title="Leeds", body="See [[coworking]].")
    client.force_login(author)
    html = body_of(client.get(reverse("wiki:links", args=[group.slug, target.slug])))
    assert ">Leeds</a>" in html


def test_a_long_page_has_a_table_of_contents(group, client):
    author = trusted_member(group)
    short = make_page(group, author, title="Short", body="# One\n\ntext")
    long = make_page(
        group, author, title="Long", body="# Morning\n\n## Talks\n\n## Lunch\n\n# Afternoon\n\ntext"
    )
    client.force_login(author)
    assert "wiki-toc" not in body_of(client.get(short.get_absolute_url()))
    html = body_of(client.get(long.get_absolute_url()))
    assert 'href="#talks"' in html and 'id="talks"' in html


def test_malicious_markdown_renders_inert_on_the_page(group, client):
    author = trusted_member(group)
    page = make_page(group, author, title="Payloads", body="\n\n".join(PAYLOADS))
    client.force_login(author)
    html = body_of(client.get(page.get_absolute_url()))
    content = html[html.index('<div class="wiki-body">') : html.index("</article>")]
    assert len(content) > 1000
    assert_html_is_safe(content)


def test_malicious_markdown_is_inert_in_a_diff(group, client):
    # Every payload goes through diff.py in test_diff; here, the page around it.
    author = trusted_member(group)
    small = [payload for payload in PAYLOADS if len(payload) < 2000]
    page = make_page(group, author, title="Payloads", body="\n".join(small))
    edit(page, author, "\n".join(payload + " changed" for payload in small))
    client.force_login(author)
    html = body_of(client.get(reverse("wiki:diff", args=[group.slug, page.slug])))
    assert_html_is_safe(html[html.index('<table class="wiki-diff">') : html.index("</table>")])


def test_diff_between_any_two_revisions_shows_words_changed(group, client):
    author = trusted_member(group)
    page = make_page(group, author, body="Meet on Friday at noon")
    edit(page, author, "Meet on Thursday at noon")
    edit(page, author, "Meet on Thursday at one")
    client.force_login(author)
    url = reverse("wiki:diff", args=[group.slug, page.slug])
    html = body_of(client.get(url + "?from=1&to=3"))
    assert "<del>Friday</del>" in html and "<ins>Thursday</ins>" in html
    assert "<del>noon</del>" in html and "<ins>one</ins>" in html
    assert "<ins>one</ins>" in body_of(client.get(url))  # the latest change by default
    assert client.get(url + "?from=1&to=9").status_code == 404


def test_revert_from_the_web(group, client):
    author = trusted_member(group)
    page = make_page(group, author, body="good")
    edit(page, author, "bad")
    client.force_login(author)
    url = reverse("wiki:revert", args=[group.slug, page.slug, 1])
    assert "<del>bad</del>" in body_of(client.get(url)) or "bad" in body_of(client.get(url))
    response = client.post(url, {"started": signed_start(at=LONG_AGO)})
    assert response.status_code == 302
    assert reload(page).current_revision.body == "good"


# --- Bad input keeps the text -------------------------------------------------------------------


def test_an_empty_title_keeps_the_text_in_the_form(group, client):
    client.force_login(trusted_member(group))
    response = client.post(
        reverse("wiki:create", args=[group.slug]),
        {"title": " ", "body": "My careful notes", "started": signed_start(at=LONG_AGO)},
    )
    html = body_of(response)
    assert response.status_code == 200
    assert "Give the page a title." in html
    assert "My careful notes</textarea>" in html


def test_a_clashing_title_keeps_the_text_and_says_why(group, client):
    author = trusted_member(group)
    make_page(group, author, title="Pricing")
    client.force_login(author)
    response = client.post(
        reverse("wiki:create", args=[group.slug]),
        {"title": "PRICING", "body": "Other notes", "started": signed_start(at=LONG_AGO)},
    )
    html = body_of(response)
    assert "already exists" in html and "Other notes</textarea>" in html


def test_an_oversized_page_states_the_limit_and_keeps_the_text(group, client, settings):
    settings.GOINGSOLO_WIKI_PAGE_MAX_CHARS = 50
    author = trusted_member(group)
    page = make_page(group, author, body="short")
    client.force_login(author)
    text = "long " * 20
    html = body_of(post_edit(client, page, text, page.current_revision_id))
    assert "at most 50 characters" in html
    assert text.rstrip() in html
    assert "maxlength" not in re.search(r"<textarea[^>]*>", html).group(0)


def test_editing_a_locked_page_keeps_the_text_and_says_why(group, client):
    author = trusted_member(group)
    page = make_page(group, author, body="short")
    services.page_lock(page=page, moderator=moderator_of(group), locked=True)
    client.force_login(author)
    assert "locked" in body_of(client.get(page.get_absolute_url()))
    html = body_of(post_edit(client, page, "My edit of a locked page", page.current_revision_id))
    assert "A moderator locked this page" in html
    assert "My edit of a locked page</textarea>" in html
    assert reload(page).current_revision.body == "short"


def test_errors_are_translated(group, client):
    author = trusted_member(group, language="fr")
    client.force_login(author)
    response = client.post(
        reverse("wiki:create", args=[group.slug]),
        {"title": "", "body": "", "started": signed_start(at=LONG_AGO)},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    html = body_of(response)
    assert "Donnez un titre à la page." in html
    assert "Écrivez le texte de la page." in html


def test_the_honeypot_is_hidden_labelled_and_out_of_the_tab_order(group, client):
    client.force_login(trusted_member(group))
    html = body_of(client.get(reverse("wiki:create", args=[group.slug])))
    field = re.search(r'<div class="hp-field" aria-hidden="true">.*?</div>', html, re.S).group(0)
    assert "Leave this field empty" in field
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field
    assert 'name="started"' in html


# --- Conflicts in the web --------------------------------------------------------------------


def test_the_second_saver_sees_both_versions_and_the_merged_text(group, client):
    page, base, _, bob = saved_meanwhile(
        group,
        "Morning: talks\n\nLunch\n\nAfternoon: workshops",
        "Morning: lightning talks\n\nLunch\n\nAfternoon: workshops",
        display_name="Bob Smith",
    )
    client.force_login(bob)
    response = post_edit(
        client, page, "Morning: talks\n\nLunch\n\nAfternoon: workshops and a walk", base.pk
    )
    html = body_of(response)
    assert response.status_code == 200
    assert "Someone saved this page while you were editing it" in html
    assert "touch different lines" in html
    assert "Your version" in html and "Their version" in html
    merged = "Morning: lightning talks\n\nLunch\n\nAfternoon: workshops and a walk"
    assert f">\n{merged}</textarea>" in html
    head = reload(page).current_revision_id
    assert f'name="base_revision" value="{head}"' in html
    # Saving the merged text works and drops the draft.
    assert post_edit(client, page, merged, head).status_code == 302
    assert reload(page).current_revision.body == merged
    assert not Draft.objects.exists()


def test_a_real_conflict_shows_markers_and_refuses_them_until_resolved(group, client):
    page, base, _, bob = saved_meanwhile(group, "Venue: TBC", "Venue: the Round Foundry")
    client.force_login(bob)
    html = body_of(post_edit(client, page, "Venue: Old Broadcasting House", base.pk))
    assert "in 1 place" in html
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1)
    assert (
        "&lt;&lt;&lt;&lt;&lt;&lt;&lt;" in textarea and "Venue: Old Broadcasting House" in textarea
    )
    head = reload(page).current_revision_id
    html = body_of(
        post_edit(client, page, textarea.replace("&lt;", "<").replace("&gt;", ">"), head)
    )
    assert "conflict markers" in html
    assert reload(page).current_revision.body == "Venue: the Round Foundry"


def test_a_closed_tab_loses_nothing_the_draft_comes_back(group, client):
    page, base, _, bob = saved_meanwhile(group, "a\nb\nc", "A\nb\nc")
    client.force_login(bob)
    post_edit(client, page, "a\nb\nC, Bob's careful line", base.pk)
    # Bob closes the tab, comes back later.
    assert "unsaved version" in body_of(client.get(page.get_absolute_url()))
    html = body_of(client.get(edit_url(page)))
    assert "Someone saved this page while you were editing it" in html
    assert "A\nb\nC, Bob&#x27;s careful line</textarea>" in html
    client.post(reverse("wiki:draft_discard", args=[group.slug, page.slug]))
    assert not Draft.objects.exists()
    assert "A\nb\nc</textarea>" in body_of(client.get(edit_url(page)))


# --- Images --------------------------------------------------------------------------------------


def png_upload(name="board.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 600), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_an_image_sent_with_the_form_is_added_to_the_text_without_saving(group, client):
    author = trusted_member(group)
    page = make_page(group, author, body="Photos of the board")
    client.force_login(author)
    response = client.post(
        edit_url(page),
        {
            "body": "Photos of the board, edited",
            "base_revision": page.current_revision_id,
            "started": signed_start(at=LONG_AGO),
            "action": "upload",
            "image": png_upload(),
        },
    )
    html = body_of(response)
    attachment = Attachment.objects.get()
    assert attachment.group == group and attachment.uploaded_by == author
    assert attachment.thumbnail.width <= 800
    image_url = reverse("wiki:image", args=[group.slug, attachment.pk, attachment.name])
    thumbnail_url = reverse("wiki:image_thumbnail", args=[group.slug, attachment.pk])
    assert f"({thumbnail_url})]({image_url})" in html
    assert "Photos of the board, edited" in html
    assert reload(page).current_revision.body == "Photos of the board"
    # Served to the group's readers only: the files are not under MEDIA_ROOT.
    response = client.get(thumbnail_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(image_url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(image_url).status_code == 403
    client.logout()
    assert client.get(thumbnail_url).status_code == 302


def test_a_file_that_is_not_an_image_is_refused(group, client):
    author = trusted_member(group)
    page = make_page(group, author, body="x")
    client.force_login(author)
    fake = SimpleUploadedFile("evil.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(
        edit_url(page),
        {
            "body": "kept",
            "base_revision": page.current_revision_id,
            "action": "upload",
            "image": fake,
        },
    )
    assert not Attachment.objects.exists()
    assert "kept</textarea>" in body_of(response)
    assert Page.objects.count() == 1
