"""Where files go that only some people may read.

Attachments of a closed or secret group must not be reachable by whoever has their
address: they are kept outside MEDIA_ROOT (which the embedded run serves to anyone under
MEDIA_URL) and served only by views that check who asks.
"""

import mimetypes
import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible


def private_files_root():
    """GOINGSOLO_PRIVATE_FILES_ROOT (a "private" folder in the data folder by default)."""
    return Path(settings.GOINGSOLO_PRIVATE_FILES_ROOT)


@deconstructible(path="goingsolo.core.storage.PrivateFileStorage")
class PrivateFileStorage(FileSystemStorage):
    """Files on disk with no public URL. The folder is read at each use, so a test (or a
    change of settings) moves it."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return str(private_files_root())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no public address; serve them through a view.")


private_storage = PrivateFileStorage()


def private_file_response(stored, *, content_type=None, download_name=None):
    """The response that serves STORED (a FieldFile in private storage) to a reader the
    view has checked: 404 when the file is missing, the type from its name unless given,
    never sniffed by the browser, cached by the reader's browser only. DOWNLOAD_NAME makes
    it a download under that name (files that are not images)."""
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=content_type
        or mimetypes.guess_type(stored.name)[0]
        or "application/octet-stream",
        as_attachment=download_name is not None,
        filename=download_name or "",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response
