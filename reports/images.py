"""What a report photo is: an upload turned into fresh JPEG pixels, and the type of a stored photo.

Nothing of the file a user sends is kept but its pixels: it is decoded (which refuses a broken or truncated
file, and a tiny file claiming huge dimensions before any memory is spent on it), turned upright by its EXIF
orientation, shrunk to MAX_PHOTO_EDGE (team leaders are on weak connections; reviewers look at it on a
screen), and written as a new JPEG without metadata (no GPS position, no camera owner's name, no bytes
appended after the image). The server names the file (reports.models.photo_path).
"""

import io
import math

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import formats
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_EDGE = 2048
# Pixels accepted per format. A phone photo has 12 to 50 MP. A JPEG is decoded at 1/2, 1/4 or 1/8 of its size
# (Image.draft), so even 50 MP costs under 0.6 s and 200 MB (a progressive one); PNG and WebP are decoded
# whole (a 50 MP WebP took 760 MB), so they are held to 16 MP, above a 12 MP phone photo and any screenshot.
# Pillow's own guard starts at 89 MP and refuses only above 179 MP.
MAX_PIXELS = {"JPEG": 50_000_000, "PNG": 16_000_000, "WEBP": 16_000_000}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
JPEG_QUALITY = 82
# Many phones write their JPEGs with a multi-picture (MPF) segment, which Pillow names MPO: a JPEG all the same.
FORMAT_ALIASES = {"MPO": "JPEG"}
# What Pillow raises on a broken or hostile file (its decoders are not above a TypeError or an IndexError).
UNREADABLE = (UnidentifiedImageError, OSError, EOFError, SyntaxError, ValueError, TypeError, KeyError, IndexError)


def _format(picture) -> str:
    return FORMAT_ALIASES.get(picture.format, picture.format)


def _not_a_photo():
    return ValidationError({"image": [_("This file is not a photo: choose a JPEG, PNG or WebP image.")]})


def _too_large(limit, picture=None):
    if picture is None:
        message = _("The photo is too large: at most %(limit)s megapixels are accepted.") % {
            "limit": limit // 1_000_000
        }
    else:
        message = _(
            "The photo is too large: %(width)s × %(height)s pixels; a %(format)s photo may have at most %(limit)s megapixels."
        ) % {
            "width": formats.number_format(picture.width, force_grouping=True),
            "height": formats.number_format(picture.height, force_grouping=True),
            "format": _format(picture),
            "limit": limit // 1_000_000,
        }
    return ValidationError({"image": [message]})


def photo_encode(upload) -> ContentFile:
    """The upload as a new JPEG (upright, at most MAX_PHOTO_EDGE, no metadata), or a ValidationError on `image`."""
    upload.seek(0)
    try:
        with Image.open(upload, formats=list(MAX_PIXELS)) as picture:
            limit = MAX_PIXELS[_format(picture)]
            if picture.width * picture.height > limit:
                raise _too_large(limit, picture)
            ratio = MAX_PHOTO_EDGE / max(picture.size)
            if ratio < 1:
                # A JPEG is decoded straight at the smallest 1/n scale still larger than the result.
                picture.draft("RGB", (math.ceil(picture.width * ratio), math.ceil(picture.height * ratio)))
            picture.thumbnail((MAX_PHOTO_EDGE, MAX_PHOTO_EDGE), Image.Resampling.LANCZOS)  # decodes it whole
            upright = ImageOps.exif_transpose(picture)
        if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
            upright = upright.convert("RGBA")
            pixels = Image.new("RGB", upright.size, "white")
            pixels.paste(upright, mask=upright.getchannel("A"))
        else:
            pixels = upright.convert("RGB")
    except Image.DecompressionBombError as error:  # Pillow's own guard, above 179 MP
        raise _too_large(max(MAX_PIXELS.values())) from error
    except UNREADABLE as error:
        raise _not_a_photo() from error
    finally:
        upload.seek(0)
    pixels.info = {}  # no EXIF, ICC profile or comment goes along
    output = io.BytesIO()
    pixels.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ContentFile(output.getvalue(), name="photo.jpg")


def stored_photo_format(file) -> str | None:
    """The format Pillow reads in a stored photo's header (JPEG, PNG or WebP), or None: a photo is served as
    the type it is, whatever its name (photos stored before re-encoding kept the name their sender chose)."""
    try:
        with Image.open(file, formats=list(MAX_PIXELS)) as picture:
            return _format(picture)
    except (Image.DecompressionBombError, *UNREADABLE):
        return None
    finally:
        file.seek(0)
