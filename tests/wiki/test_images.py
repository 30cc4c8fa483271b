"""Images are held with the edits that bring them: an image sent with an edit held for
review is served to its uploader and the moderators only (404 for everyone else) until the
edit is approved; rejecting the edit deletes the image (docs/wiki.md, "Images")."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from goingsolo.core.forms import signed_start
from goingsolo.core.storage import private_storage
from goingsolo.wiki import services
from goingsolo.wiki.models import Attachment, Revision
from tests.factories import UserFactory, member_of

from .conftest import edit, make_page, moderator_of, new_member, reload, trusted_member

pytestmark = pytest.mark.django_db

LONG_AGO = 1.0


def png_upload(name="board.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (20, 120, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def upload(group, uploader):
    return services.attachment_add(group=group, uploader=uploader, uploaded_file=png_upload())


def markdown(attachment):
    return (
        f"[![{attachment.name}]({attachment.get_thumbnail_url()})]({attachment.get_absolute_url()})"
    )


def statuses(client, attachment, people):
    """The status of the image and of its thumbnail for each of PEOPLE."""
    found = {}
    for name, user in people.items():
        client.force_login(user)
        found[name] = (
            client.get(attachment.get_absolute_url()).status_code,
            client.get(attachment.get_thumbnail_url()).status_code,
        )
    return found


def test_an_image_sent_with_a_held_edit_is_seen_by_its_author_and_moderators_until_approved(
    group, client
):
    author, newcomer, moderator = trusted_member(group), new_member(group), moderator_of(group)
    reader = member_of(group)
    page = make_page(group, author, body="Board photos")
    client.force_login(newcomer)
    url = reverse("wiki:edit", args=[group.slug, page.slug])
    data = {"base_revision": page.current_revision_id, "started": signed_start(at=LONG_AGO)}
    # Through the edit form: the image sent with it, then the text saved.
    html = client.post(
        url, {**data, "body": "Board photos", "action": "upload", "image": png_upload()}
    ).content.decode()
    attachment = Attachment.objects.get()
    assert markdown(attachment) in html
    client.post(url, {**data, "body": f"Board photos\n\n{markdown(attachment)}"})
    held = page.revisions.get(number=2)
    assert held.is_pending
    people = {"uploader": newcomer, "moderator": moderator, "reader": reader, "author": author}
    assert statuses(client, attachment, people) == {
        "uploader": (200, 200),
        "moderator": (200, 200),
        "reader": (404, 404),
        "author": (404, 404),
    }

    services.revision_approve(revision=held, moderator=moderator)
    attachment.refresh_from_db()
    assert attachment.published_at is not None
    assert set(statuses(client, attachment, people).values()) == {(200, 200)}


def test_rejecting_the_edit_deletes_its_image_and_files(group, django_capture_on_commit_callbacks):
    _page, (held, attachment), _author, moderator = _page_with_held_image(group)
    names = [attachment.file.name, attachment.thumbnail.name]
    assert all(private_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_reject(revision=held, moderator=moderator)
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not any(private_storage.exists(name) for name in names)


def _page_with_held_image(group):
    """A trusted author's page, a new member's edit showing their image held for review;
    returns (page, (held revision, image), author, moderator)."""
    author, newcomer, moderator = trusted_member(group), new_member(group), moderator_of(group)
    page = make_page(group, author, body="Board photos")
    attachment = upload(group, newcomer)
    held = edit(page, newcomer, f"Board photos\n\n{markdown(attachment)}").revision
    assert held.is_pending
    return page, (held, attachment), author, moderator


def test_rejecting_keeps_an_image_that_another_waiting_edit_of_its_author_still_shows(group):
    _page, (held, attachment), author, moderator = _page_with_held_image(group)
    newcomer = held.author
    other = make_page(group, author, title="Other", body="Other page")
    edit(other, newcomer, f"Other page\n\n{markdown(attachment)}")
    services.revision_reject(revision=held, moderator=moderator)
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_trusted_members_image_shows_to_readers_once_the_edit_is_saved(group, client):
    author = trusted_member(group)
    page = make_page(group, author, body="Board photos")
    attachment = upload(group, author)
    reader = member_of(group)
    # Sent but not saved yet: the uploader's alone.
    assert statuses(client, attachment, {"reader": reader}) == {"reader": (404, 404)}
    edit(page, author, f"Board photos\n\n{markdown(attachment)}")
    attachment.refresh_from_db()
    assert attachment.published_at is not None
    assert statuses(client, attachment, {"reader": reader}) == {"reader": (200, 200)}


def test_someone_elses_published_edit_does_not_publish_a_held_image(group):
    page, (_held, attachment), author, _moderator = _page_with_held_image(group)
    # A trusted member writes the held image's address into their own published edit.
    edit(page, author, f"Board photos, copied\n\n{markdown(attachment)}")
    attachment.refresh_from_db()
    assert attachment.published_at is None


def test_a_held_new_page_publishes_its_image_when_approved(group, client):
    newcomer, moderator = new_member(group), moderator_of(group)
    attachment = upload(group, newcomer)
    result = services.page_create(
        group=group, author=newcomer, title="Photos", body=f"Look\n\n{markdown(attachment)}"
    )
    assert result.is_held
    client.force_login(member_of(group))
    assert client.get(attachment.get_absolute_url()).status_code == 404
    services.revision_approve(revision=result.revision, moderator=moderator)
    assert client.get(attachment.get_absolute_url()).status_code == 200


def test_reverting_all_edits_of_a_member_deletes_their_held_images(group):
    page, (held, attachment), _author, moderator = _page_with_held_image(group)
    services.member_edits_revert(group=group, member=held.author, moderator=moderator)
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert reload(page).revisions.get(pk=held.pk).status == Revision.Status.REJECTED


def test_an_outsider_still_gets_what_the_group_answers(group, client):
    _page, (_held, attachment), _author, _moderator = _page_with_held_image(group)
    client.force_login(UserFactory())
    assert client.get(attachment.get_absolute_url()).status_code in (403, 404)
