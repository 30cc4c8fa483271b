"""Attachments checked by what they contain, never by their name or declared type.

Posts and wiki pages take images (shown inline, with a thumbnail) and documents (PDF,
office files, plain text; shown as links). check_upload() reads the file and says what it
is, or refuses it with a message for the member; the kinds accepted are:

- images Pillow decodes as JPEG, PNG, GIF or WebP, up to MAX_IMAGE_PIXELS;
- PDF, by its "%PDF-" header;
- Office Open XML (docx, xlsx, pptx): a zip holding [Content_Types].xml that declares the
  main part (word/document.xml, xl/workbook.xml, ppt/presentation.xml) with the type of
  a document, not of a macro-enabled file or a template;
- OpenDocument (odt, ods, odp): a zip whose "mimetype" entry names one of them;
- legacy Office (doc, xls, ppt): an OLE compound file holding a Word, Excel or PowerPoint
  stream (an installer or an Outlook message is also an OLE file, and is refused);
- plain text (.txt, .md, .csv) decoding as UTF-8, that a browser would not take for a web
  page and that is not a script.

Anything else is refused: SVG and HTML (they run script in the site's origin), executables,
archives, scripts. Whoever serves a document should still send the content type given here
with "X-Content-Type-Options: nosniff" and "Content-Disposition: attachment": a PDF can be
a valid web page too.

One module, longer than one sitting: one check per kind, and the rule of what is accepted
should be read in one place.
"""

import io
import re
import unicodedata
import xml.etree.ElementTree as ElementTree
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Decoded, a pixel takes up to 4 bytes: 40 megapixels is 160 MB of memory for one image,
# and more than any camera a member is likely to use.
MAX_IMAGE_PIXELS = 40_000_000

# An office file is a zip. Its parts may add up to this much once uncompressed, or to
# ZIP_MAX_RATIO times the file's size for a large spreadsheet, whose XML compresses well.
ZIP_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
ZIP_MAX_RATIO = 20
ZIP_MAX_ENTRIES = 10_000
# [Content_Types].xml and mimetype are small; reading more of them is never needed.
ZIP_MAX_MANIFEST_BYTES = 1024 * 1024

MAX_NAME_LENGTH = 80

IMAGE_FORMATS = {
    # Pillow's format: (content type, extension)
    "JPEG": ("image/jpeg", "jpg"),
    # A JPEG with extra pictures (depth, preview), as some phones write them.
    "MPO": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}

OOXML_MAIN_PARTS = {
    # main part: (its content type in [Content_Types].xml, file content type, extension)
    "/word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "/xl/workbook.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "/ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}

OPENDOCUMENT_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream that makes a compound file a Word, Excel or PowerPoint file, as its directory
# spells the name (UTF-16LE, NUL-terminated).
OLE_STREAMS = [
    ("WordDocument", "application/msword", "doc"),
    ("Workbook", "application/vnd.ms-excel", "xls"),
    ("Book", "application/vnd.ms-excel", "xls"),
    ("PowerPoint Document", "application/vnd.ms-powerpoint", "ppt"),
]

TEXT_TYPES = {
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
# What makes a browser sniff a file as a web page (WHATWG MIME Sniffing, "HTML"), plus
# SVG and XML, which run script as well. Compared with the start of the text, lower-cased.
_MARKUP_START = re.compile(
    rb"<(?:!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body"
    rb"|br|p|svg|\?xml)[\s>/]|<!--"
)
# Control characters other than tab, line feed, form feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class CheckedUpload:
    kind: str  # "image" or "document"
    content_type: str
    name: str  # safe to store and to send in a header: ASCII, no path, known extension
    size: int
    width: int | None = None
    height: int | None = None


def attachment_max_bytes():
    return settings.GOINGSOLO_ATTACHMENT_MAX_BYTES


def post_attachments_max_bytes():
    return settings.GOINGSOLO_POST_ATTACHMENTS_MAX_BYTES


def check_upload(uploaded_file, *, max_bytes=None):
    """What UPLOADED_FILE is, as a CheckedUpload, read from its content.

    MAX_BYTES defaults to GOINGSOLO_ATTACHMENT_MAX_BYTES. Raises ValidationError (codes
    "too_large", "empty", "file_type", "too_many_pixels", "not_an_image") for a file
    that may not be attached. Leaves the file at its start.
    """
    if max_bytes is None:
        max_bytes = attachment_max_bytes()
    original_name = getattr(uploaded_file, "name", None) or ""
    size = uploaded_file.size
    if size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a file can be at most %(limit)s.")
            % {
                "name": _display_name(original_name),
                "size": filesizeformat(size),
                "limit": filesizeformat(max_bytes),
            },
            code="too_large",
        )
    if size == 0:
        raise ValidationError(
            _("“%(name)s” is empty.") % {"name": _display_name(original_name)}, code="empty"
        )
    uploaded_file.seek(0)
    content = uploaded_file.read()
    uploaded_file.seek(0)

    checked = _check_image(content, original_name)
    if checked is not None:
        content_type, extension, width, height = checked
        return CheckedUpload(
            kind="image",
            content_type=content_type,
            name=safe_file_name(original_name, extension),
            size=size,
            width=width,
            height=height,
        )
    detected = (
        _check_pdf(content)
        or _check_zip(content)
        or _check_ole(content)
        or _check_text(content, original_name)
    )
    if detected is None:
        raise ValidationError(
            _(
                "Only images (JPEG, PNG, GIF, WebP) and documents (PDF, Word, Excel, "
                "PowerPoint, OpenDocument, text) can be attached."
            ),
            code="file_type",
        )
    content_type, extension = detected
    return CheckedUpload(
        kind="document",
        content_type=content_type,
        name=safe_file_name(original_name, extension),
        size=size,
    )


def check_total(sizes, *, max_total_bytes=None):
    """Refuses attachments whose SIZES add up to more than MAX_TOTAL_BYTES.

    MAX_TOTAL_BYTES defaults to GOINGSOLO_POST_ATTACHMENTS_MAX_BYTES.
    """
    if max_total_bytes is None:
        max_total_bytes = post_attachments_max_bytes()
    total = sum(sizes)
    if total > max_total_bytes:
        raise ValidationError(
            _(
                "These files add up to %(total)s; a post’s attachments can add up to at most %(limit)s."
            )
            % {"total": filesizeformat(total), "limit": filesizeformat(max_total_bytes)},
            code="total_too_large",
        )


def make_thumbnail(image_file, *, max_size=(800, 800)):
    """A copy of IMAGE_FILE that fits in MAX_SIZE, as a ContentFile named "*.jpg" or "*.png".

    Turned upright by its EXIF orientation; PNG when it has transparency, JPEG otherwise.
    Nothing but pixels is copied: no EXIF (camera, GPS position), no comments, no colour
    profile. Only the first frame of an animation is kept. IMAGE_FILE should have passed
    check_upload(), which bounds its number of pixels.
    """
    image_file.seek(0)
    with Image.open(image_file) as image:
        # JPEG decodes at a reduced scale directly, at least as large as asked for, in
        # either orientation.
        longest = max(max_size)
        image.draft("RGB", (longest, longest))
        upright = ImageOps.exif_transpose(image)
    upright.thumbnail(max_size, Image.Resampling.LANCZOS)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    # A new image from the pixels alone: whatever metadata Pillow keeps in .info is left
    # behind.
    pixels = upright.convert("RGBA" if has_alpha else "RGB")
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    output = io.BytesIO()
    if has_alpha:
        clean.save(output, format="PNG", optimize=True)
        extension = "png"
    else:
        clean.save(output, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    image_file.seek(0)
    suffix = f"-thumbnail.{extension}"
    stem = PurePosixPath(safe_file_name(getattr(image_file, "name", None) or "", "x")).stem
    stem = stem[: MAX_NAME_LENGTH - len(suffix)].rstrip("-") or "attachment"
    return ContentFile(output.getvalue(), name=stem + suffix)


def safe_file_name(original_name, extension):
    """ORIGINAL_NAME without its folders and extension, as ASCII words joined by hyphens,
    at most MAX_NAME_LENGTH characters, ending in EXTENSION."""
    stem = PurePosixPath(_base_name(original_name)).stem
    # "rapport.v2.docx" → "rapport-v2"; slugify turns accented letters into plain ones and
    # drops every other character that is not a letter, a digit or a hyphen.
    stem = slugify(stem.replace(".", " ").replace("_", " "))
    limit = MAX_NAME_LENGTH - len(extension) - 1
    if len(stem) > limit:
        # Cut between words when there are words to cut between.
        cut = stem[: limit + 1].rsplit("-", 1)[0]
        stem = cut if cut and len(cut) <= limit else stem[:limit]
    stem = stem.strip("-") or "attachment"
    return f"{stem}.{extension}"


def _display_name(original_name):
    """The name as the member knows it, for messages: no folders, not too long."""
    base = "".join(c for c in _base_name(original_name) if unicodedata.category(c)[0] != "C")
    if not base:
        return "attachment"
    return base if len(base) <= 60 else base[:59] + "…"


def _base_name(original_name):
    """The last part of a path, whether the browser sent "/" or "\\" separators."""
    return re.split(r"[/\\]", original_name)[-1]


def _check_image(content, original_name):
    """(content type, extension, width, height) for an accepted image, None for a file
    that is not one, ValidationError for an image too large or that does not decode."""
    if content.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")):
        pass
    elif content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        pass
    else:
        return None
    name = _display_name(original_name)
    unreadable = ValidationError(
        _("“%(name)s” looks like an image but cannot be read; it may be damaged.") % {"name": name},
        code="not_an_image",
    )
    too_many_pixels = ValidationError(
        _("“%(name)s” has too many pixels; an image can have at most %(limit)s million.")
        % {"name": name, "limit": MAX_IMAGE_PIXELS // 1_000_000},
        code="too_many_pixels",
    )
    try:
        with Image.open(io.BytesIO(content), formats=["JPEG", "PNG", "GIF", "WEBP"]) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise too_many_pixels
            image_format = image.format
            width, height = image.size
            # Decodes the first frame: a truncated or corrupt file fails here, not later
            # when a thumbnail is made.
            image.load()
    except Image.DecompressionBombError:
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise unreadable from None
    content_type, extension = IMAGE_FORMATS[image_format]
    return content_type, extension, width, height


def _check_pdf(content):
    if content.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    return None


def _check_zip(content):
    """(content type, extension) for an OOXML or OpenDocument file, else None."""
    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                return None
            budget = max(ZIP_MAX_UNCOMPRESSED_BYTES, ZIP_MAX_RATIO * len(content))
            if sum(entry.file_size for entry in entries) > budget:
                return None
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" in names:
                return _ooxml_type(_read_entry(archive, "[Content_Types].xml"), names)
            if "mimetype" in names and "content.xml" in names:
                mimetype = _read_entry(archive, "mimetype").decode("ascii").strip()
                extension = OPENDOCUMENT_TYPES.get(mimetype)
                return (mimetype, extension) if extension else None
    except (
        # Damaged, encrypted, or compressed in a way office suites do not use.
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        NotImplementedError,
        RuntimeError,
        OSError,
        EOFError,
        UnicodeDecodeError,
        ValueError,
    ):
        return None
    return None


def _read_entry(archive, name):
    with archive.open(name) as entry:
        data = entry.read(ZIP_MAX_MANIFEST_BYTES + 1)
    if len(data) > ZIP_MAX_MANIFEST_BYTES:
        raise ValueError(f"{name} is too large")
    return data


def _ooxml_type(content_types_xml, names):
    # Entity declarations are how XML bombs work; [Content_Types].xml never has any.
    if b"<!DOCTYPE" in content_types_xml or b"<!ENTITY" in content_types_xml:
        return None
    try:
        root = ElementTree.fromstring(content_types_xml)
    except ElementTree.ParseError:
        return None
    namespace = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    overrides = {
        element.get("PartName", "").lower(): element.get("ContentType", "")
        for element in root.iter(f"{namespace}Override")
    }
    defaults = {
        element.get("Extension", "").lower(): element.get("ContentType", "")
        for element in root.iter(f"{namespace}Default")
    }
    for part, (part_type, content_type, extension) in OOXML_MAIN_PARTS.items():
        declared = overrides.get(part) or defaults.get("xml")
        if part[1:] in names and declared == part_type:
            return content_type, extension
    return None


def _check_ole(content):
    if not content.startswith(OLE_MAGIC):
        return None
    for stream, content_type, extension in OLE_STREAMS:
        if (stream + "\0").encode("utf-16-le") in content:
            return content_type, extension
    return None


def _check_text(content, original_name):
    """(content type, extension) for a UTF-8 .txt, .md or .csv file, else None.

    Text has no signature, so the name's extension must say text too; the content must
    then be text a browser would not run.
    """
    extension = PurePosixPath(_base_name(original_name)).suffix.lower()[1:]
    if extension not in TEXT_TYPES:
        return None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(text):
        return None
    start = text.lstrip().encode()[:512].lower()
    if start.startswith(b"#!") or _MARKUP_START.match(start):
        return None
    return TEXT_TYPES[extension], extension
