"""Avatar images: checked by content, resized, stored as JPEG or PNG."""

from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from goingsolo.core.uploads import check_upload

AVATAR_SIZE = 256


def process_avatar(upload):
    """Returns a ContentFile holding a square AVATAR_SIZE JPEG or PNG made from UPLOAD.

    Raises ValidationError for a file over the size limit or one that is not an image,
    whatever its name or declared type says.
    """
    limit = settings.GOINGSOLO_AVATAR_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This image is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    not_an_image = ValidationError(
        _("This file is not an image we can read. Upload a JPEG, PNG, GIF or WebP image."),
        code="not_an_image",
    )
    # The one check of uploads (core.uploads), as for post attachments: by content.
    try:
        checked = check_upload(upload, max_bytes=limit)
    except ValidationError as error:
        if error.code == "too_many_pixels":
            raise
        raise not_an_image from None
    if checked.kind != "image":
        raise not_an_image
    try:
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise not_an_image from None
    image = ImageOps.exif_transpose(image)
    image = ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
    keeps_transparency = image.mode in ("RGBA", "LA", "P")
    output = BytesIO()
    if keeps_transparency:
        image.convert("RGBA").save(output, format="PNG", optimize=True)
        extension = "png"
    else:
        image.convert("RGB").save(output, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    return ContentFile(output.getvalue(), name=f"avatar.{extension}")
