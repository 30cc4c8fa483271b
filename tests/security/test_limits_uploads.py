"""Every upload is judged by its content by the one check (core/uploads.py), whatever its
name says: a file whose extension lies is refused with a translated message."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from goingsolo.accounts.avatars import process_avatar
from goingsolo.core.uploads import check_upload
from goingsolo.events.validators import check_slides
from goingsolo.wiki.services import attachment_add
from tests.factories import GroupFactory, member_of
from tests.support import project_forms

WEB_PAGE = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
PROGRAM = b"MZ\x90\x00" + bytes(200)

# Each file field of a form, and the function that judges what it receives.
JUDGED_BY = {
    "goingsolo.accounts.forms.ProfileForm.avatar_upload": "accounts.avatars.process_avatar",
    "goingsolo.discussions.forms.ThreadForm.attachments": "core.uploads.check_upload",
    "goingsolo.discussions.forms.ReplyForm.attachments": "core.uploads.check_upload",
    "goingsolo.events.forms.TalkForm.slides_file": "events.validators.check_slides",
    "goingsolo.wiki.forms.UploadForm.image": "wiki.services.attachment_add",
}


def test_every_file_field_of_every_form_is_judged_by_content():
    found = {
        f"{form.__module__}.{form.__name__}.{name}"
        for form in project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.FileField)
    }
    assert found == set(JUDGED_BY)


@pytest.mark.parametrize("content", [WEB_PAGE, PROGRAM])
@pytest.mark.parametrize("name", ["photo.png", "slides.pdf", "notes.txt"])
def test_a_post_attachment_whose_name_lies_is_refused(name, content):
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile(name, content, "image/png"))


@pytest.mark.parametrize("content", [WEB_PAGE, PROGRAM, b"%PDF-1.4 not an image"])
def test_an_avatar_whose_name_lies_is_refused(content):
    with pytest.raises(ValidationError) as error:
        process_avatar(SimpleUploadedFile("me.jpg", content, "image/jpeg"))
    assert error.value.code == "not_an_image"


@pytest.mark.parametrize("content", [WEB_PAGE, PROGRAM])
def test_slides_whose_name_lies_are_refused(content):
    with pytest.raises(ValidationError) as error:
        check_slides(SimpleUploadedFile("deck.pptx", content))
    assert error.value.message_dict == {
        "slides_file": ["Slides are a PDF, OpenDocument or PowerPoint presentation."]
    }


@pytest.mark.django_db
@pytest.mark.parametrize("content", [WEB_PAGE, PROGRAM, b"%PDF-1.4 a document"])
def test_a_wiki_image_whose_name_lies_is_refused(content):
    group = GroupFactory()
    with pytest.raises(ValidationError):
        attachment_add(
            group=group,
            uploader=member_of(group),
            uploaded_file=SimpleUploadedFile("diagram.png", content, "image/png"),
        )
