"""Attachments are judged by their content: names and declared types are not believed."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image

from goingsolo.core.uploads import (
    MAX_NAME_LENGTH,
    check_total,
    check_upload,
    make_thumbnail,
    safe_file_name,
)

MB = 1024 * 1024
REFUSED_TYPE = (
    "Only images (JPEG, PNG, GIF, WebP) and documents (PDF, Word, Excel, PowerPoint, "
    "OpenDocument, text) can be attached."
)


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def image_bytes(pillow_format, size=(40, 30), mode="RGB", **save_options):
    output = io.BytesIO()
    Image.new(mode, size, "orange").save(output, format=pillow_format, **save_options)
    return output.getvalue()


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

OOXML = {
    "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
}


def content_types_xml(part, content_type):
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{content_type}"/>'
        "</Types>"
    )


def ooxml_bytes(extension, *, main_type=None, extra=None):
    part, type_suffix = OOXML[extension]
    main_type = main_type or f"application/vnd.openxmlformats-officedocument.{type_suffix}"
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types_xml(part, main_type))
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(part, "<document>Bonjour</document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return output.getvalue()


def opendocument_bytes(kind):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            f"application/vnd.oasis.opendocument.{kind}",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return output.getvalue()


def ole_bytes(stream_name):
    """A compound file header and one directory entry naming STREAM_NAME."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    name = (stream_name + "\0").encode("utf-16-le")
    entry = name.ljust(64, b"\0") + struct.pack("<H", len(name)) + bytes(62)
    return header + entry.ljust(512, b"\0")


def png_header_claiming(width, height):
    """A PNG whose header announces WIDTH × HEIGHT pixels, with almost no data."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 100))
        + chunk(b"IEND", b"")
    )


def refusal(file, **kwargs):
    with pytest.raises(ValidationError) as caught:
        check_upload(file, **kwargs)
    return caught.value


# Accepted files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pillow_format", "content_type", "extension"),
    [
        ("JPEG", "image/jpeg", "jpg"),
        ("PNG", "image/png", "png"),
        ("GIF", "image/gif", "gif"),
        ("WEBP", "image/webp", "webp"),
    ],
)
def test_images_are_recognised_by_their_pixels(pillow_format, content_type, extension):
    checked = check_upload(upload("Photo du barcamp.bin", image_bytes(pillow_format)), max_bytes=MB)
    assert checked.kind == "image"
    assert checked.content_type == content_type
    assert checked.name == f"photo-du-barcamp.{extension}"
    assert (checked.width, checked.height) == (40, 30)


def test_a_phone_jpeg_with_extra_pictures_is_a_jpeg():
    output = io.BytesIO()
    Image.new("RGB", (50, 40)).save(
        output, format="MPO", save_all=True, append_images=[Image.new("RGB", (50, 40))]
    )
    checked = check_upload(upload("portrait.jpg", output.getvalue()), max_bytes=MB)
    assert (checked.content_type, checked.name) == ("image/jpeg", "portrait.jpg")


def test_a_pdf_is_a_document():
    checked = check_upload(upload("Programme.pdf", MINIMAL_PDF), max_bytes=MB)
    assert checked.kind == "document"
    assert checked.content_type == "application/pdf"
    assert checked.name == "programme.pdf"
    assert checked.size == len(MINIMAL_PDF)
    assert checked.width is None


@pytest.mark.parametrize("extension", ["docx", "xlsx", "pptx"])
def test_office_open_xml_files_are_documents(extension):
    checked = check_upload(upload(f"Budget.{extension}", ooxml_bytes(extension)), max_bytes=MB)
    assert checked.kind == "document"
    assert checked.content_type.startswith("application/vnd.openxmlformats-officedocument.")
    assert checked.name == f"budget.{extension}"


@pytest.mark.parametrize(
    ("kind", "extension"), [("text", "odt"), ("spreadsheet", "ods"), ("presentation", "odp")]
)
def test_opendocument_files_are_documents(kind, extension):
    checked = check_upload(upload("notes", opendocument_bytes(kind)), max_bytes=MB)
    assert checked.content_type == f"application/vnd.oasis.opendocument.{kind}"
    assert checked.name == f"notes.{extension}"


@pytest.mark.parametrize(
    ("stream", "extension"),
    [("WordDocument", "doc"), ("Workbook", "xls"), ("PowerPoint Document", "ppt")],
)
def test_legacy_office_files_are_documents(stream, extension):
    checked = check_upload(upload("ancien.doc", ole_bytes(stream)), max_bytes=MB)
    assert checked.kind == "document"
    assert checked.name == f"ancien.{extension}"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("notes.txt", "text/plain; charset=utf-8"),
        ("README.md", "text/markdown; charset=utf-8"),
        ("inscrits.csv", "text/csv; charset=utf-8"),
    ],
)
def test_utf8_text_files_are_documents(name, content_type):
    checked = check_upload(upload(name, "Été, café; # titre\n".encode()), max_bytes=MB)
    assert checked.kind == "document"
    assert checked.content_type == content_type


# Refused files ---------------------------------------------------------------------------


def test_a_pdf_named_png_is_a_pdf():
    checked = check_upload(upload("photo.png", MINIMAL_PDF, "image/png"), max_bytes=MB)
    assert checked.kind == "document"
    assert checked.content_type == "application/pdf"
    assert checked.name == "photo.pdf"


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(56) + b"This program cannot be run in DOS mode."


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.png", SVG),
        ("logo.svg", SVG),
        ("logo.txt", SVG),
        ("programme.pdf", HTML),
        ("programme.txt", HTML),
        ("page.md", b"  \n<p>Bonjour</p>"),
        ("commentaire.txt", b"<!-- hidden --><b>x</b>"),
        ("budget.docx", EXE),
        ("install.sh.txt", b"#!/bin/sh\nrm -rf ~\n"),
        ("script.py", b"print('hello')\n"),
        ("notes.txt", "Bonjour".encode("utf-16")),
        ("notes.txt", b"Bonjour\x00\x01\x02"),
        ("archive.zip", b"PK\x03\x04" + bytes(30)),
        ("installer.doc", ole_bytes("SummaryInformation")),
        ("animation.gif", b"GIF89a nothing else"),
    ],
)
def test_other_files_are_refused_whatever_their_name(name, content):
    error = refusal(upload(name, content, "application/pdf"), max_bytes=MB)
    assert error.code in ("file_type", "not_an_image")


def test_the_refusal_lists_what_can_be_attached():
    error = refusal(upload("logo.png", SVG), max_bytes=MB)
    assert error.code == "file_type"
    assert error.messages == [REFUSED_TYPE]


def test_a_zip_of_other_things_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("photos/1.jpg", image_bytes("JPEG"))
        archive.writestr("readme.txt", "hello")
    assert refusal(upload("rapport.docx", output.getvalue()), max_bytes=MB).code == "file_type"


def test_a_macro_enabled_document_renamed_docx_is_refused():
    content = ooxml_bytes(
        "docx",
        main_type="application/vnd.ms-word.document.macroEnabled.main+xml",
        extra={"word/vbaProject.bin": b"\0" * 100},
    )
    assert refusal(upload("facture.docx", content), max_bytes=MB).code == "file_type"


def test_a_content_types_part_with_entities_is_refused():
    part, _ = OOXML["docx"]
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
            + content_types_xml(part, "&a;")[len('<?xml version="1.0" encoding="UTF-8" ') :],
        )
        archive.writestr(part, "<document/>")
    assert refusal(upload("lol.docx", output.getvalue()), max_bytes=MB).code == "file_type"


def test_a_zip_bomb_dressed_as_a_docx_is_refused():
    part, type_suffix = OOXML["docx"]
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            content_types_xml(part, f"application/vnd.openxmlformats-officedocument.{type_suffix}"),
        )
        with archive.open(part, "w") as entry:
            zeros = bytes(MB)
            for _ in range(101):
                entry.write(zeros)
    content = output.getvalue()
    assert len(content) < MB
    assert refusal(upload("bombe.docx", content), max_bytes=10 * MB).code == "file_type"


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    big = upload("video.pdf", b"%PDF-1.4\n" + bytes(20 * MB))
    error = refusal(big, max_bytes=10 * MB)
    assert error.code == "too_large"
    assert error.messages == ["“video.pdf” is 20.0\xa0MB; a file can be at most 10.0\xa0MB."]


def test_the_limit_comes_from_the_settings(settings):
    settings.GOINGSOLO_ATTACHMENT_MAX_BYTES = 100
    assert refusal(upload("programme.pdf", MINIMAL_PDF)).code == "too_large"
    settings.GOINGSOLO_ATTACHMENT_MAX_BYTES = 10 * MB
    assert check_upload(upload("programme.pdf", MINIMAL_PDF)).kind == "document"


def test_an_empty_file_is_refused():
    assert refusal(upload("vide.txt", b""), max_bytes=MB).code == "empty"


def test_an_image_with_too_many_pixels_is_refused():
    content = image_bytes("PNG", size=(8000, 6000), mode="1")
    assert len(content) < MB
    error = refusal(upload("carte.png", content), max_bytes=MB)
    assert error.code == "too_many_pixels"
    assert error.messages == [
        "“carte.png” has too many pixels; an image can have at most 40 million."
    ]


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    error = refusal(upload("bombe.png", png_header_claiming(30_000, 30_000)), max_bytes=MB)
    assert error.code == "too_many_pixels"


def test_a_damaged_image_is_refused():
    content = image_bytes("PNG", size=(400, 300))
    error = refusal(upload("photo.png", content[: len(content) // 2]), max_bytes=MB)
    assert error.code == "not_an_image"
    assert error.messages == [
        "“photo.png” looks like an image but cannot be read; it may be damaged."
    ]


def test_the_file_is_left_at_its_start():
    file = upload("programme.pdf", MINIMAL_PDF)
    check_upload(file, max_bytes=MB)
    assert file.read() == MINIMAL_PDF


# Names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\system.ini.pdf", "system-ini.pdf"),
        ("/tmp/../", "attachment.pdf"),
        (".htaccess", "htaccess.pdf"),
        ("Présentation d’été 2024 (v2).PDF", "presentation-dete-2024-v2.pdf"),
        ("Ça coûte 5€ — Zoë.pdf", "ca-coute-5-zoe.pdf"),
        ("会议记录.pdf", "attachment.pdf"),
        ("nul\x00byte.pdf", "nulbyte.pdf"),
        ("facture.pdf.exe", "facture-pdf.pdf"),
        ("", "attachment.pdf"),
    ],
)
def test_file_names_are_made_safe(original, safe):
    assert safe_file_name(original, "pdf") == safe


def test_a_long_name_is_shortened_and_keeps_its_extension():
    name = safe_file_name("compte-rendu " * 30 + ".docx", "docx")
    assert len(name) <= MAX_NAME_LENGTH
    assert name.endswith("-rendu.docx") or name.endswith("compte.docx")


def test_an_upload_named_with_a_path_is_stored_under_a_safe_name():
    checked = check_upload(upload("../../etc/passwd.pdf", MINIMAL_PDF), max_bytes=MB)
    assert checked.name == "passwd.pdf"


# Total per post --------------------------------------------------------------------------


def test_attachments_up_to_the_total_are_accepted_and_one_byte_more_is_not():
    check_total([10 * MB, 10 * MB, 5 * MB], max_total_bytes=25 * MB)  # exactly the total
    with pytest.raises(ValidationError):
        check_total([10 * MB, 10 * MB, 5 * MB + 1], max_total_bytes=25 * MB)


def test_attachments_over_the_total_are_refused_with_the_limit():
    with pytest.raises(ValidationError) as caught:
        check_total([10 * MB, 10 * MB, 6 * MB], max_total_bytes=25 * MB)
    assert caught.value.code == "total_too_large"
    assert "25.0\xa0MB" in caught.value.messages[0]
    assert "26.0\xa0MB" in caught.value.messages[0]


def test_the_total_comes_from_the_settings(settings):
    settings.GOINGSOLO_POST_ATTACHMENTS_MAX_BYTES = 1000
    with pytest.raises(ValidationError):
        check_total([600, 600])


# Thumbnails ------------------------------------------------------------------------------


def photo_with_gps():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # taken with the phone on its side
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (46.0, 31.0, 12.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (6.0, 37.0, 48.0),
        }
    )
    output = io.BytesIO()
    Image.new("RGB", (2000, 1000), "teal").save(
        output, format="JPEG", exif=exif, comment=b"Chez moi"
    )
    content = output.getvalue()
    assert Image.open(io.BytesIO(content)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return content


def test_a_thumbnail_is_upright_and_fits():
    thumbnail = make_thumbnail(upload("IMG_0001.JPG", photo_with_gps()))
    image = Image.open(thumbnail)
    assert image.format == "JPEG"
    assert image.size == (400, 800)
    assert thumbnail.name == "img-0001-thumbnail.jpg"


def test_a_thumbnail_leaks_no_gps_position_nor_other_metadata():
    content = make_thumbnail(upload("photo.jpg", photo_with_gps())).read()
    image = Image.open(io.BytesIO(content))
    assert not image.getexif()
    assert "exif" not in image.info
    assert "comment" not in image.info
    assert b"PhoneMaker" not in content
    assert b"Chez moi" not in content


def test_a_transparent_image_keeps_its_transparency():
    logo = upload("logo.png", image_bytes("PNG", size=(1600, 400), mode="RGBA"))
    thumbnail = make_thumbnail(logo, max_size=(200, 200))
    image = Image.open(thumbnail)
    assert image.format == "PNG"
    assert image.mode == "RGBA"
    assert image.size == (200, 50)


def test_a_small_image_is_not_enlarged():
    image = Image.open(make_thumbnail(upload("icone.gif", image_bytes("GIF", size=(40, 30)))))
    assert image.size == (40, 30)


# French ----------------------------------------------------------------------------------


def test_refusals_are_explained_in_french():
    with translation.override("fr"):
        too_large = refusal(upload("video.pdf", b"%PDF-" + bytes(2 * MB)), max_bytes=MB)
        wrong_type = refusal(upload("logo.png", SVG), max_bytes=MB)
    assert too_large.messages == [
        "«\xa0video.pdf\xa0» pèse 2,0\xa0Mio\xa0; un fichier peut peser au plus 1,0\xa0Mio."
    ]
    assert "PowerPoint" in wrong_type.messages[0]
    assert wrong_type.messages[0] != REFUSED_TYPE
