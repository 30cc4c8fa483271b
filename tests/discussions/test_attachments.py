"""Images and documents on threads and replies, served only to those who may read them."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from goingsolo.discussions import selectors
from goingsolo.discussions.models import Attachment, Thread
from tests.factories import UserFactory

from .conftest import Community, pdf_file, png_file

pytestmark = pytest.mark.django_db


def attach(client, community, files, body="With files"):
    client.force_login(community.marie)
    return client.post(
        reverse("discussions:thread_create", args=[community.group.slug]),
        {"title": "Files", "body": body, "attachments": files},
    )


def file_url(attachment, thumbnail=False):
    slug = attachment.post.group.slug
    if thumbnail:
        return reverse("discussions:attachment_thumbnail", args=[slug, attachment.pk])
    return reverse("discussions:attachment", args=[slug, attachment.pk, attachment.name])


def test_images_get_a_thumbnail_and_documents_a_link(client, community):
    response = attach(
        client,
        community,
        [png_file("Vue du bureau.png", size=(1000, 750)), pdf_file("Mes tarifs 2024.pdf")],
    )
    assert response.status_code == 302
    image = Attachment.objects.get(kind="image")
    document = Attachment.objects.get(kind="document")
    assert (image.name, image.width, image.height) == ("vue-du-bureau.png", 1000, 750)
    assert image.thumbnail.name.endswith("-thumbnail.jpg")
    assert document.name == "mes-tarifs-2024.pdf" and not document.thumbnail
    html = client.get(response.url).content.decode()
    assert f'<a href="{file_url(image)}"><img src="{file_url(image, thumbnail=True)}"' in html
    assert f'href="{file_url(document)}" download>mes-tarifs-2024.pdf</a>' in html


def test_a_reply_takes_attachments_too(client, community):
    thread = community.thread()
    client.force_login(community.tom)
    client.post(
        reverse("discussions:reply", args=[community.group.slug, thread.pk]),
        {"body": "Here is the photo", "attachments": [png_file()]},
    )
    assert Attachment.objects.get().post.position == 2


def test_each_page_of_a_long_thread_shows_its_posts_files_under_them(client, community):
    """The files of a page are read by the page's positions (selectors.page_attachments)."""
    thread = community.thread()
    client.force_login(community.tom)
    reply_url = reverse("discussions:reply", args=[community.group.slug, thread.pk])
    for number in range(2, selectors.POSTS_PER_PAGE + 4):
        files = {"attachments": [pdf_file(f"page-{number}.pdf")]} if number in (3, 22) else {}
        client.post(reply_url, {"body": f"Reply {number}", **files})
    assert Attachment.objects.count() == 2

    def files_by_post(html):
        posts = re.findall(r'<article[^>]*id="post-(\d+)".*?</article>', html, re.S)
        articles = re.split(r'(?=<article[^>]*id="post-)', html)[1:]
        return {
            int(position): re.findall(r">(page-\d+\.pdf)</a>", article)
            for position, article in zip(posts, articles, strict=True)
        }

    first = files_by_post(client.get(thread.get_absolute_url() + "?page=1").content.decode())
    second = files_by_post(client.get(thread.get_absolute_url() + "?page=2").content.decode())
    assert {position: files for position, files in first.items() if files} == {3: ["page-3.pdf"]}
    assert {position: files for position, files in second.items() if files} == {22: ["page-22.pdf"]}


def test_documents_are_downloaded_never_shown(client, community):
    attach(client, community, [pdf_file()])
    document = Attachment.objects.get()
    response = client.get(file_url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="tarifs.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_images_are_shown_inline(client, community):
    attach(client, community, [png_file()])
    image = Attachment.objects.get()
    response = client.get(file_url(image))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    thumbnail = client.get(file_url(image, thumbnail=True))
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert thumbnail["X-Content-Type-Options"] == "nosniff"


def test_files_are_not_under_the_public_media_folder(client, community, settings):
    attach(client, community, [pdf_file()])
    document = Attachment.objects.get()
    stored = document.file.path
    assert not stored.startswith(str(settings.MEDIA_ROOT))
    assert Client().get(f"{settings.MEDIA_URL}{document.file.name}").status_code == 404


def test_files_of_a_closed_group_are_refused_to_outsiders(client, community):
    attach(client, community, [png_file()])
    image = Attachment.objects.get()
    for url in (file_url(image), file_url(image, thumbnail=True)):
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
        outsider = Client()
        outsider.force_login(UserFactory())
        assert outsider.get(url).status_code == 403


def test_files_of_a_secret_group_do_not_exist_for_outsiders(client):
    secret = Community(visibility="secret")
    attach(client, secret, [pdf_file()])
    document = Attachment.objects.get()
    assert Client().get(file_url(document)).status_code == 404
    outsider = Client()
    outsider.force_login(UserFactory())
    assert outsider.get(file_url(document)).status_code == 404


def test_files_of_a_deleted_post_are_for_moderators_only(client, community):
    thread = community.thread()
    client.force_login(community.tom)
    client.post(
        reverse("discussions:reply", args=[community.group.slug, thread.pk]),
        {"body": "Photo", "attachments": [png_file()]},
    )
    image = Attachment.objects.get()
    client.post(reverse("discussions:post_delete", args=[community.group.slug, image.post_id]))
    assert client.get(file_url(image)).status_code == 404
    client.force_login(community.moderator)
    assert client.get(file_url(image)).status_code == 200


def test_a_file_of_another_group_is_not_found_through_this_one(client, community):
    attach(client, community, [pdf_file()])
    document = Attachment.objects.get()
    other = Community(prefix="other-")
    client.force_login(other.marie)
    url = reverse("discussions:attachment", args=[other.group.slug, document.pk, document.name])
    assert client.get(url).status_code == 404


def test_files_over_the_total_for_a_post_post_nothing(client, community, settings):
    settings.GOINGSOLO_POST_ATTACHMENTS_MAX_BYTES = 100
    response = attach(client, community, [pdf_file("a.pdf"), pdf_file("b.pdf"), png_file()])
    assert "These files add up to" in response.content.decode()
    assert not Thread.objects.exists() and not Attachment.objects.exists()


def test_one_refused_file_among_good_ones_posts_nothing(client, community, tmp_path):
    page = SimpleUploadedFile("page.html", b"<html><script>alert(1)</script></html>")
    response = attach(client, community, [png_file(), page])
    assert response.status_code == 200
    assert not Thread.objects.exists() and not Attachment.objects.exists()
    assert not [path for path in (tmp_path / "private").rglob("*") if path.is_file()]
