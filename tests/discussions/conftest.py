import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from goingsolo.discussions import services
from goingsolo.groups.models import Role
from tests.factories import GroupFactory, member_of


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings, tmp_path):
    """Attachments of a test land in its own folder."""
    settings.GOINGSOLO_PRIVATE_FILES_ROOT = tmp_path / "private"


def png_file(name="photo.png", size=(64, 48), colour=(11, 110, 79)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_file(name="tarifs.pdf"):
    content = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class Community:
    """A group with an owner, a moderator and two members."""

    def __init__(self, visibility="closed", prefix="", **group_fields):
        self.group = GroupFactory(visibility=visibility, **group_fields)
        self.owner = member_of(
            self.group, Role.OWNER, display_name="Olivia Owner", handle=f"{prefix}olivia"
        )
        self.moderator = member_of(
            self.group, Role.MODERATOR, display_name="Mo Derator", handle=f"{prefix}mo"
        )
        self.marie = member_of(self.group, display_name="Marie Curie", handle=f"{prefix}marie")
        self.tom = member_of(self.group, display_name="Tom Jones", handle=f"{prefix}tom")

    def thread(
        self,
        author=None,
        title="Pricing a translation",
        body="How do you set your rates?",
        **kwargs,
    ):
        return services.thread_start(
            group=self.group, author=author or self.marie, title=title, body=body, **kwargs
        ).post.thread

    def reply(self, thread, author=None, body="I charge by the word.", **kwargs):
        return services.post_reply(
            thread=thread, author=author or self.tom, body=body, **kwargs
        ).post


@pytest.fixture
def community(db):
    return Community()


@pytest.fixture
def public_community(db):
    return Community(visibility="public")
